"""fig22 of notebook 05: how each group speaks of each actor (tone toward it), with intervals.

Drawn from the comparison table ``groups.csv`` (:func:`analysis.compare.group_summary`): the
rows of the ``tone_toward_<actor>`` measures (the mean over a group's articles that mention the
actor, and its 95% article-bootstrap interval).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..compare import Comparison
from ..figures import OKABE_ITO, fmt_int
from ..study import resolve_study
from .grouping import Grouping
from .layout import shown_groups, wrap_label
from .plot import Plot, not_drawn

__all__ = ["plot_tone_toward", "tone_toward_figure", "TOWARD_PREFIX"]

TOWARD_PREFIX = "tone_toward_"


def _actor_keys(measures) -> list[str]:
    return [m[len(TOWARD_PREFIX):] for m in measures
            if m.startswith(TOWARD_PREFIX) and not m.endswith("_n")]


def plot_tone_toward(summary: pd.DataFrame, groups: list[str], labels: dict, colours: dict,
                     by: str, min_n: int = 5) -> Plot:
    """Tone toward each actor (colour) in each group (row): the mean and its 95% interval.

    Parameters
    ----------
    summary : DataFrame
        ``groups.csv`` rows (``measure, group, n, mean, lo, hi``) of ``tone_toward_<key>``.
    groups : list of str
        The groups drawn, top to bottom.
    labels, colours : dict
        Actor key -> label, colour.
    by : str
        The group column (axis label).
    min_n : int
        A group with fewer articles mentioning the actor is drawn hollow.

    Returns
    -------
    Plot
    """
    keys = _actor_keys(dict.fromkeys(summary["measure"]))
    fig, ax = plt.subplots(figsize=(6.5, 1.0 + 0.45 * len(groups) * max(1, len(keys)) ** 0.5))
    step = 0.7 / max(len(keys), 1)
    rows = []
    for j, key in enumerate(keys):
        part = summary[summary["measure"] == TOWARD_PREFIX + key].set_index("group")
        for i, g in enumerate(groups):
            if g not in part.index or not np.isfinite(part.at[g, "mean"]):
                continue
            r = part.loc[g]
            y = i + (j - (len(keys) - 1) / 2) * step
            lo, hi = r["lo"], r["hi"]
            if np.isfinite(lo) and np.isfinite(hi):
                ax.plot([lo, hi], [y, y], color=colours[key], lw=1.6)
            hollow = int(r["n"]) < min_n
            ax.plot([r["mean"]], [y], "o", ms=5, color=colours[key],
                    mfc="white" if hollow else colours[key])
            rows.append({"actor": key, "group": g, "n": int(r["n"]), "mean": r["mean"],
                         "lo": lo, "hi": hi})
    ax.axvline(0, color="#999999", lw=0.8, ls="--")
    ax.set_yticks(range(len(groups)), [wrap_label(g) for g in groups])
    ax.invert_yaxis()
    ax.set_xlabel("tone toward the actor (mean learned tone of its clauses, −1 to +1)")
    ax.set_ylabel(by)
    handles = [plt.Line2D([], [], marker="o", color=colours[k], label=labels[k]) for k in keys]
    ax.legend(handles=handles, loc="best", frameon=False)
    data = pd.DataFrame(rows, columns=["actor", "group", "n", "mean", "lo", "hi"])
    n_articles = data.groupby("actor")["n"].sum()
    caption = (f"Tone toward each actor by {by}: the mean over a group's articles that mention "
               "the actor of their tone toward it (per mention, the learned tone of its "
               "sentence, or of its clause when the sentence names another actor too; a pronoun "
               "after a named person counts as a mention), with 95% intervals from resampling "
               f"the group's articles; hollow: fewer than {min_n} articles. Articles mentioning "
               + ", ".join(f"{labels[k]}: {fmt_int(int(n_articles.get(k, 0)))}" for k in keys)
               + ".")
    return Plot(fig, caption, data=data)


def tone_toward_figure(tables: Comparison, grouping: Grouping, *, study=None,
                       max_rows: int = 12, min_n: int = 5) -> Plot:
    """fig22: tone toward each of the study's actors, per group, from ``groups.csv``.

    Parameters
    ----------
    tables : Comparison
        :func:`analysis.compare.read_comparison`.
    grouping : Grouping
        :func:`group_articles` of the features table.
    study : Study, str, Path or None
        The actors' labels and colours (:func:`analysis.study.resolve_study`).
    max_rows, min_n : int
        The largest groups drawn; fewer articles than ``min_n``: drawn hollow.

    Returns
    -------
    Plot
        ``data``: actor, group, n, mean, lo, hi; ``table``: the means, groups × actors. Without
        groups, tables or ``tone_toward_`` columns, a placeholder saying why.
    """
    if not grouping.has_groups:
        return not_drawn("Tone toward actors", f"{grouping.reason}.",
                         prefix="Nothing to compare: ")
    if tables is None or tables.reason:
        reason = "no comparison tables" if tables is None else tables.reason
        return not_drawn("Tone toward actors", f"{reason}.",
                         note=f"**No tone toward actors:** {reason}.")
    summary = tables.table("groups")
    summary = summary[summary["measure"].astype(str).str.startswith(TOWARD_PREFIX)]
    keys = _actor_keys(dict.fromkeys(summary["measure"]))
    if not keys:
        reason = "the features have no tone_toward_ column (a study with actors, tone group)"
        return not_drawn("Tone toward actors", f"{reason}.",
                         note=f"**No tone toward actors:** {reason}.")
    study = resolve_study(study)
    labels = {k: study.labels.get(k, k.replace("_", " ")) for k in keys}
    own = {a.key: a.colour for a in study.actors if a.colour}
    colours = {k: own.get(k, OKABE_ITO[i % len(OKABE_ITO)]) for i, k in enumerate(keys)}
    groups = shown_groups(list(dict.fromkeys(summary["group"])), grouping.sizes, max_rows)
    drawn = plot_tone_toward(summary, groups, labels, colours, grouping.by, min_n=min_n)
    table = (drawn.data.pivot(index="group", columns="actor", values="mean").round(3)
             if len(drawn.data) else None)
    return Plot(drawn.fig, drawn.caption, data=drawn.data, table=table,
                inputs=tables.inputs("groups"))
