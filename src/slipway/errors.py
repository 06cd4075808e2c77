"""One root exception carrying an exit code, and its family.

Expected failures raise a SlipwayError; the CLI prints its one-line message and exits with
its code, never a traceback. Exit codes: 1 a migration or check failed, 2 bad usage or
configuration.
"""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2


class SlipwayError(Exception):
    """Root of every expected failure: `str(err)` is the one line a user sees."""

    exit_code: int = EXIT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(SlipwayError):
    """Bad configuration or usage: a missing folder, an unparsable setting, a bad flag value."""

    exit_code = EXIT_USAGE


class ConnectionFailed(SlipwayError):
    """The database could not be reached or refused the credentials."""

    exit_code = EXIT_USAGE


class MigrationLayoutError(SlipwayError):
    """The migrations folder is inconsistent: duplicate versions, unreadable files."""

    exit_code = EXIT_USAGE


class MigrationFailed(SlipwayError):
    """A migration's SQL failed; nothing of that migration remains.

    Where PostgreSQL (or the parser) said so, the error carries its SQLSTATE and the place
    in the file (`path`, 1-based `line` and `column` in the file), besides the text.
    """

    exit_code = EXIT_FAILED

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        sqlstate: str | None = None,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.sqlstate = sqlstate
        self.path = path
        self.line = line
        self.column = column


class Refused(SlipwayError):
    """slipway refused to act because acting would be unsafe (modified file, no rollback...)."""

    exit_code = EXIT_FAILED


class LockBusy(SlipwayError):
    """Another slipway run held the migration lock for longer than we were willing to wait."""

    exit_code = EXIT_FAILED


class ConnectionLost(SlipwayError):
    """The connection to the database broke while slipway was using it."""

    exit_code = EXIT_FAILED


class NotReady(SlipwayError):
    """`slipway wait` gave up: the database did not accept a connection in time."""

    exit_code = EXIT_FAILED
