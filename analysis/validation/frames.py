"""Validation of the built-in frame sets ``pfc`` and ``sv`` against coders of news frames.

Two development files of ``VALIDATION_DIR`` (their coders' labels, never the project's):

* ``gvfc_headlines_dev.jsonl`` -- Gun Violence Frame Corpus headlines (Liu et al., CoNLL 2019),
  ``theme1``/``theme2`` from nine frames. A headline is positive for a label when either
  theme is it. Labels mapped to a Policy Frames Codebook frame by the two codebooks'
  definitions (:data:`GVFC_FRAMES`).
* ``climate_frames_dev.jsonl`` -- Narrative Frames Corpus articles on climate change (Frermann
  et al., ACL 2023), 0/1 codes ``EC``, ``HI``, ``CO``, ``MO`` of Semetko & Valkenburg's frames
  (:data:`CLIMATE_FRAMES`). ``RE`` (resolution) is no frame of either set: S&V's
  responsibility frame asks who caused a problem *and* who should solve it, so RE is reported
  beside ``emph_sv_responsibility`` as a partial match only, without a target.

Per (file, label, frame): the ROC AUC of ``emph_<frame>`` (per 1,000 words, scored through the
same code path as ``features``), of Empath's nearest category (:data:`EMPATH_NEAREST`, chosen
by meaning, not by score) and of a TF-IDF + logistic regression model cross-validated on the
same items (5 stratified folds, out-of-fold probabilities), each with a 95% bootstrap interval
over items resampled within positives and negatives. Target per frame: AUC >= 0.80; the mean
over the frames of a set: >= 0.85. The default set's nearest frames are reported beside them
(no target). A bar chart goes into ``out_dir``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from empath import Empath
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from ..figures import OKABE_ITO, apply_style
from ..measures.emphasis.scorer import EmphasisScorer
from ..stats import unit_bootstrap_interval
from ..text import parse_articles
from . import Metric

GVFC_FILE = "gvfc_headlines_dev.jsonl"
CLIMATE_FILE = "climate_frames_dev.jsonl"
# Coders' label -> our frame keys (first: the frame the label is validated for).
GVFC_FRAMES = {
    "economic": ("pfc_economic", "sv_economic", "economics"),
    "politics": ("pfc_political",),
    "public_opinion": ("pfc_public_opinion",),
    "mental_health": ("pfc_health_safety",),
    "gun_rights": ("pfc_legality", "law_sovereignty"),  # rights, the Second Amendment
    "gun_control": ("pfc_policy_prescription",),        # a policy and whether it works
    # the codebook's health and safety names the prevention of gun violence; security and
    # defense (protecting one's person and in-group) is reported beside it
    "public_school_safety": ("pfc_health_safety", "pfc_security_defense", "security"),
    "race_ethnicity": ("pfc_fairness_equality",),        # discrimination, unequal treatment
    "society_culture": ("pfc_cultural_identity",),
}
CLIMATE_FRAMES = {
    "EC": ("sv_economic", "pfc_economic", "economics"),
    "HI": ("sv_human_interest",),
    "CO": ("sv_conflict",),
    "MO": ("sv_morality", "pfc_morality"),
    "RE": ("sv_responsibility",),
}
PARTIAL = {("climate", "RE")}  # reported, no target: not the same frame (see module doc)
EMPATH_NEAREST = {
    "economic": "economics", "political": "politics", "public_opinion": "speaking",
    "health_safety": "health", "legality": "law", "policy_prescription": "government",
    "security_defense": "military", "fairness_equality": "hate", "cultural_identity": "art",
    "morality": "religion", "human_interest": "emotional", "conflict": "dispute",
    "responsibility": "government", "economics": "economics", "law_sovereignty": "law",
    "security": "military",
}
TARGET, MEAN_TARGET = ">= 0.80", ">= 0.85"
FOLDS = 5


def _frame(key: str) -> str:
    return key.removeprefix("pfc_").removeprefix("sv_")


def score_texts(texts, keys, batch_size: int = 64) -> pd.DataFrame:
    """``emph_<key>`` of each text (frame sets default, pfc and sv) and Empath's nearest
    category of each key (``empath_<key>``, share of tokens), on the same cleaned text."""
    scorer = EmphasisScorer(frames=("default", "pfc", "sv"))
    lexicon = Empath()
    cats = sorted({EMPATH_NEAREST[_frame(k)] for k in keys})
    rows = []
    no_idx = np.zeros((0, 0), dtype=np.int64)
    for art in parse_articles(((f"{i:06d}", t) for i, t in enumerate(texts)),
                              batch_size=batch_size):
        cols = scorer.score(art, no_idx.reshape(0, len(art.sentences))).columns
        emp = lexicon.analyze(art.text, categories=cats, normalize=True) or {}
        rows.append({**{f"emph_{k}": cols[f"emph_{k}"] for k in keys},
                     **{f"empath_{k}": float(emp.get(EMPATH_NEAREST[_frame(k)], 0.0))
                        for k in keys}})
    return pd.DataFrame(rows)


def tfidf_scores(texts, y: np.ndarray, seed: int = 0) -> np.ndarray:
    """Out-of-fold probabilities of a TF-IDF (words and word pairs) + logistic regression
    model, :data:`FOLDS` stratified folds (fewer when a class has fewer items), seeded."""
    folds = min(FOLDS, int(y.sum()), int((~y).sum()))
    model = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
                          LogisticRegression(max_iter=2000, class_weight="balanced"))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_predict(model, list(texts), y, cv=cv, method="predict_proba")[:, 1]


def _auc(y, s, name, source, n_pos, target="", note=""):
    ci = unit_bootstrap_interval(lambda i: roc_auc_score(y[i], s[i]), len(y), strata=y)
    return Metric("frames", name, float(roc_auc_score(y, s)), target, len(y),
                  note or f"{n_pos} coded vs {len(y) - n_pos} not ({source})", ci)


def evaluate(data: pd.DataFrame, labels: dict[str, np.ndarray], mapping: dict,
             source: str, dataset: str) -> tuple[list[Metric], list[tuple]]:
    """Metrics for every (label, frame) of ``mapping``, and the rows of the chart."""
    keys = sorted({k for ks in mapping.values() for k in ks})
    scores = score_texts(data["text"].tolist(), keys)
    metrics, bars = [], []
    for label, ks in mapping.items():
        y = labels[label]
        n_pos = int(y.sum())
        if n_pos < 2 or n_pos > len(y) - 2:
            raise ValueError(f"{source}: label {label!r} has {n_pos} coded items of {len(y)}")
        partial = (dataset, label) in PARTIAL
        tf = tfidf_scores(data["text"], y)
        base = f"{label} vs rest ({source})"
        for j, k in enumerate(ks):
            primary = j == 0 and not partial
            m = _auc(y, scores[f"emph_{k}"].to_numpy(float), f"ROC AUC emph_{k}, {base}",
                     source, n_pos, TARGET if primary else "",
                     "" if primary else ("partial match: resolution is one part of "
                                         "responsibility" if partial else "same items"))
            e = _auc(y, scores[f"empath_{k}"].to_numpy(float), f"ROC AUC Empath "
                     f"'{EMPATH_NEAREST[_frame(k)]}' baseline for {k}, {base}", source, n_pos)
            metrics += [m, e]
            if j == 0:
                t = _auc(y, tf, f"ROC AUC TF-IDF + logistic regression ({FOLDS}-fold "
                         f"cross-validated), {base}", source, n_pos)
                metrics.append(t)
                bars.append((f"{k} ~ {label}", m, e, t, primary))
    return metrics, bars


def _plot(bars, out_dir: Path) -> None:
    matplotlib.use("agg")
    apply_style()
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.42 * len(bars)))
    y = np.arange(len(bars))
    for off, idx, label, colour in ((-0.27, 1, "ours (dictionary)", OKABE_ITO[4]),
                                    (0.0, 2, "Empath nearest category", OKABE_ITO[5]),
                                    (0.27, 3, "TF-IDF + LR, cross-validated", OKABE_ITO[1])):
        vals = np.array([b[idx].value for b in bars])
        err = np.array([[b[idx].value - b[idx].ci[0], b[idx].ci[1] - b[idx].value]
                        for b in bars]).T
        ax.barh(y + off, vals, height=0.26, color=colour, label=label, xerr=err,
                error_kw={"lw": 0.7})
    ax.axvline(0.5, color="0.6", lw=0.8, ls=":")
    ax.axvline(0.8, color="0.3", lw=0.8, ls="--")
    ax.set_yticks(y, [b[0] for b in bars], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0.3, 1.0)
    ax.set_xlabel("ROC AUC against the coders (95% interval)")
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    fig.tight_layout()
    fig.savefig(out_dir / "frames_auc.png", dpi=150, metadata={"Software": None})
    plt.close(fig)


def _read(path: Path, columns) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    data = pd.read_json(path, lines=True, dtype=False)
    missing = set(columns) - set(data.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return data


def run(validation_dir: Path, out_dir: Path) -> list[Metric]:
    vdir = Path(validation_dir)
    gv = _read(vdir / GVFC_FILE, ["text", "theme1", "theme2"])
    themes = gv[["theme1", "theme2"]].fillna("").astype(str)
    gv_labels = {lab: ((themes["theme1"] == lab) | (themes["theme2"] == lab)).to_numpy()
                 for lab in GVFC_FRAMES}
    cl = _read(vdir / CLIMATE_FILE, ["text", *CLIMATE_FRAMES])
    cl_labels = {lab: cl[lab].astype(int).to_numpy() == 1 for lab in CLIMATE_FRAMES}
    m1, b1 = evaluate(gv, gv_labels, GVFC_FRAMES, GVFC_FILE, "gvfc")
    m2, b2 = evaluate(cl, cl_labels, CLIMATE_FRAMES, CLIMATE_FILE, "climate")
    metrics = m1 + m2
    bars = b1 + b2
    for prefix in ("pfc_", "sv_"):
        own = [b[1].value for b in bars if b[4] and b[0].startswith(prefix)]
        if own:
            metrics.append(Metric("frames", f"mean ROC AUC of the {prefix[:-1]} frames "
                                  "validated here", float(np.mean(own)), MEAN_TARGET, len(own),
                                  "frames with a coded counterpart on the development data"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    _plot(bars, Path(out_dir))
    return metrics
