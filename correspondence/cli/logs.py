"""Where the command line keeps what the database said: errors.log in the user's settings folder.

The library logs a database's refusal in full (records/database_errors.py) and the user sees one
plain line. The workspace's server logs it with everything else it logs; a command has no server,
and Python would print an unhandled log record on stderr, beside the one line, with the SQL in it.
So every command sends those records to errors.log beside the user's corr.toml instead, where the
reference the line gives finds them.
"""

from __future__ import annotations

import logging

from correspondence.records import settings

LOGGER = "correspondence.database"
FILE_NAME = "errors.log"


class _ErrorsFile(logging.Handler):
    """Appends each record, traceback included, to errors.log in the settings folder of the moment
    (CORR_CONFIG_DIR may change between commands run in one process, as the tests run them). A log
    that cannot be written is given up quietly: the user has their line already."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            path = settings.user_file().parent / FILE_NAME
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as log:
                log.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001, S110 - see the class's docstring
            pass


def keep_database_errors() -> None:
    """Send the database's refusals to errors.log (once per process, however many commands run)."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(handler, _ErrorsFile) for handler in logger.handlers):
        logger.addHandler(_ErrorsFile())
