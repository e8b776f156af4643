"""Plain questions the sources don't answer are refused by rule, and plain spellings find the sources' words
(issue 13): a typed value must be beside what is asked, a speaker must have spoken on the topic, a
source never given words did not say anything, and "two plus two" finds "two-plus-two"."""

from __future__ import annotations

import pytest

from qa.answer.query import analyse_question, embed_query
from qa.answer.retrieval import score_candidates
from qa.answer.shaped import shape_candidates
from qa.answer.shapes import question_shape
from qa.cli import format_answer
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import Assistant
from tests.conftest import fake_index

TEXT = ("Sumitomo Heavy Industries stopped making 5.56 millimeter machine guns.\n\n"
        "Japan gave away five used TC-90 training aircraft to the Philippines.\n\n"
        "“Our tanks are too expensive,” said Heigo Sato, a professor at Takushoku University.\n\n"
        "China sent more ships near the islands. Officials said the talks went well.\n\n"
        "The meeting, called the two-plus-two, will be held in July. Japan will replace its F-2s by around 2035.")


@pytest.fixture(scope="module")
def assistant():
    return Assistant(fake_index(TEXT), FakeEmbedder(dim=64), Config(model="fake"))


def test_a_count_question_is_refused_when_no_passage_counts_what_it_asks_about(assistant):
    answer = assistant.ask("how many machine guns did sumitomo make")
    assert not answer.answered and answer.probability == 0.0  # 5.56 millimeter is a size, not a count
    assert answer.passages  # the closest passages are still shown, as related


def test_a_count_beside_what_it_counts_is_not_ruled_out(assistant):
    answer = assistant.ask("how many tc-90 planes did japan give the philippines")
    assert answer.probability > 0.0


def test_a_role_question_is_refused_when_no_passage_names_a_person():
    nobody = Assistant(fake_index("The ministry set up a task force on drones in April.\n\nIt met twice.\n\n"
                                  "The agency bought radars."), FakeEmbedder(dim=64), Config(model="fake"))
    assert nobody.ask("who heads the drone task force").probability == 0.0
    named = Assistant(fake_index("The ministry set up a task force on drones in April.\n\n"
                                 "Jane Doe, the head of the task force, spoke."), FakeEmbedder(dim=64), Config(model="fake"))
    assert named.ask("who heads the drone task force").probability > 0.0


def test_a_role_question_naming_a_title_is_answered_only_by_someone_with_that_title_there():
    leaders = Assistant(fake_index("Defense Minister Yasar Guler heads the ministry in Turkey.\n\n"
                                   "Japanese Prime Minister Fumio Kishida met U.S. President Joe Biden in April."),
                        FakeEmbedder(dim=64), Config(model="fake"))
    for who in ("who is the president of turkey",       # Guler is Turkey's defense minister, Biden no Turk
                "who is the prime minister of india",   # Kishida is Japan's
                "who is the defense minister of japan"):  # Guler's title, but not Japan's
        assert leaders.ask(who).probability == 0.0, who
    for who in ("who is the defense minister of turkey", "who is the prime minister of japan",  # "Japanese"
                "who is the us president", "who is the head of the defense ministry"):  # a head: any title
        assert leaders.ask(who).probability > 0.0, who


def test_a_speaker_quoted_on_other_things_has_not_spoken_on_the_topic(assistant):
    index = assistant.index

    def spoken(question):
        query = embed_query(analyse_question(index, question), assistant.embedder)
        return shape_candidates(index, query, score_candidates(index, query, assistant.weights, 50))[2]
    assert spoken("what did sato say about tanks") and spoken("what did sato say")
    assert not spoken("what did sato say about drones")
    assert assistant.ask("what did sato say about drones").inputs[3]  # counted against answering


def test_a_reaction_is_a_speech_question_and_a_source_never_given_words_did_not_react(assistant):
    assert question_shape("how did China react to the talks").kind == "speech"
    assert assistant.ask("how did china react to the talks").inputs[3]
    assert not assistant.ask("what did officials say about the talks").inputs[3]  # "Officials said ..."
    from qa.answer.said import names_silent_speaker
    index = fake_index("China sent ships. Officials said the talks went well. Media reports have said more.")
    assert names_silent_speaker(index, "china") and not names_silent_speaker(index, "Brazil")  # Brazil: not named
    assert not names_silent_speaker(index, "officials") and not names_silent_speaker(index, "media reports")


def test_hyphenated_and_plural_source_words_are_found_from_plain_spellings(assistant):
    query = analyse_question(assistant.index, "when is the two plus two meeting")
    assert ("two-plus-two",) in dict(zip(query.terms, query.forms))["plus"]
    query = analyse_question(assistant.index, "when will japan replace the f-2")
    assert ("f-2s",) in dict(zip(query.terms, query.forms))["f-2"]
    answer = assistant.ask("when will japan replace the f-2")
    assert answer.probability > 0.0 and "2035" in answer.ranked[0].quote


def test_a_word_the_sources_write_only_at_the_end_of_a_compound_is_found_there():
    index = fake_index("In mid-June, Jane Doe chaired the meeting in Tokyo.\n\nIt ended.")
    query = analyse_question(index, "who chaired the june meeting")  # the index stems "mid-June" whole: "mid-jun"
    assert not query.unnamed and ("mid-jun",) in dict(zip(query.terms, query.forms))["june"]


def test_when_the_best_sentence_lacks_the_value_the_first_near_best_one_holding_it_moves_first():
    import numpy as np

    from qa.answer.shaped import promote
    from qa.answer.typed import value_marks

    index = fake_index("Japan will replace its F-2 fleet soon.\n\nA new jet will replace the F-2 by 2035.\n\n"
                       "Japan will replace the F-2 radar, bought in 1995.\n\nTanks are old.")
    query = analyse_question(index, "when will japan replace the f-2")
    ids, fused = np.array([0, 3, 1, 2]), np.array([1.0, 0.97, 0.95, 0.94])
    mark = value_marks(index, query, fused, ids)
    assert mark.tolist() == [False, False, True, False]  # "by 2035": the first near-best holding a date

    assert promote(fused, mark).tolist()[0] == 2
    has_value_first = np.array([1, 0, 3, 2])
    assert not value_marks(index, query, fused, has_value_first).any()  # the best holds one: nothing moves


def test_the_place_a_where_question_names_is_not_its_answer():
    index = fake_index("Nakatani also visited Istanbul on Wednesday.\n\nAfter Istanbul, Nakatani flew to Ankara.")
    where = analyse_question(index, "where did nakatani go after istanbul")
    from qa.answer.typed import typed_support
    assert typed_support(where, [index.sentences[0].text, index.sentences[1].text]) == [False, True]


def test_a_question_about_something_the_sources_never_name_is_refused(assistant):
    # "brazil" and "calories" are in no source: no passage can say who leads its university, or how many
    answer = assistant.ask("who leads the university of brazil")
    assert analyse_question(assistant.index, answer.question).unnamed == ("brazil",)
    assert not answer.answered and answer.probability == 0.0 and answer.passages  # closest still shown
    assert answer.as_json()["never_mentioned"] == ["brazil"]  # and said so, to a reader and in the JSON
    assert "The sources don't say: no source mentions “brazil”." in format_answer(answer)
    assert "never_mentioned" not in assistant.ask("who is the takushoku professor").as_json()
    assert analyse_question(assistant.index, "how many calories are in a tank").unnamed == ("calories",)
    assert assistant.ask("how many calories are in a tank").probability == 0.0


def test_a_subject_the_sources_name_in_another_spelling_is_not_unnamed(assistant):
    index = assistant.index
    for question in ("who is the takushoku professor",             # every word is in the sources
                     "how many tc-90s did japan give away",        # a compound's plural: "TC-90"
                     "how many trainingaircraft did japan give",   # two source words run together
                     "who is the prof at takushoku university",    # the start of a source word: "professor"
                     "what is the non-expensive tank"):            # a hyphenated word's parts: "expensive"
        assert analyse_question(index, question).unnamed == (), question
    assert analyse_question(index, "what did the president of brazil say").unnamed == ()  # speech: said.py's
    assert assistant.ask("who is the takushoku professor").probability > 0.0
    # the limit the README states: a synonym the sources don't use is not recognised ("lecturer")
    assert analyse_question(index, "who is the takushoku lecturer").unnamed == ("lecturer",)



def test_a_count_of_other_things_named_alike_does_not_count_what_is_asked():
    drones = Assistant(fake_index("The ministry allocated ¥41.5 billion for large MQ-9B SeaGuardian drones, and "
                                  "¥3.2 billion to buy scores of small attack drones.\n\nIt met twice."),
                       FakeEmbedder(dim=64), Config(model="fake"))
    assert drones.ask("how many seaguardian drones is japan buying").probability == 0.0
    assert drones.ask("how many attack drones is japan buying").probability > 0.0  # "scores of small attack drones"


def test_a_typed_question_is_refused_when_the_passage_shown_first_lacks_its_value():
    from qa.answer.confidence import refused_by_rule
    asked = analyse_question(fake_index("Komatsu stopped making armored vehicles.\n\nThe Type 90 came out in 1990."),
                             "what year did komatsu stop building armored vehicles")
    assert refused_by_rule(asked, [True, False, True])  # the year is in the second passage: not about Komatsu
    assert not refused_by_rule(asked, [False, True, True]) and refused_by_rule(asked, [])


def test_a_date_opening_a_sentence_dates_all_of_it_and_only_that_sentence():
    from qa.answer.typed import typed_support
    index = fake_index("In mid-June, at the ministry of defense in Tokyo, the governments of the United States and "
                       "Japan held the first meeting of the new consultation.\n\nThe talks ran long.")
    when = analyse_question(index, "when was the first consultation meeting")
    fronted = index.sentences[0].text
    late = "The talks that began in June had many rounds, and after months of them the governments of the " \
           "United States and Japan at the ministry held the first consultation meeting."
    opens_another = "It was June. The governments of the United States and Japan, at the ministry of defense in " \
                    "Tokyo after many long months of talks, held the first consultation meeting."
    assert typed_support(when, [fronted, late, opens_another]) == [True, False, False]  # 18+ words from the date


def test_what_someone_said_at_a_moment_or_to_reporters_is_a_speech_question():
    assert question_shape("what did kihara say after the hawaii talks") == \
        question_shape("what did kihara say about the hawaii talks")
    said = question_shape("what did nakatani tell reporters after visiting baykar")
    assert (said.kind, said.subject, said.topic) == ("speech", "nakatani", "visiting baykar")
    assert question_shape("what did he say when asked about china").topic == "china"


def test_a_name_question_is_refused_where_the_passage_shown_first_only_mentions_the_thing():
    unnamed = Assistant(fake_index("Japan has sold just one finished product, a surveillance radar, to the Philippines.\n\n"
                                   "The ministry set up a task force in April to study drones."),
                        FakeEmbedder(dim=64), Config(model="fake"))
    for question in ("what is the name of the radar sold to the philippines", "what is the drone task force called",
                     "which radar model did japan sell"):
        assert question_shape(question).wants == "name", question
        answer = unnamed.ask(question)
        assert not answer.answered and answer.probability == 0.0 and answer.passages, question


def test_a_name_given_far_from_the_thing_is_not_read_as_its_name():
    # The README's limit: "Conant led the university" does not name "the leader" for this rule.
    far = Assistant(fake_index("Conant led the university for two decades.\n\nThe board met in May."),
                    FakeEmbedder(dim=64), Config(model="fake"))
    answer = far.ask("what is the name of the leader of the university")
    assert question_shape("what is the name of the leader of the university").wants == "name"
    assert not answer.answered and answer.probability == 0.0 and answer.passages


def test_a_name_question_is_answered_where_the_passage_names_the_thing_beside_it_or_outright():
    named = Assistant(fake_index("Japan sold the FPS-3 radar to the Philippines.\n\n"
                                 "The ministry set up a task force known as Drone Watch in April.\n\n"
                                 "Defense Minister Minoru Kihara met his counterpart."),
                      FakeEmbedder(dim=64), Config(model="fake"))
    for question in ("what is the name of the radar sold to the philippines", "what is the drone task force called",
                     "what is the name of the defense minister who met his counterpart"):
        assert named.ask(question).probability > 0.0, question


def test_a_verb_after_the_thing_is_not_the_thing_a_name_binds_to():
    from qa.answer.names import name_anchors, names_thing
    assert name_anchors("the radar sold to the philippines") == {"radar"}
    assert name_anchors("the jet built with britain") == name_anchors("the jet developed with britain") == {"jet"}
    words = "Since the agency was launched, Japan has sold just one finished product — a surveillance radar.".split()
    assert not names_thing(words, name_anchors("the radar sold to the philippines"), {"radar", "sold", "philippin"})


def test_a_nationality_or_a_word_the_question_uses_is_not_a_name():
    from qa.answer.names import name_anchors, names_thing
    anchors = name_anchors("the radar japan sold")
    assert not names_thing("It sold a Japanese radar abroad.".split(), anchors, {"radar", "japan", "sold"})
    assert not names_thing("Japan sold a radar abroad.".split(), anchors, {"radar", "japan", "sold"})
    assert names_thing("It sold a Mitsubishi radar abroad.".split(), anchors, {"radar", "japan", "sold"})
