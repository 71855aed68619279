"""Validation of the tone measures against human ratings.

* ``nyt_editorials_dev.tsv`` (columns ``id``, ``rating``, ``text``; ``id`` = ``<article>_<n>``):
  every sentence is scored with :func:`analysis.measures.tone.scorer.score_span` (the features' code path, with
  the study's topic terms), sentences are grouped by the article part of ``id`` and article
  scores are averaged as in the features; Spearman with the article's mean human rating.
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

from ..figures import OKABE_ITO, apply_style
from ..nlp import get_nlp, shared_disable
from ..stats import unit_bootstrap_interval
from ..measures.tone.scorer import CUE_LISTS, analyzers, score_span
from ..measures.tone.vader import topic_key
from ..measures.tone.vader import vader_scores
from . import Metric

NYT_FILE = "nyt_editorials_dev.tsv"
SCIENCE_FILE = "science_certainty_dev.jsonl"


def score_sentences(texts: list[str], topic_terms=()) -> pd.DataFrame:
    """Score texts given as sentences, each parsed on its own, as the features score one.

    Parameters
    ----------
    texts : list of str
        One sentence each.
    topic_terms : iterable of str
        The study's topic terms, neutral in ``tone_compound_adapted``.

    Returns
    -------
    pandas.DataFrame
        One row per text: ``n_words``, ``tone_compound``, ``tone_compound_adapted``, the cue
        counts of :data:`analysis.measures.tone.scorer.CUE_LISTS` and ``sentence_net``.
    """
    nlp = get_nlp()
    terms = topic_key(topic_terms)
    rows = []
    for doc in nlp.pipe([str(t) for t in texts], disable=shared_disable(nlp), batch_size=256):
        st = score_span(doc[:], doc.text, terms)
        rows.append({"n_words": sum(1 for t in doc if not (t.is_punct or t.is_space)),
                     "tone_compound": st.compound, "tone_compound_adapted": st.compound_adapted,
                     **{k: st.counts[k] for k in CUE_LISTS}, "sentence_net": st.net})
    return pd.DataFrame(rows)


def _rho(a, b) -> float:
    """Spearman's rho; NaN (no warning) when either input is constant."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


def nyt_articles(path: Path, topic_terms=()) -> pd.DataFrame:
    """Article-level scores and mean human rating from the NYT editorial sentences.

    Parameters
    ----------
    path : pathlib.Path
        ``nyt_editorials_dev.tsv`` (columns ``id``, ``rating``, ``text``).
    topic_terms : iterable of str
        The study's topic terms, neutral in ``tone_mean_adapted`` and ``net_optimism``.

    Returns
    -------
    pandas.DataFrame
        One row per editorial (``id`` up to its last ``_``), sorted: the mean ``rating``, the
        means of the sentence scores (``tone_mean``, ``tone_mean_adapted``, ``net_optimism``),
        ``vader_whole_text`` (one VADER compound of the joined sentences, the saturating
        baseline, by :func:`analysis.measures.tone.vader.vader_scores`) and ``n_sentences``.
    """
    df = pd.read_csv(path, sep="\t", dtype={"id": str}, keep_default_na=False)
    missing = {"id", "rating", "text"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    scored = score_sentences(df["text"].tolist(), topic_terms)
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
        "net_optimism": g["sentence_net"].mean(),
        "vader_whole_text": whole,
        "n_sentences": g.size(),
    })
    return out


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
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), sharey=True)
    for ax, col in zip(axes, ["tone_mean_adapted", "net_optimism"]):
        ax.scatter(arts[col], arts["rating"], s=10, color=OKABE_ITO[4], alpha=0.7)
        ax.set_xlabel(f"{col} (-1..1)")
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
    arts = nyt_articles(nyt_path, topic_terms)
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
        Metric("tone", "spearman(net_optimism, mean human rating), " + nyt,
               target=">= 0.70", n=n_a, note="adapted compound + optimism/caution stance",
               **rho(arts, "net_optimism", "rating")),
        Metric("tone", "baseline: spearman(VADER mean sentence compound, rating)",
               target="", n=n_a, note="= tone_mean", **rho(arts, "tone_mean", "rating")),
        Metric("tone", "baseline: spearman(VADER on whole text, rating)", target="", n=n_a,
               note="one call per article", **rho(arts, "vader_whole_text", "rating")),
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
