"""Options given as text, or not given at all, are passed to the command without loading pydantic.

typer 0.29 turns every option's value into its Python type through a pydantic TypeAdapter, and it
builds that adapter the first time the option is processed, even for an option left at its default
of None. Building the first one imports pydantic: about 80 ms, a third of `import sqlalchemy`, on
every command that has an option (measured with ``python -X importtime``). Most options of the
read commands are text (--db, --office, --from) and most are not given; for those the adapter
would hand back the very string it was given.

So each option's coercion is deferred: a value that is already the ``str`` a plain text option
asks for is returned as it is, None stays None as typer's own coercion leaves it, and anything
else (a number, a path, a list, an option with a parser) is handed to the adapter typer would
have built, built then and kept. Behaviour is unchanged; only when pydantic loads is.

This uses typer's internal runtime-parameter hook; with a typer that lacks it (older or newer
versions) nothing is changed and typer coerces as it always does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def defer_option_coercion() -> bool:
    """Install the deferral on typer's parameters; False (and nothing changed) if typer has no such hook."""
    try:
        from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:
        return False
    if not callable(getattr(_TyperParameter, "get_runtime_param", None)):
        return False

    @dataclass(frozen=True)
    class DeferredRuntimeParam(RuntimeParam):
        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            # typer's str adapter returns a str it is given unchanged (its parse step is str(value)).
            if self.annotation is str and self.parameter_info.parser is None and type(value) is str:
                return value
            built = build_runtime_param(self.descriptor)
            param._runtime_param = built
            return built._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if descriptor.file_annotation is not None:
                self._runtime_param = build_runtime_param(descriptor)
            else:
                self._runtime_param = DeferredRuntimeParam(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param
    return True
