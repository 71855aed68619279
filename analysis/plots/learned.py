"""fig30-fig33 of notebook 06: a learned measure, from coding to the comparison of groups.

fig30 the learning curve (cross-validated validity by number of coded items), fig31 the terms
with the largest weights of each output, fig32 agreement between coders and of the model with
each coder, fig33 the learned measure by article or group, its validity in the caption.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int
from ..stats import unit_bootstrap_interval
from .grouping import Grouping
from .plot import Plot

__all__ = ["plot_learning_curve", "plot_learned_terms", "plot_agreement",
           "plot_learned_groups", "validity_text"]

_METRIC = {"auc": "ROC AUC", "macro_f1": "macro-F1", "spearman": "Spearman's rho"}


def validity_text(model) -> str:
    """One sentence: the model's cross-validated validity beside its baseline."""
    cv = model.training.get("cv") or {}
    key = next((k for k in _METRIC if k in cv), None)
    if key is None:
        return "Validity: not cross-validated."
    lo, hi = cv[f"{key}_ci95"]
    base = {k: v for k, v in (cv.get("baseline") or {}).items() if k != "what" and v is not None}
    return (f"Validity: {cv['folds']}-fold cross-validated {_METRIC[key]} {cv[key]:.2f} "
            f"(95% CI {lo:.2f}–{hi:.2f}) on {fmt_int(model.training.get('n', 0))} coded items "
            f"of {model.training.get('data', 'the coded data')}; majority baseline "
            + ", ".join(f"{k} {v}" for k, v in base.items()) + ".")


def plot_learning_curve(curve: pd.DataFrame, metric: str) -> Plot:
    """fig30: cross-validated validity on random subsets of the coded items.

    Parameters
    ----------
    curve : DataFrame
        ``n``, the metric and its interval ``lo``/``hi`` (:func:`analysis.measures.learned.train.learning_curve`).
    metric : str
        ``auc``, ``macro_f1`` or ``spearman``.
    """
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    ax.fill_between(curve["n"], curve["lo"], curve["hi"], color="#cccccc", lw=0)
    ax.plot(curve["n"], curve[metric], "o-", color="#0072B2")
    if metric == "auc":
        ax.axhline(0.5, color="#999999", ls="--", lw=0.8)
    ax.set_xlabel("coded items used")
    ax.set_ylabel(f"cross-validated {_METRIC[metric]}")
    last = curve.iloc[-1]
    caption = (f"Learning curve: 5-fold cross-validated {_METRIC[metric]} of the learned "
               f"measure on stratified random subsets of the coded items (band: 95% bootstrap "
               f"interval over the items); with all {fmt_int(last['n'])} items "
               f"{last[metric]:.2f}. A curve still rising at the right says more coding helps."
               + (" Dashed: chance (0.5)." if metric == "auc" else ""))
    return Plot(fig, caption, data=curve)


def plot_learned_terms(model, top: int = 8) -> Plot:
    """fig31: the terms and phrases with the largest and smallest weights of each output."""
    outputs = list(model.weights)
    fig, axes = plt.subplots(1, len(outputs), figsize=(3.2 * len(outputs) + 0.8, 0.25 * 2 * top
                                                       + 1.0), squeeze=False)
    rows = []
    for ax, out in zip(axes[0], outputs):
        w = pd.Series(model.weights[out].features(), dtype=float)
        w = w[w != 0].sort_values(kind="stable")
        shown = pd.concat([w.head(top), w.tail(top)])
        shown = shown[~shown.index.duplicated()].sort_values(kind="stable")
        ax.barh(range(len(shown)), shown.to_numpy(),
                color=["#D55E00" if v < 0 else "#0072B2" for v in shown])
        ax.set_yticks(range(len(shown)), shown.index, fontsize=7)
        ax.axvline(0, color="#333333", lw=0.6)
        ax.set_title(out if model.kind == "categories" else model.columns()[0], fontsize=8)
        ax.set_xlabel("weight")
        rows += [{"output": out, "term": t, "weight": v} for t, v in shown.items()]
    fig.tight_layout()
    caption = (f"The terms and phrases with the {top} largest and smallest weights of the "
               f"learned measure learned_{model.name} ({model.kind}; a weighted dictionary: "
               "an article's score is the intercept plus the weighted, normed idf values of "
               "the terms it holds). Blue raises the score, orange lowers it. "
               + validity_text(model))
    return Plot(fig, caption, data=pd.DataFrame(rows))


def plot_agreement(table: pd.DataFrame) -> Plot:
    """fig32: Krippendorff's alpha of each comparison, with its 95% bootstrap interval."""
    fig, ax = plt.subplots(figsize=(5.5, 0.45 * len(table) + 1.0))
    pos = np.arange(len(table))[::-1]
    ax.errorbar(table["alpha"], pos, xerr=[table["alpha"] - table["alpha_lo"],
                                           table["alpha_hi"] - table["alpha"]],
                fmt="o", color="#0072B2", capsize=3)
    ax.axvline(0.8, color="#999999", ls="--", lw=0.8)
    ax.axvline(0.667, color="#cccccc", ls=":", lw=0.8)
    ax.set_yticks(pos, table["comparison"])
    ax.set_xlim(min(-0.1, float(table["alpha_lo"].min()) - 0.05), 1.02)
    ax.set_xlabel("Krippendorff's alpha")
    first = table.iloc[0]
    caption = (f"Agreement: Krippendorff's alpha ({first['level']}) between the coders and of "
               f"the model with each coder, 95% bootstrap intervals over the items "
               f"(n = {fmt_int(first['n_items'])}); coders agree on "
               f"{first['percent_agreement']:.0%} of the items. Dashed: 0.8, dotted: 0.667, "
               "Krippendorff's thresholds for reliable and tentative conclusions.")
    return Plot(fig, caption, data=table)


def plot_learned_groups(features: pd.DataFrame, column: str, groups: Grouping, labels: dict,
                        model, n_resamples: int = 2000) -> Plot:
    """fig33: the learned measure of each article (its sentence-bootstrap interval) or the mean
    of each group (an article-bootstrap interval), with the model's validity."""
    values = features.set_index("article_id")[column]
    rows, row_labels = groups.rows(labels)
    if groups.per_article:
        mean = values.reindex(rows)
        lo = features.set_index("article_id")[f"{column}_lo"].reindex(rows)
        hi = features.set_index("article_id")[f"{column}_hi"].reindex(rows)
        what = "each article, with its 95% sentence-bootstrap interval"
    else:
        row = groups.row_of(values.index.to_series())
        mean, lo, hi = [], [], []
        for r in rows:
            v = values[(row == r).to_numpy()].dropna().to_numpy()
            mean.append(v.mean() if len(v) else np.nan)
            a, b = unit_bootstrap_interval(lambda i, v=v: v[i].mean(), len(v),
                                           n_resamples=n_resamples) if len(v) else (np.nan,) * 2
            lo.append(a)
            hi.append(b)
        mean, lo, hi = (pd.Series(x, index=rows) for x in (mean, lo, hi))
        what = "the mean of each group, with its 95% article-bootstrap interval"
    fig, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * len(rows)))
    pos = np.arange(len(rows))[::-1]
    ax.errorbar(mean, pos, xerr=[mean - lo, hi - mean], fmt="o", color="#0072B2", capsize=3)
    ax.set_yticks(pos, row_labels)
    ax.set_xlabel(column + (" (probability)" if model.kind != "rating" else ""))
    unit = (" The model scores each sentence; an article's value is the mean over its body "
            "sentences." if model.unit == "sentence" else "")
    caption = (f"The learned measure {column}: {what}; n = {fmt_int(groups.n_articles)} "
               f"articles.{unit} " + validity_text(model))
    data = pd.DataFrame({"row": rows, "value": mean.to_numpy(), "lo": lo.to_numpy(),
                         "hi": hi.to_numpy()})
    return Plot(fig, caption, data=data)
