"""Conflicting sources: both passages shown when two files disagree on a name, title or number."""

from __future__ import annotations

from qa.config import Config
from qa.quotes.conflicts import conflicts_for
from qa.ingest.documents import parse_document
from qa.index.fake import FakeEmbedder
from qa.index.hybrid import build_index
from qa.quotes.verify import verify_quote


def index_of(texts: dict[str, str]):
    return build_index([parse_document(n, t) for n, t in texts.items()], FakeEmbedder(), Config())[0]


def whole(index, name: str) -> list[tuple[str, int, int]]:
    return [(name, 0, len(index.doc_by_name(name).text))]


def assert_verbatim(index, conflicts):
    for c in conflicts:
        assert len(c["passages"]) == 2 and len({p["file"] for p in c["passages"]}) == 2
        for p in c["passages"]:
            assert index.doc_by_name(p["file"]).text[p["start"]:p["end"]] == p["quote"]


def test_same_surname_different_first_name_in_two_files_is_a_name_conflict():
    index = index_of({"a.txt": "The talks were co-chaired by Masatoshi Fukasawa of the agency.",
                      "b.txt": "Tokyo's team was led by Masaki Fukasawa on Tuesday."})
    conflicts = conflicts_for(index, whole(index, "a.txt"))
    assert [c["kind"] for c in conflicts] == ["name"]
    assert "Masatoshi Fukasawa" in conflicts[0]["summary"] and "Masaki Fukasawa" in conflicts[0]["summary"]
    assert [p["file"] for p in conflicts[0]["passages"]] == ["a.txt", "b.txt"]
    assert_verbatim(index, conflicts)


def test_the_same_full_name_or_a_different_surname_is_no_conflict():
    index = index_of({"a.txt": "The talks were co-chaired by Masaki Fukasawa of the agency.",
                      "b.txt": "Tokyo's team was led by Masaki Fukasawa and Gen Nakatani on Tuesday.",
                      "c.txt": "Minoru Kihara met Gen Nakatani."})
    assert conflicts_for(index, whole(index, "a.txt")) == []


def test_a_name_within_one_file_never_conflicts_with_itself():
    index = index_of({"a.txt": "Masatoshi Fukasawa spoke. Later Masaki Fukasawa left."})
    assert conflicts_for(index, whole(index, "a.txt")) == []


def test_different_appositive_titles_for_the_same_person_are_a_title_conflict():
    index = index_of({
        "a.txt": "It was attended by William LaPlante, undersecretary of defense for equipment and assurance, on Monday.",
        "b.txt": "The delegation was led by William LaPlante, undersecretary of defense for acquisition and sustainment.",
    })
    conflicts = conflicts_for(index, whole(index, "b.txt"))
    assert [c["kind"] for c in conflicts] == ["title"] and "William LaPlante" in conflicts[0]["summary"]
    assert_verbatim(index, conflicts)


def test_a_shorter_title_that_the_longer_one_contains_is_no_conflict():
    index = index_of({"a.txt": "Heigo Sato, a professor, spoke.",
                      "b.txt": "Heigo Sato, a professor at Takushoku University, spoke."})
    assert conflicts_for(index, whole(index, "a.txt")) == []


def test_each_disagreeing_number_is_its_own_conflict():
    index = index_of({
        "a.txt": "Japan is the world's 12th largest arms importer, with a 2.2% global share of purchases.",
        "b.txt": "Japan is the world's 10th largest arms importer, with a 3.1% global share of purchases.",
    })
    summaries = [c["summary"] for c in conflicts_for(index, whole(index, "a.txt"))]
    assert len(summaries) == 2 and any("2.2" in s and "3.1" in s for s in summaries)


def test_same_context_different_number_for_the_same_unit_is_a_number_conflict():
    index = index_of({
        "a.txt": "Japan is the world's 12th largest arms importer, with a large global share of purchases.",
        "b.txt": "Japan is the world's 10th largest arms importer, with a large global share of purchases.",
        "c.txt": "The tank weighs 50 tonnes.",
    })
    conflicts = conflicts_for(index, whole(index, "a.txt"))
    assert [c["kind"] for c in conflicts] == ["number"]
    assert "12" in conflicts[0]["summary"] and "10" in conflicts[0]["summary"]
    assert_verbatim(index, conflicts)


def test_numbers_in_unrelated_sentences_or_other_units_are_no_conflict():
    index = index_of({
        "a.txt": "The ministry requested 291 billion yen for drone research in April.",
        "b.txt": "The ministry requested 291 billion yen for drone research, up 38% on the year.",
        "c.txt": "Sumitomo stopped making 5.56 millimeter machine guns in 2019.",
    })
    assert conflicts_for(index, whole(index, "a.txt")) == []
    assert conflicts_for(index, whole(index, "c.txt")) == []


def test_verification_shows_the_conflict_only_when_there_is_one():
    index = index_of({"a.txt": "The talks were co-chaired by Masatoshi Fukasawa of the agency.",
                      "b.txt": "Tokyo's team was led by Masaki Fukasawa on Tuesday."})
    with_conflict = verify_quote(index, "co-chaired by Masatoshi Fukasawa of the agency").as_json()
    assert [c["kind"] for c in with_conflict["conflicts"]] == ["name"]
    assert "conflicts" not in verify_quote(index, "Tokyo's team was led by").as_json()


def test_seed_conflicts_fukasawa_and_laplante_appear_in_verification(fake_seed_assistant):
    index = fake_seed_assistant.index
    v = verify_quote(index, "The delegations were led by William LaPlante, U.S. undersecretary of defense for "
                            "acquisition and sustainment, and Masaki Fukasawa")
    kinds = {(c["kind"], frozenset(p["file"][:3] for p in c["passages"])) for c in v.conflicts}
    assert kinds == {("name", frozenset({"001", "002"})), ("title", frozenset({"001", "002"}))}
    assert_verbatim(index, v.conflicts)
    alone = verify_quote(index, "Masaki Fukasawa, commissioner of Japan's Acquisition, Technology, and Logistics Agency")
    assert [c["kind"] for c in alone.conflicts] == ["name"]  # LaPlante's title is not in this passage


def test_answers_carry_the_conflicts_of_their_passages(tmp_path):
    from qa.pipeline import build_index_folder, open_assistant

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("The Japanese delegation was led by Masatoshi Fukasawa.", encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text("The Japanese delegation was led by Masaki Fukasawa.", encoding="utf-8")
    build_index_folder(tmp_path / "docs", tmp_path / "index", Config(model="fake"), embedder=FakeEmbedder())
    assistant = open_assistant(tmp_path / "index", Config(model="fake"), embedder=FakeEmbedder())
    answer = assistant.ask("Who led the Japanese delegation?")
    assert [c["kind"] for c in answer.conflicts] == ["name"]
    assert {p["file"] for p in answer.conflicts[0]["passages"]} == {"a.txt", "b.txt"}
    assert answer.as_json()["conflicts"] == answer.conflicts
    assert_verbatim(assistant.index, answer.conflicts)
