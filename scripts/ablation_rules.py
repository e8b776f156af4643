"""Ablation of the plain-question rules of sessions 7 to 18 (a developer script): each turned off in turn.

Run: ``.venv/bin/python scripts/ablation_rules.py [--write eval/moved.md]`` (about ninety minutes). Prints, per
configuration, hit@1 / hit@3 / unanswerable abstained / answerable wrongly abstained / ROC-AUC on the development
sets (``eval/plain_dev.jsonl`` to ``eval/plain_dev5.jsonl``; the confidence model is fitted on the first four, the
fifth was only read for rules), the first set, the natural set (held out: nothing here chooses
anything from it) and answer@1 / answer@3 / ROC-AUC on SQuAD part A. No configuration is refitted
(the confidence model is the one fitted with every rule on), so a row shows what the rule does,
not what a model fitted without it would do. docs/evaluation.md quotes its output. Monkeypatches the
answer stage, so it stays out of the package.
"""
import json
import re
import sys
from pathlib import Path

from dataclasses import replace

import numpy as np

import qa.answer.compose as C
import qa.answer.cues as Cu
import qa.answer.places as Pl
import qa.answer.query as Q
import qa.answer.retrieval as R
import qa.answer.shaped as S
import qa.answer.shapes as Sh
import qa.answer.typed as T
import qa.answer.unnamed as U
import qa.answer.values as V
import qa.pipeline as P
from qa.answer.retrieval import Weights
from qa.config import Config
from qa.evaluation.runner import EvalPaths, run_eval_set
from qa.evaluation.squad_runner import run_squad
from qa.index.embedding import load_embedder

SQUAD = Path("../shared/benchmarks/squad2-dev-part-a.json")
original = {"compounds": Q.compounds, "value_marks": S.value_marks, "decide": C.decide,
            "names_silent_speaker": C.names_silent_speaker, "unnamed_words": Q.unnamed_words, "names_a_person": C.names_a_person,
            "respelled": Q.respelled, "interaction": R.interaction, "weights": P.Assistant.weights,
            "refused_by_rule": C.refused_by_rule, "_fronted_date": T._fronted_date, "_SPEECH": Sh._SPEECH,
            "_WANTS": V._WANTS, "names_thing": T.names_thing, "ANTECEDENT_SHARE": R.ANTECEDENT_SHARE, "_lasting": V._lasting,
            "alias_forms": Q.alias_forms, "_ASKING_TIME": T._ASKING_TIME, "_grades": U._grades,
            "_explains": Cu._explains, "asks_warning": S.asks_warning, "_DOCUMENT": Sh._DOCUMENT,
            "_NOT_PLACE": Pl._NOT_PLACE, "spelt_out": Q.spelt_out, "_hyphened": Q._hyphened,
            "ampersand_phrase": Q.ampersand_phrase, "_MAKER": Sh._MAKER, "opposites_last": C.opposites_last,
            "speaks_of_opposite": C.speaks_of_opposite, "_OF_A_YEAR": T._OF_A_YEAR, "_FUTURE_ASKED": T._FUTURE_ASKED,
            "_PLURAL_COUNTED": Sh._PLURAL_COUNTED}
# the ranker's weights before late interaction (session 10's qa/answer/calibration.json), the new feature at 0
SESSION_10_RANKER = Weights((0.48, 0.3, 0.04, 0.125, 0.2, 0.1, 0.0625, 0.0, 0.03125, 0.05, 0.0))


# session 11's speech patterns (no "say after ...", no "tell reporters") and money pattern (a one-word owner only)
_OLD_TOPIC = r"(?:\s+(?:about|of|on|regarding|concerning|with regard to|when asked about|in)\s+(?P<topic>.+?))?"
SESSION_11_SPEECH = tuple(re.compile(r.pattern.replace(Sh._HEARERS, "").replace(Sh._TOPIC, _OLD_TOPIC)) for r in Sh._SPEECH)
# session 16's speech patterns: no dangling "about" ("what did yamada warn about"), no "warn would happen ..."
_SESSION_16_TOPIC = (r"(?:\s+(?:about|of|on|regarding|concerning|with regard to|when asked about|in|after|during|at|when)"
                     r"\s+(?P<topic>.+?))?")
SESSION_16_SPEECH = tuple(re.compile(r.pattern.replace(Sh._TOPIC, _SESSION_16_TOPIC)) for r in Sh._SPEECH)
SESSION_11_WANTS = tuple((kind, re.compile(r.pattern.replace(r"(?:[\w\-]+\s+){0,2}?[\w\-]+(?:'s|’s)", r"[\w\-]+(?:'s|’s)")))
                         for kind, r in V._WANTS)


def no_rule_out(index, query, model, rated, form, first_marked, spoken):
    logit, probs, missing = rated
    return original["decide"](index, query, model, (logit, probs, [False] * len(missing)), form, first_marked, spoken)


OFF = {
    "every rule on": {},
    "without compounds (f-2s, two-plus-two)": {(Q, "compounds"): lambda stem, vocab, parts: ()},
    "without the value moving first": {(S, "value_marks"): lambda index, query, fused, ids: np.zeros(len(ids), bool)},
    "without the typed / role rule-out": {(C, "decide"): no_rule_out},
    "without the unnamed-subject rule-out (brazil, calories)": {(Q, "unnamed_words"): lambda index, shape, known: ()},
    "without the silent-source flag": {(C, "names_silent_speaker"): lambda index, subject: False},
    "without the singular after a number (f-15s: F-15)": {(Q, "compounds"): lambda stem, vocab, parts: tuple(
        c for c in original["compounds"](stem, vocab, parts) if not (stem.endswith("s") and c == stem[:-1]))},
    "without a value's subject read as a count's (the original F-15 upgrade price)": {(Q, "unnamed_words"): lambda index, shape,
        known: original["unnamed_words"](index, shape if shape.kind == "typed" else replace(shape, wants=None), known)},
    "without the title a role question names (the president of turkey)": {(C, "names_a_person"): lambda index, passages,
        subject="": original["names_a_person"](index, passages)},
    "without respelling (novermber: November, maiziere: Maizière)": {(Q, "respelled"): lambda index, term, typed: ()},
    "without late interaction (session 10's ranker weights)": {
        (R, "interaction"): lambda index, query, ids: np.zeros(len(ids), dtype=np.float32),
        (P.Assistant, "weights"): property(lambda self: SESSION_10_RANKER)},
    "without the first passage's value (any passage shown first, as in session 11)": {
        (C, "refused_by_rule"): lambda query, missing: bool(query.unnamed) or all(missing)},
    "without a fronted date dating its sentence (In mid-June, ...)": {(T, "_fronted_date"): lambda tokens, values, near: False},
    "without speech at a moment or to reporters (what did kihara say after the talks)": {(Sh, "_SPEECH"): SESSION_11_SPEECH},
    "without a two-word owner of a budget (south korea's defense budget)": {(V, "_WANTS"): SESSION_11_WANTS},
    "without a name question's name beside the thing (what is the radar called)": {
        (T, "names_thing"): lambda words, anchors, asked: True},
    "without a sentence referring back borrowing the names before it (during their meeting)": {
        (R, "ANTECEDENT_SHARE"): 0.0},
    "without a moment told from a length of time (met in ankara last week)": {
        (V, "_lasting"): lambda bare, k: True},
    "without a name's other name (type 90: kyumaru)": {(Q, "alias_forms"): lambda index, terms: {}},
    "without the words asking for a length of time (how many days did the conference last)": {
        (T, "_ASKING_TIME"): re.compile("(?!)")},
    "without a grading word naming nothing (japan's biggest contractor)": {(U, "_grades"): lambda words, k: False},
    "without a reason having to explain the question's words (in order to ... drones)": {
        (Cu, "_explains"): lambda sentence, m, weights: True},
    "without a warning asked for (what did yamada warn about)": {(Sh, "_SPEECH"): SESSION_16_SPEECH,
                                                                  (S, "asks_warning"): lambda question: False},
    "without a document's content read as what it says (what does the buildup program say about drones)": {
        (Sh, "_DOCUMENT"): re.compile("(?!)")},
    "without 'according to' or 'based on' kept from places (where will the two plus two be held)": {
        (Pl, "_NOT_PLACE"): frozenset()},
    "without an acronym embedded as the name the sources write (when was atla created)": {
        (Q, "spelt_out"): lambda index, word, retriever: []},
    "without a model number typed without its hyphen (f15: F-15)": {(Q, "_hyphened"): lambda term, vocab: ()},
    "without an abbreviation with '&' spelt out (r&d: research and development)": {
        (Q, "ampersand_phrase"): lambda index, word: ""},
    "without maker questions (who makes machine guns now)": {(Sh, "_MAKER"): re.compile("(?!)")},
    "without the opposite moved last (arms exporter: importer)": {
        (C, "opposites_last"): lambda index, terms, scored: scored, (C, "speaks_of_opposite"): lambda terms, text: False},
    "without a rank asked for (where does japan rank as an arms exporter)": {
        (V, "_WANTS"): tuple(w for w in V._WANTS if w[0] != "rank")},
    "without a sum of the year asked (how much did japan spend on drones in fiscal 2024)": {(T, "_OF_A_YEAR"): ()},
    "without a date to come told as such (when will japan get its f-35s)": {(T, "_FUTURE_ASKED"): re.compile("(?!)")},
    "without a weight or a speed asked for (how much does a type 90 tank weigh)": {
        (V, "_WANTS"): tuple(w for w in V._WANTS if w[0] not in ("weight", "speed"))},
    "without a frequency asked for (how often will the consultations meet)": {
        (V, "_WANTS"): tuple(w for w in V._WANTS if w[0] != "frequency")},
    "without 'what does X cost' asking for money (what does an echo voyager cost)": {
        (V, "_WANTS"): tuple((k, re.compile(r.pattern.replace(r"\bwhat\s+(?:does|do|did|would|will)\s+.+?\s+cost(?:s|ing)?\b|", "")))
                             for k, r in V._WANTS)},
    "without speech typed as into a search box (grevatt advice for japan arms sales)": {
        (Sh, "_SPEECH"): tuple(r for r in Sh._SPEECH if "advice" not in r.pattern)},
    "without plurals that end in no 's' counted (how many people work at atla)": {
        (Sh, "_PLURAL_COUNTED"): re.compile(r"(?i)\bhow many\s+(?P<noun>(?:[\w\-]+\s+){0,2}?[\w\-]+(?<!s)s)\b")},
}


def figures(emb, patches: dict) -> dict:
    for (module, attr), fn in patches.items():
        setattr(module, attr, fn)
    try:
        row = {}
        for qfile in ("eval/plain_dev.jsonl", "eval/plain_dev2.jsonl", "eval/plain_dev3.jsonl", "eval/plain_dev4.jsonl",
                      "eval/plain_dev5.jsonl", "eval/questions.jsonl", "eval/natural.jsonl"):
            run = run_eval_set(EvalPaths(Path("seeds"), Path(qfile), Path("eval/quotes.jsonl"), Path("/tmp/abl7")), Config(),
                               emb, 5, name="natural" if "natural" in qfile else "eval")
            v = run.systems[0].values
            row[Path(qfile).stem] = [round(v[k], 3) for k in ("hit@1", "hit@3", "abstention_recall", "false_abstention_rate",
                                                               "roc_auc")]
        squad = run_squad(SQUAD, Config(), "eval/runs", embedder=emb, limit=0)
        v = squad.systems[0].values
        row["squad"] = [round(v[k], 4) for k in ("answer@1", "answer@3", "roc_auc")]
        return row
    finally:
        for (module, attr) in patches:
            setattr(module, attr, original[attr])


def moved_table(results: dict) -> str:
    """The markdown table of ``results`` (configuration -> figures) that eval/moved.md holds."""
    head = ("| configuration (hit@1 / hit@3 / unanswerable abstained / answerable wrongly abstained) | plain_dev "
            "(fitted) | plain_dev2 (fitted) | plain_dev3 (fitted) | plain_dev4 (fitted) | plain_dev5 (rules read) | first set "
            "(fitted) | natural (held out) | SQuAD part A answer@1 / @3 / ROC-AUC |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for name, row in results.items():
        cells = [" / ".join(f"{v:.3f}" for v in row[k][:4])
                 for k in ("plain_dev", "plain_dev2", "plain_dev3", "plain_dev4", "plain_dev5", "questions", "natural")]
        lines.append(f"| {name} | " + " | ".join(cells) + " | " + " / ".join(str(v) for v in row["squad"]) + " |")
    note = ("Made by `.venv/bin/python scripts/ablation_rules.py --write eval/moved.md`: each rule of sessions 7 to 18 turned "
            "off in turn, the confidence model fitted with all of them (not refitted). docs/evaluation.md discusses it.")
    return note + "\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    emb = load_embedder()
    results = {}
    # --rows TEXT ...: only the configurations whose name holds one of TEXT (a partial run; each takes ~2.5 min)
    wanted = sys.argv[sys.argv.index("--rows") + 1:] if "--rows" in sys.argv else []
    for name, patches in OFF.items():
        if wanted and name != "every rule on" and not any(w in name for w in wanted):
            continue
        results[name] = figures(emb, patches)
        print(name, json.dumps(results[name]), flush=True)
    if "--write" in sys.argv:
        Path(sys.argv[sys.argv.index("--write") + 1]).write_text(moved_table(results), encoding="utf-8")


if __name__ == "__main__":
    main()
