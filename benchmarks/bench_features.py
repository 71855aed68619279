"""Feature throughput vs VADER alone and Empath alone, on the same synthetic texts.

    python benchmarks/bench_features.py --articles 2000 20000

One process, one thread (one core). For each corpus size it times, on the same texts:
VADER alone (``polarity_scores`` of each article), Empath alone (``analyze``, all categories,
normalised), the shared parse alone (cleaning + spaCy), the lexicon features (tone + emphasis,
parse included: what ``--groups tone,emphasis`` costs) and all features (tone + emphasis +
sources, parse included), each through ``analysis.features.score_chunk`` as the CLI runs it.
Time spent inside each scorer is recorded too, so the cost of scoring given the shared parse is
reported apart from the parse. Rates are articles per CPU-second of this single-threaded process
(= articles/s/core) and per wall-second; ratios come from this one run.
"""

from __future__ import annotations

import argparse
import time

from common import Timer, load_now, machine, sentence_pool, synthetic_corpus, words_of

TARGET_ALL = 20.0  # articles/s/core, all features, 400-word articles
MODES = ("vader", "empath", "parse", "lexicon", "all")


class TimedScorer:
    """Wraps a scorer and adds up the seconds spent in its ``score``."""

    def __init__(self, scorer):
        self.scorer, self.name, self.seconds = scorer, scorer.name, 0.0

    def columns(self):
        return self.scorer.columns()

    def score(self, article, idx):
        t0 = time.process_time()
        try:
            return self.scorer.score(article, idx)
        finally:
            self.seconds += time.process_time() - t0


def run_features(df, groups, n_resamples, chunk_rows):
    from analysis.features import make_scorers, score_chunk

    scorers = [TimedScorer(s) for s in make_scorers(groups)]
    n = 0
    with Timer() as t:
        for i in range(0, len(df), chunk_rows):
            fs = score_chunk(df.iloc[i:i + chunk_rows], scorers, n_resamples=n_resamples)
            n += len(fs.features)
    assert n == len(df), (n, len(df))
    return t, {s.name: s.seconds for s in scorers}


def bench(n_articles: int, args, pool) -> None:
    from analysis.text import get_nlp, parse_articles

    df = synthetic_corpus(n_articles, words=args.words, pool=pool)
    texts = df["text"].tolist()
    print(f"\ncorpus: {len(df):,} synthetic articles, {words_of(df) / len(df):.0f} words each on "
          f"average ({len(pool)} sentences of data/raw resampled); n_resamples={args.n_resamples},"
          f" chunk_rows={args.chunk_rows}")
    rows, per_scorer = {}, {}
    if "vader" in args.modes:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        with Timer() as t:
            for x in texts:
                vader.polarity_scores(x)
        rows["VADER alone"] = t
    if "empath" in args.modes:
        from empath import Empath

        empath = Empath()
        with Timer() as t:
            for x in texts:
                empath.analyze(x, normalize=True)
        rows["Empath alone"] = t
    get_nlp()  # load the model outside the timings
    if "parse" in args.modes:
        with Timer() as t:
            for _ in parse_articles(zip(df["article_id"], texts)):
                pass
        rows["shared parse alone (clean + spaCy)"] = t
    if "lexicon" in args.modes:
        rows["lexicon features (tone+emphasis)"], sc = run_features(
            df, ("tone", "emphasis"), args.n_resamples, args.chunk_rows)
        per_scorer["lexicon"] = sc
    if "all" in args.modes:
        rows["all features (tone+emphasis+sources)"], sc = run_features(
            df, ("tone", "emphasis", "sources"), args.n_resamples, args.chunk_rows)
        per_scorer["all"] = sc

    n = len(df)
    print(f"{'':40s} {'wall s':>8s} {'CPU s':>8s} {'art/s wall':>11s} {'art/CPU-s':>10s}")
    for name, t in rows.items():
        print(f"{name:40s} {t.wall:8.2f} {t.cpu:8.2f} {n / t.wall:11.1f} {n / t.cpu:10.1f}")
    for label, sc in per_scorer.items():
        parts = ", ".join(f"{k} {v:.2f} s ({n / v:.0f} art/CPU-s)" if v else f"{k} 0 s"
                          for k, v in sc.items())
        print(f"  scoring time inside '{label}' run, given the parse: {parts}")

    def rate(key):
        t = rows.get(key)
        return n / t.cpu if t and t.cpu else None

    print("ratios (throughput in articles per CPU-second, this run):")
    pairs = [("lexicon features (tone+emphasis)", "Empath alone", "target >= 1.00"),
             ("lexicon features (tone+emphasis)", "VADER alone", ""),
             ("all features (tone+emphasis+sources)", "Empath alone", ""),
             ("all features (tone+emphasis+sources)", "VADER alone", ""),
             ("all features (tone+emphasis+sources)", "shared parse alone (clean + spaCy)", "")]
    for a, b, target in pairs:
        ra, rb = rate(a), rate(b)
        if ra and rb:
            print(f"  ratio {a} / {b} = {ra / rb:.3f}  {target}".rstrip())
    if "lexicon" in per_scorer and rate("Empath alone"):
        sc = per_scorer["lexicon"]
        secs = sc.get("tone", 0) + sc.get("emphasis", 0)
        if secs:
            print(f"  ratio lexicon scoring given the shared parse / Empath alone = "
                  f"{(n / secs) / rate('Empath alone'):.3f}  (scorers only, parse excluded)")
    if rate("all features (tone+emphasis+sources)"):
        r = rate("all features (tone+emphasis+sources)")
        print(f"  all features: {r:.1f} articles/s/core; ratio to the target "
              f"{TARGET_ALL:.0f} = {r / TARGET_ALL:.2f}  (target >= 1.00)")
    print(load_now())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[2000],
                    help="corpus sizes (default 2000; the issue's sizes: 2000 20000)")
    ap.add_argument("--words", type=int, default=400, help="words per article (default 400)")
    ap.add_argument("--n-resamples", type=int, default=None,
                    help="bootstrap resamples (default: the project's N_RESAMPLES)")
    ap.add_argument("--chunk-rows", type=int, default=500)
    ap.add_argument("--modes", default=",".join(MODES),
                    help=f"comma-separated subset of {','.join(MODES)}")
    args = ap.parse_args()
    from analysis.config import N_RESAMPLES

    args.n_resamples = args.n_resamples or N_RESAMPLES
    args.modes = {m.strip() for m in args.modes.split(",")}
    print(machine())
    pool = sentence_pool()
    for n in args.articles:
        bench(n, args, pool)


if __name__ == "__main__":
    main()
