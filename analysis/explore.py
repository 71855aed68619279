"""Interactive evidence view for notebooks: the words behind a score, highlighted in context.

``evidence_view()`` (in JupyterLab) shows two drop-downs, an article and a feature, and below
them every sentence of that article that fed the feature, with the matching words highlighted,
the article's score and its 95% interval. ``evidence_html(...)`` returns the same view as an
HTML string (no widgets), so it can be tested and saved.

Evidence rows come from ``evidence.csv`` (``article_id, sentence_id, feature, term, start,
end, sentence``; ``start``/``end`` index the cleaned ``sentence``); scores and intervals come
from ``features.csv``. An evidence feature ``technology`` is scored in the first of the
columns ``technology``, ``emph_technology``, ``tone_technology``, ``src_technology`` that
exists, with its interval in ``<column>_lo`` / ``<column>_hi`` when present.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from .config import PROCESSED_DIR
from .figures import article_labels
from .formulas import restore_cells

__all__ = ["score_column", "highlight", "evidence_html", "load_tables", "evidence_view"]

PREFIXES = ("", "emph_", "tone_", "src_")
# Documented scales of the columns (analysis/measures/tone/scorer.py, emphasis.py): shown beside the score.
RATE_COLUMNS = ("optimism", "caution", "hedging", "boosting")
MAX_SENTENCES = 300  # sentences listed in one view; the rest are counted, not shown

_STYLE = ("<style>.ev-view mark{background:#F0E442;padding:0 .1em;border-radius:2px}"
          ".ev-view .sid{color:#666;font-family:monospace;margin-right:.5em}"
          ".ev-view p{margin:.3em 0;line-height:1.5}.ev-view .score{font-weight:600}</style>")


def score_column(columns, feature: str) -> str | None:
    """The features-table column that scores evidence feature ``feature`` (None if none)."""
    cols = set(columns)
    for prefix in PREFIXES:
        if prefix + feature in cols:
            return prefix + feature
    return None


def _unit(column: str) -> str:
    if column.startswith("src_") and "share" in column:  # src_share_<key>, src_official_share
        return "share of attributions, 0 to 1"
    if column.endswith("_share"):
        return "share of sentences, 0 to 1"
    if column.startswith("emph_") or column in RATE_COLUMNS:
        return "matches per 1,000 words"
    if column == "net_optimism":
        return "index, -1 to 1"
    return ""


def highlight(sentence: str, spans) -> str:
    """``sentence`` as HTML with every ``(start, end, term)`` span wrapped in ``<mark>``.
    Overlapping spans are merged; out-of-range offsets are clipped; all text is escaped."""
    n = len(sentence)
    clean = sorted((max(0, int(s)), min(n, int(e)), str(t)) for s, e, t in spans)
    merged: list[list] = []
    for s, e, t in clean:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            if t not in merged[-1][2]:
                merged[-1][2].append(t)
        else:
            merged.append([s, e, [t]])
    out, pos = [], 0
    for s, e, terms in merged:
        out.append(html.escape(sentence[pos:s]))
        title = html.escape(", ".join(terms), quote=True)
        out.append(f'<mark title="{title}">{html.escape(sentence[s:e])}</mark>')
        pos = e
    out.append(html.escape(sentence[pos:]))
    return "".join(out)


def _fmt(x) -> str:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return html.escape(str(x))
    if math.isnan(x):
        return "n/a"
    return f"{x:,.3f}"


def evidence_html(evidence: pd.DataFrame, features: pd.DataFrame, article_id: str,
                  feature: str, *, max_sentences: int = MAX_SENTENCES) -> str:
    """HTML for one article and one evidence feature: the score with its 95% interval, then
    each sentence with a match (in text order), matching words in ``<mark>``."""
    article_id = str(article_id)
    ids = features["article_id"].astype(str)
    if article_id not in set(ids):
        raise KeyError(f"article '{article_id}' is not in the features table")
    row = features[ids == article_id].iloc[0]
    label = article_labels(features[ids == article_id]).get(article_id, article_id)
    col = score_column(features.columns, feature)
    parts = [_STYLE, '<div class="ev-view">',
             f"<h3>{html.escape(label)} · {html.escape(feature)}</h3>"]
    if col is None:
        parts.append(f"<p>No column in the features table scores '{html.escape(feature)}'.</p>")
    else:
        lo, hi = f"{col}_lo", f"{col}_hi"
        interval = (f" (95% interval {_fmt(row[lo])} to {_fmt(row[hi])})"
                    if lo in features.columns and hi in features.columns else "")
        unit = _unit(col)
        unit = f" {html.escape(unit)}" if unit else ""
        parts.append(f'<p class="score">{html.escape(col)} = {_fmt(row[col])}{unit}'
                     f"{interval}</p>")
    rows = evidence[(evidence["article_id"].astype(str) == article_id)
                    & (evidence["feature"].astype(str) == feature)]
    if rows.empty:
        parts.append(f"<p>No '{html.escape(feature)}' matches in this article.</p></div>")
        return "".join(parts)
    rows = rows.sort_values(["sentence_id", "start", "end"], kind="stable")
    groups = list(rows.groupby("sentence_id", sort=True))
    parts.append(f"<p>{len(rows):,} match{'es' if len(rows) != 1 else ''} in "
                 f"{len(groups):,} sentence{'s' if len(groups) != 1 else ''}.</p>")
    for sid, g in groups[:max_sentences]:
        sentence = str(g["sentence"].iloc[0])
        spans = zip(g["start"], g["end"], g["term"])
        parts.append(f'<p><span class="sid">s{int(sid)}</span>{highlight(sentence, spans)}</p>')
    if len(groups) > max_sentences:
        parts.append(f"<p>… {len(groups) - max_sentences:,} more sentences not shown.</p>")
    parts.append("</div>")
    return "".join(parts)


def load_tables(processed_dir: str | Path = PROCESSED_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(evidence, features)`` from ``processed_dir`` (written by ``make features``)."""
    d = Path(processed_dir)
    for name in ("features.csv", "evidence.csv"):
        if not (d / name).is_file():
            raise FileNotFoundError(f"{d / name}: missing; run `make features` first")
    read = dict(dtype={"article_id": str}, keep_default_na=False, na_values=[""])
    # restore_cells: text written as "'=..." (a spreadsheet's formula) is read as scored.
    features = restore_cells(pd.read_csv(d / "features.csv", **read))
    evidence = restore_cells(pd.read_csv(d / "evidence.csv", dtype={
        "article_id": str, "feature": str, "term": str, "sentence": str}, keep_default_na=False))
    # Only empty cells are missing (a title "NA" stays text); labels want "" not NaN.
    for c in ("title", "outlet", "date"):
        if c in features.columns:
            # An all-empty column is read as float NaN: cast first, then blank the NaNs.
            features[c] = features[c].astype(object).where(features[c].notna(), "").astype(str)
    return evidence, features


def evidence_view(processed_dir: str | Path = PROCESSED_DIR, article_id: str | None = None,
                  feature: str | None = None):
    """An ipywidgets view: pick an article and a feature, see the matching words highlighted
    in the sentences with the score and its 95% interval. Returns the widget (display it as
    the last line of a cell)."""
    import ipywidgets as widgets  # late: heavy

    evidence, features = load_tables(processed_dir)
    labels = article_labels(features)
    ids = sorted(features["article_id"].astype(str))
    feats = sorted(evidence["feature"].astype(str).unique())
    if not ids:
        return widgets.HTML("<p>The features table has no articles.</p>")
    if not feats:
        return widgets.HTML("<p>The evidence table is empty: no feature has matches.</p>")
    art = widgets.Dropdown(options=[(labels[a], a) for a in ids], description="Article",
                           value=article_id if article_id in ids else ids[0])
    feat = widgets.Dropdown(options=[(f"{f} ({score_column(features.columns, f) or '-'})", f)
                                     for f in feats], description="Feature",
                            value=feature if feature in feats else feats[0])
    out = widgets.HTML()

    def update(_change=None):
        out.value = evidence_html(evidence, features, art.value, feat.value)

    art.observe(update, names="value")
    feat.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([art, feat]), out])
