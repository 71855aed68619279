"""Source extraction against PolNeAR (Newell et al., LREC 2018) gold ``Source`` spans.

Data: ``<validation_dir>/polnear_dev/text/<article>.txt`` and
``attributions/<article>_<annotator>.ann`` (brat stand-off; offsets index the text file).

Unit: a source span. Within one annotation file, gold sources are the distinct character
spans of the ``Source`` entities of its ``Attribution`` events; predictions are the distinct
source spans the extractor returns for the article, mapped to the original text with
``ParsedArticle.to_raw``. Predicted and gold spans are paired one-to-one, greedily by highest
character Jaccard; a pair counts under *strict* when Jaccard >= 0.5 (the same source, not a
word of it) and under *loose* when the spans overlap at all.

Several annotators: some articles were annotated by more than one annotator (one ``.ann``
file each). Every file is scored as its own reference and the counts are pooled (micro
average over article x annotator), so no annotator's choices are preferred. Where two or more
files exist (in the dev split, 16 articles have five or six), the second file scored against
the first gives annotator-vs-annotator F1: the human ceiling for the task.

Speech-verb subset: gold attributions whose cue contains a lemma of
``lexicons/speech_verbs.txt`` or "according to" (lemmas from the shared parse of the
article); predictions whose cue is such a lemma. Recall: share of subset gold sources
matched by any prediction. Precision: share of subset predictions matching a gold source of
any attribution in the file (a speaker the annotator tied to a different cue is not a false
alarm).

Each F1 has a 95% bootstrap interval over articles (an article's annotation files are resampled
together).

The baseline is the syntactic subject of every speech-cue verb (its whole subtree) on a full
parse of every sentence: what the issue quotes as about 0.83 strict / 0.87 loose.

The five bundled articles' hand gold (``tests/fixtures/gold_attributions_five.csv``, written
by the project): of the gold attributions the extractor finds (same cue), the share whose
source type agrees, and the share of the gold's gendered named people given the same
``source_gender`` (:func:`five_articles`). Few units: a check that nothing broke, not an
estimate of accuracy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import RAW_DIR, ROOT
from ..corpus import load_corpus
from ..features import build_features
from ..measures.sources import speech_cues
from ..stats import unit_bootstrap_interval
from . import Metric

CHECK = "sources"
TARGET_STRICT_F1 = 0.90
_ANN_RE = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")

Span = tuple[tuple[int, int], ...]  # character fragments (discontinuous spans have several)


@dataclass
class GoldFile:
    article: str
    annotator: str
    sources: list[Span] = field(default_factory=list)  # distinct source spans
    speech: list[Span] = field(default_factory=list)  # subset: speech-cue attributions
    cues: list[tuple[Span, Span]] = field(default_factory=list)  # (source, cue)


def _frag(field_: str) -> Span:
    parts = []
    for piece in field_.split(";"):
        a, b = piece.split()[-2:]
        parts.append((int(a), int(b)))
    return tuple(parts)


def read_ann(path: Path) -> list[tuple[Span, Span]]:
    """(source span, cue span) of every attribution with a source in a brat ``.ann`` file."""
    ents: dict[str, tuple[str, Span]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0]:
            continue
        if parts[0].startswith("T"):
            label, _, rest = parts[1].partition(" ")
            try:
                ents[parts[0]] = (label, _frag(rest))
            except ValueError:
                continue
        elif parts[0].startswith("E"):
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
            events.append(args)
    out = []
    for ev in events:
        src, cue = ev.get("Source"), ev.get("Cue")
        if src in ents and cue in ents:
            out.append((ents[src][1], ents[cue][1]))
    return out


def _length(s: Span) -> int:
    return sum(b - a for a, b in s)


def _overlap(p: Span, g: Span) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in p for c, d in g)


def jaccard(p: Span, g: Span) -> float:
    inter = _overlap(p, g)
    union = _length(p) + _length(g) - inter
    return inter / union if union > 0 else 0.0


def match(pred: list[Span], gold: list[Span]) -> tuple[int, int]:
    """(strict matches, loose matches): greedy one-to-one pairing by Jaccard."""
    out = []
    for strict in (True, False):
        pairs = []
        for i, p in enumerate(pred):
            for j, g in enumerate(gold):
                jac = jaccard(p, g)
                if (jac >= 0.5) if strict else (_overlap(p, g) > 0):
                    pairs.append((-jac, i, j))
        pairs.sort()
        used_p, used_g, n = set(), set(), 0
        for _, i, j in pairs:
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            n += 1
        out.append(n)
    return out[0], out[1]


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def polnear_files(root: Path) -> tuple[dict[str, Path], dict[str, list[tuple[str, Path]]]]:
    """Texts by article name and their annotation files [(annotator, path)], sorted."""
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir():
        raise FileNotFoundError(2, "no such folder", str(text_dir))
    if not ann_dir.is_dir():
        raise FileNotFoundError(2, "no such folder", str(ann_dir))
    texts = {p.stem: p for p in sorted(text_dir.glob("*.txt"))}
    anns: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for p in sorted(ann_dir.glob("*.ann")):
        m = _ANN_RE.match(p.name)
        if m and m["article"] in texts:
            anns[m["article"]].append((m["annotator"], p))
    return texts, dict(anns)


def _speech_cue(cue: Span, token_lemmas: list[tuple[int, int, str]], raw: str) -> bool:
    text = " ".join(raw[a:b] for a, b in cue).lower()
    if "according to" in text:
        return True
    cues = speech_cues()
    for a, b in cue:
        for ts, te, lemma in token_lemmas:
            if ts < b and te > a and lemma in cues:
                return True
    return False


def evaluate(root: Path, *, limit: int | None = None, baseline: bool = True,
             select: bool = True) -> dict:
    """Run extraction (and the baseline) over PolNeAR; return counts and scores."""
    from ..measures.sources.extract import deep_parse, extract_attributions  # late: heavy (spaCy)
    from ..measures.sources.rules import subject_baseline  # late: heavy (spaCy)
    from ..text import parse_articles  # late: heavy (spaCy)

    texts, anns = polnear_files(root)
    names = sorted(anns)[:limit] if limit else sorted(anns)
    raws = {n: texts[n].read_text(encoding="utf-8") for n in names}
    cues = speech_cues()
    counts = defaultdict(int)
    per_article: list[dict[str, int]] = []  # counts of each article (bootstrap unit)
    for art in parse_articles(((n, raws[n]) for n in names), batch_size=16):
        raw = raws[art.article_id]
        c_art: dict[str, int] = defaultdict(int)

        def to_raw(a: int, b: int) -> Span:
            return (art.span_to_raw(a, b),)

        atts = extract_attributions(art, select=select)
        pred = sorted({to_raw(x.start, x.end) for x in atts})
        pred_speech = sorted({to_raw(x.start, x.end) for x in atts
                              if x.cue_lemma in cues or x.cue_lemma == "according to"})
        base: list[Span] = []
        if baseline:
            for s, doc in zip(art.sentences, deep_parse([s.text for s in art.sentences])):
                base += [to_raw(s.start + a, s.start + b) for a, b in subject_baseline(doc)]
            base = sorted(set(base))
        lemmas = [(*art.span_to_raw(t.idx, t.idx + len(t)), t.lemma_.lower())
                  for t in art.doc if not t.is_space]
        golds = []
        for annotator, path in anns[art.article_id]:
            pairs = read_ann(path)
            gold = sorted({s for s, _ in pairs})
            speech = sorted({s for s, c in pairs if _speech_cue(c, lemmas, raw)})
            golds.append(gold)
            for key, p, g in (("all", pred, gold), ("speech", pred_speech, gold),
                              ("base_all", base, gold), ("base_speech", base, gold)):
                sp, lp = match(p, g)  # precision side: predictions vs every gold source
                c_art[f"{key}_pred"] += len(p)
                c_art[f"{key}_tp_p_strict"] += sp
                c_art[f"{key}_tp_p_loose"] += lp
            for key, p, g in (("all", pred, gold), ("speech", pred, speech),
                              ("base_all", base, gold), ("base_speech", base, speech)):
                sr, lr = match(p, g)  # recall side: gold (subset) vs every prediction
                c_art[f"{key}_gold"] += len(g)
                c_art[f"{key}_tp_r_strict"] += sr
                c_art[f"{key}_tp_r_loose"] += lr
            c_art["files"] += 1
        if len(golds) >= 2:  # annotator agreement: first file as reference for the second
            a, b = golds[0], golds[1]
            sa, la = match(b, a)
            c_art["iaa_pred"] += len(b)
            c_art["iaa_gold"] += len(a)
            c_art["iaa_tp_strict"] += sa
            c_art["iaa_tp_loose"] += la
        c_art["articles"] += 1
        per_article.append(dict(c_art))
        for k, v in c_art.items():
            counts[k] += v
    scores = _scores(counts)
    return {"counts": dict(counts), "scores": scores, "articles": per_article}


def _scores(counts) -> dict:
    """(precision, recall, F1) for every (key, mode) from pooled counts."""
    counts = defaultdict(int, counts)
    scores = {}
    for key in ("all", "speech", "base_all", "base_speech"):
        for mode in ("strict", "loose"):
            scores[(key, mode)] = _prf(counts[f"{key}_tp_p_{mode}"], counts[f"{key}_pred"],
                                       counts[f"{key}_tp_r_{mode}"], counts[f"{key}_gold"])
    for mode in ("strict", "loose"):
        scores[("iaa", mode)] = _prf(counts[f"iaa_tp_{mode}"], counts["iaa_pred"],
                                     counts[f"iaa_tp_{mode}"], counts["iaa_gold"])
    return scores


def f1_interval(per_article: list[dict[str, int]], key: str, mode: str) -> tuple[float, float]:
    """95% bootstrap interval of the pooled F1 of (key, mode), resampling articles (an
    article's annotation files stay together: they share its text)."""
    names = sorted({k for d in per_article for k in d})
    table = np.array([[d.get(k, 0) for k in names] for d in per_article], dtype=np.int64)

    def f1(idx):
        return _scores(dict(zip(names, table[idx].sum(axis=0).tolist())))[(key, mode)][2]

    return unit_bootstrap_interval(f1, len(per_article))


GOLD_FIVE = ROOT / "tests" / "fixtures" / "gold_attributions_five.csv"


def five_articles(gold_path: Path = GOLD_FIVE, raw: Path = RAW_DIR,
                  study=None) -> list[Metric]:
    """Type and gender of the sources of the five bundled articles against their hand gold
    (with the study ``make validate`` passes: the bundled one by default); attributions paired
    by article and cue start."""
    gold = pd.read_csv(gold_path, dtype={"article_id": str}, keep_default_na=False)
    fs = build_features(load_corpus(raw), groups=("sources",), n_resamples=10,
                        study=study)
    table = fs.tables["attributions"].astype({"article_id": str})
    m = gold.merge(table, on=["article_id", "cue_start"], suffixes=("_gold", ""))
    people = m[m["source_gender_gold"] != ""]
    note = f"{len(m)} of {len(gold)} gold attributions found (same cue)"
    return [Metric(CHECK, "source type agrees, five articles' hand gold",
                   float((m["source_type_gold"] == m["source_type"]).mean()), ">= 0.85",
                   len(m), note),
            Metric(CHECK, "source gender agrees, five articles' hand gold",
                   float((people["source_gender_gold"] == people["source_gender"]).mean())
                   if len(people) else float("nan"), "", len(people),
                   "attributions to a named person in the gold (the text's pronouns and titles, "
                   "else the first name)")]


def run(validation_dir: Path, out_dir: Path, study=None) -> list[Metric]:
    root = Path(validation_dir) / "polnear_dev"
    res = evaluate(root)
    c, s = res["counts"], res["scores"]
    n_files = c.get("files", 0)
    metrics = []
    label = {"speech": "speech-verb attributions", "all": "all attributions",
             "base_speech": "baseline (subject of speech verb), speech-verb attributions",
             "base_all": "baseline (subject of speech verb), all attributions"}
    for key in ("speech", "all", "base_speech", "base_all"):
        for mode in ("strict", "loose"):
            p, r, f = s[(key, mode)]
            target = f">= {TARGET_STRICT_F1:.2f}" if (key, mode) == ("speech", "strict") else ""
            note = (f"P={p:.3f} R={r:.3f}; {c.get(key + '_pred', 0)} predicted, "
                    f"{c.get(key + '_gold', 0)} gold source spans; {n_files} annotation files "
                    f"of {c.get('articles', 0)} PolNeAR dev articles")
            metrics.append(Metric(CHECK, f"source F1 {mode}, {label[key]}", f, target,
                                  c.get(key + "_gold", 0), note,
                                  f1_interval(res["articles"], key, mode)))
            metrics.append(Metric(CHECK, f"source precision {mode}, {label[key]}", p, "",
                                  c.get(key + "_pred", 0), ""))
            metrics.append(Metric(CHECK, f"source recall {mode}, {label[key]}", r, "",
                                  c.get(key + "_gold", 0), ""))
    for mode in ("strict", "loose"):
        p, r, f = s[("iaa", mode)]
        twice = [d for d in res["articles"] if d.get("iaa_gold", 0) or d.get("iaa_pred", 0)]
        metrics.append(Metric(CHECK, f"annotator agreement F1 {mode} (human ceiling)", f, "",
                              c.get("iaa_gold", 0),
                              "second annotator's source spans vs the first's, on the "
                              "articles annotated more than once",
                              f1_interval(twice, "iaa", mode)))
    _plot(s, out_dir)
    return metrics + five_articles(study=study)


def _plot(scores, out_dir: Path) -> None:
    import matplotlib  # late: heavy

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # late: heavy

    from ..figures import OKABE_ITO, apply_style  # late: heavy (matplotlib)

    apply_style()
    keys = [("speech", "extractor\nspeech verbs"), ("base_speech", "baseline\nspeech verbs"),
            ("all", "extractor\nall cues"), ("base_all", "baseline\nall cues")]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    x = np.arange(len(keys))
    for k, mode in enumerate(("strict", "loose")):
        vals = [scores[(key, mode)][2] for key, _ in keys]
        ax.bar(x + (k - 0.5) * 0.38, vals, 0.38, color=OKABE_ITO[k + 4],
               label=f"{mode} match")
        for xi, v in zip(x, vals):
            ax.text(xi + (k - 0.5) * 0.38, v + 0.01, f"{v:.2f}", ha="center", fontsize=7)
    ax.axhline(TARGET_STRICT_F1, color="0.4", lw=0.8, ls="--")
    ax.set_xticks(x, [lab for _, lab in keys], fontsize=8)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("source F1 (PolNeAR dev)")
    ax.text(len(keys) - 0.5, TARGET_STRICT_F1 + 0.01, f"target {TARGET_STRICT_F1:.2f} (strict)",
            ha="right", va="bottom", fontsize=7, color="0.4")
    ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=2)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "sources_f1.png", dpi=150, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)
