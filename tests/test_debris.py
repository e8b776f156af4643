"""Debris rules are general: they work on page furniture the seeds don't contain."""

from __future__ import annotations

import pytest

from qa.ingest.debris import classify_blocks, is_furniture_line


@pytest.mark.parametrize("line", [
    "Share this article", "Print", "Skip to main content", "1,234 views", "12 likes3 shares",
    "SPONSORED CONTENT", "Photo: Reuters", "Image credit: NASA", "© 2024 Example Media",
    "Copyright 2023 Reuters. All rights reserved.", "back to top", "Read more",
])
def test_page_furniture_is_recognised(line):
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "The ministry said it would buy 12 drones.", "Japan’s defense budget rose 16% in 2023.",
    "“We will share technology,” he said.", "Drones were used in the war in Ukraine.",
])
def test_prose_is_not_furniture(line):
    assert not is_furniture_line(line)


def test_title_then_heading_then_trailing_furniture():
    kinds = classify_blocks([
        "Tokyo Unveils New Budget", "The budget was approved on Friday after long talks.",
        "Spending details", "Most of the money goes to ships and aircraft, officials said.",
        "More from Asia", "Latest stories",
    ])
    assert kinds == ["title", "body", "heading", "body", "debris", "debris"]
