"""Throughput of the emphasis stage against Empath's ``analyze``, same texts, same run.

    .venv/bin/python benchmarks/bench_emphasis.py [--n-texts 300] [--corpus PATH]

Texts: by default ``--n-texts`` synthetic articles made by resampling (seeded) the sentences of
the articles in ``data/raw/`` (each text as long as a random one of them), so the benchmark
needs no validation data; ``--corpus`` takes any corpus ``load_corpus`` reads instead.

What is timed (best of ``--repeats`` runs each, CPU time of this process -- so other load on
the machine does not skew the ratio; one process, one thread):

* ``parse``    -- the shared parse (``parse_articles``: cleaning + spaCy), which every feature
                  shares and the emphasis stage does not repeat;
* ``emphasis`` -- ``EmphasisScorer.score`` on the parsed articles: all 7 frames, lemma and
                  multi-word matching, past years, evidence rows, per-1,000 rates, sentence
                  shares and 95% bootstrap intervals (2,000 resamples; the resample matrix is
                  drawn outside the timer, as ``build_features`` draws it once per article for
                  every scorer);
* ``empath``   -- ``Empath().analyze(raw_text, categories=[...], normalize=True)`` with the 8
                  nearest Empath categories, on the raw texts (Empath has no parse stage).

Ratios printed: empath time / emphasis time (> 1 means the emphasis stage is faster), and
empath time / (parse + emphasis) time, the honest end-to-end comparison when nothing else
shares the parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.config import N_RESAMPLES, RANDOM_STATE, RAW_DIR  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.emphasis import EmphasisScorer  # noqa: E402
from analysis.stats import article_rng, bootstrap_indices  # noqa: E402
from analysis.text import parse_articles  # noqa: E402

EMPATH_CATEGORIES = ["technology", "economics", "military", "war", "terrorism", "government",
                     "law", "death"]


def synthetic_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` texts of resampled sentences of the articles in data/raw/."""
    corpus = load_corpus(RAW_DIR)
    arts = list(parse_articles(zip(corpus["article_id"], corpus["text"])))
    pool = [s.text for a in arts for s in a.sentences if not s.is_heading]
    lengths = [a.n_sentences for a in arts]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.choice(lengths))
        picks = rng.integers(0, len(pool), size=k)
        paras = [" ".join(pool[j] for j in picks[i:i + 4]) for i in range(0, k, 4)]
        out.append("\n\n".join(paras))
    return out


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t0)
    return best, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-texts", type=int, default=300)
    ap.add_argument("--corpus", default=None, help="corpus path instead of synthetic texts")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from empath import Empath

    if args.corpus:
        df = load_corpus(args.corpus)
        texts = df["text"].tolist()
        what = f"{len(texts)} articles of {args.corpus}"
    else:
        texts = synthetic_texts(args.n_texts)
        what = f"{len(texts)} texts resampled from the sentences of data/raw/"
    items = [(f"t{i:05d}", t) for i, t in enumerate(texts)]

    t_parse, arts = best_of(lambda: list(parse_articles(items)), 1)
    n_words = sum(a.n_words for a in arts)
    idxs = [bootstrap_indices(len(a.sentences), N_RESAMPLES,
                              article_rng(RANDOM_STATE, a.article_id)) for a in arts]
    scorer = EmphasisScorer()
    scorer.score(arts[0], idxs[0])  # warm the per-word lookup memo like a long run would

    t_emph, _ = best_of(lambda: [scorer.score(a, i) for a, i in zip(arts, idxs)], args.repeats)
    lexicon = Empath()
    t_empath, _ = best_of(lambda: [lexicon.analyze(t, categories=EMPATH_CATEGORIES,
                                                   normalize=True) for t in texts], args.repeats)

    def rate(t):
        return f"{n_words / t:>12,.0f} words/s  ({len(texts) / t:>8,.1f} articles/s)"

    print(f"texts: {what}; {n_words:,} words")
    print(f"parse (shared, spaCy)        {t_parse:8.3f} s  {rate(t_parse)}")
    print(f"emphasis (7 frames + CIs)    {t_emph:8.3f} s  {rate(t_emph)}")
    print(f"empath analyze (8 cats)      {t_empath:8.3f} s  {rate(t_empath)}")
    print(f"ratio empath/emphasis (emphasis stage on the shared parse): "
          f"{t_empath / t_emph:.2f}x")
    print(f"ratio empath/(parse + emphasis) (including the shared parse): "
          f"{t_empath / (t_parse + t_emph):.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
