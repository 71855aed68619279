"""Validation of tone toward a target against NewsMTSC's ratings of news sentences.

``newsmtsc_train.jsonl``: sentences, each with one or more ``targets`` (character offsets
``from``/``to``, ``mention``, ``polarity`` 2 negative, 4 neutral, 6 positive: the sentence's
tone toward that person, as raters judged it). Each sentence is parsed on its own with the
shared spaCy pipeline (parser and NER on); the rated target is the mention at its offsets
(the data's own ``further_mentions`` are not used: the pronouns that refer to it are found by
the measure's rule, :func:`analysis.measures.tone.targets.refer_pronouns`), and its tone is
:func:`analysis.measures.tone.toward.mention_tones` averaged over those mentions, the code
path of ``tone_toward_<actor>``: a sentence with one rated target is scored whole, one with
several is split into clauses (the other rated people stand for the other actors). Metric: ROC AUC of that tone for positive vs negative targets
(neutral ones left out), apart for sentences with one target and with several, beside VADER's
compound of the whole sentence (the same score for every target of a sentence) and the
measure with VADER's compound as its clause scorer, each with a 95% bootstrap interval over the
targets (positives and negatives resampled apart).

Cross-validated: the measure's clause scorer, the learned tone, is trained on these very
sentences (:mod:`analysis.measures.tone.training`), so the shipped model would score them
in-sample. Each target is scored instead with the model of the fold that holds its article out:
the folds and the fitting of :func:`analysis.measures.tone.training.cross_validate` (the same
split as ``tone_learned``'s own validation), whose out-of-fold score of a sentence is its
whole-sentence tone, and whose fold model scores the clauses of a sentence with several targets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from ..measures.tone.learned import linear_scores
from ..measures.tone.targets import PRONOUNS, is_person_name, refer_pronouns
from ..measures.tone.toward import learned_clause_tone, mention_tones, vader_clause
from ..measures.tone.training import (cross_validate, featurise_texts, fit, read_sources,
                                      source_weights)
from ..nlp import get_nlp
from ..stats import unit_bootstrap_interval
from . import Metric

NEWSMTSC_FILE = "newsmtsc_train.jsonl"
POSITIVE, NEGATIVE = 6.0, 2.0
TARGET_AUC = ">= 0.85"


def target_tone(doc, start: int, end: int, split: bool = True, clause_tone=vader_clause,
                sentence: float | None = None) -> float:
    """Tone toward the target at tokens ``start:end`` of a parsed sentence: the mean tone of
    the clauses of that mention and of the pronouns that refer to it (each scored by
    ``clause_tone``); ``split`` False (the sentence names no other rated target) scores the
    whole sentence (``sentence`` when given), as the features do for a sentence that names one
    target."""
    if not split:
        return float(clause_tone(doc.text) if sentence is None else sentence)
    last = doc[end - 1]
    person = is_person_name(last.tag_, last.text[:1].isupper())
    persons = [(e.start, e.end) for e in doc.ents
               if e.label_ == "PERSON" and not (e.start < end and start < e.end)]
    pronouns = [t.i for t in doc if t.lower_ in PRONOUNS and t.tag_.startswith("PRP")
                and not start <= t.i < end]
    (referred,), _ = refer_pronouns([([(start, end, "t", person)], persons, pronouns, True)])
    mentions = [(start, end), *((p, p + 1) for p, _ in referred)]
    return float(np.mean([score for _, _, score, _, _ in
                          mention_tones(doc, mentions, clause_tone)]))


def fold_models(validation_dir: Path) -> tuple[np.ndarray, np.ndarray, list]:
    """The learned tone cross-validated over the training sources, for the NewsMTSC items:
    their out-of-fold scores, the fold of each, and the model of each fold (trained without
    it), in file order."""
    items = read_sources(validation_dir)
    values, numeric = featurise_texts(items.texts)
    y, w = np.asarray(items.y, dtype=float), source_weights(items)
    models, fold = [], np.full(len(y), -1)

    def fitter(tr, te):  # the default recipe of cross_validate, keeping each fold's model
        model = fit([values[i] for i in tr], numeric[tr], y[tr], w[tr])
        fold[te] = len(models)
        models.append(model)
        return linear_scores(model, [values[i] for i in te], numeric[te])
    cv = cross_validate(items, values, numeric, fitter=fitter)
    mt = np.flatnonzero(np.array(items.source) == "newsmtsc")
    return cv[mt], fold[mt], models


def newsmtsc_targets(path: Path, learned: tuple | None = None) -> pd.DataFrame:
    """One row per rated target: ``sentence``, ``n_targets``, ``polarity``, ``toward`` (the
    measure, with the learned clause tone of ``learned`` = :func:`fold_models`, when given),
    ``toward_vader`` (the measure with VADER's clause compound) and ``vader`` (the whole
    sentence's compound)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if learned is not None and len(learned[0]) != len(rows):
        raise ValueError(f"{path}: {len(rows)} records, {len(learned[0])} training items")
    clause_tones = [learned_clause_tone(m) for m in learned[2]] if learned else []
    nlp = get_nlp()
    disable = [p for p in ("senter",) if p in nlp.pipe_names]
    out = []
    docs = nlp.pipe((r["sentence_normalized"] for r in rows), disable=disable, batch_size=64)
    for i, (r, doc) in enumerate(zip(rows, docs)):
        sentence = vader_clause(doc.text)
        split = len(r["targets"]) > 1
        for t in r["targets"]:
            span = doc.char_span(int(t["from"]), int(t["to"]), alignment_mode="expand")
            if span is None or not len(span):
                continue
            row = {"sentence": i, "n_targets": len(r["targets"]),
                   "polarity": float(t["polarity"]),
                   "toward_vader": target_tone(doc, span.start, span.end, split),
                   "vader": sentence}
            if learned:
                row["toward"] = target_tone(doc, span.start, span.end, split,
                                            clause_tones[learned[1][i]], learned[0][i])
            out.append(row)
    return pd.DataFrame(out)


def _auc(y, x) -> float:
    return float(roc_auc_score(y, x)) if 0 < y.sum() < len(y) else float("nan")


def run(validation_dir: Path, out_dir: Path) -> list[Metric]:
    """The tone-toward metrics (AUC, one-target and several-target sentences, beside VADER)."""
    path = Path(validation_dir) / NEWSMTSC_FILE
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    df = newsmtsc_targets(path, fold_models(validation_dir))
    df = df[df["polarity"].isin([POSITIVE, NEGATIVE])]
    metrics = []
    for kind, part in (("one target", df[df["n_targets"] == 1]),
                       ("several targets", df[df["n_targets"] > 1])):
        y = (part["polarity"] == POSITIVE).to_numpy()
        label = f"NewsMTSC sentences with {kind} ({part['sentence'].nunique()} sentences)"
        for col, name, target, note in (
                ("toward", "tone_toward (learned clause tone of the target's mentions, "
                 "cross-validated)", TARGET_AUC,
                 "learned tone of the fold that holds the article out: the sentence's with one "
                 "target; with several, the clause's"),
                ("toward_vader", "tone_toward with VADER's clause compound (baseline)", "",
                 "sentence compound with one target; with several, the clause's (the "
                 "sentence's where the clause has none)"),
                ("vader", "VADER compound of the whole sentence (baseline)", "",
                 "the same score for every target of a sentence")):
            x = part[col].to_numpy(float)
            metrics.append(Metric(
                "toward", f"AUC({name}, positive vs negative), {label}", _auc(y, x),
                target=target, n=len(part), note=note,
                ci=unit_bootstrap_interval(lambda i, x=x, y=y: _auc(y[i], x[i]), len(part),
                                           strata=y, n_resamples=1000)))
    return metrics
