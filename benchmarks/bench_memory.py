"""Peak resident memory per dask worker at N vs 10 N articles (should be flat).

    python benchmarks/bench_memory.py --articles 2000        # 2,000 vs 20,000 articles

The corpus is synthetic (``common.synthetic_corpus``): the real corpora under ``../shared/``
have fewer than 10 N articles. Its vocabulary grows with the corpus as real news does (about
25,000 distinct words in 1,000 articles), which is what spaCy's vocabulary and the scorers'
caches grow with; the previous corpus (five articles' sentences, 1,300 distinct words however
large) could not show such growth. For each size, writes the corpus as Parquet to a temporary
folder and runs the real command,
``python -m analysis features CORPUS.parquet -o OUT.parquet --engine dask --workers 2``, in a
child process, sampling the resident set size (RSS) of that process (the dask client, which reads
the input and assembles the output tables) and of each worker process every ``--interval``
seconds with psutil. Peaks are in MiB (2^20 bytes). Ratios come from this one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, load_now, machine, sentence_pool, synthetic_corpus, write_parquet

TARGET = 1.10  # worker peak at 10 N / at N


def _is_worker(proc) -> bool:
    try:
        cmd = " ".join(proc.cmdline())
    except Exception:  # the process ended between listing and reading
        return False
    return "spawn_main" in cmd and "resource_tracker" not in cmd


def run_cli(corpus: Path, out: Path, args) -> tuple[float, dict[int, float], float]:
    """Run the CLI, sample RSS; returns (client peak, {worker pid: peak}, wall seconds)."""
    import psutil

    cmd = [sys.executable, "-m", "analysis", "features", str(corpus), "-o", str(out),
           "--engine", "dask", "--workers", str(args.workers), "--chunk-rows",
           str(args.chunk_rows), "--n-resamples", str(args.n_resamples)]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
    main = psutil.Process(child.pid)
    client_peak, workers = 0, {}
    while child.poll() is None:
        try:
            client_peak = max(client_peak, main.memory_info().rss)
            for p in main.children(recursive=True):
                if _is_worker(p):
                    try:
                        workers[p.pid] = max(workers.get(p.pid, 0), p.memory_info().rss)
                    except psutil.Error:
                        pass
        except psutil.Error:
            pass
        time.sleep(args.interval)
    wall = time.perf_counter() - t0
    err = child.stderr.read()
    if child.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"features failed ({child.returncode}):\n{err[-3000:]}")
    mib = 2**20
    return client_peak / mib, {k: v / mib for k, v in workers.items()}, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000,
                    help="the small size N; the large one is 10 N (default 2000)")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--words", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk-rows", type=int, default=100)
    ap.add_argument("--n-resamples", type=int, default=None)
    ap.add_argument("--interval", type=float, default=0.05, help="sampling period, seconds")
    args = ap.parse_args()
    from analysis.config import N_RESAMPLES

    args.n_resamples = args.n_resamples or N_RESAMPLES
    print(machine())
    print(f"dask LocalCluster, {args.workers} worker processes, {args.chunk_rows} articles per "
          f"partition, all features, n_resamples={args.n_resamples}; RSS sampled every "
          f"{args.interval} s")
    pool = sentence_pool()
    peaks = {}
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        for n in (args.articles, args.articles * args.factor):
            df = synthetic_corpus(n, words=args.words, pool=pool)
            corpus = write_parquet(df, Path(tmp) / f"corpus{n}.parquet",
                                   row_group_size=args.chunk_rows)
            del df
            client, workers, wall = run_cli(corpus, Path(tmp) / f"out{n}" / "features.parquet",
                                            args)
            import pandas as pd

            done = len(pd.read_parquet(Path(tmp) / f"out{n}" / "features.parquet",
                                       columns=["article_id"]))
            if done != n:
                raise SystemExit(f"only {done:,} of {n:,} articles featurised")
            if not workers:
                raise SystemExit("no worker process was seen; sampling interval too long?")
            peaks[n] = (client, workers)
            ws = ", ".join(f"{v:.0f}" for _, v in sorted(workers.items()))
            print(f"{n:>9,} articles: {wall:7.1f} s; peak RSS per worker (MiB): {ws}; "
                  f"client (reads input, holds output tables): {client:.0f} MiB")
    (n1, (c1, w1)), (n2, (c2, w2)) = sorted(peaks.items())
    r = max(w2.values()) / max(w1.values())
    print("ratios (this run):")
    print(f"  ratio peak RSS per worker, {n2:,} vs {n1:,} articles = {r:.3f}  "
          f"(target <= {TARGET:.2f}, i.e. within 10%)")
    print(f"  ratio client peak RSS, {n2:,} vs {n1:,} articles = {c2 / c1:.3f}  "
          "(grows with the output tables it writes)")
    print(load_now())


if __name__ == "__main__":
    main()
