"""Ablation of issue 13 (a developer script): the same runs with question shapes and the question score turned off.

Run: ``.venv/bin/python scripts/ablation.py`` (about a minute). Prints hit@1, hit@3, abstention recall,
false abstention and ROC-AUC on the first evaluation set and the natural set for three configurations;
docs/evaluation.md quotes its output. Monkeypatches the answer stage, so it stays out of the package.
"""
import json, math, numpy as np
from dataclasses import replace
from pathlib import Path
import qa.answer.compose as C
from qa.config import Config
from qa.evaluation.runner import EvalPaths, run_eval_set
from qa.index.embedding import load_embedder
from qa.answer.calibration import load_calibration
from qa.answer.confidence import PassageModel
emb = load_embedder()
orig_shape = C.shape_candidates
orig_qf = C.question_features
cal = load_calibration()
def no_shapes(index, query, scored):
    return scored, np.zeros(len(scored.ids), dtype=bool), False
def old_question(query, logit, probs, unsaid):
    return [logit, 0.0, 0.0, 0.0]
res = {}
for name, shape_fn, qf, old in [("shapes off, answer-level abstention only", no_shapes, old_question, True),
                               ("shapes on, answer-level abstention only", orig_shape, old_question, True),
                               ("shapes on, question score (all of issue 13)", orig_shape, orig_qf, False)]:
    C.shape_candidates, C.question_features = shape_fn, qf
    row = {}
    for qfile in ["eval/questions.jsonl", "eval/natural.jsonl"]:
        import qa.pipeline as P
        orig_open = P.open_assistant
        def opener(*a, _old=old, **k):
            asst = orig_open(*a, **k)
            if _old:
                m = asst.confidence
                asst.confidence = replace(m, question_coef=(1.0, 0, 0, 0), question_intercept=0.0,
                                          answer_threshold=cal.answer_threshold)
            return asst
        import qa.evaluation.runner as R
        R.open_assistant = opener
        run = run_eval_set(EvalPaths(Path("seeds"), Path(qfile), Path("eval/quotes.jsonl"), Path("/tmp/abl")), Config(), emb, 5,
                           name="natural" if "natural" in qfile else "eval")
        v = run.systems[0].values
        row[qfile] = {k: round(v[k], 3) for k in ("hit@1", "hit@3", "abstention_recall", "false_abstention_rate", "roc_auc")}
        R.open_assistant = orig_open
    res[name] = row
    print(name, json.dumps(row))
