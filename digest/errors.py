"""Errors a user can act on.

    DigestError                 anything digest reports as a one-line message
    ├── UsageError              a bad option value (time zone, date, period)
    ├── NoInputError            nothing could be read from the given paths
    ├── StrictModeError         --strict and at least one input was skipped
    ├── OutputError             the output folder could not be written
    ├── config.ConfigError      digest.toml is missing, not TOML, or holds a bad value
    ├── store.StoreError        the state database is locked, corrupt or unwritable
    ├── send.SendError          mail could not be sent to anyone (server, TLS, login)
    ├── send.UnknownBriefError  the brief asked for is not in the digest
    └── serve.ServeError        the preview server could not start

The last five live beside the code that raises them.

Bad *input* is not an error: it becomes a ``Problem`` in the run report.
Each error carries a hint saying what to do next; the CLI maps the class to
an exit status in one place (``cli.EXIT_CODES``).
"""

from __future__ import annotations


class DigestError(Exception):
    """Base of every error digest reports to the user."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class UsageError(DigestError):
    """An option value digest cannot use."""

    hint = "see `digest build --help`"


class NoInputError(DigestError):
    """No article could be read, so there is nothing to publish."""

    hint = "point digest at .txt, .md or .jsonl article files"


class StrictModeError(DigestError):
    """Strict mode refuses a build in which some inputs were skipped."""

    hint = "fix or remove the inputs listed above, or drop --strict"


class OutputError(DigestError):
    """The output folder could not be replaced; the previous output is intact."""

    hint = "check that the output folder's parent exists and is writable"
