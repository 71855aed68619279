"""Validation of thematic emphasis on the BBC News articles (Greene & Cunningham 2006).

``bbc_dev.csv`` (``text``, ``category``): ROC AUC of ``emph_technology`` for tech vs the rest
(target >= 0.99) and of ``emph_economics`` for business vs the rest (target >= 0.95). Texts are
cleaned (mojibake repaired) and scored through the same code path as ``features``
(``parse_articles`` + ``EmphasisScorer``; no bootstrap, since the AUC needs only the rates).
Empath's ``technology`` and ``economics`` categories are scored in the same run on the same
cleaned texts as the baseline (reported, no target), with the paired difference. Each AUC has a
95% bootstrap interval over articles, resampled within tech (business) and the rest. A ROC plot
goes into ``out_dir``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from empath import Empath
from sklearn.metrics import roc_auc_score, roc_curve

from ..config import RAW_DIR, display_path
from ..corpus import load_corpus
from ..measures.emphasis.scorer import EmphasisScorer
from ..features import build_features
from ..figures import OKABE_ITO, apply_style
from ..stats import unit_bootstrap_interval
from ..text import parse_articles
from . import Metric

BBC_FILE = "bbc_dev.csv"
TARGETS = {("technology", "tech"): ">= 0.99", ("economics", "business"): ">= 0.95"}
EMPATH_CATEGORY = {"technology": "technology", "economics": "economics"}


REQUIRED_FRAMES = ("technology", "economics", "history")


def score_texts(texts, frames=("technology", "economics"), batch_size: int = 64
                ) -> pd.DataFrame:
    """``emph_<frame>`` (per 1,000 words) of each text and Empath's normalised score of the
    same-named category (share of tokens) on the same cleaned text; one row per text."""
    scorer = EmphasisScorer()
    lexicon = Empath()
    cats = [EMPATH_CATEGORY[f] for f in frames]
    rows = []
    items = ((f"{i:06d}", t) for i, t in enumerate(texts))
    for art in parse_articles(items, batch_size=batch_size):
        res = scorer.score(art, np.zeros((0, len(art.sentences)), dtype=np.int64))
        emp = lexicon.analyze(art.text, categories=cats, normalize=True) or {}
        row = {"article_id": art.article_id}
        for f in frames:
            row[f"emph_{f}"] = res.columns[f"emph_{f}"]
            row[f"empath_{f}"] = float(emp.get(EMPATH_CATEGORY[f], 0.0))
        rows.append(row)
    return pd.DataFrame(rows)


def evaluate(df: pd.DataFrame, labels: pd.Series, out_dir: Path | None = None,
             source: str = BBC_FILE) -> list[Metric]:
    """AUCs of ours and Empath's for each (frame, positive label) in TARGETS."""
    metrics = []
    curves = []
    labels = labels.astype(str).str.strip().str.lower().to_numpy()
    for (frame, positive), target in TARGETS.items():
        y = labels == positive
        n_pos = int(y.sum())
        if n_pos == 0 or n_pos == len(y):
            raise ValueError(f"{source}: need both '{positive}' and other categories")
        a, b = df[f"emph_{frame}"].to_numpy(float), df[f"empath_{frame}"].to_numpy(float)
        ours, base = roc_auc_score(y, a), roc_auc_score(y, b)

        def ci(stat):  # resamples keep the numbers of positives and negatives
            return unit_bootstrap_interval(stat, len(y), strata=y)

        note = f"{n_pos} {positive} vs {len(y) - n_pos} other articles"
        metrics.append(Metric("emphasis", f"ROC AUC emph_{frame}, {positive} vs rest ({source})",
                              float(ours), target, len(y), note,
                              ci(lambda i: roc_auc_score(y[i], a[i]))))
        metrics.append(Metric("emphasis", f"ROC AUC Empath '{EMPATH_CATEGORY[frame]}' "
                              f"baseline, {positive} vs rest ({source})", float(base), "",
                              len(y), "same texts, same run",
                              ci(lambda i: roc_auc_score(y[i], b[i]))))
        metrics.append(Metric("emphasis", f"ROC AUC difference emph_{frame} - Empath, "
                              f"{positive} vs rest ({source})", float(ours - base), "", len(y),
                              "paired: both scored on the same resampled articles",
                              ci(lambda i: roc_auc_score(y[i], a[i]) - roc_auc_score(y[i], b[i]))))
        curves.append((frame, positive, y, a, b, ours, base))
    if out_dir is not None:
        _plot(curves, Path(out_dir))
    return metrics


def _plot(curves, out_dir: Path) -> None:
    matplotlib.use("agg")
    apply_style()
    fig, axes = plt.subplots(1, len(curves), figsize=(4 * len(curves), 3.6))
    axes = np.atleast_1d(axes)
    for ax, (frame, positive, y, ours, base, a_ours, a_base) in zip(axes, curves):
        for scores, label, color in ((ours, f"emph_{frame} (AUC {a_ours:.3f})", OKABE_ITO[4]),
                                     (base, f"Empath {frame} (AUC {a_base:.3f})",
                                      OKABE_ITO[5])):
            fpr, tpr, _ = roc_curve(y, scores)
            ax.plot(fpr, tpr, color=color, label=label)
        ax.plot([0, 1], [0, 1], color="0.7", lw=0.8, ls=":")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate")
        ax.set_title(f"{positive} vs rest (n = {len(y):,})")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(out_dir / "emphasis_roc.png", dpi=150, metadata={"Software": None})
    plt.close(fig)


def run(validation_dir: Path, out_dir: Path) -> list[Metric]:
    path = Path(validation_dir) / BBC_FILE
    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    data = pd.read_csv(path, keep_default_na=False)
    missing = {"text", "category"} - set(data.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    scores = score_texts(data["text"].tolist())
    write_top_articles(RAW_DIR, out_dir)
    return evaluate(scores, data["category"], out_dir, source=BBC_FILE)


def top_articles(corpus_dir: Path, frames=REQUIRED_FRAMES, n_terms: int = 6) -> str:
    """Markdown: for each frame, the article of ``corpus_dir`` that ranks first (per 1,000
    words, with its interval) and the evidence terms behind it, for a reader to check against
    their own reading of the articles."""
    fs = build_features(load_corpus(corpus_dir), groups=("emphasis",))
    feats = fs.features.set_index("article_id")
    lines = [f"## Emphasis: which article ranks first ({display_path(corpus_dir)}, "
             f"n = {len(feats)} articles)", "",
             "| frame | first | per 1,000 words (95% interval) | runner-up | top evidence |",
             "|---|---|---|---|---|"]
    for frame in frames:
        col = f"emph_{frame}"
        ranked = feats[col].sort_values(ascending=False, kind="stable")
        first = ranked.index[0]
        second = f"{ranked.index[1]} ({ranked.iloc[1]:.1f})" if len(ranked) > 1 else ""
        ev = fs.evidence[(fs.evidence["article_id"] == first) & (fs.evidence["feature"] == frame)]
        terms = ev["term"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
        top = ", ".join(f"{t} ×{c}" if c > 1 else t for t, c in terms.head(n_terms).items())
        lo, hi = feats.at[first, f"{col}_lo"], feats.at[first, f"{col}_hi"]
        lines.append(f"| {frame} | {first} | {ranked.iloc[0]:.1f} ({lo:.1f}–{hi:.1f}) | "
                     f"{second} | {top} |")
    return "\n".join(lines) + "\n"


def write_top_articles(corpus_dir: Path, out_dir: Path) -> None:
    if Path(corpus_dir).exists():
        (out_dir / "emphasis_top_articles.section.md").write_text(top_articles(corpus_dir),
                                                                 encoding="utf-8")
