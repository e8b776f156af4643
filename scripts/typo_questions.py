"""Write a copy of an evaluation set with one slip of the keys per question (a developer script).

Run: ``.venv/bin/python scripts/typo_questions.py eval/plain_dev2.jsonl /tmp/plain_dev2_typo.jsonl`` then
``qa eval --questions /tmp/plain_dev2_typo.jsonl``. In each question, one word of six letters or more
(chosen with a fixed seed) has two neighbouring letters swapped or one letter dropped, never its first or
last; everything else of the line (evidence, answerable) is kept. docs/evaluation.md quotes the figures.
"""
import json
import random
import re
import sys


def slip(question: str, rng: random.Random) -> str:
    words = question.split()
    long_words = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z]{6,}", w)]
    if not long_words:
        return question
    i = rng.choice(long_words)
    w, k = words[i], rng.randrange(1, len(words[i]) - 2)
    words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:] if rng.random() < 0.5 else w[:k] + w[k + 1:]
    return " ".join(words)


def main(source: str, target: str) -> None:
    rng = random.Random(0)
    rows = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]
    with open(target, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({**row, "question": slip(row["question"], rng)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
