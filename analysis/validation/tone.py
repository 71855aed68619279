"""Validation of the tone measures against human ratings.

* ``nyt_editorials_dev.tsv`` (columns ``id``, ``rating``, ``text``; ``id`` = ``<article>_<n>``):
  every sentence is scored with :func:`analysis.measures.tone.scorer.score_span` (the features' code path, with
  the study's topic terms), sentences are grouped by the article part of ``id`` and article
  scores are averaged as in the features; Spearman with the article's mean human rating.
* ``tone_learned`` (:mod:`analysis.validation.tone_learned`): the NYT editorials and the
  NewsMTSC sentences are its training data, so its figures with a target are cross-validated
  (out-of-fold scores; ``net_optimism``, built on it, uses them too), beside VADER and a TF-IDF
  ridge on the same folds; the shipped model's own NYT figure is reported as in-sample.
  NewsMTSC: ROC AUC of the sentence score for positive vs negative sentences (the mean
  polarity of the sentence's rated persons above or below neutral).
* ``science_certainty_dev.jsonl`` (``finding``, ``certainty`` 1..6): Spearman of the sentence's
  hedging rate (hedges per 1,000 words) with certainty.

Each correlation with a target (and the baselines) carries a 95% bootstrap interval over its
units (editorials; sentences), seeded.

The given sentences are treated as sentences: each is parsed on its own with the shared spaCy
pipeline (no article parse), then scored by the same function the features use.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from ..figures import OKABE_ITO, apply_style
from ..nlp import get_nlp, shared_disable
from ..stats import unit_bootstrap_interval
from ..measures.tone.scorer import CUE_LISTS, analyzers, score_span, sentence_net
from ..measures.tone.vader import topic_key
from ..measures.tone.vader import vader_scores
from . import Metric
from .tone_learned import LearnedCV, learned_cv

NYT_FILE = "nyt_editorials_dev.tsv"
SCIENCE_FILE = "science_certainty_dev.jsonl"


def score_sentences(texts: list[str], topic_terms=(), learned=None) -> pd.DataFrame:
    """Score texts given as sentences, each parsed on its own, as the features score one.

    Parameters
    ----------
    texts : list of str
        One sentence each.
    topic_terms : iterable of str
        The study's topic terms, neutral in ``tone_compound_adapted``.
    learned : sequence of float, optional
        The learned tone of each text (e.g. cross-validated); default the shipped model's.

    Returns
    -------
    pandas.DataFrame
        One row per text: ``n_words``, ``tone_compound``, ``tone_compound_adapted``,
        ``tone_learned``, the cue counts of :data:`analysis.measures.tone.scorer.CUE_LISTS` and ``sentence_net``.
    """
    nlp = get_nlp()
    terms = topic_key(topic_terms)
    rows = []
    docs = nlp.pipe([str(t) for t in texts], disable=shared_disable(nlp), batch_size=256)
    for i, doc in enumerate(docs):
        st = score_span(doc[:], doc.text, terms, None if learned is None else learned[i])
        rows.append({"n_words": sum(1 for t in doc if not (t.is_punct or t.is_space)),
                     "tone_compound": st.compound, "tone_compound_adapted": st.compound_adapted,
                     "tone_learned": st.learned,
                     **{k: st.counts[k] for k in CUE_LISTS}, "sentence_net": st.net})
    return pd.DataFrame(rows)


def _rho(a, b) -> float:
    """Spearman's rho; NaN (no warning) when either input is constant."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


def nyt_articles(path: Path, topic_terms=(), learned=None) -> pd.DataFrame:
    """Article-level scores and mean human rating from the NYT editorial sentences.

    Parameters
    ----------
    path : pathlib.Path
        ``nyt_editorials_dev.tsv`` (columns ``id``, ``rating``, ``text``).
    topic_terms : iterable of str
        The study's topic terms, neutral in ``tone_mean_adapted``.
    learned : sequence of float, optional
        The learned tone of each sentence, in file order (the cross-validated scores); default
        the shipped model's. ``tone_learned`` and ``net_optimism`` are built on it.

    Returns
    -------
    pandas.DataFrame
        One row per editorial (``id`` up to its last ``_``), sorted: the mean ``rating``, the
        means of the sentence scores (``tone_mean``, ``tone_mean_adapted``, ``tone_learned``,
        ``net_optimism``; ``net_optimism_adapted``: the same with the adapted compound),
        ``vader_whole_text`` (one VADER compound of the joined sentences, the saturating
        baseline, by :func:`analysis.measures.tone.vader.vader_scores`) and ``n_sentences``.
    """
    df = pd.read_csv(path, sep="\t", dtype={"id": str}, keep_default_na=False)
    missing = {"id", "rating", "text"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    if learned is not None and len(learned) != len(df):
        raise ValueError(f"{path}: {len(df)} sentences, {len(learned)} learned scores")
    scored = score_sentences(df["text"].tolist(), topic_terms, learned)
    scored["net_adapted"] = [sentence_net(c, o, k) for c, o, k in zip(
        scored["tone_compound_adapted"], scored["optimism"], scored["caution"])]
    scored["article"] = df["id"].str.rsplit("_", n=1).str[0].to_numpy()
    scored["rating"] = pd.to_numeric(df["rating"]).to_numpy()
    raw = analyzers()[0]
    whole = df.groupby(scored["article"].to_numpy(), sort=True)["text"].apply(
        lambda t: vader_scores(raw, " ".join(t))["compound"])  # the saturating baseline
    g = scored.groupby("article", sort=True)
    out = pd.DataFrame({
        "rating": g["rating"].mean(),
        "tone_mean": g["tone_compound"].mean(),
        "tone_mean_adapted": g["tone_compound_adapted"].mean(),
        "tone_learned": g["tone_learned"].mean(),
        "net_optimism": g["sentence_net"].mean(),
        "net_optimism_adapted": g["net_adapted"].mean(),
        "vader_whole_text": whole,
        "n_sentences": g.size(),
    })
    return out


def _nyt_learned(lc: LearnedCV) -> pd.DataFrame:
    """Per editorial: the shipped model's mean score (in-sample) and the TF-IDF ridge's."""
    i = lc.of("nyt_editorials")
    return pd.DataFrame({
        "article": [g.split(":", 1)[1] for g in np.array(lc.items.group)[i]],
        "tone_learned_in_sample": lc.in_sample[i], "tfidf_ridge": lc.tfidf[i],
    }).groupby("article", sort=True).mean()


def newsmtsc_sentences(lc: LearnedCV, topic_terms=()) -> pd.DataFrame:
    """The NewsMTSC sentences rated positive or negative (not neutral): ``positive``, the
    cross-validated ``tone_learned``, VADER's compound, the TF-IDF ridge, ``sentence_net`` (on
    the cross-validated tone) and ``net_adapted`` (on the adapted compound)."""
    i = lc.of("newsmtsc")
    i = i[np.asarray(lc.items.y)[i] != 0]
    scored = score_sentences([lc.items.texts[k] for k in i], topic_terms, lc.cv[i])
    scored["net_adapted"] = [sentence_net(c, o, k) for c, o, k in zip(
        scored["tone_compound_adapted"], scored["optimism"], scored["caution"])]
    scored["positive"] = np.asarray(lc.items.y)[i] > 0
    scored["tfidf_ridge"] = lc.tfidf[i]
    return scored


def _auc(df: pd.DataFrame, col: str) -> dict:
    y, s = df["positive"].to_numpy(), df[col].to_numpy(float)
    return {"value": float(roc_auc_score(y, s)), "ci": unit_bootstrap_interval(
        lambda i: float(roc_auc_score(y[i], s[i])), len(y), strata=y)}


def _newsmtsc_metrics(mt: pd.DataFrame) -> list[Metric]:
    n, what = len(mt), f"NewsMTSC sentences ({int(mt['positive'].sum())} positive)"
    return [
        Metric("tone", "AUC(tone_learned, positive vs negative), " + what, target=">= 0.85",
               n=n, note="cross-validated, 5 folds grouped by article", **_auc(mt, "tone_learned")),
        Metric("tone", "baseline: AUC(VADER sentence compound), NewsMTSC", target="", n=n,
               **_auc(mt, "tone_compound")),
        Metric("tone", "baseline: AUC(TF-IDF ridge), NewsMTSC", target="", n=n,
               note="same items, folds and weights", **_auc(mt, "tfidf_ridge")),
        Metric("tone", "reported: AUC(sentence_net), NewsMTSC", target="", n=n,
               note="learned tone (cross-validated) + stance", **_auc(mt, "sentence_net")),
        Metric("tone", "reported: AUC(sentence_net on the adapted compound), NewsMTSC",
               target="", n=n, **_auc(mt, "net_adapted")),
    ]


def science_sentences(path: Path) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    df = pd.DataFrame(rows)
    scored = score_sentences(df["finding"].tolist())
    scored["certainty"] = pd.to_numeric(df["certainty"]).to_numpy()
    words = scored["n_words"].clip(lower=1)
    scored["hedging_rate"] = scored["hedging"] * 1000.0 / words
    scored["boosting_rate"] = scored["boosting"] * 1000.0 / words
    return scored


def _plots(arts: pd.DataFrame, sci: pd.DataFrame, out_dir: Path) -> None:
    matplotlib.use("agg")
    apply_style()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharey=True)
    for ax, col in zip(axes, ["tone_mean_adapted", "tone_learned", "net_optimism"]):
        ax.scatter(arts[col], arts["rating"], s=10, color=OKABE_ITO[4], alpha=0.7)
        cv = " (cross-validated)" if col != "tone_mean_adapted" else ""
        ax.set_xlabel(f"{col}{cv} (-1..1)")
        ax.set_title(f"Spearman {_rho(arts[col], arts['rating']):.2f}, n = {len(arts)} editorials")
    axes[0].set_ylabel("mean human rating (-4..+4)")
    fig.savefig(out_dir / "tone-nyt-editorials.png", dpi=150, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.5, 3.4))
    levels = sorted(sci["certainty"].round().unique())
    data = [sci.loc[sci["certainty"].round() == lv, "hedging"].to_numpy() for lv in levels]
    ax.bar([str(int(lv)) for lv in levels], [d.mean() for d in data], color=OKABE_ITO[5])
    ax.set_xlabel("human certainty (1 very uncertain .. 6 very certain)")
    ax.set_ylabel("hedges per sentence (mean)")
    ax.set_title(f"Spearman(hedging rate, certainty) = "
                 f"{_rho(sci['hedging_rate'], sci['certainty']):.2f}, n = {len(sci)}")
    fig.savefig(out_dir / "tone-science-hedging.png", dpi=150, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)


def run(validation_dir: Path, out_dir: Path, topic_terms=()) -> list[Metric]:
    """The tone metrics; ``topic_terms`` are the study's (neutral in the adapted tone)."""
    validation_dir, out_dir = Path(validation_dir), Path(out_dir)
    nyt_path, sci_path = validation_dir / NYT_FILE, validation_dir / SCIENCE_FILE
    for p in (nyt_path, sci_path):
        if not p.is_file():
            raise FileNotFoundError(2, "no such file", str(p))
    lc = learned_cv(validation_dir)
    arts = nyt_articles(nyt_path, topic_terms, learned=lc.cv[lc.of("nyt_editorials")])
    arts = arts.join(_nyt_learned(lc))
    mt = newsmtsc_sentences(lc, topic_terms)
    sci = science_sentences(sci_path)
    n_a, n_s = len(arts), len(sci)
    nyt = f"NYT editorials ({int(arts['n_sentences'].sum())} sentences)"
    def rho(df, x, y, ci=True):
        a, b = df[x].to_numpy(float), df[y].to_numpy(float)
        value = _rho(a, b)
        if not ci:
            return {"value": value}
        return {"value": value, "ci": unit_bootstrap_interval(lambda i: _rho(a[i], b[i]),
                                                              len(a))}

    m = [
        Metric("tone", "spearman(tone_mean_adapted, mean human rating), " + nyt,
               target=">= 0.70", n=n_a, note="mean of adapted sentence compounds",
               **rho(arts, "tone_mean_adapted", "rating")),
        Metric("tone", "spearman(tone_learned, mean human rating), " + nyt,
               target=">= 0.70", n=n_a, note="cross-validated, 5 folds grouped by editorial",
               **rho(arts, "tone_learned", "rating")),
        Metric("tone", "spearman(net_optimism, mean human rating), " + nyt,
               target=">= 0.70", n=n_a, note="learned tone (cross-validated) + optimism/caution "
               "stance", **rho(arts, "net_optimism", "rating")),
        Metric("tone", "in-sample: spearman(tone_learned as shipped, rating)", target="",
               n=n_a, note="NYT is training data: not a validity figure",
               **rho(arts, "tone_learned_in_sample", "rating", False)),
        Metric("tone", "baseline: spearman(TF-IDF ridge, rating)", target="", n=n_a,
               note="same items, folds and weights", **rho(arts, "tfidf_ridge", "rating")),
        Metric("tone", "reported: spearman(net_optimism on the adapted compound, rating)",
               target="", n=n_a, note="the stance with VADER instead of the learned tone",
               **rho(arts, "net_optimism_adapted", "rating")),
        Metric("tone", "baseline: spearman(VADER mean sentence compound, rating)",
               target="", n=n_a, note="= tone_mean", **rho(arts, "tone_mean", "rating")),
        Metric("tone", "baseline: spearman(VADER on whole text, rating)", target="", n=n_a,
               note="one call per article", **rho(arts, "vader_whole_text", "rating")),
        *_newsmtsc_metrics(mt),
        Metric("tone", "spearman(sentence hedging per 1,000 words, certainty), science findings",
               target="<= -0.60", n=n_s, **rho(sci, "hedging_rate", "certainty")),
        Metric("tone", "spearman(sentence hedging count, certainty), science findings",
               target="", n=n_s, note="reported only", **rho(sci, "hedging", "certainty", False)),
        Metric("tone", "spearman(sentence boosting per 1,000 words, certainty)", target="",
               n=n_s, note="reported only", **rho(sci, "boosting_rate", "certainty", False)),
    ]
    for x in m:
        if not np.isfinite(x.value):
            x.note = (x.note + "; " if x.note else "") + "undefined (constant input)"
    _plots(arts, sci, out_dir)
    return m
