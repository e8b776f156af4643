"""Normalisation: the fast form equals the offset-mapping form, character for character."""

import random
import sys
from pathlib import Path

import pytest

from qa.ingest.textnorm import _CHAR_FOLDS, _INVISIBLE, normalize, normalize_with_map

ROOT = Path(__file__).resolve().parent.parent
ALPHABET = ("aZ9 .,'\"-\t\n\r" + "".join(_CHAR_FOLDS) + "".join(_INVISIBLE)
            + "\u00a0\u2002\u3000\u202f\u1680\x0b\x0c\x1c\x85\u2028" + "ÉİßΣσςǅﬁ日本")


@pytest.mark.parametrize("text", [
    "", "   ", "\u200b", "A\u00a0 B", "\u201cIt\u2019s  here\u00a0\u2014 now\u201d", "ΣΟΦΟΣ and ΟΔΟΣ.",
    "wait\u2026 what", " \ufefflead and trail\u200b ", "İstanbul ǅ ﬁne", "x\u3000\u2028y",
])
def test_known_texts_normalise_the_same_both_ways(text):
    assert normalize(text) == normalize_with_map(text)[0]


def test_random_texts_normalise_the_same_both_ways():
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        assert normalize(text) == normalize_with_map(text)[0], ascii(text)


def test_every_seed_paragraph_normalises_the_same_both_ways():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert normalize(line) == normalize_with_map(line)[0]


def test_every_unicode_space_is_folded_the_same_way():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20
    text = "a" + "b".join(spaces) + "c"
    assert normalize(text) == normalize_with_map(text)[0]
