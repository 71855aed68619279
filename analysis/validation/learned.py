"""Validity of learned measures: cross-validated, beside a TF-IDF model on the same folds.

For every frame tried (gun-violence headlines: nine frames, theme1 or theme2; climate articles:
the five generic frames) a binary model is learned as ``python -m analysis learn`` learns it
and cross-validated (:func:`analysis.measures.learned.train.cross_validate`, 5 stratified
folds); on the very same folds, a TF-IDF (1-2-grams) + logistic regression (scikit-learn's
defaults) is trained and scored. For NewsMTSC sentences rated by the mean of their targets'
polarity (2 negative .. 6 positive), a rating model against a TF-IDF ridge (``RidgeCV``). Each
number has its 95% bootstrap interval over the items; the target of a learned number is the
baseline's value. ``learned.png`` draws both, frame by frame.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline

from ..measures.learned.coded import MIN_PER_CLASS
from ..measures.learned.model import Featurise
from ..measures.learned.train import ALPHAS, _inner, cross_validate, featurise_texts
from ..stats import unit_bootstrap_interval
from . import Metric

GVFC = "gvfc_headlines_dev.jsonl"
GVFC_FRAMES = ("economic", "politics", "public_opinion", "mental_health", "gun_control",
               "gun_rights", "race_ethnicity", "society_culture", "public_school_safety")
CLIMATE = "climate_frames_dev.jsonl"
CLIMATE_FRAMES = ("EC", "HI", "CO", "MO", "RE")
NEWSMTSC = "newsmtsc_train.jsonl"
N_BOOT = 1000


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def tfidf_oof(texts, y, kind: str, folds) -> np.ndarray:
    """Out-of-fold predictions of the TF-IDF baseline on ``folds``."""
    texts = np.asarray(texts, dtype=object)
    pred = np.zeros(len(y))
    for train, test in folds:
        if kind == "binary":
            m = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)),
                              LogisticRegression(max_iter=1000))
            m.fit(texts[train], y[train])
            pred[test] = m.predict_proba(texts[test])[:, list(m.classes_).index("1")]
        else:
            m = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), RidgeCV(alphas=ALPHAS))
            m.fit(texts[train], y[train])
            pred[test] = m.predict(texts[test])
    return pred


def compare(texts, y, kind: str, items, label: str, data: str) -> tuple[list[Metric], dict]:
    """The learned model's cross-validated metric and the TF-IDF baseline's, same folds."""
    y = np.asarray(y)
    if kind == "binary" and min((y == "1").sum(), (y == "0").sum()) < MIN_PER_CLASS:
        return [], None  # too few items of a class to cross-validate (never in the real data)
    res = cross_validate(items, y, kind, Featurise())
    folds = _inner(y, None, kind, 0)
    base = tfidf_oof(texts, y, kind, folds)
    if kind == "binary":
        key, what = "auc", "ROC AUC"
        stat = lambda i: roc_auc_score(y[i], base[i])  # noqa: E731
        strata = y
    else:
        key, what = "spearman", "Spearman"
        stat = lambda i: spearmanr(y[i], base[i]).statistic  # noqa: E731
        strata = None
    b = float(stat(np.arange(len(y))))
    ci = unit_bootstrap_interval(stat, len(y), strata=strata, n_resamples=N_BOOT, seed=0)
    n_pos = f", {int((y == '1').sum())} positive" if kind == "binary" else ""
    metrics = [
        Metric("learned", f"{what} learned {label} ({data}, 5-fold CV)", res[key],
               f">= {b:.4f}", len(y), f"target: the TF-IDF baseline{n_pos}",
               tuple(res[f"{key}_ci95"])),
        Metric("learned", f"{what} TF-IDF 1-2-gram {'logistic' if kind == 'binary' else 'ridge'}"
               f" {label} ({data}, same folds)", round(b, 4), "", len(y), "baseline",
               (round(ci[0], 3), round(ci[1], 3))),
    ]
    return metrics, {"data": data, "label": label, "learned": res[key], "tfidf": round(b, 4),
                     "lo": res[f"{key}_ci95"][0], "hi": res[f"{key}_ci95"][1], "metric": what}


def _plot(rows: list[dict], out_dir: Path) -> None:
    import matplotlib.pyplot as plt  # late: heavy

    df = pd.DataFrame(rows)
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(df) + 1.2))
    pos = np.arange(len(df))
    ax.barh(pos + 0.2, df["learned"], height=0.4, label="learned (cross-validated)",
            xerr=[df["learned"] - df["lo"], df["hi"] - df["learned"]], color="#1b9e77")
    ax.barh(pos - 0.2, df["tfidf"], height=0.4, label="TF-IDF baseline, same folds",
            color="#bbbbbb")
    ax.set_yticks(pos, [f"{r.label} ({r.data}, {r.metric})" for r in df.itertuples()])
    ax.set_xlim(0.4, 1.0)
    ax.legend(loc="lower right", fontsize=7)
    ax.set_xlabel("cross-validated AUC / Spearman")
    fig.tight_layout()
    fig.savefig(out_dir / "learned.png", dpi=100)
    plt.close(fig)


def run(validation_dir: Path, out_dir: Path) -> list[Metric]:
    metrics: list[Metric] = []
    rows: list[dict] = []
    for name, frames, lab in ((GVFC, GVFC_FRAMES, lambda r, f: f in (r["theme1"], r["theme2"])),
                              (CLIMATE, CLIMATE_FRAMES, lambda r, f: int(r[f]) == 1)):
        recs = _jsonl(validation_dir / name)
        texts = [r["text"] for r in recs]
        items = featurise_texts(texts, Featurise())
        for f in frames:
            y = np.array(["1" if lab(r, f) else "0" for r in recs])
            m, row = compare(texts, y, "binary", items, f, name.split("_")[0])
            metrics += m
            rows += [row] if row else []
    recs = [r for r in _jsonl(validation_dir / NEWSMTSC) if r.get("targets")]
    texts = [r["sentence_normalized"] for r in recs]
    y = np.array([float(np.mean([t["polarity"] for t in r["targets"]])) for r in recs])
    items = featurise_texts(texts, Featurise())
    m, row = compare(texts, y, "rating", items, "sentence tone", "newsmtsc")
    metrics += m
    rows.append(row)
    _plot(rows, out_dir)
    return metrics
