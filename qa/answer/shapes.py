"""The shape of a question: what kind of passage answers it, read from its wording.

What it does: sorts a question into one of a few shapes, each answered by a
different kind of sentence, and pulls out the words each shape needs:

- ``speech``: "What did NAME say (about TOPIC)?", "what does NAME think of X",
  "how did NAME react (to TOPIC)" --
  ``subject`` is NAME (or a role, "the minister"), ``topic`` the rest;
- ``person``: "Who is NAME?" -- ``subject`` is NAME;
- ``role``: "Who leads / heads / runs X?", "who is the defense minister" --
  ``subject`` is the role and its organisation;
- ``definition``: "What is / does ACRONYM (stand for)?", "what is the X" --
  ``subject`` is the thing defined;
- ``yesno``: "Did / Does / Is / Has ...?";
- ``why``: "Why ...?";
- ``typed``: how much / how many / when / where / what year ... -- the
  answer must hold a value of ``wanted`` type; for "how many X", ``subject``
  is X, the thing counted;
- a maker question, "Who builds / which company makes X?", is ``other`` wanting a
  ``maker`` -- ``subject`` is X, ``topic`` the asking words ("who used to make");
- ``other``: everything else.

The rules read word patterns only, never a list of names: whether NAME is
someone the sources quote is for ``qa.answer.said`` to say.

What it does not do: look at the index.

>>> question_shape("What did Jon Grevatt say?")
Shape(kind='speech', subject='Jon Grevatt', topic='', wants=None)
>>> question_shape("what did emanuel say about meetings"), question_shape("how did china react to the talks").topic
(Shape(kind='speech', subject='emanuel', topic='meetings', wants=None), 'the talks')
>>> question_shape("What does ATLA stand for?")
Shape(kind='definition', subject='ATLA', topic='', wants=None)
>>> question_shape("who heads the new agency"), question_shape("Who is Gen Nakatani?").kind
(Shape(kind='role', subject='the new agency', topic='heads', wants=None), 'person')
>>> question_shape("how many companies left the business").subject, question_shape("who will lead the new agency").kind
('companies', 'role')
>>> question_shape("has japan exported any military equipment").kind, question_shape("How many F-2s are there?")
('yesno', Shape(kind='typed', subject='F-2s', topic='', wants='count'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.answer.values import wanted_value

SHAPES = ("speech", "person", "role", "definition", "yesno", "why", "typed", "other")

_SPEECH_VERB = (r"say|said|says|think|thinks|thought|warn|warned|argue|argued|believe|believes|tell|told|mean|meant|"
                r"claim|claimed|add|added|note|noted|want|wanted|feel|felt|suggest|suggested|stress|stressed|"
                r"explain|explained|predict|predicted|expect|expected|comment|commented|describe|described|call|called")
# what someone said at a moment is what they said about it: "what did kihara say after the hawaii talks"
# what someone warned would happen is what they warned about: "what did yamada warn would happen if ...";
# a dangling preposition leaves no topic: "what did yamada warn about"
_TOPIC = (r"(?:\s+(?:(?:about|of|on|regarding|concerning|with regard to|when asked about|in|after|during|at|when)\s+"
          r"|(?=(?:would|could|will|might|may|can)\s))(?P<topic>.+?)|\s+(?:about|of|on|regarding))?")
# whom it was said to is not what about: "what did nakatani tell reporters after visiting baykar"
_HEARERS = r"(?:\s+(?:to\s+)?(?:the\s+)?(?:reporters|journalists|press|media|lawmakers|parliament|audience))?"
_SAID_NOUN = r"(?:views?|opinions?|comments?|remarks?|quotes?|words|advice|warnings?|thoughts?)"
_SPEECH = (
    # not "is" or "was": "what is X called", "how was X described" are passives, about X, not by X
    re.compile(rf"(?i)^(?:so\s+)?(?:what|how)\s+(?:did|does|do|has|have|had|would)\s+(?P<subject>.+?)\s+"
               rf"(?:{_SPEECH_VERB})\b(?:\s+(?:that|it|them|this))?{_HEARERS}{_TOPIC}\s*[?.!]*$"),
    re.compile(rf"(?i)^(?:what\s+(?:are|were|was|is)\s+)?(?P<subject>.+?)(?:'s|’s)\s+(?:views?|opinions?|comments?|"
               rf"remarks?|quotes?|words|statements?|take|thoughts?|warnings?){_TOPIC}\s*[?.!]*$"),
    re.compile(rf"(?i)^(?:any\s+)?(?:quotes?|comments?|remarks?|statements?)\s+(?:from|by)\s+(?P<subject>.+?){_TOPIC}\s*[?.!]*$"),
    # typed as into a search box: "yamada comments on the industry", "grevatt advice for japan arms sales" (not
    # "tanks on hokkaido": without a word for what was said, a thing on a topic is no speech)
    re.compile(rf"(?i)^(?P<subject>[a-z][\w\-’'.]*(?:\s+(?!{_SAID_NOUN}\b)[a-z][\w\-’'.]*)?)\s+{_SAID_NOUN}"
               r"\s+(?:on|about|regarding|for)\s+(?P<topic>.+?)\s*[?.!]*$"),
    re.compile(rf"(?i)^what\s+(?P<subject>.+?)\s+(?:said|says|thinks|thought|warned)\b{_TOPIC}\s*[?.!]*$"),
    # a reaction is what someone said or did in reply: "how did China react to the talks"
    re.compile(r"(?i)^(?:so\s+)?how\s+(?:did|does|do|has|have|had|would|will|might)\s+(?P<subject>.+?)\s+(?:react|respond)(?:ed|s)?"
               r"(?:\s+(?:to|when|after)\s+(?P<topic>.+?))?\s*[?.!]*$"),
)
# what a document "says" is what it holds, not words someone is quoted saying: "what does the buildup program
# say about drones", "what does the article say about tanks" ask about its content
_DOCUMENT = re.compile(r"(?i)\b(?:program(?:me)?|plan|report|survey|study|law|constitution|guidelines?|principles|"
                       r"rules|strategy|budget|paper|agreement|treaty|document|article|story|piece|text|policy|bill|"
                       r"act|charter|data|poll|review|source|sources)s?\s*$")
_ROLE_VERB = r"leads?|led|heads?|headed|runs?|ran|chairs?|chaired|directs?|directed|manages?|managed|oversees|oversaw|is in charge of|was in charge of"
_ROLE = re.compile(rf"(?i)^who\s+(?:(?:currently|now|will|would|is going to|is set to)\s+)?(?P<verb>{_ROLE_VERB})\s+"
                   rf"(?P<subject>.+?)\s*[?.!]*$")
_JOB = re.compile(r"(?i)^what\s+(?:is|was|'s|’s)\s+(?P<subject>.+?)(?:'s|’s)\s+(?:job|title|position|role|post|occupation)\s*[?.!]*$")
_WHO_IS = re.compile(r"(?i)^(?:who|whom)\s+(?:is|was|'s|’s|are)\s+(?P<subject>.+?)\s*[?.!]*$")
_DEFINITION = re.compile(
    r"(?i)^what\s*(?:(?:is|are|was|were|'s|’s)\s+(?P<subject>.+?)|(?:does|do|did)\s+(?P<acronym>.+?)\s+"
    r"(?:stand\s+for|mean|do))\s*[?.!]*$")
_EXPLAIN = re.compile(r"(?i)^(?:define|explain|meaning of|definition of)\s+(?P<subject>.+?)\s*[?.!]*$")
_YESNO = re.compile(r"(?i)^(?:so\s+)?(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|shall|"
                    r"isn't|doesn't|didn't|hasn't|haven't|aren't|wasn't|won't)\b")
_WHY = re.compile(r"(?i)^(?:so\s+)?(?:why|how come|for what reason|what is the reason|what's the reason)\b")
_TYPED = re.compile(r"(?i)^(?:so\s+)?(?:how\s+(?:much|many|long|far|big|large|old|soon|often)|when|where|what\s+(?:year|date|"
                    r"day|month|time|price|percentage|percent|share|amount|number|sum|cost|range)|which\s+(?:year|month|day|"
                    r"country|countries|city|cities))\b")
# "how many SeaGuardian drones is Japan getting": the thing counted, up to the verb
_COUNTED = re.compile(r"(?i)\bhow many\s+(?P<noun>(?:[\w\-]+\s+){0,3}?[\w\-]+)\s+(?:did|does|do|is|are|was|were|will|would|"
                      r"has|have|had|can|could|should|might|may|must|there)\b")
# without an auxiliary after it ("how many companies left ..."), up to the first plural
_PLURAL_COUNTED = re.compile(r"(?i)\bhow many\s+(?P<noun>(?:[\w\-]+\s+){0,2}?(?:[\w\-]+(?<!s)s|people|men|women|children|staff|"
                             r"personnel))\b")  # and the plurals without an "s"
# "what is the name of X", "what is X called", "what's X's name" ask for a name, which no rule here finds: not a
# speech question (NAME called), nor a definition (read as one, SQuAD part A lost answers and the development
# sets' unanswerable name questions got "high" passages)
_NAME = (
    re.compile(r"(?i)^(?:so\s+)?what(?:\s+is|\s+was|\s+are|\s+were|'s|’s)\s+(?:the\s+)?names?\s+of\s+(?P<subject>.+?)\s*[?.!]*$"),
    re.compile(r"(?i)^(?:so\s+)?what(?:\s+is|\s+was|\s+are|\s+were|'s|’s)\s+(?P<subject>.+?)\s+(?:called|named|known\s+as)\s*[?.!]*$"),
    re.compile(r"(?i)^(?:so\s+)?what(?:\s+is|\s+was|'s|’s)\s+(?P<subject>.+?)(?:'s|’s)\s+name\s*[?.!]*$"),
    # "which turkish drone model does japan want": a model is named ("the TB2"), the thing is the drone
    re.compile(r"(?i)^(?:so\s+)?(?:which|what)\s+(?P<subject>(?:(?!(?:is|are|was|were|do|does|did)\s)[\w\-]+\s+){0,3}?[\w\-]+)\s+(?:models?|variants?)"
               r"(?:\s+(?:does|do|did|is|are|was|were|has|have|had|will|would|can|could|might)\b.*|\s*[?.!]*)$"),
)
# "who builds the Kyumaru tanks", "which company will build the next jet trainer": answered by a passage naming the
# maker (qa.answer.makers); the words before the thing, which say when, are kept as the topic
_MAKER = re.compile(r"(?i)^(?P<asking>(?:so\s+)?(?:who|which\s+(?:[\w\-]+\s+)?(?:company|companies|firms?|makers?|"
                    r"manufacturers?|contractors?|shipyards?))\s+(?:(?:currently|now|still|will|would|is going to|are going to|"
                    r"used to|once|first)\s+)?(?:makes?|made|builds?|built|manufactures?|manufactured|produces?|produced|"
                    r"supplies|supply|supplied|constructs?|constructed|assembles?|assembled))\s+(?P<subject>.+?)\s*[?.!]*$")
_CONTRACTED = re.compile(r"(?i)^((?:so\s+)?(?:who|what|where|when|how))['’]s\b")  # "who's the ceo": "who is the ceo"
_ARTICLE = re.compile(r"(?i)^(?:the|a|an)\s+")
_ROLE_NOUN = re.compile(r"(?i)\b(?:minister|ministers|head|chief|leader|president|chairman|chair|director|ambassador|"
                        r"secretary|commissioner|ceo|boss|spokesman|spokeswoman|official|in charge)\b")


@dataclass(frozen=True)
class Shape:
    kind: str          # one of SHAPES
    subject: str = ""  # the person, role or thing the question is about, as typed
    topic: str = ""    # speech: what about; role: the role's verb
    wants: str | None = None  # the kind of value asked for ("count", "money", "date", ...: qa.answer.values)


def _speech(text: str) -> Shape | None:
    for rule in _SPEECH:
        m = rule.match(text)
        if m and 0 < len(m.group("subject").split()) <= 6 and not _DOCUMENT.search(m.group("subject")):
            return Shape("speech", m.group("subject").strip(" ,"), (m.group("topic") or "").strip(" ,?"))
    return None


def _short(subject: str, most: int = 6) -> bool:
    return 0 < len(subject.split()) <= most


def question_shape(text: str) -> Shape:
    """The ``Shape`` of the (checked) question ``text`` (see the module docstring)."""
    text = _CONTRACTED.sub(r"\1 is", " ".join(text.split()))
    shape = _kind(text)
    wants = wanted_value(text)
    counted = (_COUNTED.search(text) or _PLURAL_COUNTED.search(text)) if wants == "count" and shape.kind == "typed" else None
    if counted:  # a count answers only beside what is counted ("12 diesel submarines")
        shape = replace(shape, subject=counted.group("noun"))
    return replace(shape, wants=wants) if wants else shape


def _kind(text: str) -> Shape:
    named = next((m for m in (rule.match(text) for rule in _NAME) if m), None)
    if named:  # answered only by a passage that names the thing (qa.answer.names)
        return Shape("other", named.group("subject"), wants="name")
    speech = _speech(text)
    if speech:
        return speech
    m = _MAKER.match(text)
    if m and _short(m.group("subject"), 10):
        return Shape("other", m.group("subject"), m.group("asking").lower(), wants="maker")
    m = _ROLE.match(text)
    if m and _short(m.group("subject"), 10):
        return Shape("role", m.group("subject"), m.group("verb").lower())
    m = _WHO_IS.match(text) or _JOB.match(text)
    if m and _short(m.group("subject")):
        subject = m.group("subject")
        is_role = bool(_ARTICLE.match(subject) or _ROLE_NOUN.search(subject))
        return Shape("role" if is_role else "person", subject)
    if _TYPED.match(text):
        return Shape("typed")
    m = _DEFINITION.match(text) or _EXPLAIN.match(text)
    subject = m and (m.groupdict().get("subject") or m.groupdict().get("acronym"))
    if subject and _short(subject, 7):
        return Shape("definition", _ARTICLE.sub("", subject).strip())
    if _YESNO.match(text):
        return Shape("yesno")
    if _WHY.match(text):
        return Shape("why")
    return Shape("other")
