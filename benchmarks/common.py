"""Shared by the benchmarks: the machine description and the synthetic corpus.

The synthetic corpus resamples sentences of realistic news text: the articles of ``data/raw``,
cleaned and split by the project's own parse (headings and boilerplate dropped). Each synthetic
article draws sentences with a seeded generator until it has about ``words`` words, in
paragraphs of three sentences, so every article is new text made of real news sentences.
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread per process, as `make` and dask workers run: a "core" means one core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout even without the editable install


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line: cores, CPU model, memory, Python, OS, and the load average (other work)."""
    import psutil

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = psutil.virtual_memory().total / 2**30
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {cores} cores ({os.cpu_count()} logical), {cpu_model()}, {mem:.0f} GiB RAM,"
            f" Python {platform.python_version()}, {platform.system()} {platform.release()};"
            f" load average {load}")


def load_now() -> str:
    return "load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def sentence_pool() -> list[str]:
    """Body sentences (>= 4 words, no headings) of the cleaned articles in data/raw."""
    from analysis.config import RAW_DIR
    from analysis.corpus import load_corpus
    from analysis.text import parse_articles

    df = load_corpus(RAW_DIR, problems=[])
    pool = []
    for art in parse_articles(zip(df["article_id"], df["text"])):
        pool += [s.text for s in art.sentences if not s.is_heading and s.n_words >= 4]
    if not pool:
        raise SystemExit(f"no sentences in {RAW_DIR}: the benchmarks need the five articles")
    return pool


def synthetic_corpus(n_articles: int, *, words: int = 400, seed: int = 0,
                     pool: list[str] | None = None) -> pd.DataFrame:
    """``n_articles`` articles of about ``words`` words each (article_id, text)."""
    pool = pool if pool is not None else sentence_pool()
    lengths = np.array([len(s.split()) for s in pool])
    rng = np.random.default_rng(seed)
    ids, texts = [], []
    for i in range(n_articles):
        sents, total = [], 0
        while total < words:
            k = int(rng.integers(len(pool)))
            sents.append(pool[k])
            total += int(lengths[k])
        paras = [" ".join(sents[j:j + 3]) for j in range(0, len(sents), 3)]
        ids.append(f"syn{i:07d}")
        texts.append("\n\n".join(paras) + "\n")
    return pd.DataFrame({"article_id": ids, "text": texts})


def write_parquet(df: pd.DataFrame, path: Path, row_group_size: int = 500) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False, row_group_size=row_group_size)
    return path


def words_of(df: pd.DataFrame) -> int:
    return int(df["text"].str.split().str.len().sum())


class Timer:
    """Wall and CPU seconds of a ``with`` block (CPU: this process, all its threads)."""

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0
        return False


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"
