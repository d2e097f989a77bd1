"""The package's own errors: a refusal as data, which each face words in its own way.

Library code raises these; the CLI turns them into a one-line message and exit code 1, the web
shows them on the page beside the field they are about. Anything else escaping a command is a bug
and is allowed to show its traceback.

A refusal says what is wrong and nothing about how a face lets the user put it right:

- ``refusal``: what is wrong, in plain words ("8 June 2030 is in the future"). Where it mentions
  another of the values given, it names it with ``named("starts_on")``, which each face words.
- ``field``: the value that is wrong, by its name in the library (``sent_on``, ``letter_date``),
  with ``value``, what was given.
- ``steps``: what to do next, as intents (``Step("add_answer", "add the office's answer to R1",
  finding="3:R1")``): an action each face has its own words for, the things it acts on, and the
  step in plain words.

The CLI words a field as its option and a step as the command to type; the web as the form's
label and the page, button or box that does it (cli/wording.py, web/wording.py). So no
``corr`` command, option name or form label is written in the library; a test scans for them.

``str(error)`` is the plain form, for logs and for errors wrapped in others: the field's library
name, the refusal, and each step's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """A next step, as an intent: ``action`` names it (each face words it), ``says`` is the step in
    plain words, and ``subject`` holds what it is done to (a finding, a letter's reference...)."""

    action: str
    says: str
    subject: Mapping[str, Any]

    def __init__(self, action: str, says: str, **subject: Any) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "says", says)
        object.__setattr__(self, "subject", dict(subject))


class CorrespondenceError(Exception):
    """A problem the user can fix: bad input, a missing record, a refused change.

    ``joined`` stands between the refusal and its steps (``"; "`` unless the sentence needs another).
    """

    def __init__(self, refusal: str = "", *, field: str | None = None, value: Any = None,
                 steps: tuple[Step, ...] | list[Step] = (), joined: str = "; ") -> None:
        self.refusal = refusal
        self.field = field
        self.value = value
        self.steps = tuple(steps)
        self.joined = joined
        super().__init__(refusal)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole, field and steps too: a refusal raised where a template is filled in (a
        worker process, drafting/bounded.py) reaches the face as it was raised."""
        return (_rebuilt, (type(self), self.refusal, self.field, self.value, self.steps, self.joined))

    def fields(self) -> list[str]:
        """Every field the refusal is about: its own, then each other it names."""
        others = self.refusal.split(MARK)[1::2]
        return ([self.field] if self.field else []) + [name for name in others if name != self.field]

    def worded(self, name_field: Callable[[str], str], say_step: Callable[[Step], str | None],
               *, lead_field: Callable[[str], str] | None = None) -> str:
        """The refusal in one face's words: each field named by ``name_field`` (the leading one by
        ``lead_field``, where the face says it differently, as "Label:" rather than "'Label'"),
        each step by ``say_step`` (None: this face has no way to do it, and says nothing)."""
        text = fill(self.refusal, name_field)
        lead = (lead_field or name_field)(self.field) if self.field else None
        if lead:  # "--date: 8 June 2030 is in the future"; "--file a.docx: no such file" where it starts with the value
            given = str(self.value) if self.value is not None else ""
            text = f"{lead}{' ' if given and self.refusal.startswith(given + ':') else ': '}{text}"
        said = [words for step in self.steps if (words := say_step(step))]
        return f"{text}{self.joined}{', or '.join(said)}" if said else text

    def __str__(self) -> str:
        return self.worded(lambda name: name, lambda step: step.says)

    def prefixed(self, prefix: str) -> CorrespondenceError:
        """The same refusal, of the same kind, said after ``prefix`` (a file's name, a row): an
        error passed on with where it happened, its field and steps kept for the faces."""
        if self.field:  # the prefix goes before the field's own name, which the face words
            return type(self)(f"{prefix}{named(self.field)}: {self.refusal}", value=self.value, steps=self.steps,
                              joined=self.joined)
        return type(self)(prefix + self.refusal, value=self.value, steps=self.steps, joined=self.joined)

    def with_steps(self, *steps: Step) -> InvalidInput:
        """The same refusal, refused again as input that cannot be used as given, with more steps after
        its own (another way to put it right): a holder not found on the letter's date is a date or
        an addressee to change, not a page that is missing."""
        return InvalidInput(self.refusal, field=self.field, value=self.value, steps=(*self.steps, *steps), joined=self.joined)


def _rebuilt(kind: type[CorrespondenceError], refusal: str, field: str | None, value: Any,
             steps: tuple[Step, ...], joined: str) -> CorrespondenceError:
    return kind(refusal, field=field, value=value, steps=steps, joined=joined)


class NotFound(CorrespondenceError):
    """A named record (office, inspection, letter...) does not exist."""


class InvalidInput(CorrespondenceError):
    """Input that cannot be stored as given."""


class NotPermitted(CorrespondenceError):
    """The acting user may not do this (wrong office, role too low, disabled)."""


class OutsideOffice(NotFound):
    """A record that belongs to another office. Reported as not found, so its existence is not revealed."""


MARK = "\x1f"  # a control character no value a user gives contains: it brackets a field's name


def named(field: str) -> str:
    """A field mentioned inside a refusal ("give named('starts_on'), named('ends_on') or both"),
    for each face to word as it names its own fields."""
    return f"{MARK}{field}{MARK}"


def fill(refusal: str, name_field: Callable[[str], str]) -> str:
    """``refusal`` with each field it names (see ``named``) worded by ``name_field``."""
    parts = refusal.split(MARK)
    return "".join(name_field(part) if index % 2 else part for index, part in enumerate(parts))
