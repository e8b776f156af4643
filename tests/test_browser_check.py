"""The "Check a draft" tab in a real browser (Debian's headless Chromium via Playwright), fake embedder.

Uses the server and browser of tests/test_browser.py (one of each for this module); skipped the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_browser import (  # noqa: F401  (fixtures used by name)
    CHROMIUM, browser, low_contrast, open_page, page, seen, server,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")]
DRAFT = ("Heigo Sato, an expert on defense issues, does not mince words.\n\n"
         "“The problem is, Japan’s defense products are first grade,” Sato said. “Nobody is interested in buying "
         "second- or third-grade products at higher prices.”\n\n"
         "“China has a major capacity [in shipbuilding],” he said, and Japan would “never sell a submarine abroad.”\n\n"
         "Drones will serve as “faithful wingmen” for the new fighters.")
SUMMARY = "5 quotations: 3 verbatim, 1 altered, 1 not found; 1 speaker contradicted"


def check(page, server, draft: str = DRAFT):
    open_page(page, server).get_by_role("tab", name="Check a draft").click()
    page.locator("#qa-draft-text textarea").fill(draft)
    page.locator("#qa-check-button").click()
    page.locator("#qa-checked .qa-draft").wait_for()
    return page


def test_checking_a_draft_marks_every_quotation_in_place_by_its_verdict(page, server):
    check(page, server)
    assert page.locator("#qa-check-summary").inner_text() == SUMMARY
    marks = page.locator("#qa-checked .qa-draft .qa-q")
    assert [marks.nth(i).get_attribute("data-verdict") for i in range(marks.count())] == [
        "altered", "verbatim", "verbatim", "not_found", "verbatim"]
    assert page.locator("#qa-checked .qa-draft .qa-q-contra").count() == 1
    assert "China has a major capacity" in page.locator("#qa-checked .qa-draft .qa-q-contra").inner_text()
    draft_shown = page.locator("#qa-checked .qa-draft").inner_text()
    assert "does not mince words." in draft_shown and "for the new fighters." in draft_shown  # the draft itself
    assert page.locator("#qa-checked .qa-check-item").count() == 5


def test_hovering_or_clicking_a_mark_shows_its_source_and_the_diff(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    check(page, server)
    altered = page.locator("#qa-checked .qa-draft .qa-q-warn").first
    pop = altered.locator(".qa-pop")
    expect(pop).to_be_hidden()
    altered.hover()
    expect(pop).to_be_visible()
    assert pop.locator(".qa-d-missing").inner_text() == "not"  # the source's word the draft dropped
    assert "000_57a4e97e2b8caa9f.txt ¶7" in pop.locator("a.qa-cite").inner_text()
    page.mouse.move(0, 0)
    contra = page.locator("#qa-checked .qa-draft .qa-q-contra")
    contra.click()  # a click (focus) shows it too, for touch screens
    expect(contra.locator(".qa-pop")).to_be_visible()
    assert "Speaker contradicted" in contra.locator(".qa-pop").inner_text()
    assert "Rahm Emanuel" in contra.locator(".qa-pop").inner_text()
    contra.locator(".qa-pop a.qa-cite").click()  # its citation opens the source
    target = page.locator("#qa-doc .qa-target")
    target.wait_for()
    assert "China has a major capacity" in target.locator("mark").inner_text()


def test_the_checked_draft_copies_as_markdown_and_downloads_as_json(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    check(page, server)
    page.locator("#qa-checked button[data-action=copy]").click()
    expect(page.locator("#qa-checked button[data-action=copy]")).to_contain_text("Copied")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith(f"**{SUMMARY}**") and "`000_57a4e97e2b8caa9f.txt ¶7`" in markdown
    with page.expect_download() as download:
        page.locator("#qa-checked button[data-action=download]").click()
    assert download.value.suggested_filename == "draft-check.json"
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [q["verdict"] for q in data["quotations"]] == ["altered", "verbatim", "verbatim", "not_found", "verbatim"]
    assert data["quotations"][2]["speaker_check"] == "contradicted" and data["quotations"][4]["fragment"] is True


def test_the_example_draft_a_draft_without_quotations_and_contrast(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    from qa.web.check_tab import DRAFT_EXAMPLE

    open_page(page, server).get_by_role("tab", name="Check a draft").click()
    page.locator("#qa-check-examples .gallery-item").first.click()  # fills the box and checks it
    expect(page.locator("#qa-draft-text textarea")).to_have_value(DRAFT_EXAMPLE[0])
    expect(page.locator("#qa-check-summary")).to_have_text(
        "6 quotations: 4 verbatim, 1 altered, 1 not found; 1 speaker contradicted")
    assert low_contrast(page, "#qa-checked") == []
    page.locator("#qa-draft-text textarea").fill("Only the writer's own words here.")
    page.locator("#qa-check-button").click()
    expect(page.locator("#qa-check-summary")).to_have_text("No quotations found in the draft (nothing between quote marks).")


def test_the_longest_draft_the_page_takes_reaches_the_server_and_gets_a_message(page, server):
    """15,000 characters of three-byte marks still fit the 64 KiB request cap: the answer is a message, not a 413."""
    expect = pytest.importorskip("playwright.sync_api").expect
    from qa.web.check_tab import MAX_WEB_DRAFT_CHARS

    draft = ("“é” " * MAX_WEB_DRAFT_CHARS)[:MAX_WEB_DRAFT_CHARS]
    open_page(page, server).get_by_role("tab", name="Check a draft").click()
    page.locator("#qa-draft-text textarea").fill(draft + "more")  # the box keeps the first 15,000
    page.locator("#qa-check-button").click()
    expect(page.locator("#qa-checked .qa-banner")).to_contain_text("quotations; the limit is 500")


def test_on_a_phone_the_marked_draft_and_a_mark_s_source_stay_on_the_screen(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.set_viewport_size({"width": 390, "height": 844})
    check(page, server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    mark = page.locator("#qa-checked .qa-draft .qa-q").last
    mark.click()
    pop = mark.locator(".qa-pop")
    expect(pop).to_be_visible()
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844


def test_the_tab_used_no_refused_route_and_nothing_outside_this_server(page, server):
    """Runs last: the example button and the checks above loaded nothing that was refused (no 404)."""
    assert seen["external"] == [] and seen["failed"] == []
