"""Turn scored sentences into the answer: short verbatim passages, or "not in the sources".

What it does: takes the best distinct passages (``qa.answer.passages``) and
decides from the calibrated answerability probability whether the sources
answer the question at all, and with what confidence; when they don't, the
closest few passages are still shown, as low confidence. Every passage is
asserted verbatim before it is returned.

What it does not do: score sentences (``qa.answer.retrieval``), cut passages
(``qa.answer.passages``) or verify pasted quotes (``qa.quotes.verify``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.answer.answerability import answerability_features
from qa.answer.calibration import Calibration
from qa.index.hybrid import Index
from qa.answer.passages import Passage, check_verbatim, select_passages
from qa.answer.query import Query
from qa.answer.retrieval import Scored

__all__ = ["Answer", "Passage", "compose_answer"]

CLOSEST_SHOWN = 3  # passages shown, marked low confidence, when the sources do not answer


@dataclass
class Answer:
    question: str
    answered: bool
    confidence: str  # "high" | "medium" | "low"
    passages: list[Passage] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    probability: float = 0.0  # calibrated probability that the sources answer
    ranked: list[Passage] = field(default_factory=list)  # top passages before an abstention cut them to CLOSEST_SHOWN
    # file -> where it comes from ({"title", "publisher", "date"}, the keys known): the index's to say,
    # so the pipeline fills it in, as it does ``conflicts``
    sources: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> dict:
        passages = [{**p.as_json(), "source": self.sources.get(p.file, {})} for p in self.passages]
        out = {"question": self.question, "answered": self.answered, "confidence": self.confidence, "passages": passages}
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


def compose_answer(index: Index, query: Query, scored: Scored, calibration: Calibration, top_k: int) -> Answer:
    """The answer object for ``query`` from its scored sentences."""
    ranked = select_passages(index, scored, max(top_k, 1), calibration)
    if not ranked:
        return Answer(query.text, False, "low", [])
    probability = calibration.probability(answerability_features(index, query, scored))
    answered = probability >= calibration.answer_threshold
    confidence = "high" if probability >= calibration.high_threshold else ("medium" if answered else "low")
    # Not answered: the closest few passages are still shown, as low confidence, so a
    # reader can judge for themselves -- the "not in the sources" verdict stays on top.
    passages = ranked if answered else ranked[:CLOSEST_SHOWN]
    check_verbatim(index, ranked)
    return Answer(query.text, answered, confidence, passages, probability=probability, ranked=ranked)
