"""The fitted parts of the answerer: ranking weights and the answer/abstain decision.

What it does: holds what ``qa.evaluation.calibrate`` fits on the evaluation set and
SQuAD part A -- the weights of the ranker's features, a logistic model over
the best sentence's ``qa.answer.answerability`` features whose log-odds
(``logit``) is the first input of the question score in ``qa.answer.confidence``
(which decides answer or abstain, and labels each passage), the two thresholds
it was fitted with (kept for the record; ``qa.answer.confidence`` holds the ones
in use), and when a passage is extended to its neighbouring sentence -- stored
as ``qa/answer/calibration.json``.

What it does not do: fit anything at query time.

>>> c = Calibration(ranker=(1.0,), coef=(0.0, 0.0), intercept=0.0, answer_threshold=0.5, high_threshold=0.8)
>>> round(c.probability([3.0, 4.0]), 2)
0.5
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from qa.answer.answerability import ANSWERABILITY_FEATURES
from qa.answer.retrieval import FEATURES

DEFAULT_PATH = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    ranker: tuple[float, ...]   # weights of qa.answer.retrieval.FEATURES
    coef: tuple[float, ...]     # one per qa.answer.answerability.ANSWERABILITY_FEATURES
    intercept: float
    answer_threshold: float
    high_threshold: float
    # A passage takes in its best neighbour in the paragraph when the chosen
    # sentence is shorter than this many words (too little to stand alone) or
    # when the neighbour scores at least ``extend_ratio`` of the sentence.
    extend_min_words: int = 20
    extend_ratio: float = 0.8
    ranker_bias: float | None = None  # set when the ranker is a fitted logistic model

    def logit(self, features) -> float:
        z = self.intercept + sum(c * float(v) for c, v in zip(self.coef, features))
        return max(min(z, 50.0), -50.0)

    def probability(self, features) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit(features)))


def load_calibration(path: str | Path = DEFAULT_PATH) -> Calibration:
    """The stored calibration (see module docstring)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    known = {f.name for f in fields(Calibration)}
    values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in known}
    if len(values.get("ranker", ())) != len(FEATURES) or len(values.get("coef", ())) != len(ANSWERABILITY_FEATURES):
        raise ValueError(f"{path} was fitted on other features; refit with python -m qa.evaluation.calibrate")
    return Calibration(**values)


def save_calibration(cal: Calibration, path: str | Path = DEFAULT_PATH, notes: dict | None = None) -> None:
    data = asdict(cal)
    if notes:
        data["notes"] = notes
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
