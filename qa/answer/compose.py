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

import numpy as np

from qa.answer.answerability import answerability_features
from qa.answer.calibration import Calibration
from qa.answer.confidence import PassageModel, load_passage_model, passage_features, question_features, refused_by_rule
from qa.index.hybrid import Index
from qa.answer.passages import Passage, check_verbatim, select_passages
from qa.answer.query import Query
from qa.answer.retrieval import Scored
from qa.answer.interaction import interaction
from qa.answer.opposites import opposites_last, speaks_of_opposite
from qa.answer.said import names_silent_speaker, names_unquoted_person
from qa.answer.shaped import names_a_person, shape_candidates
from qa.answer.typed import typed_support

__all__ = ["Answer", "Passage", "compose_answer", "mentioned_by_none"]

CLOSEST_SHOWN = 3  # passages shown, labelled related or low, when the sources do not answer
FORM_ANSWERS = ("person", "definition")  # shapes whose form, when the best passage has it, is the answer


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
    pages: dict[tuple[str, int], int] = field(default_factory=dict)  # (file, start) -> PDF page: the pipeline's too
    # for fitting qa.answer.confidence (not shown): each ranked passage's features, and what the
    # question-level features are made of besides the passages' probabilities
    features: np.ndarray | None = field(default=None, repr=False)
    inputs: tuple | None = field(default=None, repr=False)
    never_mentioned: tuple[str, ...] = ()  # refused: the question's words for what it asks about that no source uses

    def as_json(self) -> dict:
        passages = [{**p.as_json(), **self.page_of(p), "source": self.sources.get(p.file, {})} for p in self.passages]
        out = {"question": self.question, "answered": self.answered, "confidence": self.confidence, "passages": passages}
        if self.conflicts:
            out["conflicts"] = self.conflicts
        if self.never_mentioned:
            out["never_mentioned"] = list(self.never_mentioned)
        return out

    def page_of(self, p: Passage) -> dict:
        """``{"page": N}`` for a passage of a PDF (the page it starts on), else ``{}``."""
        page = self.pages.get((p.file, p.start))
        return {"page": page} if page else {}


def mentioned_by_none(words) -> str:
    """What tells a reader why the sources can't answer, for words no source uses ('' for none).

    >>> mentioned_by_none(["brazil"]), mentioned_by_none([])
    ('no source mentions “brazil”', '')
    """
    return f"no source mentions {' or '.join(f'“{w}”' for w in words)}" if words else ""


def compose_answer(index: Index, query: Query, scored: Scored, calibration: Calibration, top_k: int,
                   model: PassageModel | None = None) -> Answer:
    """The answer object for ``query`` from its scored sentences."""
    model = model or load_passage_model()
    logit = calibration.logit(answerability_features(index, query, scored))  # on the ranker's own order
    scored, form, spoken = shape_candidates(index, query, scored)
    scored, form = _opposites_last(index, query, scored, form)
    ranked = select_passages(index, scored, max(top_k, 1), calibration)
    if not ranked:
        return Answer(query.text, False, "low", [])
    check_verbatim(index, ranked)
    X, missing, marked = rate_features(index, query, scored, form, ranked, logit)
    missing = missing[:CLOSEST_SHOWN]  # the typed value must be in a passage shown first
    probs = [model.probability(x) for x in X]
    probability, answered, unsaid = decide(index, query, model, (logit, probs, missing), form, marked[0], spoken)
    for p, prob in zip(ranked, probs):
        p.confidence, p.label = round(prob, 4), model.label(prob)
        if not answered and p.label in ("high", "medium"):
            p.label = "related"  # no passage is an answer when the sources don't answer
    if answered and ranked[0].label in ("related", "low"):
        ranked[0].label = "medium"  # the passage the answer stands on
    # Not answered: the closest few passages are still shown, labelled "related" (or "low"), so a
    # reader can judge for themselves -- the "not in the sources" verdict stays on top. Under an
    # answer, each passage wears its own label: a weak third one says "low", not the answer's badge.
    passages = ranked if answered else ranked[:CLOSEST_SHOWN]
    confidence = ranked[0].label if answered else "low"
    return Answer(query.text, answered, confidence, passages, probability=probability, ranked=ranked, features=X,
                  inputs=(query, logit, missing, unsaid), never_mentioned=() if answered else query.unnamed)


def decide(index: Index, query: Query, model: PassageModel, rated, form: np.ndarray, first_marked: bool,
           spoken: bool) -> tuple[float, bool, bool]:
    """The probability that the sources answer, whether they do, and whether a speech question's
    speaker is never quoted (on its topic); ``rated`` is (answer-level log-odds, the passages'
    probabilities, per passage shown first: it lacks the typed value)."""
    logit, probs, missing = rated
    # "What did Biden say?" where Biden is named but never quoted, "How did China react?" where China is
    # never given words, "What did Sato say about drones?" where Sato is quoted on other things: the
    # sources don't say
    subject = query.shape.subject
    unsaid = query.shape.kind == "speech" and not spoken and (
        bool(form.any()) or names_unquoted_person(index, subject) or names_silent_speaker(index, subject))
    # "How many machine guns ...?" over "5.56 millimeter machine guns": a typed question is answered only
    # where the passage shown first holds a value of the wanted kind beside its focus words (not the third:
    # a year there is about something else); and
    # "who is the president of brazil" not at all where no source names brazil
    if refused_by_rule(query, missing):
        return 0.0, False, unsaid
    probability = model.answer_probability(question_features(query, logit, probs, unsaid))
    # A speech question is answered whenever its speaker is quoted (those passages are what they said),
    # a "who is NAME" one when a passage gives NAME's title, a definition when one expands or defines it.
    by_form = first_marked and (spoken or query.shape.kind in FORM_ANSWERS)
    return probability, probability >= model.answer_threshold or bool(by_form), unsaid


def _opposites_last(index: Index, query: Query, scored: Scored, form: np.ndarray) -> tuple[Scored, np.ndarray]:
    """``opposites_last`` on the shaped candidates, keeping each one's shape mark with it."""
    tagged = Scored(scored.ids, np.arange(len(scored.ids), dtype=np.float32), scored.features)
    moved = opposites_last(index, query.terms, tagged).fused.astype(int)
    return Scored(scored.ids[moved], scored.fused[moved], scored.features[moved]), form[moved]


def rate_features(index: Index, query: Query, scored: Scored, form: np.ndarray, ranked: list[Passage], logit: float):
    """Each passage's ``qa.answer.confidence`` features, whether it lacks the value a typed question
    asks for, and whether it has the form the question's shape asks for."""
    position = {int(r): k for k, r in enumerate(scored.ids)}
    at = [position[p.row] for p in ranked]
    texts = [p.quote for p in ranked]
    # a role question ("who heads X") is answered by a sentence naming a person, as a typed one by its value
    held = names_a_person(index, ranked, query.shape.subject) if query.shape.kind == "role" else typed_support(query, texts)
    # a passage on the opposite of what is asked ("arms importer" for "arms exporter") lacks it as well
    missing = [not ok or speaks_of_opposite(query.terms, text) for ok, text in zip(held, texts)]
    marked = form[at].tolist()
    best = float(scored.fused.max()) if len(scored.fused) else 0.0
    weakest = interaction(index, query, scored.ids[at], worst=True)
    X = passage_features(query, scored.features[at], scored.fused[at], best, texts, marked, missing, logit, weakest)
    return X, missing, marked
