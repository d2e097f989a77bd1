"""The package's own error type.

Library code raises these; the CLI turns them into a one-line message and exit code 1.
Anything else escaping a command is a bug and is allowed to show its traceback.
"""


class CorrespondenceError(Exception):
    """A problem the user can fix: bad input, a missing record, a refused change."""


class NotFound(CorrespondenceError):
    """A named record (office, inspection, letter...) does not exist."""


class InvalidInput(CorrespondenceError):
    """Input that cannot be stored as given."""


class NotPermitted(CorrespondenceError):
    """The acting user may not do this (wrong office, role too low, disabled)."""


class OutsideOffice(NotFound):
    """A record that belongs to another office. Reported as not found, so its existence is not revealed."""
