"""``python -m eval`` from the repository root: the same as ``qa eval`` (thin; see qa.evaluation.report)."""

import sys

from qa.cli import run

sys.exit(run(["eval", *sys.argv[1:]]))
