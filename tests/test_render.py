"""The web UI's HTML (qa.web.render): what a reader sees, and that no source text becomes markup."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest

from qa.web import render
from qa.ingest.documents import parse_document

TEXT = ("Tanks of Japan\n\n"
        "Share on Facebook\nTwitter icon\n\n"
        "The Type 90 tank weighs 50 tonnes. It debuted in 1990.\n\n"
        "“Supply chains cannot be rebuilt in a year,” Yu Yamada said.")
DOC = parse_document("a.txt", TEXT)
DOCS = {"a.txt": DOC}
EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
SAFE_TAGS = {"div", "p", "span", "a", "article", "section", "blockquote", "details", "summary", "mark", "strong",
             "button", "h2", "h3", "h4", "ul", "li", "code", "header"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(markup: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def assert_inert(markup: str) -> None:
    """Only the renderer's own tags, and no event-handler attributes anywhere."""
    for tag, attrs in tags(markup):
        assert tag in SAFE_TAGS, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)


def passage(quote: str, speaker=None, file="a.txt") -> dict:
    start = DOC.text.index(quote)
    para = next(p.number for p in DOC.paragraphs if p.start <= start < p.end)
    out = {"file": file, "paragraph": para, "start": start, "end": start + len(quote), "quote": quote, "score": 0.9}
    if speaker:
        out["speaker"] = speaker
    return out


def answer(answered=True, confidence="high", passages=None, conflicts=None, question="How heavy is the tank?") -> dict:
    out = {"question": question, "answered": answered, "confidence": confidence,
           "passages": passages if passages is not None else [passage("The Type 90 tank weighs 50 tonnes.")]}
    if conflicts:
        out["conflicts"] = conflicts
    return out


def test_quote_card_shows_quote_citation_title_confidence_and_the_highlighted_paragraph():
    out = render.render_answer(answer(), DOCS)
    assert '<blockquote class="qa-quote">The Type 90 tank weighs 50 tonnes.</blockquote>' in out
    assert "a.txt ¶3</a>" in out and "Tanks of Japan" in out
    assert "High confidence" in out and "Answer from the sources" in out
    marked = re.search(r'<p class="qa-para-text">(.*?)</p>', out).group(1)
    assert marked == "<mark>The Type 90 tank weighs 50 tonnes.</mark> It debuted in 1990."


def test_citation_link_carries_the_span_and_a_shareable_address():
    out = render.render_answer(answer(), DOCS)
    link = next(attrs for tag, attrs in tags(out) if tag == "a" and "qa-cite" in attrs.get("class", ""))
    p = answer()["passages"][0]
    span = (link["data-file"], link["data-para"], link["data-start"], link["data-end"])
    assert span == ("a.txt", "3", str(p["start"]), str(p["end"]))
    assert link["href"] == "?doc=a.txt&p=3"


def test_speaker_is_shown_only_when_known():
    quote = "“Supply chains cannot be rebuilt in a year,” Yu Yamada said."
    with_speaker = render.render_answer(answer(passages=[passage(quote, "Yu Yamada")]), DOCS)
    without = render.render_answer(answer(passages=[passage(quote)]), DOCS)
    assert '<div class="qa-who">— Yu Yamada</div>' in with_speaker and "qa-who" not in without


def test_not_in_the_sources_is_plain_with_the_closest_passage_as_low_confidence():
    out = render.render_answer(answer(answered=False, confidence="low"), DOCS)
    assert "Not in the sources." in text_of(out) and "closest passages" in text_of(out)
    assert "Low confidence" in out and "Closest passage" in out and "Answer from the sources" not in out
    empty = render.render_answer(answer(answered=False, confidence="low", passages=[]), DOCS)
    assert "Not in the sources." in text_of(empty) and "closest" not in text_of(empty) and "qa-card" not in empty
    assert "None of the documents answers this question." in text_of(out)


def test_a_refusal_says_which_of_the_questions_words_no_source_mentions():
    refused = {**answer(answered=False, confidence="low"), "never_mentioned": ["brazil", "<b>x</b>"]}
    out = render.render_answer(refused, DOCS)
    assert "No source mentions “brazil” or “<b>x</b>”." in text_of(out) and "<b>x</b>" not in out  # escaped
    assert "None of the documents" not in text_of(out)
    assert "Not in the sources. No source mentions “brazil” or “<b>x</b>”." in render.answer_markdown(refused, DOCS)


AP = parse_document("ap.txt", "Tanks of Japan\n\nUpdated 3:04 AM EDT, July 29, 2024\n\n"
                           "TOKYO (AP) — The delegations were led by Masaki Fukasawa, commissioner of the agency, in 2019.")
NIKKEI = parse_document("nk.txt", "Talks in Tokyo\n\nBy Ken Mori, The Japan Times\n\n"
                                  "The talks were co-chaired by Masatoshi Fukasawa, head of the agency.\n\nIt rained.")
PAIR_DOCS = {**DOCS, "ap.txt": AP, "nk.txt": NIKKEI}


def cut(doc, quote: str) -> dict:
    """The passage of ``doc`` quoting ``quote``, as the JSON gives one."""
    start = doc.text.index(quote)
    para = next(p.number for p in doc.paragraphs if p.start <= start < p.end)
    return {"file": doc.name, "paragraph": para, "start": start, "end": start + len(quote), "quote": quote}


def fukasawa_conflicts() -> tuple[dict, dict, list[dict]]:
    """Two disagreements (a name and a title) between the same two passages, the second seen from the other side."""
    here = cut(AP, "The delegations were led by Masaki Fukasawa, commissioner of the agency, in 2019.")
    there = cut(NIKKEI, "The talks were co-chaired by Masatoshi Fukasawa, head of the agency.")
    return here, there, [
        {"kind": "name", "summary": "different first names for Fukasawa: “Masaki Fukasawa” (ap.txt ¶3) vs "
                                    "“Masatoshi Fukasawa” (nk.txt ¶3)", "passages": [here, there]},
        {"kind": "title", "summary": "different titles for Fukasawa: “head of the agency” (nk.txt ¶3) vs "
                                     "“commissioner of the agency” (ap.txt ¶3)", "passages": [there, here]}]


def test_a_pair_of_disagreeing_passages_is_shown_once_under_its_card_with_every_disagreement():
    here, there, conflicts = fukasawa_conflicts()
    other = passage("The Type 90 tank weighs 50 tonnes.")
    out = render.render_answer(answer(passages=[{**here, "score": 0.9}, other], conflicts=conflicts), PAIR_DOCS)
    assert out.count('class="qa-conflict"') == 1 and "qa-conflicts" not in out  # once, not once per disagreement
    first_card, second_card = [m.start() for m in re.finditer('<article class="qa-card', out)]
    block = out.index('class="qa-conflict"')
    assert first_card < block < second_card  # right under the card of the passage it concerns
    section = out[block:second_card]
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", section)]
    assert items == ["Name: " + conflicts[0]["summary"], "Title: " + conflicts[1]["summary"]]
    sides = re.findall(r'<p class="qa-diff qa-pair-quote">(.*?)</p>', section)
    assert [text_of(side) for side in sides] == [here["quote"], there["quote"]]  # verbatim, the card's passage first
    marked = [re.findall(r'<span class="qa-d-changed"[^>]*>(.*?)</span>', side) for side in sides]
    assert "Masaki" in marked[0] and "Masatoshi" in marked[1] and "commissioner" in marked[0] and "head" in marked[1]
    assert "Fukasawa" not in " ".join(marked[0] + marked[1])  # the words both say are not marked
    assert "ap.txt ¶3</a>" in section and "nk.txt ¶3</a>" in section and "The Japan Times" in section


def test_a_pair_goes_under_the_card_it_concerns_that_passage_first_and_one_concerning_no_card_at_the_end():
    here, there, conflicts = fukasawa_conflicts()
    first = passage("The Type 90 tank weighs 50 tonnes.")
    out = render.render_answer(answer(passages=[first, {**there, "score": 0.5}], conflicts=conflicts[:1]), PAIR_DOCS)
    cards = [m.start() for m in re.finditer('<article class="qa-card', out)]
    assert out.index('class="qa-conflict"') > cards[1]
    sides = re.findall(r'<p class="qa-diff qa-pair-quote">(.*?)</p>', out)
    assert [text_of(side) for side in sides] == [there["quote"], here["quote"]]  # the second card's passage first
    elsewhere = render.render_answer(answer(passages=[first], conflicts=conflicts), PAIR_DOCS)
    assert elsewhere.count('class="qa-conflict"') == 1 and elsewhere.index('class="qa-conflicts"') > elsewhere.index("</article>")


def test_a_card_names_the_source_s_title_publisher_and_date():
    p = {**cut(AP, "The delegations were led by Masaki Fukasawa, commissioner of the agency, in 2019."), "score": 0.9}
    out = render.render_answer(answer(passages=[p]), PAIR_DOCS)
    about = re.search(r'<span class="qa-about">(.*?)</span></div>', out).group(1)
    assert text_of(about) == "Tanks of Japan · The Associated Press · 2024-07-29"
    assert '<span class="qa-publisher">The Associated Press</span>' in about and '<span class="qa-date">2024-07-29</span>' in about
    md = tags(out)[0][1]["data-markdown"]
    assert "`ap.txt ¶3` — “Tanks of Japan”, The Associated Press, 2024-07-29" in md
    unknown = parse_document("u.txt", "The minister spoke at length on Monday about the drones he wants to buy.")
    bare = render.render_answer(answer(passages=[{**cut(unknown, "The minister spoke"), "score": 0.5}]), {"u.txt": unknown})
    assert "qa-about" not in bare  # nothing known, nothing shown: no title made of the opening words


def test_the_sources_tab_heads_each_document_with_its_title_publisher_and_date():
    out = render.render_document(AP)
    header = re.search(r"<header>(.*?)</header>", out).group(1)
    assert header == ('<h2>Tanks of Japan</h2><code>ap.txt</code><p class="qa-doc-source"><span class="qa-about">'
                      '<span class="qa-publisher">The Associated Press</span> · <span class="qa-date">2024-07-29</span>'
                      '</span></p>')
    untitled = parse_document("u.txt", "ENIWA, Japan (AP) — The tanks rolled through the drills on Monday.")
    assert re.search(r"<header>(.*?)</header>", render.render_document(untitled)).group(1) == (
        '<h2>u.txt</h2><p class="qa-doc-source"><span class="qa-about"><span class="qa-publisher">'
        'The Associated Press</span></span></p>')  # no dateline for a title: the file name
    assert render.document_label(AP) == "“Tanks of Japan”, The Associated Press, 2024-07-29 (ap.txt)"
    assert render.document_label(untitled) == "The Associated Press (u.txt)"


def test_the_document_picker_names_each_seed_by_its_source(fake_seed_assistant):
    from qa.web.handlers import Handlers

    _, choices, _ = Handlers(fake_seed_assistant).sources()
    assert dict((v, k) for k, v in choices) == {
        "000_57a4e97e2b8caa9f.txt": "The Associated Press, 2021 (000_57a4e97e2b8caa9f.txt)",
        "001_e8bb165eaeb47ca6.txt": "“The United States and Japan launched a \"regular defense industry consultation\" "
                                    "mechanism” (001_e8bb165eaeb47ca6.txt)",
        "002_ba0d5cdbb7c8509b.txt": "“Japan, U.S. form working group for joint missile production” (002_ba0d5cdbb7c8509b.txt)",
        "003_58a6c8d8ec398895.txt": "“Japan Explores Possibility of Acquiring Turkish Drones” (003_58a6c8d8ec398895.txt)"}


def test_a_verified_match_names_its_source_and_has_its_disagreements_under_it():
    here, there, conflicts = fukasawa_conflicts()
    m = {**here, "source_text": here["quote"], "similarity": 1.0, "diff": [], "meaning_changes": [],
         "source": AP.source.as_json()}
    v = {"quote": here["quote"], "verdict": "verbatim", "speaker_check": None, "matches": [m], "conflicts": conflicts}
    out = render.render_verification(v, PAIR_DOCS)
    match = out[out.index('class="qa-match"'):]
    assert "Found at" in match and "Tanks of Japan · The Associated Press · 2024-07-29" in text_of(match)
    assert out.count('class="qa-conflict"') == 1 and out.index('class="qa-conflict"') > out.index('class="qa-match"')
    assert "qa-conflicts" not in out
    assert "`ap.txt ¶3` — “Tanks of Japan”, The Associated Press, 2024-07-29" in tags(out)[0][1]["data-markdown"]


def test_buttons_carry_the_markdown_and_the_cli_json():
    ans = answer(passages=[passage("“Supply chains cannot be rebuilt in a year,” Yu Yamada said.", "Yu Yamada")])
    root = tags(render.render_answer(ans, DOCS))[0][1]
    assert json.loads(root["data-json"]) == ans
    md = root["data-markdown"]
    assert md.startswith("**How heavy is the tank?**")
    assert "> “Supply chains cannot be rebuilt in a year,” Yu Yamada said.\n> — Yu Yamada" in md
    assert "`a.txt ¶4` — “Tanks of Japan”" in md
    assert root["data-share"] == "?q=How+heavy+is+the+tank%3F"


def test_every_field_of_an_answer_is_escaped():
    evil_doc = parse_document(EVIL + ".txt", EVIL + "\n\n" + EVIL + " is here.")
    p = {"file": evil_doc.name, "paragraph": 2, "start": evil_doc.paragraphs[1].start,
         "end": evil_doc.paragraphs[1].end, "quote": evil_doc.paragraphs[1].text, "score": 1.0, "speaker": EVIL}
    conflict = {"kind": "x", "summary": EVIL, "passages": [p]}
    out = render.render_answer(answer(passages=[p], conflicts=[conflict], question=EVIL), {evil_doc.name: evil_doc})
    assert_inert(out)
    assert EVIL in text_of(out)


def test_verification_of_an_altered_quote_shows_badge_diff_and_meaning_change():
    v = {"quote": "Supply chains can be rebuilt in a year", "verdict": "altered", "speaker_check": "contradicted",
         "matches": [{"file": "a.txt", "paragraph": 4, "start": 1, "end": 40, "similarity": 0.93, "speaker": "Yu Yamada",
                      "source_text": "Supply chains cannot be rebuilt in a year",
                      "diff": [{"op": "equal", "quote": "Supply chains", "source": "Supply chains"},
                               {"op": "replace", "quote": "can", "source": "cannot"},
                               {"op": "equal", "quote": "be rebuilt in a year", "source": "be rebuilt in a year"}],
                      "meaning_changes": [{"kind": "negation", "quote": "can", "source": "cannot"}]}]}
    out = render.render_verification(v, DOCS, "Heigo Sato")
    assert '<span class="qa-badge qa-big qa-warn">Altered</span>' in out
    sides = re.findall(r'<p class="qa-diff">(.*?)</p>', out)
    assert sides == ['Supply chains <span class="qa-d-changed" title="changed">can</span> be rebuilt in a year',
                     'Supply chains <span class="qa-d-changed" title="changed">cannot</span> be rebuilt in a year']
    assert "Negation changed:</strong> the quote says “can” where the source says “cannot”." in out
    assert "Speaker contradicted" in text_of(out)
    assert "You said Heigo Sato; the source attributes it to Yu Yamada." in text_of(out)
    assert "a.txt ¶4</a>" in out and "93% similar" in out


@pytest.mark.parametrize("verdict, badge, tone", [("verbatim", "Verbatim", "ok"),
                                                  ("verbatim_with_elision", "Verbatim, with words left out", "ok"),
                                                  ("not_found", "Not found", "bad")])
def test_each_verdict_has_its_own_badge(verdict, badge, tone):
    v = {"quote": "q", "verdict": verdict, "matches": [], "speaker_check": None}
    out = render.render_verification(v, DOCS)
    assert f'<span class="qa-badge qa-big qa-{tone}">{badge}</span>' in out and "qa-speaker" not in out


def test_elided_and_missing_words_are_marked_on_their_own_side():
    diff = [{"op": "equal", "quote": "It is", "source": "It is"}, {"op": "delete", "quote": "…", "source": "not bad. Nobody"},
            {"op": "insert", "quote": "really", "source": ""}, {"op": "equal", "quote": "sad.", "source": "sad."}]
    assert render.diff_side(diff, "source") == ('It is <span class="qa-d-missing" title="left out of the quote">'
                                                'not bad. Nobody</span> sad.')
    assert render.diff_side(diff, "quote") == ('It is <span class="qa-d-missing" title="left out of the quote">…</span> '
                                               '<span class="qa-d-added" title="only in the quote">really</span> sad.')
    comma = [{"op": "equal", "quote": "Hi", "source": "Hi"}, {"op": "equal", "quote": ",", "source": ","}]
    assert render.diff_side(comma, "quote") == "Hi,"


def test_speaker_check_says_who_the_source_names():
    v = {"quote": "q", "verdict": "verbatim", "speaker_check": "confirmed",
         "matches": [{"file": "a.txt", "paragraph": 4, "start": 1, "end": 5, "similarity": 1.0, "speaker": "Yu Yamada",
                      "source_text": "x", "diff": [], "meaning_changes": []}]}
    assert "Speaker confirmed The source attributes it to Yu Yamada." in text_of(render.render_verification(v, DOCS, "Yamada"))
    v["speaker_check"], v["matches"][0]["speaker"] = "unknown", None
    assert "You said Yamada; the source doesn't say who said it." in text_of(render.render_verification(v, DOCS, "Yamada"))


def test_verification_escapes_quote_speaker_and_source():
    v = {"quote": EVIL, "verdict": "not_found", "speaker_check": "unknown",
         "matches": [{"file": "a.txt", "paragraph": 1, "start": 0, "end": 5, "similarity": 0.4, "speaker": EVIL,
                      "source_text": EVIL, "diff": [], "meaning_changes": [{"kind": EVIL, "quote": EVIL, "source": EVIL}]}]}
    out = render.render_verification(v, DOCS, EVIL)
    assert_inert(out)
    assert "closest passage is shown" in out


def test_document_has_numbered_paragraphs_dimmed_debris_and_the_cited_span_marked():
    start = TEXT.index("The Type 90")
    out = render.render_document(DOC, 3, (start, start + len("The Type 90 tank weighs 50 tonnes.")))
    rows = re.findall(r'<div class="qa-p qa-kind-(\w+)( qa-target)?" data-para="(\d+)"', out)
    assert rows == [("title", "", "1"), ("debris", "", "2"), ("body", " qa-target", "3"), ("body", "", "4")]
    assert out.count("<mark>") == 1 and "<mark>The Type 90 tank weighs 50 tonnes.</mark>" in out
    assert ">3</a>" in out and 'href="?doc=a.txt&amp;p=3"' in out


def test_a_span_across_two_paragraphs_is_marked_in_both():
    a, b = TEXT.index("It debuted"), TEXT.index("Supply") + 6
    out = render.render_document(DOC, 3, (a, b))
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["It debuted in 1990.", "“Supply"]


def test_a_hostile_document_renders_as_text():
    doc = parse_document("evil.txt", f"Title\n\n{EVIL}\n\nBody with {{{{constructor}}}} and ${{alert(1)}}.")
    out = render.render_document(doc, 2)
    assert_inert(out)
    assert EVIL in text_of(out)


def test_index_facts_say_it_in_words_and_keep_the_details_behind_a_toggle():
    manifest = {"built_at": "2026-11-20T23:22:27Z", "model": "all-MiniLM-L6-v2",
                "counts": {"documents": 4, "paragraphs": 97, "chunks": 78, "sentences": 123}}
    html = render.render_facts(manifest, [DOC])
    line, details = html.split("<details", 1)
    assert text_of(line) == "4 articles, 123 sentences indexed, updated 2026-11-20 23:22:27 UTC."
    for fact in ("paragraphs 97", "chunks 78", "model all-MiniLM-L6-v2", "built 2026-11-20 23:22:27 UTC"):
        assert fact in text_of(details)
    assert "chunks" not in text_of(line) and "<summary>Index details</summary>" in details


def test_highlight_clamps_out_of_range_offsets():
    assert render.highlight("abc", -5, 2) == "<mark>ab</mark>c"
    assert render.highlight("abc", 2, 99) == "ab<mark>c</mark>"
    assert render.highlight("a<b", 3, 1) == "a&lt;b"


def test_a_quote_not_found_shows_the_closest_passage_as_such_and_does_not_judge_the_speaker():
    v = {"quote": "Tanks can fly", "verdict": "not_found", "speaker_check": "unknown",
         "matches": [{"file": "a.txt", "paragraph": 1, "start": 0, "end": 10, "source_text": "Tanks roll",
                      "similarity": 0.4, "diff": [], "meaning_changes": []}]}
    out = render.render_verification(v, {}, "Heigo Sato")
    assert "Closest passage:" in out and "Found at" not in out
    assert "Speaker not checked" in out and "the quote was not found" in out
    assert "doesn't say who said it" not in out


def test_a_dropped_word_reads_the_quote_drops_it():
    v = {"quote": "products are first grade", "verdict": "altered", "speaker_check": None,
         "matches": [{"file": "a.txt", "paragraph": 1, "start": 0, "end": 10, "source_text": "products are not first grade",
                      "similarity": 0.9, "diff": [], "meaning_changes": [{"kind": "negation", "quote": "", "source": "not"}]}]}
    out = render.render_verification(v, {})
    assert "Negation changed:</strong> the quote drops “not”." in out and "the quote says “”" not in out


def test_a_verification_offers_copy_download_and_a_link_to_the_check():
    v = {"quote": "Q “x”", "verdict": "not_found", "matches": []}
    out = render.render_verification(v, {}, "Sato")
    assert 'data-action="copy"' in out and 'data-action="download"' in out
    assert 'href="?quote=Q+%E2%80%9Cx%E2%80%9D&amp;speaker=Sato">Link to this check</a>' in out
    assert 'data-filename="verification.json"' in out
