"""Turn the top sentence's features into a probability that the sources answer.

What it does: a logistic model over the ranker's features of the best
sentence (``qa.retrieval.FEATURES`` plus the fused score), fitted on the
evaluation set and SQuAD part A by ``qa.calibrate`` and stored in
``qa/calibration.json``, with two thresholds on its probability: below
``answer_threshold`` the assistant says the sources don't answer; at or
above ``high_threshold`` the answer is labelled high confidence.

What it does not do: fit anything at query time.

>>> c = Calibration(coef=(0.0,) * 8, intercept=0.0, answer_threshold=0.5, high_threshold=0.8)
>>> round(c.probability([0.0] * 7, 0.0), 2)
0.5
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    coef: tuple[float, ...]  # one per feature, then one for the fused score
    intercept: float
    answer_threshold: float
    high_threshold: float

    def probability(self, features, fused: float) -> float:
        values = [float(v) for v in features] + [float(fused)]
        z = self.intercept + sum(c * v for c, v in zip(self.coef, values))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def load_calibration(path: str | Path = DEFAULT_PATH) -> Calibration:
    """The stored calibration (see module docstring)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Calibration(tuple(data["coef"]), data["intercept"], data["answer_threshold"], data["high_threshold"])


def save_calibration(cal: Calibration, path: str | Path = DEFAULT_PATH) -> None:
    Path(path).write_text(json.dumps(asdict(cal), indent=1) + "\n", encoding="utf-8")
