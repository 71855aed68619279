"""Throughput of the emphasis stage against Empath's ``analyze``, same texts, same run.

    .venv/bin/python benchmarks/bench_emphasis.py [--n-texts 300] [--words 400] [--repeats 3]
                                                  [--corpus PATH | --synthetic]

Texts: ``--n-texts`` articles of the BBC dev texts (``../shared/validation/bbc_dev.csv``, a
seeded sample, as given) when ``../shared/`` has them; otherwise (the script says so) as many
synthetic articles of about ``--words`` words with a realistic vocabulary
(``common.synthetic_corpus``; see ``common.py`` for what it over- and understates).
``--corpus`` takes any corpus ``load_corpus`` reads instead. Every timer below runs on exactly
these texts, in this process.

What is timed (CPU time of this process, ``time.process_time``, so other load on the machine
does not skew the ratios; one thread: BLAS is pinned to one thread; best of ``--repeats`` runs
unless said otherwise):

* ``parse``            -- the shared parse (``parse_articles``: cleaning + spaCy tokenizer,
                          tagger, lemmatizer, sentences), once. Every feature group shares it;
                          the emphasis stage never repeats it.
* ``emphasis``         -- ``EmphasisScorer.score`` on the parsed articles: all 7 frames
                          (679 patterns: lemmas, wildcards, multi-word), past years and decades,
                          one evidence row per match, per-1,000-word rates, sentence shares and
                          95% bootstrap intervals of every frame (2,000 sentence resamples; the
                          resample index matrix is drawn outside the timer, as
                          ``build_features`` draws it once per article for every scorer).
                          ``first pass`` is the same on a freshly compiled matcher (every word
                          type seen for the first time), timed once.
* ``empath (default)`` -- ``Empath().analyze(text, normalize=True)``: all of Empath's
                          categories (``categories=None``, its default, as users call it; it
                          rebuilds its inverted index on every call), on the raw texts (Empath
                          has no parse stage): a count per category, no evidence, no intervals.
* ``empath (8 cats)``  -- the same restricted to the 8 Empath categories nearest our frames.

Throughput is words/s (words as the parse counts them: tokens that are not punctuation or
space, the same number for every row) and articles/s. A ratio is Empath's time / our time:
above 1 means the emphasis stage is faster. The issue's target (at least as fast as Empath
while computing more) is the headline ratio against Empath's default ``analyze`` on the
emphasis stage; the other ratios are printed beside it, including the one that charges the
whole shared parse to the emphasis stage (the honest end-to-end figure when no other feature
group shares the parse).
"""

from __future__ import annotations

import argparse
import os
import time

from common import (load_real, no_real_text_note, real_corpora, sentence_pool,
                    synthetic_corpus)  # first: one BLAS thread, the checkout on sys.path

from analysis.config import N_RESAMPLES, RANDOM_STATE  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.measures.emphasis.scorer import EmphasisScorer, _compiled  # noqa: E402
from analysis.stats import article_rng, bootstrap_indices  # noqa: E402
from analysis.text import parse_articles  # noqa: E402

EMPATH_CATEGORIES = ["technology", "economics", "military", "war", "terrorism", "government",
                     "law", "death"]


def best_of(fn, repeats: int) -> tuple[float, object]:
    """Smallest CPU time of ``repeats`` calls of ``fn`` (and the last result)."""
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t0)
    return best, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-texts", type=int, default=300, help="articles (default 300)")
    ap.add_argument("--words", type=int, default=400, help="words per synthetic article")
    ap.add_argument("--corpus", default=None, help="corpus path instead of the BBC dev texts")
    ap.add_argument("--synthetic", action="store_true",
                    help="synthetic texts even when the BBC dev texts are there")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from empath import Empath

    real = real_corpora().get("bbc_dev")
    if args.corpus:
        df = load_corpus(args.corpus)
        what = f"{len(df)} articles of {args.corpus}"
    elif real is not None and not args.synthetic:
        df = load_real(real, args.n_texts)
        what = f"{len(df)} BBC dev articles (real text, as given), a seeded sample"
    else:
        if real is None:
            print(no_real_text_note())
        df = synthetic_corpus(args.n_texts, words=args.words, pool=sentence_pool())
        what = (f"{len(df)} synthetic articles (~{args.words} words each, realistic "
                "vocabulary; see benchmarks/common.py)")
    texts = df["text"].tolist()
    items = [(f"t{i:05d}", t) for i, t in enumerate(texts)]

    t_parse, arts = best_of(lambda: list(parse_articles(items)), 1)
    n_words = sum(a.n_words for a in arts)
    idxs = [bootstrap_indices(len(a.sentences), N_RESAMPLES,
                              article_rng(RANDOM_STATE, a.article_id)) for a in arts]

    def emphasis():
        return [scorer.score(a, i) for a, i in zip(arts, idxs)]

    _compiled.cache_clear()  # a fresh matcher: its word-type table starts empty
    scorer = EmphasisScorer()
    t_cold, _ = best_of(emphasis, 1)
    t_emph, _ = best_of(emphasis, args.repeats)
    lexicon = Empath()
    t_default, _ = best_of(lambda: [lexicon.analyze(t, normalize=True) for t in texts],
                           args.repeats)
    t_eight, _ = best_of(lambda: [lexicon.analyze(t, categories=EMPATH_CATEGORIES,
                                                  normalize=True) for t in texts], args.repeats)
    n_cats = len(lexicon.cats)

    def row(label, t):
        print(f"  {label:<44} {t:8.3f} s {n_words / t:>12,.0f} words/s "
              f"{len(texts) / t:>9,.1f} articles/s")

    print(f"texts: {what}; {n_words:,} words; CPU time, best of {args.repeats} "
          f"(load average {os.getloadavg()[0]:.2f})")
    row("parse (shared spaCy parse, once)", t_parse)
    row("emphasis stage (7 frames + evidence + CIs)", t_emph)
    row("emphasis stage, first pass (cold)", t_cold)
    row(f"empath analyze, default ({n_cats} categories)", t_default)
    row("empath analyze, 8 nearest categories", t_eight)
    print("ratios (Empath time / our time; > 1 means ours is faster):")
    print(f"  HEADLINE emphasis stage vs empath default:      {t_default / t_emph:6.2f}x")
    print(f"  emphasis first pass (cold: what a CLI run pays, every text new) vs empath default: "
          f"{t_default / t_cold:6.2f}x")
    print(f"  emphasis stage vs empath 8 categories:          {t_eight / t_emph:6.2f}x")
    print(f"  parse + emphasis vs empath default:             "
          f"{t_default / (t_parse + t_emph):6.3f}x")
    print(f"  parse + emphasis vs empath 8 categories:        "
          f"{t_eight / (t_parse + t_emph):6.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
