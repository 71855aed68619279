"""Feature throughput per core on real text and on synthetic text, side by side (real first).

    python benchmarks/bench_features.py [--articles 500] [--modes parse,all] [--repeats 1]
                                        [--study examples/us-politics-2016/study.yml]

Corpora, in this order: the real ones found under ``../shared/`` (BBC dev texts as given, with
their mojibake; the 2016 US-politics corpus), each a seeded sample of ``--articles`` articles
read in place by ``load_corpus``; then the synthetic corpus of ``--articles`` articles with a
realistic, growing vocabulary (``synthetic, Zipf vocabulary``) and the previous synthetic
corpus, the five articles' sentences verbatim (``synthetic, five articles``), which shows how
much warm caches flattered it. See ``common.py`` for what the synthetic corpus over- and
understates. Without ``../shared/`` the script says so and runs the synthetic corpora only.

Every measurement runs in a fresh process (spawn), one thread (one core): spaCy's caches, the
lemmatizer's and the emphasis matcher's word tables start empty, as in a CLI run, whatever was
measured before. The pipeline and scorers are loaded before the timer. Modes:

* ``parse``   -- the shared parse alone (cleaning + spaCy), chunk by chunk in ``memory_zone``
                 as ``score_chunk`` runs it;
* ``lexicon`` -- tone + emphasis, parse included (``--groups tone,emphasis``);
* ``all``     -- all features (tone + emphasis + sources), parse included, through
                 ``analysis.features.score_chunk`` as the CLI runs it; the time inside each
                 scorer is reported apart;
* ``vader``, ``empath`` -- VADER alone (``polarity_scores``), Empath alone (``analyze``, all
                 categories, normalised), on the raw texts.

Rates are per CPU-second of the single-threaded measuring process (= per core): articles/s/core
and words/s/core (words: whitespace-separated, the same count for every mode; article lengths
differ between corpora, so words/s/core is the fairer comparison). Ratios come from this run.
"""

from __future__ import annotations

import argparse
import time

from common import (Timer, distinct_words, in_fresh_process, load_now, load_real, machine,
                    no_real_text_note, real_corpora, sentence_pool, synthetic_corpus, words_of)

TARGET_ALL = 20.0  # articles/s/core, all features, 400-word articles
TARGET_REAL = 1.3  # synthetic articles/s/core at most 1.3x real-text articles/s/core
MODES = ("parse", "lexicon", "all", "vader", "empath")
GROUPS = {"lexicon": ("tone", "emphasis"), "all": ("tone", "emphasis", "sources")}


class TimedScorer:
    """Wraps a scorer and adds up the CPU seconds spent in its ``score``."""

    def __init__(self, scorer):
        self.scorer, self.name, self.seconds = scorer, scorer.name, 0.0
        self.table_columns = getattr(scorer, "table_columns", {})

    def columns(self):
        return self.scorer.columns()

    def score(self, article, idx):
        t0 = time.process_time()
        try:
            return self.scorer.score(article, idx)
        finally:
            self.seconds += time.process_time() - t0


def measure(df, mode: str, n_resamples: int, chunk_rows: int, study=None,
            frames=None) -> dict:
    """Runs in a fresh process: time one mode on ``df``; CPU and wall seconds. ``study``: a
    study file (its actors for tone toward them); ``frames``: the built-in frame sets the
    emphasis scorer scores (default: the study's, else the default set)."""
    texts = df["text"].tolist()
    out: dict = {}
    if mode == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        with Timer() as t:
            for x in texts:
                vader.polarity_scores(x)
    elif mode == "empath":
        from empath import Empath

        empath = Empath()
        with Timer() as t:
            for x in texts:
                empath.analyze(x, normalize=True)
    elif mode == "parse":
        from analysis.text import get_nlp, parse_articles

        nlp = get_nlp()
        with Timer() as t:
            for i in range(0, len(df), chunk_rows):
                part = df.iloc[i:i + chunk_rows]
                with nlp.memory_zone():
                    for _ in parse_articles(zip(part["article_id"], part["text"]),
                                            batch_size=8, nlp=nlp):
                        pass
    else:
        from analysis.features import make_scorers, score_chunk
        from dataclasses import replace

        from analysis.study import Study, load_study
        from analysis.text import get_nlp

        get_nlp()
        if frames:
            study = replace(load_study(study) if study else Study(), frames=tuple(frames))
        scorers = [TimedScorer(s) for s in make_scorers(GROUPS[mode], study=study)]
        n_att = 0
        with Timer() as t:
            for i in range(0, len(df), chunk_rows):
                fs = score_chunk(df.iloc[i:i + chunk_rows], scorers, n_resamples=n_resamples)
                n_att += len(fs.tables.get("attributions", ()))
        out["scorers"] = {s.name: s.seconds for s in scorers}
        out["attributions"] = n_att
    out.update(cpu=t.cpu, wall=t.wall)
    return out


def corpora(args, pool) -> list[tuple[str, object]]:
    found = real_corpora()
    if not found:
        print(no_real_text_note())
    out = [(f"{name} (real)", load_real(path, args.articles)) for name, path in found.items()]
    out.append(("synthetic, Zipf vocabulary",
                synthetic_corpus(args.articles, words=args.words, pool=pool)))
    if not args.no_pool:
        out.append(("synthetic, five articles",
                    synthetic_corpus(args.articles, words=args.words, pool=pool,
                                     vocabulary="pool")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500,
                    help="articles per corpus (a seeded sample of a real corpus; default 500)")
    ap.add_argument("--words", type=int, default=400,
                    help="words per synthetic article (default 400)")
    ap.add_argument("--n-resamples", type=int, default=None,
                    help="bootstrap resamples (default: the project's N_RESAMPLES)")
    ap.add_argument("--chunk-rows", type=int, default=500)
    ap.add_argument("--modes", default="parse,all",
                    help=f"comma-separated subset of {','.join(MODES)} (default parse,all)")
    ap.add_argument("--repeats", type=int, default=1,
                    help="measure every corpus and mode this many times, interleaved; the "
                         "least CPU time is kept (default 1)")
    ap.add_argument("--frames", default="",
                    help="built-in frame sets of the emphasis scorer, e.g. pfc,sv (default: "
                         "the default set)")
    ap.add_argument("--no-pool", action="store_true",
                    help="skip the previous synthetic corpus (five articles verbatim)")
    ap.add_argument("--study", default=None, metavar="FILE",
                    help="study whose actors the tone group measures tone toward (default none)")
    args = ap.parse_args()
    from analysis.config import N_RESAMPLES

    args.n_resamples = args.n_resamples or N_RESAMPLES
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - set(MODES)
    if unknown:
        raise SystemExit(f"unknown mode(s): {', '.join(sorted(unknown))}")
    print(machine())
    print(f"one process per measurement, one thread; n_resamples={args.n_resamples}, "
          f"chunk_rows={args.chunk_rows}, frames={args.frames or 'default'}")
    named = corpora(args, sentence_pool())
    best: dict[tuple[str, str], dict] = {}
    for _ in range(max(args.repeats, 1)):
        for name, df in named:
            for mode in modes:
                r = in_fresh_process(measure, df, mode, args.n_resamples, args.chunk_rows,
                                     args.study, [f for f in args.frames.split(",") if f])
                key = (name, mode)
                if key not in best or r["cpu"] < best[key]["cpu"]:
                    best[key] = r

    print(f"\n{'corpus':30s} {'articles':>8s} {'words/art':>9s} {'distinct':>9s} {'mode':>7s} "
          f"{'CPU s':>7s} {'wall s':>7s} {'art/s/core':>10s} {'words/s/core':>12s}")
    rates: dict[tuple[str, str], tuple[float, float]] = {}
    for name, df in named:
        n, w = len(df), words_of(df)
        for j, mode in enumerate(modes):
            r = best[(name, mode)]
            rates[(name, mode)] = (n / r["cpu"], w / r["cpu"])
            lead = (f"{name:30s} {n:8,d} {w / n:9.0f} {distinct_words(df):9,d}" if j == 0
                    else " " * 58)
            print(f"{lead} {mode:>7s} {r['cpu']:7.1f} {r['wall']:7.1f} {n / r['cpu']:10.1f} "
                  f"{w / r['cpu']:12,.0f}")
        for mode in modes:
            r = best[(name, mode)]
            if "scorers" in r:
                parts = ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in r["scorers"].items())
                rest = 1000 * (r["cpu"] - sum(r["scorers"].values())) / n
                print(f"{'':30s} {mode}: ms/article: parse and the rest {rest:.1f}, {parts}"
                      + (f"; {r['attributions'] / n:.1f} attributions/article"
                         if "attributions" in r and "sources" in r["scorers"] else ""))
                if "tone" in r["scorers"]:  # target: under 20% of the time per article
                    print(f"{'':30s} {mode}: tone share of the time per article "
                          f"{100 * r['scorers']['tone'] / r['cpu']:.1f}%  (target < 20%)")

    real = [name for name, _ in named if name.endswith("(real)")]
    synth = [name for name, _ in named if not name.endswith("(real)")]
    print("ratios (this run; synthetic / real throughput per core, > 1: synthetic is faster):")
    for mode in (m for m in modes if m in ("parse", "lexicon", "all")):
        for s in synth:
            for r in real:
                (sa, sw), (ra, rw) = rates[(s, mode)], rates[(r, mode)]
                target = f"  (target <= {TARGET_REAL})" if mode == "all" else ""
                print(f"  {mode:>7s}: {s} / {r}: articles/s/core {sa / ra:.2f}, "
                      f"words/s/core {sw / rw:.2f}{target}")
    for base in ("empath", "vader"):
        if "lexicon" in modes and base in modes:
            for name, _ in named:
                ratio = rates[(name, "lexicon")][0] / rates[(name, base)][0]
                print(f"  lexicon features (tone+emphasis, parse included) / {base} alone, "
                      f"{name}: {ratio:.3f}" + ("  (target >= 1.00)" if base == "empath" else ""))
    if "all" in modes:
        for name, _ in named:
            a = rates[(name, "all")][0]
            print(f"  all features, {name}: {a:.1f} articles/s/core; ratio to the target "
                  f"{TARGET_ALL:.0f} = {a / TARGET_ALL:.2f}  (target >= 1.00)")
    print(load_now())


if __name__ == "__main__":
    main()
