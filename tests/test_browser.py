"""The page in a real browser (Debian's headless Chromium via Playwright), fake embedder.

One server and one browser per module; every test opens its own page.
Skipped, with the reason shown, where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
from pathlib import Path
from urllib.parse import quote as urlquote

import pytest

from tests.conftest import SEEDS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
QUESTION = "Why did Komatsu stop making armored vehicles?"
ALTERED = "Supply chains can be reconstructed in just one to two years."
EVIL_SCRIPT = "<script>window.__pwned=1</script>"
EVIL_IMG = '<img src=x onerror="window.__pwned=2">'
EVIL_TEXT = (f"Zebra Parade Report\n\n{EVIL_SCRIPT}\n\n"
             f"The zebra mascot parade in Osaka drew a large crowd {EVIL_IMG} on a sunny Sunday afternoon.\n\n"
             "Organisers said the parade template ${window.__pwned=3} and {{constructor}} markers were printed on banners.")
TIMEOUT = 30_000
ANNOUNCED_DONE = "Done"  # qa.web.guard.ANNOUNCEMENTS
seen: dict[str, list] = {"failed": [], "external": []}


@pytest.fixture(scope="module")
def server(tmp_path_factory, fake_embedder, fake_cfg):
    from qa.web import app as webapp
    from qa.pipeline import build_index_folder, open_assistant

    docs = tmp_path_factory.mktemp("docs")
    for f in SEEDS.iterdir():
        shutil.copy(f, docs / f.name)
    (docs / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    demo = webapp.build_app(open_assistant(index, fake_cfg, embedder=fake_embedder))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, url, _ = webapp.launch(demo, port=port, block=False, quiet=True)
    yield url.rstrip("/")
    demo.close()


@pytest.fixture(scope="module")
def browser(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="chromium-"), executable_path=str(CHROMIUM),
                                                        args=ARGS, headless=True, accept_downloads=True,
                                                        viewport={"width": 1200, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
        context.on("response", lambda r: seen["failed"].append((r.status, r.url)) if r.status >= 400 else None)
        context.on("request", lambda r: None if r.url.startswith((server, "blob:", "data:")) else seen["external"].append(r.url))
        yield context
        context.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    page.close()


def open_page(page, server, query: str = ""):
    """The page at ``query``, once its tabs are up (a link may open any tab, so wait for no tab's content)."""
    page.goto(server + "/" + query)
    page.get_by_role("tab", name="Sources").wait_for()
    return page


def ask(page, question: str):
    page.locator("#qa-question textarea, #qa-question input").first.fill(question)  # waits until it is visible
    page.locator("#qa-ask").click()
    page.locator("#qa-answer .qa-card").first.wait_for()


def test_asking_shows_a_quote_card_with_its_citation(page, server):
    ask(open_page(page, server), QUESTION)
    card = page.locator("#qa-answer .qa-card").first
    assert "Komatsu Ltd." in card.locator(".qa-quote").inner_text()
    assert card.locator("a.qa-cite").inner_text() == "000_57a4e97e2b8caa9f.txt ¶26"
    assert card.locator(".qa-source .qa-about").inner_text() == "The Associated Press · 2021"  # who published it, when
    assert card.locator(".qa-badge").inner_text().endswith("confidence")
    assert "?q=" in page.url  # the address now shares this answer


def test_a_question_about_something_no_source_names_is_refused_and_says_which_word(page, server):
    ask(open_page(page, server), "Who is the president of Brazil?")
    banner = page.locator("#qa-answer .qa-banner").first.inner_text()
    assert "Not in the sources." in banner and "No source mentions “brazil”." in banner
    assert page.locator("#qa-answer .qa-card .qa-badge").first.inner_text() in ("Related, not an answer", "Low confidence")


def test_each_card_wears_its_own_passage_label_not_the_answer_s(page, server):
    """The best passage and a weak extra one show different badges, each its passage's label in the JSON."""
    import json

    ask(open_page(page, server), "What did Jon Grevatt say?")
    data = json.loads(page.locator("#qa-answer .qa-answer").get_attribute("data-json"))
    words = {"high": "High confidence", "medium": "Medium confidence", "related": "Related, not an answer",
             "low": "Low confidence"}
    badges = page.locator("#qa-answer .qa-card .qa-badge").all_inner_texts()
    assert badges == [words[p["label"]] for p in data["passages"]]
    assert badges[0] in ("High confidence", "Medium confidence") and badges[-1] != badges[0]


def test_the_paragraph_and_the_cited_source_show_the_highlighted_span(page, server):
    ask(open_page(page, server), QUESTION)
    card = page.locator("#qa-answer .qa-card").first
    quote = card.locator(".qa-quote").inner_text()
    card.locator("summary").click()
    assert card.locator(".qa-para-text mark").inner_text() == quote
    card.locator("a.qa-cite").click()
    target = page.locator("#qa-doc .qa-target")
    target.wait_for()
    assert target.get_attribute("data-para") == "26" and target.locator("mark").inner_text() == quote
    assert page.get_by_role("tab", name="Sources").get_attribute("aria-selected") == "true"
    assert target.is_visible() and "doc=000_57a4e97e2b8caa9f.txt" in page.url


def test_verifying_an_altered_quote_shows_the_verdict_and_the_diff(page, server):
    open_page(page, server).get_by_role("tab", name="Verify a quote").click()
    page.locator("#qa-quote textarea").fill(ALTERED)
    page.locator("#qa-speaker textarea, #qa-speaker input").first.fill("Yu Yamada")
    page.locator("#qa-verify").click()
    badge = page.locator("#qa-verdict .qa-badge.qa-big")
    badge.wait_for()
    assert badge.inner_text() == "Altered"
    assert page.locator("#qa-verdict .qa-diff .qa-d-changed").all_inner_texts() == ["can", "cannot"]
    assert "Negation changed" in page.locator("#qa-verdict .qa-changes").inner_text()
    assert "Speaker confirmed" in page.locator("#qa-verdict .qa-speaker").inner_text()
    page.locator("#qa-verdict a.qa-cite").first.click()  # a citation in a verdict opens the source too
    target = page.locator("#qa-doc .qa-target")
    target.wait_for()
    assert target.get_attribute("data-para") == "29" and "Supply chains cannot" in target.locator("mark").inner_text()


def test_links_open_the_answer_the_verdict_and_the_document(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    open_page(page, server, "?q=" + urlquote(QUESTION))
    expect(page.locator("#qa-answer .qa-card a.qa-cite").first).to_have_text("000_57a4e97e2b8caa9f.txt ¶26")
    expect(page.locator("#qa-question textarea, #qa-question input").first).to_have_value(QUESTION)
    open_page(page, server, "?quote=" + urlquote(ALTERED))
    expect(page.locator("#qa-verdict .qa-badge.qa-big")).to_have_text("Altered")
    expect(page.get_by_role("tab", name="Verify a quote")).to_have_attribute("aria-selected", "true")
    open_page(page, server, "?doc=000_57a4e97e2b8caa9f.txt&p=29")
    expect(page.locator("#qa-doc .qa-target")).to_have_attribute("data-para", "29")
    expect(page.get_by_role("tab", name="Sources")).to_have_attribute("aria-selected", "true")


def test_a_hostile_document_is_shown_as_text_and_runs_nothing(page, server):
    open_page(page, server, "?doc=evil.txt")
    doc = page.locator("#qa-doc .qa-doc", has_text="Zebra Parade Report")
    doc.wait_for()
    text = doc.inner_text()
    assert EVIL_SCRIPT in text and EVIL_IMG in text and "${window.__pwned=3}" in text and "{{constructor}}" in text
    page.get_by_role("tab", name="Ask").click()
    ask(page, "What drew a crowd at the zebra mascot parade? " + EVIL_IMG)
    assert EVIL_IMG in page.locator("#qa-answer").inner_text()
    page.wait_for_timeout(300)  # give an injected handler its chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#qa-answer img, #qa-doc img, #qa-answer script, #qa-doc script").count() == 0


def test_copy_as_markdown_and_download_json(page, server):
    ask(open_page(page, server), QUESTION)
    page.locator("#qa-answer button[data-action=copy]").click()
    page.wait_for_function("document.querySelector('#qa-answer button[data-action=copy]').textContent.includes('Copied')")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith(f"**{QUESTION}**") and "> Komatsu Ltd." in markdown
    assert "`000_57a4e97e2b8caa9f.txt ¶26`" in markdown
    with page.expect_download() as download:
        page.locator("#qa-answer button[data-action=download]").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["question"] == QUESTION and data["passages"][0]["paragraph"] == 26 and "answered" in data


def test_each_question_example_fills_the_box_and_answers_it(page, server):
    from qa.web.handlers import QUESTION_EXAMPLES

    expect = pytest.importorskip("playwright.sync_api").expect
    open_page(page, server)
    items = page.locator("#qa-ask-examples .gallery-item")
    expect(items).to_have_count(len(QUESTION_EXAMPLES))
    for i, (question, _) in enumerate(QUESTION_EXAMPLES):
        items.nth(i).click()
        expect(page.locator("#qa-question textarea, #qa-question input").first).to_have_value(question)
        expect(page.locator("#qa-answer .qa-asked")).to_have_text(f"Question: {question}")
        expect(page.locator("#qa-answer .qa-card").first).to_be_visible()


def test_each_quote_example_fills_the_boxes_and_verifies_it(page, server):
    from qa.web.handlers import QUOTE_EXAMPLES

    expect = pytest.importorskip("playwright.sync_api").expect
    open_page(page, server).get_by_role("tab", name="Verify a quote").click()
    items = page.locator("#qa-verify-examples .gallery-item, #qa-verify-examples tbody tr")
    expect(items).to_have_count(len(QUOTE_EXAMPLES))
    expected = {"The problem is": "Verbatim", "Supply chains": "Altered", "Japan is the world": "Altered",
                "People may think": "Verbatim, with words left out"}
    for i, (quote, speaker, _) in enumerate(QUOTE_EXAMPLES):
        items.nth(i).click()
        expect(page.locator("#qa-quote textarea")).to_have_value(quote)
        expect(page.locator("#qa-speaker textarea, #qa-speaker input").first).to_have_value(speaker)
        verdict = next(v for start, v in expected.items() if quote.startswith(start))
        expect(page.locator("#qa-verdict .qa-badge.qa-big")).to_have_text(verdict)


def test_pressing_enter_in_the_question_box_asks(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    box = open_page(page, server).locator("#qa-question textarea, #qa-question input").first
    box.fill(QUESTION)
    box.press("Enter")
    expect(page.locator("#qa-answer .qa-card a.qa-cite").first).to_have_text("000_57a4e97e2b8caa9f.txt ¶26")


def test_picking_a_document_in_the_sources_tab_shows_it(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    open_page(page, server).get_by_role("tab", name="Sources").click()
    pick = page.locator("#qa-doc-pick input").first
    pick.click()
    page.get_by_role("option", name="(evil.txt)").click()
    expect(page.locator("#qa-doc .qa-doc").first).to_contain_text("Zebra Parade Report")
    pick.click()
    page.get_by_role("option", name="(003_58a6c8d8ec398895.txt)").click()
    expect(page.locator("#qa-doc .qa-doc").first).not_to_contain_text("Zebra Parade Report")


def test_a_verification_can_be_copied_downloaded_and_linked(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    open_page(page, server).get_by_role("tab", name="Verify a quote").click()
    page.locator("#qa-quote textarea").fill(ALTERED)
    page.locator("#qa-verify").click()
    expect(page.locator("#qa-verdict .qa-badge.qa-big")).to_have_text("Altered")
    page.locator("#qa-verdict button[data-action=copy]").click()
    expect(page.locator("#qa-verdict button[data-action=copy]")).to_contain_text("Copied")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith(f"**“{ALTERED}”**") and "Altered:" in markdown and "`000_57a4e97e2b8caa9f.txt ¶29`" in markdown
    with page.expect_download() as download:
        page.locator("#qa-verdict button[data-action=download]").click()
    assert download.value.suggested_filename == "verification.json"
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["verdict"] == "altered"
    page.locator("#qa-verdict a.qa-share").click()
    expect(page.locator("#qa-verdict .qa-badge.qa-big")).to_have_text("Altered")
    assert "?quote=" in page.url and page.get_by_role("tab", name="Verify a quote").get_attribute("aria-selected") == "true"


CONTRAST_JS = """(roots) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = (rgb) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                         return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                             if (c.length < 4 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const low = [];
  for (const root of document.querySelectorAll(roots)) for (const el of root.querySelectorAll(".prose *")) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) || !el.getClientRects().length) continue;
    const bg = backdrop(el), fg = parse(getComputedStyle(el).color), a = (fg[3] ?? 1) * opacity(el);
    const seen = fg.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(seen), lum(bg)].sort((x, y) => y - x), ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) low.push(`${el.className || el.tagName}: ${el.textContent.trim().slice(0, 30)} (${ratio.toFixed(2)})`);
  }
  return low;
}"""


SETTLED_JS = """(roots) => [...document.querySelectorAll(roots)].every((root) =>
  [...root.querySelectorAll(".prose *")].every((el) => {
    for (let e = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) return false;
    return true;
  }))"""  # Gradio dims an output while its event runs (and fades it back): measure once all is at full strength


def low_contrast(page, roots: str) -> list[str]:
    """The texts under ``roots`` below 4.5:1, once the page has settled: a style still being applied just
    after a page opens (seen once on a clean clone: every paragraph link at 4.22, and 4.5 or more a moment
    later) is given up to 3 s to end; what stays low after that is reported."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_function(SETTLED_JS, arg=roots)
    try:
        page.wait_for_function(f"(roots) => ({CONTRAST_JS})(roots).length === 0", arg=roots, timeout=3000)
    except PlaywrightTimeout:
        pass  # measured and reported below
    return page.evaluate(CONTRAST_JS, roots)


def test_the_page_s_own_text_meets_wcag_aa_contrast(page, server):
    """Every text the page renders itself (answers, closest passages, verdicts, sources, debris) at 4.5:1 or more."""
    ask(open_page(page, server), "What is the capital of France?")  # not answered: the closest passages, greyed
    low = low_contrast(page, "#qa-answer")
    page.get_by_role("tab", name="Verify a quote").click()
    page.locator("#qa-quote textarea").fill(ALTERED)
    page.locator("#qa-verify").click()
    page.locator("#qa-verdict .qa-badge.qa-big").wait_for()
    low += low_contrast(page, "#qa-verdict")
    open_page(page, server, "?doc=000_57a4e97e2b8caa9f.txt&p=3")
    page.locator("#qa-doc .qa-target").wait_for()
    low += low_contrast(page, "#qa-doc, #qa-facts")
    assert low == [], "\n".join(low)


def test_on_a_phone_the_examples_take_one_row_nothing_is_cut_off_and_the_answer_comes_into_view(page, server):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server)
    for tab, examples in (("Ask", "#qa-ask-examples"), ("Verify a quote", "#qa-verify-examples")):
        page.get_by_role("tab", name=tab).click()
        box = page.locator(examples).bounding_box()
        assert box["height"] < 130 and box["x"] + box["width"] <= 390, (tab, box)  # one row, inside the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("tab", name="Ask").click()
    assert page.locator("#qa-ask").bounding_box()["y"] + 40 <= 844  # the Ask button is on the first screen
    ask(page, QUESTION)
    card = page.locator("#qa-answer .qa-card").first
    expect(card).to_be_in_viewport()
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "qa-phone-answer.png"))


ANNOUNCED_JS = """() => { window.__said = [];
  new MutationObserver(() => document.querySelectorAll('[role=status][aria-live]').forEach(el => {
      const t = el.textContent.trim(); if (t && window.__said.at(-1) !== t) window.__said.push(t); }))
    .observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def test_a_screen_reader_hears_words_not_translation_keys_when_a_request_ends(page, server):
    """Gradio's status region announces each finished request through its translations; 'common.complete'
    has none in Gradio's English, so the page supplies one (qa/web/guard.py) and no raw key is read out."""
    open_page(page, server).evaluate(ANNOUNCED_JS)
    ask(page, QUESTION)
    page.wait_for_function("window.__said.length > 0 && window.__said.at(-1) !== 'Loading'", timeout=10_000)
    said = page.evaluate("window.__said")
    assert said[-1] == ANNOUNCED_DONE and not [t for t in said if re.fullmatch(r"[a-z_]+\.[a-z_.]+", t)], said


def test_the_page_used_no_refused_route_and_nothing_outside_this_server(page, server):
    """Runs last: everything the pages above loaded came from this server and was served."""
    assert seen["external"] == []
    assert seen["failed"] == []
