"""Which failures are the user's to fix, and the exit code for each.

What it does: defines the two base classes that every stage's own error
derives from -- ``UserError`` (a missing or stale index, a model that isn't
installed, a build already running: exit 1) and ``BadInput`` (a bad
question, quote or evaluation file: exit 2) -- so the CLI and the web app
can show the message instead of a traceback without knowing every stage.
It sits below all stages and imports none of them.

What it does not do: catch programming errors; those should surface.

>>> class BadThing(BadInput): pass
>>> exit_code(BadThing("no")), exit_code(UserError("no")), exit_code(KeyError("x"))
(2, 1, 1)
>>> isinstance(BadThing("no"), user_errors())
True
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class UserError(Exception):
    """A failure whose message tells the user what to do (exit 1)."""

    exit_code = EXIT_FAILED


class BadInput(UserError):
    """Input the user should change: a question, a quote, a file (exit 2)."""

    exit_code = EXIT_BAD_INPUT


def user_errors() -> tuple[type[BaseException], ...]:
    """The exception types whose message is shown to a person as it is."""
    return (UserError, FileNotFoundError, NotADirectoryError, PermissionError)


def exit_code(err: BaseException) -> int:
    """2 for input the user should change, 1 for everything else."""
    return err.exit_code if isinstance(err, UserError) else EXIT_FAILED
