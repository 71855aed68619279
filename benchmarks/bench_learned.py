"""Learned measures: the time to learn on 1,000 articles, and what applying a model adds.

    .venv/bin/python benchmarks/bench_learned.py [--learn-articles 1000] [--apply-articles 300]

Real text (``../shared/``, read in place, never copied; without it the script stops, as
these figures mean nothing on synthetic text):

* **learn**: ``--learn-articles`` BBC dev articles (``validation/bbc_dev.csv``, a seeded
  sample), labelled business (1) or not (0). The shared parse runs first, untimed; then
  ``learn`` proper is timed: featurising the parsed articles
  (:func:`analysis.measures.learned.featurise.featurise`), the 5-fold cross-validation with
  its bootstrap intervals and the final fit (:func:`~analysis.measures.learned.train.learn_items`).
  Target: at most 60 s after the parse.
* **apply**: ``--apply-articles`` articles of the 2016 US-politics corpus
  (``corpora/us-politics-2016.jsonl``), parsed once; then, on the same parsed articles, every
  built-in scorer (tone, emphasis, sources, terms: what ``features`` runs) and the learned
  scorer with the model just learned (its value, the 2,000-resample sentence-bootstrap interval
  and the evidence rows), each timed over all articles with the bootstrap indices drawn outside
  the timers. The ratio is the learned scorer's time over the time per article without it
  (parse + built-in scorers). Target: at most 5%.

CPU time of this process (``time.process_time``), one BLAS thread: other load on the machine
does not skew the numbers much.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from common import machine, real_corpora, load_real

from analysis.config import N_RESAMPLES
from analysis.features import make_scorers
from analysis.measures.learned import LearnedScorer
from analysis.measures.learned.featurise import featurise
from analysis.measures.learned.model import Featurise
from analysis.measures.learned.train import learn_items
from analysis.stats import article_rng, bootstrap_indices
from analysis.text import parse_articles


def _cpu(fn):
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learn-articles", type=int, default=1000)
    ap.add_argument("--apply-articles", type=int, default=300)
    args = ap.parse_args()
    corpora = real_corpora()
    if set(corpora) != {"bbc_dev", "us-politics-2016"}:
        print("no real text under ../shared: nothing to measure", file=sys.stderr)
        return 2
    print(machine())
    bbc = load_real(corpora["bbc_dev"], args.learn_articles)
    y = np.where(bbc["category"] == "business", "1", "0")
    t_parse, parsed = _cpu(lambda: list(parse_articles(zip(bbc["article_id"], bbc["text"]))))
    spec = Featurise()

    def learn():
        items = [featurise(a, spec) for a in parsed]
        return learn_items(items, y, kind="binary", categories=("0", "1"), name="business",
                           label="category", spec=spec)

    t_learn, model = _cpu(learn)
    cv = model.training["cv"]
    print(f"learn: {len(bbc)} BBC articles ({int((y == '1').sum())} business); parse "
          f"{t_parse:.1f} s (untimed by the target); learn {t_learn:.1f} s after the parse "
          f"(target <= 60 s); cross-validated AUC {cv['auc']:.3f} "
          f"({cv['auc_ci95'][0]:.3f}-{cv['auc_ci95'][1]:.3f})")

    pol = load_real(corpora["us-politics-2016"], args.apply_articles)
    t_parse2, arts = _cpu(lambda: list(parse_articles(zip(pol["article_id"], pol["text"]))))
    idx = [bootstrap_indices(len(a.sentences), N_RESAMPLES, article_rng(0, a.article_id))
           for a in arts]
    builtin = make_scorers(["tone", "emphasis", "sources", "terms"])
    t_builtin = 0.0
    for sc in builtin:
        t, _ = _cpu(lambda sc=sc: [sc.score(a, i) for a, i in zip(arts, idx)])
        t_builtin += t
    learned = LearnedScorer([model])
    t_learned, _ = _cpu(lambda: [learned.score(a, i) for a, i in zip(arts, idx)])
    base = t_parse2 + t_builtin
    n = len(arts)
    print(f"apply: {n} US-politics articles; per article: parse {1000 * t_parse2 / n:.1f} ms, "
          f"built-in scorers {1000 * t_builtin / n:.1f} ms, learned scorer "
          f"{1000 * t_learned / n:.2f} ms ({len(model.weights['1'].features()):,} weighted "
          f"features); the learned measure adds {100 * t_learned / base:.1f}% to the time per "
          f"article (target <= 5%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
