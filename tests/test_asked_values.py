"""What a plain question asks for, read closer (issue 13, session 18): an acronym the sources only spell out,
who makes a thing, a rank, a sum of a given year, a date still to come, a weight, a speed, a frequency or a
price, the opposite of
what is asked, and what someone said typed as into a search box."""

from __future__ import annotations

from qa.answer.opposites import opposite
from qa.answer.query import analyse_question
from qa.answer.shapes import question_shape
from qa.answer.typed import typed_support
from qa.answer.values import value_positions, wanted_value
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import Assistant
from tests.conftest import fake_index

TEXT = ("Japan created its own Acquisition, Technology & Logistics Agency in 2015 to energize the industry.\n\n"
        "Japan has negotiated the cost of upgrading dozens of F-15 fighter jets down to 397 billion yen.\n\n"
        "The ministry raised its research and development budget to 896.8 billion yen in 2023.")


def test_an_abbreviation_the_sources_only_spell_out_stands_for_what_they_write():
    index = fake_index(TEXT)
    atla = analyse_question(index, "when was atla created")
    # embedded as the name the model knows, not as four letters it does not
    assert atla.spelled == "when was Acquisition Technology & Logistics Agency created"
    assert atla.known == (True, True)
    f15 = analyse_question(index, "how much did the f15 upgrade cost")
    assert dict(zip(f15.terms, f15.forms))["f15"] == (("f-15",),) and "F-15" in f15.spelled  # typed without its hyphen
    rd = analyse_question(index, "what was the defense r&d budget in 2023")
    assert rd.unnamed == () and "research and development" in rd.spelled
    assert rd.shape.wants == "money"  # "the defense r&d budget": "&" does not end the budget's owner
    # what the sources never write out stays unknown
    assert analyse_question(index, "what is r&d").unnamed == ()
    assert analyse_question(fake_index("The defense budget grew."), "what is r&d").unnamed == ("r&d",)
    f16 = analyse_question(index, "how much did the f16 upgrade cost")
    assert dict(zip(f16.terms, f16.known))["f16"] is False


MAKERS = ("The hefty Kyumaru tanks built by Mitsubishi Heavy Industries debuted 30 years ago.\n\n"
          "Sumitomo Heavy Industries stopped making 5.56 millimeter machine guns, citing a bleak outlook.\n\n"
          "Japan plans joint development of next-generation jet trainer aircraft.\n\n"
          "Negotiations to sell about a dozen US-2 ShinMaywa Industries sea planes to India have stalled.")


def test_who_makes_a_thing_is_answered_by_a_passage_naming_its_maker_and_not_one_that_stopped():
    index = fake_index(MAKERS)
    tanks, guns, trainer, planes = (s.text for s in index.sentences)
    shape = question_shape("which company will build the next gen jet trainer")
    assert (shape.wants, shape.subject) == ("maker", "the next gen jet trainer")
    assert typed_support(analyse_question(index, "who builds the kyumaru tanks"), [tanks, trainer]) == [True, False]
    assert typed_support(analyse_question(index, "who makes the us-2 sea planes"), [planes]) == [True]
    # the jet trainer's development names no maker; Sumitomo is a maker that was, not one that is
    assert typed_support(analyse_question(index, "which company will build the jet trainer"), [trainer]) == [False]
    assert typed_support(analyse_question(index, "who makes machine guns now"), [guns]) == [False]
    assert typed_support(analyse_question(index, "who used to make machine guns"), [guns]) == [True]
    assistant = Assistant(index, FakeEmbedder(dim=64), Config(model="fake"))
    assert not assistant.ask("who makes machine guns now").answered  # refused: the passage shown first names none
    assert question_shape("which companies are interested in making drones").wants is None  # no maker asked for


def test_a_passage_on_the_opposite_of_what_is_asked_comes_after_the_others():
    index = fake_index("Japan is the world's 12th largest arms importer.\n\n"
                       "Japan's weapons exports never took off.\n\n"
                       "Japan sold a radar to the Philippines.")
    assistant = Assistant(index, FakeEmbedder(dim=64), Config(model="fake"))
    exporter = assistant.ask("is japan the world's largest arms exporter")
    # the importer sentence shares more of the question's words, but it is about the other trade
    assert "exports" in exporter.ranked[0].quote and "importer" in " ".join(p.quote for p in exporter.ranked)
    assert "importer" in assistant.ask("is japan the world's largest arms importer").ranked[0].quote
    assert [opposite(w) for w in ("increas", "decreas", "upgrad", "expens")] == ["decreas", "increas", "downgrad", None]


def test_where_something_ranks_asks_for_a_rank_not_a_place():
    assert wanted_value("where does japan rank as an arms exporter") == "rank"
    assert wanted_value("what is japan's ranking among importers") == "rank"
    assert wanted_value("where is the forum held") == "place"
    assert value_positions("Japan is the world's 12th largest arms importer, as in the 11th century.", "rank") == [4]
    index = fake_index("Japan is the world's 12th largest arms importer.\n\nJapan's arms exports never took off.")
    importer = analyse_question(index, "where does japan rank as an arms importer")
    assert typed_support(importer, [s.text for s in index.sentences]) == [True, False]


def test_a_sum_asked_of_a_year_is_given_with_that_year_or_one_counted_from_it():
    index = fake_index("Japan's drone budget was 41 billion yen in 2025.\n\n"
                       "Japan's drone budget was 9 billion yen the previous year.\n\n"
                       "Japan's drone budget will be 1 trillion yen over five years.")
    asked = analyse_question(index, "what was japan's drone budget in 2024")
    assert typed_support(asked, [s.text for s in index.sentences]) == [False, True, False]
    anyyear = analyse_question(index, "what was japan's drone budget")
    assert typed_support(anyyear, [s.text for s in index.sentences]) == [True, True, True]


def test_a_date_still_to_come_is_answered_by_one_told_as_to_come():
    index = fake_index("In 2019, Japan placed orders for F-35 stealth fighters.\n\n"
                       "Japan will receive the last F-35 fighters in 2027.")
    past, future = (s.text for s in index.sentences)
    assert typed_support(analyse_question(index, "when will japan get its f-35 fighters"), [past, future]) == [False, True]
    assert typed_support(analyse_question(index, "when did japan order f-35 fighters"), [past]) == [True]


def test_a_weight_or_a_speed_is_a_measure_not_any_number():
    assert wanted_value("how much does a type 90 tank weigh") == "weight"
    assert wanted_value("what is the top speed of the f-x") == "speed"
    index = fake_index("The dozens of Type 90 tanks rumbled through drills.\n\nThe Type 90 tank weighs 50 tons.")
    asked = analyse_question(index, "how much does a type 90 tank weigh")
    assert typed_support(asked, [s.text for s in index.sentences]) == [False, True]


def test_how_often_asks_for_a_frequency_and_what_a_thing_costs_for_money():
    assert wanted_value("how often will the consultations meet") == "frequency"
    assert wanted_value("what does an echo voyager cost") == wanted_value("what did the upgrade end up costing") == "money"
    index = fake_index("The first Regular Consultation on defense industry cooperation met in June.\n\n"
                       "The defense industry consultations will meet annually.")
    asked = analyse_question(index, "how often will the defense industry consultations meet")
    assert typed_support(asked, [s.text for s in index.sentences]) == [False, True]  # "Regular" says not how often


def test_what_someone_said_typed_as_into_a_search_box_is_a_speech_question():
    assert question_shape("grevatt advice for japan arms sales") == question_shape("x").__class__(
        "speech", "grevatt", "japan arms sales")
    assert question_shape("yamada comments on the industry").subject == "yamada"
    # without a word for what was said, a thing on a topic is no speech
    assert question_shape("tanks on hokkaido").kind == "other"
    assert question_shape("how many people work at the agency").subject == "people"  # a plural without "s"
