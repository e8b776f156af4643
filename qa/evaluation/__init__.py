"""Evaluation: question files and SQuAD -> metrics of the assistant and baselines, and a gate.

Takes the hand-written evaluation set (or a SQuAD 2.0 file, converted to
documents); gives the figures of the assistant beside BM25, dense and
LangChain baselines, a report, and a pass/fail gate against eval/config.json;
and for the draft set, how well ``qa check`` finds, verifies and attributes quotations.
"""

from qa.evaluation.drafts_report import run_and_report_drafts
from qa.evaluation.files import EvalFileError
from qa.evaluation.report import run_and_report
from qa.evaluation.runner import EvalPaths, run_eval_set

__all__ = ["EvalFileError", "EvalPaths", "run_and_report", "run_and_report_drafts", "run_eval_set"]
