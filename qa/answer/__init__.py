"""Stage 3, answer: a question and an index -> verbatim passages, or "not in the sources".

Takes a checked question; analyses it once (``Query``), scores the index's
sentences, cuts verbatim passages with their offsets, and decides from the
calibrated answerability whether the sources answer it (``Answer``).
"""

from qa.answer.calibration import Calibration, load_calibration
from qa.answer.compose import Answer, compose_answer, mentioned_by_none
from qa.answer.passages import Passage
from qa.answer.query import Query, analyse_question, embed_query
from qa.answer.question import BadQuestion, check_question
from qa.answer.retrieval import Scored, Weights, score_candidates

__all__ = ["Answer", "BadQuestion", "Calibration", "Passage", "Query", "Scored", "Weights", "analyse_question",
           "check_question", "compose_answer", "embed_query", "load_calibration", "mentioned_by_none", "score_candidates"]
