"""Source-extraction throughput: selective deep parsing vs a full parse of every sentence.

    python benchmarks/bench_sources.py [POLNEAR_DIR | --five] [--limit N] [--repeat R]

Both variants run in this process on the same texts after the same shared parse (tokenizer,
tagger, lemmatizer, senter; done once per article for every feature, so not part of the
extraction cost): ``selective`` deep-parses (parser + NER) only the sentences that hold a
speech-cue lemma, "according to" or a quotation mark; ``full`` deep-parses every sentence.
Both then apply the same rules. Printed: words per second of each, the speed ratio (target
>= 3x), the ratio with the shared parse counted in, and the recall of both against gold
sources (PolNeAR speech-verb sources, strict and loose, on PolNeAR: POLNEAR_DIR, by default
``../shared/validation/polnear_dev`` when present; with ``--five``, or when it is absent (the
script says so), the hand-made gold of the five articles), which must not drop.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import common  # noqa: E402  (first: one BLAS thread per process, as the other benchmarks)
from analysis.measures.sources import extract_attributions  # noqa: E402
from analysis.text import get_nlp, parse_articles  # noqa: E402


def load_texts(polnear: Path | None, limit: int) -> list[tuple[str, str]]:
    if polnear is None:
        from analysis.corpus import load_corpus

        df = load_corpus(ROOT / "data" / "raw")
        return list(zip(df["article_id"], df["text"]))
    from analysis.validation.sources import polnear_files

    texts, anns = polnear_files(polnear)
    names = sorted(anns)[:limit] if limit else sorted(anns)
    return [(n, texts[n].read_text(encoding="utf-8")) for n in names]


def recall_polnear(polnear: Path, articles, preds) -> dict[str, float]:
    from analysis.validation.sources import _speech_cue, match, polnear_files, read_ann

    _, anns = polnear_files(polnear)
    tot = hit_s = hit_l = 0
    for art, atts in zip(articles, preds):
        spans = sorted({((art.to_raw(a.start), art.to_raw(a.end - 1) + 1),) for a in atts})
        lemmas = [(art.to_raw(t.idx), art.to_raw(t.idx + len(t) - 1) + 1, t.lemma_.lower())
                  for t in art.doc if not t.is_space]
        for _, path in anns[art.article_id]:
            gold = sorted({s for s, c in read_ann(path) if _speech_cue(c, lemmas, art.raw)})
            s, l_ = match(spans, gold)
            tot += len(gold)
            hit_s += s
            hit_l += l_
    return {"strict": hit_s / tot if tot else float("nan"),
            "loose": hit_l / tot if tot else float("nan"), "n_gold": tot}


def recall_five(articles, preds) -> dict[str, float]:
    import pandas as pd

    from analysis.validation.sources import jaccard

    gold = pd.read_csv(ROOT / "tests" / "fixtures" / "gold_attributions_five.csv",
                       dtype={"article_id": str}, keep_default_na=False)
    spans = {art.article_id: [((art.to_raw(a.start), art.to_raw(a.end - 1) + 1),)
                              for a in atts] for art, atts in zip(articles, preds)}
    best = [max((jaccard(p, ((g.source_start, g.source_end),))
                 for p in spans.get(g.article_id, [])), default=0.0) for g in gold.itertuples()]
    return {"strict": sum(j >= 0.5 for j in best) / len(gold),
            "loose": sum(j > 0 for j in best) / len(gold), "n_gold": len(gold)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("polnear", nargs="?", default=None, type=Path,
                    help="PolNeAR folder (text/, attributions/); default: "
                         "../shared/validation/polnear_dev when present, else the five articles")
    ap.add_argument("--limit", type=int, default=150, help="PolNeAR articles (0: all)")
    ap.add_argument("--repeat", type=int, default=1, help="timed repetitions (best is kept)")
    ap.add_argument("--five", action="store_true",
                    help="the five articles of data/raw even when PolNeAR is there")
    args = ap.parse_args(argv)
    if args.polnear is None and not args.five:
        default = common.SHARED_DIR / "validation" / "polnear_dev"
        if default.is_dir():
            args.polnear = default
        else:
            print(f"no real text: {default} is absent; the five articles of data/raw only")

    items = load_texts(args.polnear, args.limit)
    nlp = get_nlp()
    list(nlp.pipe(["Warm-up sentence, the minister said."]))
    t0 = time.perf_counter()
    articles = list(parse_articles(items))
    t_shared = time.perf_counter() - t0
    n_words = sum(a.n_words for a in articles)

    timings, preds = {}, {}
    for variant, select in (("selective", True), ("full", False)):
        best = float("inf")
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            out = [extract_attributions(a, select=select) for a in articles]
            best = min(best, time.perf_counter() - t0)
        timings[variant], preds[variant] = best, out

    n_sent = sum(len(a.sentences) for a in articles)
    from analysis.measures.sources import candidate_sentences

    n_cand = sum(len(candidate_sentences(a)) for a in articles)
    print(f"texts: {len(articles)} articles, {n_words:,} words, {n_sent:,} sentences; "
          f"{n_cand:,} candidate sentences deep-parsed by the selective variant "
          f"({n_cand / max(n_sent, 1):.0%})")
    print(f"shared parse (paid once for all features): {t_shared:.2f} s")
    for v in ("selective", "full"):
        print(f"{v:>9}: {timings[v]:.2f} s  {n_words / timings[v]:,.0f} words/s  "
              f"{sum(map(len, preds[v])):,} attributions")
    ratio = timings["full"] / timings["selective"]
    ratio_all = (t_shared + timings["full"]) / (t_shared + timings["selective"])
    print(f"speed-up of extraction: {ratio:.2f}x (target >= 3x); "
          f"with the shared parse counted in both: {ratio_all:.2f}x")
    if args.polnear is not None:
        rec = {v: recall_polnear(args.polnear, articles, preds[v]) for v in preds}
        label = "PolNeAR speech-verb sources"
    else:
        rec = {v: recall_five(articles, preds[v]) for v in preds}
        label = "five-article hand gold"
    for v in ("selective", "full"):
        print(f"recall vs {label} ({rec[v]['n_gold']} gold), {v:>9}: "
              f"strict {rec[v]['strict']:.3f}  loose {rec[v]['loose']:.3f}")
    lost = rec["full"]["strict"] - rec["selective"]["strict"]
    print(f"recall lost by selecting sentences: {lost:+.3f} (strict)")
    return 0 if ratio >= 3 and lost <= 0.005 else 1


if __name__ == "__main__":
    raise SystemExit(main())
