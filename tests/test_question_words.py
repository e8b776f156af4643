"""Words of a plain question that grade, ask or warn (issue 13, session 17): "biggest" names nothing the
sources must use, "how many days ... last" asks rather than ties the value to anything, a reason must
explain what is asked rather than be it, and "what did NAME warn about" wants the speaker's warning."""

from __future__ import annotations

from qa.answer.cues import term_weights, has_cue
from qa.answer.query import analyse_question
from qa.answer.shapes import question_shape
from qa.answer.typed import focus_words, typed_support
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import Assistant
from tests.conftest import fake_index

TEXT = ("In March, Mitsui sold its warship unit to Japan’s top contractor Mitsubishi.\n\n"
        "The hefty tanks debuted 30 years ago and are being replaced with lighter armored vehicles.\n\n"
        "The three-day conference, hosted by the ministry, was co-chaired by Jane Doe.\n\n"
        "Japan said last week that it will buy more drones.")


def test_a_common_word_of_size_age_or_rank_names_nothing_the_sources_must_use():
    index = fake_index(TEXT)
    for question in ("who is japan's biggest contractor",   # "top contractor": "biggest" only grades it
                     "what are the old tanks being replaced with"):  # "old" is in no source
        assert analyse_question(index, question).unnamed == (), question
    # a grading word is not the thing: without a noun after it, or an unusual one, it still counts
    assert analyse_question(index, "who is japan's biggest").unnamed == ("biggest",)
    assert analyse_question(index, "who is japan's softest contractor").unnamed == ("softest",)
    assert analyse_question(index, "who is japan's british contractor").unnamed == ("british",)  # a nationality names
    assert analyse_question(index, "what are the old rockets being replaced with").unnamed == ("rockets",)
    assistant = Assistant(index, FakeEmbedder(dim=64), Config(model="fake"))
    assert assistant.ask("what are the old tanks being replaced with").probability > 0.0  # not refused by rule
    assert assistant.ask("what are the old rockets being replaced with").probability == 0.0


def test_the_words_asking_for_a_length_of_time_tie_the_value_to_nothing():
    index = fake_index(TEXT)
    asked = analyse_question(index, "how many days did the conference last?")
    # "last" (the sources' "last week") and "days" ask; "conference" is what the value must be beside
    assert focus_words(asked) == {"confer"}
    conference, week = index.sentences[2].text, index.sentences[3].text
    assert typed_support(asked, [conference, week]) == [True, False]


def test_a_reason_explains_what_is_asked_only_when_the_question_is_not_the_reason_itself():
    index = fake_index("In order to introduce drones quickly, Japan is looking at buying the assets from Turkey.\n\n"
                       "China's moves near Japan have triggered calls from lawmakers to employ drones.\n\n"
                       "Japan wants drones because of lessons learned in Ukraine.\n\n"
                       "Japan builds tanks. Japan sells radars. Japan has an army.")  # "japan" weighs little
    why = analyse_question(index, "why does japan want so many drones")
    weights = term_weights(why)
    purpose, triggered, because = (s.text for s in index.sentences[:3])
    # the drones are the purpose given for buying from Turkey: that does not say why Japan wants them
    assert not has_cue(("why", ""), purpose, why.text, weights)
    assert has_cue(("why", ""), triggered, why.text, weights)  # the cause comes before "triggered"
    assert has_cue(("why", ""), because, why.text, weights)    # and after "because"
    # asked why Japan is buying from Turkey, the same purpose clause is the reason
    assert has_cue(("why", ""), purpose, "why", term_weights(analyse_question(index, "why is japan buying from turkey")))


def test_what_someone_warned_about_is_their_words_of_what_may_go_wrong():
    for question, topic in (("what did yamada warn about", ""),  # a dangling "about": no topic
                            ("what did yamada warn would happen if companies leave", "would happen if companies leave")):
        assert question_shape(question) == question_shape(question).__class__("speech", "yamada", topic), question
    assistant = Assistant(fake_index(
        "Yu Yamada, a manager at the federation, said it has 60 member companies with defense work.\n\n"
        "If the trend continues, the defense industry could face supply problems, Yamada said."),
        FakeEmbedder(dim=64), Config(model="fake"))
    for question in ("what did yamada warn about", "what did yamada say"):
        assert assistant.ask(question).answered, question
    assert "could face supply problems" in assistant.ask("what did yamada warn about").passages[0].quote
    said_first = assistant.ask("what did yamada say").passages[0].quote  # no warning asked for: by score alone
    warned_first = assistant.ask("what did yamada warn about").passages[0].quote
    assert said_first != warned_first or "could face" in said_first


def test_what_a_document_says_is_its_content_not_a_quote():
    # "the buildup program" is no speaker: asked what it says, the sentence that holds it answers
    for question in ("what does the 2022 defense buildup program say about drones", "what does the article say",
                     "what does the constitution say about exports"):
        assert question_shape(question).kind != "speech", question
    assert question_shape("what did the ministry say after the meeting").kind == "speech"  # a ministry speaks
    assistant = Assistant(fake_index("Stockpiling drones has been a key target, a push highlighted in the 2022 "
                                     "Defense Buildup Program.\n\nThe tanks are old."),
                          FakeEmbedder(dim=64), Config(model="fake"))
    answer = assistant.ask("what does the buildup program say about drones")
    query = answer.inputs[0]
    assert not answer.inputs[3] and query.shape.kind != "speech"  # no "never given words" penalty
    assert "Stockpiling drones" in answer.ranked[0].quote


def test_a_preposition_of_place_after_according_or_based_is_not_one():
    from qa.answer.places import place_positions
    for text in ("According to Emanuel, the talks will be held in July.",
                 "The institute will be based on the US agency.", "It fell due to China's moves."):
        assert place_positions(text.split()) == [], text
    held = "The talks will be held in Tokyo, according to Emanuel."
    assert [held.split()[k] for k in place_positions(held.split())] == ["Tokyo,"]
    index = fake_index("According to Emanuel, the two-plus-two meeting will be held in July.\n\nThe tanks are old.")
    asked = analyse_question(index, "where will the two plus two be held")
    assert typed_support(asked, [index.sentences[0].text]) == [False]  # a source is not a place
