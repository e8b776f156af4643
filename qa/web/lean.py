"""What the web app's process leaves out: pyarrow, which pandas loads whenever it is installed.

Why: Gradio imports pandas as it starts (``gradio.caching``), and pandas 3
imports pyarrow at its own import whenever pyarrow is installed -- here the
``ray`` extra installs it, for Ray Data. The page never touches Arrow data
(no DataFrame, no Parquet), so the server's entry point (``app.py``) marks
pyarrow absent before Gradio is imported, and pandas keeps its strings in
Python objects, as it does on a machine without pyarrow. Measured: 33 MiB
less resident memory after start, out of ~290 (``qa bench``'s web app
figure), the same answers (``tests/test_web_lean.py``). A program that
imports ``qa.web`` as a library is left as it is.

What it does not do: remove pyarrow from a process that already loaded it
or pandas (then it changes nothing), or from any process but the server's.
"""

from __future__ import annotations

import sys


def without_pyarrow(modules: dict = sys.modules) -> bool:
    """Mark pyarrow absent in ``modules`` (``import pyarrow`` then fails) unless pandas or pyarrow is loaded
    already; whether it did.

    >>> without_pyarrow({}), without_pyarrow({"pandas": object()}), without_pyarrow({"pyarrow": object()})
    (True, False, False)
    """
    if "pandas" in modules or "pyarrow" in modules:
        return False
    modules["pyarrow"] = None
    return True
