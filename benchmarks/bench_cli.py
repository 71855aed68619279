"""The whole command, start-up included: ``python -m analysis features`` on the BBC dev texts.

    python benchmarks/bench_cli.py [--corpus PATH] [--workers 1 2] [--dask] [--cli-args ...]

Runs ``python -m analysis features CORPUS -o TMP/<run>/features.csv`` as a subprocess and
times it from launch to exit: articles per wall-second including interpreter start-up, imports,
loading spaCy, reading the corpus and writing every table. ``CORPUS`` is
``../shared/validation/bbc_dev.csv`` as given (1,891 rows with their mojibake; 69 repeat an
earlier text and are skipped as duplicate IDs, so 1,822 articles are featurised) when present;
otherwise the script says so and writes 1,891 synthetic articles (``common.synthetic_corpus``)
to a temporary CSV.

Runs, each in its own output folder:

* ``N worker(s)`` -- for each ``--workers`` N: the command with ``--workers N`` (local engine;
  1 scores in the command's own process, N > 1 on N worker processes,
  ``analysis.parallel.iter_features_parallel``);
* ``dask``        -- with ``--dask``: ``--engine dask --workers 2`` for reference;
* ``start-up``    -- ``--workers 1`` on the corpus's first article only (imports, model, one
  article, writing): what every run pays before its second article.

For each run: wall seconds, articles/s, CPU seconds of all its processes (``wait4`` and the
sampled CPU times of every process in its tree), the CPU seconds of its busiest process, and
peak RSS (sampled every ``--interval`` s with psutil: of the whole process tree, and the
largest single process). Other work on the machine stretches wall times: the load average is
printed before and after, and ``CPU bound`` gives the articles/s the run would reach on 2
otherwise idle cores (its busiest process's CPU seconds, or all its CPU seconds spread over the
2 cores, whichever is more). Every table file of every run is compared byte for byte with the first
run's (the first ``--workers`` value).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (ROOT, SHARED_DIR, load_now, machine, no_real_text_note, real_corpora,
                    sentence_pool, synthetic_corpus)

TARGET = 20.0  # articles/s, whole command, 2 cores, BBC dev texts
CORES = 2


def run(cmd: list[str], interval: float) -> dict:
    """Run ``cmd``; wall time, CPU of the process tree, peak RSS (tree and single process)."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ANALYSIS_TEST_KILL_AT", None)
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    top = psutil.Process(child.pid)
    peak_tree, peak_one, cpu = 0, 0, {}
    status = rusage = None
    while True:
        pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        try:
            procs = [top, *top.children(recursive=True)]
        except psutil.Error:
            procs = []
        tree = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
                t = p.cpu_times()
            except psutil.Error:
                continue
            tree += rss
            peak_one = max(peak_one, rss)
            cpu[p.pid] = t.user + t.system
        peak_tree = max(peak_tree, tree)
        time.sleep(interval)
    wall = time.perf_counter() - t0
    err = child.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    # CPU of the command and the children it waited for; workers forked by a forkserver are
    # not its children, so the tree's sampled CPU times count too (each misses at most its
    # last sampling period).
    waited = rusage.ru_utime + rusage.ru_stime
    if len(cpu) <= 1:
        cpu[child.pid] = waited
    total_cpu = max(waited, sum(cpu.values()))
    return {"wall": wall, "code": code, "stderr": err, "cpu": total_cpu,
            "busiest": max(cpu.values()), "peak_tree": peak_tree / 2**20,
            "peak_one": peak_one / 2**20, "n_procs": len(cpu),
            "per_process": [cpu[child.pid]] + sorted(
                (v for k, v in cpu.items() if k != child.pid), reverse=True)}


def critical(r: dict) -> float:
    """CPU seconds the run needs on CORES idle cores: its busiest process, or its CPU seconds
    spread over the cores, whichever is more."""
    return max(r["busiest"], r["cpu"] / CORES)


def table_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def input_rows(corpus: Path) -> int | None:
    """Rows of a CSV/TSV/JSONL corpus file (before duplicates and bad rows are skipped)."""
    import pandas as pd

    suffix = corpus.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return len(pd.read_csv(corpus, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                               keep_default_na=False))
    if suffix in (".jsonl", ".ndjson"):
        with open(corpus, encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())
    return None


def n_articles(features: Path) -> int:
    import pandas as pd

    return len(pd.read_csv(features, usecols=["article_id"], dtype=str))


def commands(args, corpus: Path, tmp: Path) -> list[tuple[str, list[str], Path]]:
    py = sys.executable
    out = []
    for w in args.workers:
        folder = tmp / f"workers{w}"
        out.append((f"{w} worker{'s' if w > 1 else ' (one process)'}",
                    [py, "-m", "analysis", "features", str(corpus), "-o",
                     str(folder / "features.csv"), "--workers", str(w), *args.cli_args], folder))
    if args.dask:
        folder = tmp / "dask"
        out.append(("dask engine, 2 workers",
                    [py, "-m", "analysis", "features", str(corpus), "-o",
                     str(folder / "features.csv"), "--engine", "dask", "--workers", "2",
                     *args.cli_args], folder))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=None,
                    help="corpus to featurise (default ../shared/validation/bbc_dev.csv)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                    help="--workers values to run (default 1 2); the first is the baseline")
    ap.add_argument("--dask", action="store_true", help="also run --engine dask --workers 2")
    ap.add_argument("--no-startup", action="store_true", help="skip the one-article run")
    ap.add_argument("--interval", type=float, default=0.1, help="RSS sampling period, s")
    ap.add_argument("--cli-args", nargs=argparse.REMAINDER, default=[],
                    help="further arguments for every command (e.g. --chunk-rows 250)")
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench_cli_") as tmp:
        tmp = Path(tmp)
        corpus = args.corpus or real_corpora().get("bbc_dev")
        if corpus is None:
            print(no_real_text_note(SHARED_DIR))
            corpus = tmp / "synthetic.csv"
            synthetic_corpus(1891, pool=sentence_pool())[["text"]].to_csv(corpus, index=False)
        rows = input_rows(corpus)
        print(f"corpus: {corpus} ({corpus.stat().st_size / 2**20:.1f} MiB"
              + (f", {rows:,} rows" if rows else "") + "); every run from launch to exit, "
              "start-up included; articles/s counts the rows of features.csv (duplicate and "
              "bad input rows are skipped)")
        runs = commands(args, corpus, tmp)
        if not args.no_startup:
            from analysis.corpus import load_corpus

            one = tmp / "one.csv"
            load_corpus(corpus, problems=[]).head(1).drop(columns="article_id").to_csv(
                one, index=False)
            runs.append(("start-up (1 process, 1 article)",
                         [sys.executable, "-m", "analysis", "features", str(one), "-o",
                          str(tmp / "one" / "features.csv"), "--workers", "1",
                          *args.cli_args], tmp / "one"))
        results = {}
        for label, cmd, folder in runs:
            r = run(cmd, args.interval)
            if r["code"] not in (0, 1) or not (folder / "features.csv").exists():
                raise SystemExit(f"{label} failed ({r['code']}):\n{r['stderr'][-3000:]}")
            r["n"] = n_articles(folder / "features.csv")
            r["tables"] = table_bytes(folder)
            results[label] = r
            bound = r["n"] / critical(r)
            if label.startswith("start-up"):
                print(f"{label:40s} {r['wall']:7.1f} s wall | CPU {r['cpu']:6.1f} s | peak RSS "
                      f"{r['peak_one']:5.0f} MiB", flush=True)
                continue
            print(f"{label:40s} {r['wall']:7.1f} s wall, {r['n']:,} articles, "
                  f"{r['n'] / r['wall']:5.1f} articles/s | "
                  f"CPU {r['cpu']:6.1f} s in {r['n_procs']} process(es), busiest "
                  f"{r['busiest']:6.1f} s; CPU bound on {CORES} idle cores {bound:6.1f} "
                  f"articles/s | peak RSS {r['peak_tree']:5.0f} MiB all processes, "
                  f"{r['peak_one']:5.0f} MiB largest", flush=True)
            if r["n_procs"] > 1:
                print(f"{'':40s} CPU s per process: {r['per_process'][0]:.1f} (the command), "
                      + ", ".join(f"{v:.1f}" for v in r["per_process"][1:]))

    base_label = runs[0][0]
    base = results[base_label]
    print("ratios (this run):")
    for label, r in results.items():
        if label == base_label or label.startswith("start-up"):
            continue
        same = r["tables"] == base["tables"]
        bound = critical(base) / critical(r)
        print(f"  {label} vs {base_label}: wall speed-up {base['wall'] / r['wall']:.2f}x, "
              f"CPU-bound speed-up {bound:.2f}x; tables byte-identical: {same} "
              f"({len(r['tables'])} files)")
    for label, r in results.items():
        if not label.startswith("start-up"):
            rate = r["n"] / r["wall"]
            print(f"  {label}: {rate:.1f} articles/s whole command; ratio to the target "
                  f"{TARGET:.0f} = {rate / TARGET:.2f}  (target >= 1.00)")
    print(load_now())
    if any(r["tables"] != base["tables"] for k, r in results.items()
           if not k.startswith("start-up")):
        raise SystemExit("the runs wrote different tables")


if __name__ == "__main__":
    main()
