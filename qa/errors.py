"""Which failures are the user's to fix, and the exit code for each.

What it does: lists the exception types that carry a message meant for a
person (a bad question, a missing or stale index, a model that isn't
installed, a build already running) so the CLI and the web app can show the
message instead of a traceback.

What it does not do: catch programming errors; those should surface.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def user_errors() -> tuple[type[BaseException], ...]:
    from qa.embedding import ModelNotFound
    from qa.evalfiles import EvalFileError
    from qa.question import BadQuestion
    from qa.quotes import BadQuote
    from qa.store import BuildRunning, IndexError_

    return (BadQuestion, BadQuote, EvalFileError, IndexError_, BuildRunning, ModelNotFound, FileNotFoundError, NotADirectoryError, PermissionError)


def exit_code(err: BaseException) -> int:
    """2 for input the user should change, 1 for everything else."""
    from qa.evalfiles import EvalFileError
    from qa.question import BadQuestion
    from qa.quotes import BadQuote

    return EXIT_BAD_INPUT if isinstance(err, (BadQuestion, BadQuote, EvalFileError)) else EXIT_FAILED
