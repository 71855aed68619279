"""Time and peak memory of the group-comparison figures (notebook 05) after the features.

    python benchmarks/bench_figures.py                       # 300, 2,000 and 20,000 articles
    python benchmarks/bench_figures.py --articles 300 2000 --groups 7

For each size, writes synthetic ``features.csv``, ``attributions.csv`` and ``terms.csv`` (the
tables ``python -m analysis features`` writes, with made-up numbers: the benchmark is about the
figures, not the features) and then, each in a child process sampled with psutil every
``--interval`` seconds:

1. ``compare``: the :mod:`analysis.compare` calls notebook 05 makes (group summary, contrasts,
   paired contrasts, adjusted contrasts, time summary, source shares, distinctive terms), timed
   one by one;
2. ``notebook``: ``python -m analysis compare`` (``--by outlet``, ``--pair-by`` from
   ``--pair-by``), which writes the tables notebook 05 draws, then notebook 05 run with
   papermill (kernel ``framing-analysis``; ``group_by`` ``outlet``) into a temporary figures
   folder: wall time, and the peak resident memory of the largest process (the kernel) and of
   all of them together.

Target at 20,000 articles: every figure within 5 minutes, peak memory under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, load_now, machine

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

TARGET_SECONDS = 300
TARGET_BYTES = 4 * 2**30
TYPES = ("government official", "unnamed/anonymous", "expert/analyst", "media", "civil society",
         "military/security", "diplomat/delegation", "joint statement/document", "unknown")
# Affiliations of the default study (data/study.yml) that notebook 05 reads.
AFFILIATIONS = ("united_states", "other", "multiple", "unknown")
FRAMES = ("technology", "economics", "history", "security", "diplomacy", "law_sovereignty",
          "human_cost")


def synthetic_tables(n_articles: int, n_groups: int = 7, n_events: int | None = None,
                     terms_per_article: int = 120, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Synthetic features, attributions and terms tables with the columns of the real ones.

    Groups (``outlet``) differ a little in every measure; articles cover events (``event``) whose
    level shifts the measures; dates span eleven months; each group has a few planted words."""
    rng = np.random.default_rng(seed)
    n = n_articles
    n_events = n_events or max(1, n // 8)
    groups = [f"outlet-{chr(97 + i % 26)}{i // 26 or ''}" for i in range(n_groups)]
    g = rng.integers(0, n_groups, n)
    ev = rng.integers(0, n_events, n)
    level = rng.normal(0, 0.5, n_events)[ev]
    shift = np.linspace(-0.3, 0.3, n_groups)[g] if n_groups > 1 else np.zeros(n)
    start = np.datetime64("2015-11-01")
    df = pd.DataFrame({
        "article_id": [f"syn{i:07d}" for i in range(n)],
        "outlet": np.array(groups)[g],
        "date": (start + rng.integers(0, 330, n).astype("timedelta64[D]")).astype(str),
        "genre": rng.choice(["news report", "opinion", "analysis"], n),
        "event": [f"ev{e:05d}" for e in ev],
        "n_words": rng.integers(150, 2500, n),
    })

    def noisy(mu, sd, lo=None, hi=None):
        x = mu + shift * sd + level * sd * 0.5 + rng.normal(0, sd, n)
        return np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)

    cols = {}
    cols["tone_mean"] = noisy(0.05, 0.12, -1, 1)
    cols["tone_pos_share"] = noisy(0.4, 0.1, 0, 1)
    cols["tone_neg_share"] = noisy(0.3, 0.1, 0, 1)
    cols["tone_mean_adapted"] = noisy(0.08, 0.12, -1, 1)
    for c in ("optimism", "caution", "hedging", "boosting"):
        cols[c] = noisy(8.0, 3.0, 0)
    cols["net_optimism"] = noisy(0.05, 0.08, -1, 1)
    for f in FRAMES:
        cols[f"emph_{f}"] = noisy(10.0, 5.0, 0)
        cols[f"emph_{f}_share"] = noisy(0.15, 0.07, 0, 1)
    cols["src_n_attributions"] = np.round(noisy(9, 4, 0))
    cols["src_n_unique"] = np.round(noisy(5, 2, 0))
    cols["src_n_types"] = np.round(noisy(2, 1, 0))
    cols["src_entropy"] = noisy(1.4, 0.5, 0)
    cols["src_simpson"] = noisy(0.55, 0.15, 0, 1)
    for c in ("official", "anonymous", "direct_quote"):
        cols[f"src_{c}_share"] = noisy(0.25, 0.12, 0, 1)
    for k in ("pakistan", *AFFILIATIONS):
        cols[f"src_share_{k}"] = noisy(0.2, 0.1, 0, 1)
    no_src = cols["src_n_attributions"] == 0
    for c in list(cols):
        if c.startswith("src_") and not c.startswith("src_n_"):
            cols[c][no_src] = np.nan
    for c, v in cols.items():
        df[c] = v
    for c in ("net_optimism", "tone_mean", "src_entropy"):  # interval columns (not measures)
        df[f"{c}_lo"] = df[c] - 0.05
        df[f"{c}_hi"] = df[c] + 0.05
    df["frame_dominant"] = rng.choice(FRAMES, n)

    k = rng.poisson(6, n)
    art = np.repeat(np.arange(n), k)
    tw = np.linspace(2, 1, len(TYPES))
    attributions = pd.DataFrame({
        "article_id": df["article_id"].to_numpy()[art],
        "source": "someone",
        "source_type": rng.choice(TYPES, len(art), p=tw / tw.sum()),
        "source_affiliation": rng.choice(AFFILIATIONS, len(art), p=[0.2, 0.2, 0.1, 0.5]),
    })

    vocab = np.array([f"word{i:05d}" for i in range(6000)])
    p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    p /= p.sum()
    m = min(terms_per_article, 400)
    t_art = np.repeat(np.arange(n), m)
    t_term = rng.choice(len(vocab), n * m, p=p)
    terms = pd.DataFrame({"article_id": df["article_id"].to_numpy()[t_art], "term": vocab[t_term],
                          "count": rng.integers(1, 4, n * m)})
    planted = pd.DataFrame({"article_id": df["article_id"],
                            "term": [f"planted{x}" for x in np.array(groups)[g]],
                            "count": 3})
    terms = pd.concat([terms, planted], ignore_index=True)
    terms = (terms.groupby(["article_id", "term"], as_index=False)["count"].sum()
             .sort_values(["article_id", "term"], kind="stable"))
    return {"features": df, "attributions": attributions, "terms": terms}


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    return folder


_COMPARE = r"""
import json, sys, time
import pandas as pd
from analysis import compare
from analysis.tables import read_table
d = sys.argv[1]
out = {}
def timed(name, f):
    t0, c0 = time.perf_counter(), time.process_time()
    r = f()
    out[name] = (round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2))
    return r
f = timed("read features", lambda: read_table(f"{d}/features.csv"))
a = timed("read attributions", lambda: read_table(f"{d}/attributions.csv"))
t = timed("read terms", lambda: read_table(f"{d}/terms.csv"))
timed("group_summary", lambda: compare.group_summary(f, "outlet"))
timed("contrasts (unpaired)", lambda: compare.contrasts(f, "outlet"))
timed("contrasts (paired)", lambda: compare.contrasts(f, "outlet", pair_by="event"))
timed("adjusted_contrasts", lambda: compare.adjusted_contrasts(f, "outlet", cluster="event"))
timed("time_summary", lambda: compare.time_summary(f, "outlet"))
timed("source_shares (x2)", lambda: [compare.source_shares(a, f, "outlet", column=c)
                                     for c in ("source_type", "source_affiliation")])
groups = dict(zip(f["article_id"], f["outlet"]))
timed("distinctive_terms", lambda: compare.distinctive_terms(t, groups, top=None))
print(json.dumps(out))
"""


def run_sampled(cmd: list[str], interval: float) -> tuple[float, float, float, str]:
    """Run ``cmd``; returns (wall seconds, peak RSS of the process tree's largest member,
    peak RSS of the whole tree, stdout)."""
    import psutil

    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    main = psutil.Process(child.pid)
    peak_one, peak_tree = 0, 0
    while child.poll() is None:
        try:
            procs = [main] + main.children(recursive=True)
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            peak_one = max(peak_one, max(rss, default=0))
            peak_tree = max(peak_tree, sum(rss))
        except psutil.Error:
            pass
        time.sleep(interval)
    out, err = child.communicate()
    wall = time.perf_counter() - t0
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed ({child.returncode}):\n{err[-4000:]}")
    return wall, peak_one, peak_tree, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[300, 2000, 20000])
    ap.add_argument("--groups", type=int, default=7)
    ap.add_argument("--interval", type=float, default=0.1, help="memory sampling period, s")
    ap.add_argument("--pair-by", default="event",
                    help="compare --pair-by (default event; '' = unpaired contrasts)")
    ap.add_argument("--skip-notebook", action="store_true")
    args = ap.parse_args()
    print(machine())
    gib = 2**30
    results = []
    for n in args.articles:
        with tempfile.TemporaryDirectory(prefix="bench-figures-") as tmp:
            tmp = Path(tmp)
            t0 = time.perf_counter()
            write_tables(synthetic_tables(n, args.groups, seed=n), tmp / "processed")
            print(f"\n{n:,} articles, {args.groups} groups, notebook pair_by="
                  f"{args.pair_by!r} (tables written in "
                  f"{time.perf_counter() - t0:.1f} s); {load_now()}")
            wall, one, _tree, out = run_sampled(
                [sys.executable, "-c", _COMPARE, str(tmp / "processed")], args.interval)
            steps = json.loads(out.strip().splitlines()[-1])
            for name, (w, c) in steps.items():
                print(f"  compare  {name:<22} {w:7.2f} s wall  {c:7.2f} s CPU")
            print(f"  compare  total {wall:.1f} s, peak memory {one / gib:.2f} GiB")
            row = {"articles": n, "compare_s": wall, "compare_peak_gib": one / gib}
            if not args.skip_notebook:
                # notebook 05 draws the tables of the compare command, which computes them
                cmp_cmd = [sys.executable, "-m", "analysis", "compare",
                           str(tmp / "processed" / "features.csv"), "--by", "outlet",
                           "--study", "none", *(["--pair-by", args.pair_by] if args.pair_by
                                                else [])]
                wall, one, _tree, _ = run_sampled(cmp_cmd, args.interval)
                print(f"  compare command: {wall:.1f} s wall, peak memory {one / gib:.2f} GiB")
                row.update(compare_command_s=wall)
                nb_cmd = [sys.executable, "-c",
                          "import sys, papermill as pm; pm.execute_notebook(sys.argv[1], "
                          "sys.argv[2], parameters={'processed_dir': sys.argv[3], "
                          "'figures_dir': sys.argv[4], 'group_by': 'outlet'}, "
                          "kernel_name='framing-analysis', cwd=sys.argv[5], progress_bar=False)",
                          str(ROOT / "notebooks" / "05-groups.ipynb"), str(tmp / "run.ipynb"),
                          str(tmp / "processed"), str(tmp / "figures"), str(ROOT / "notebooks")]
                wall, one, tree, _ = run_sampled(nb_cmd, args.interval)
                figs = sorted(p.name for p in (tmp / "figures").glob("*.png"))
                print(f"  notebook 05: {wall:.1f} s wall, peak memory {one / gib:.2f} GiB "
                      f"(largest process; all processes together {tree / gib:.2f} GiB); "
                      f"{len(figs)} figures: {', '.join(f[:-4] for f in figs)}")
                ok = wall <= TARGET_SECONDS and one <= TARGET_BYTES
                print(f"  target (<= {TARGET_SECONDS} s, <= 4 GiB): {'met' if ok else 'MISSED'}")
                row.update(notebook_s=wall, notebook_peak_gib=one / gib)
            results.append(row)
    print("\nsummary:")
    print(pd.DataFrame(results).round(2).to_string(index=False))


if __name__ == "__main__":
    main()
