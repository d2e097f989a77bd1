"""The package's own error type.

Library code raises these; the CLI turns them into a one-line message and exit code 1, the web
shows them on the page. Anything else escaping a command is a bug and is allowed to show its
traceback.

An error is said in two parts: the refusal (what is wrong: the same for everyone) and, often, a
hint (what to do next), which each face says in its own words. The CLI's hint names the command
(``cli=``); the web's names the page, button or field (``web=``), and is left out where the web
has no way to do it. The hint is written where the refusal is raised, once, for both faces:

    raise InvalidInput("the invitation R1 is still a draft",
                       cli="mark it sent with 'corr letter sent R1 --date DATE' first",
                       web="mark it sent on its letter page first")

``str(error)`` is the refusal with the CLI's hint, exactly what the CLI prints; ``for_web(error)``
is the refusal with the web's hint, and never names a ``corr`` command.
"""

from __future__ import annotations

import re

# A corr command as a message quotes it ('corr letter sent R1', corr role add "...").
_COMMAND = re.compile(r"'?\bcorr [a-z]")


class CorrespondenceError(Exception):
    """A problem the user can fix: bad input, a missing record, a refused change.

    ``refusal`` is what is wrong; ``cli`` and ``web`` the hint in each face's words; ``joined`` what
    stands between the refusal and a hint (``"; "`` unless the sentence needs another).
    """

    def __init__(self, refusal: str = "", *, cli: str = "", web: str = "", joined: str = "; ") -> None:
        self.refusal = refusal
        self.cli_hint = cli
        self.web_hint = web
        self.joined = joined
        super().__init__(f"{refusal}{joined}{cli}" if cli else refusal)


class NotFound(CorrespondenceError):
    """A named record (office, inspection, letter...) does not exist."""


class InvalidInput(CorrespondenceError):
    """Input that cannot be stored as given."""


class NotPermitted(CorrespondenceError):
    """The acting user may not do this (wrong office, role too low, disabled)."""


class OutsideOffice(NotFound):
    """A record that belongs to another office. Reported as not found, so its existence is not revealed."""


def for_web(error: BaseException | str) -> str:
    """The refusal as the web says it: with the web's hint, or none where the web has no equivalent.

    A message raised without separate hints (a wrapped error, or one from a module not yet
    given them) loses the clause that names a ``corr`` command rather than show it on a page."""
    if isinstance(error, CorrespondenceError) and (error.cli_hint or error.web_hint):
        return f"{error.refusal}{error.joined}{error.web_hint}" if error.web_hint else error.refusal
    return without_commands(str(error))


def without_commands(message: str) -> str:
    """``message`` up to the clause that names a ``corr`` command (the whole of it if none does)."""
    found = _COMMAND.search(message)
    if found is None:
        return message
    before = message[: found.start()]
    cut = max(before.rfind("; "), before.rfind(" ("))
    kept = before[:cut] if cut > 0 else before
    return kept.rstrip(" ,;:(")


def extended(error: CorrespondenceError, *, cli: str, web: str = "") -> InvalidInput:
    """``error`` refused again with more to its hint: ``cli`` follows the CLI's hint (so ``str`` of
    the result is ``str(error) + cli``), ``web`` the web's (nothing added where it is empty)."""
    if error.cli_hint or error.web_hint:
        return InvalidInput(error.refusal, joined=error.joined, cli=f"{error.cli_hint}{cli}",
                            web=f"{error.web_hint}{web}" if error.web_hint else web.lstrip(", "))
    return InvalidInput(str(error), joined="", cli=cli, web=web)
