"""Command line: ``python -m analysis {features,clean,evidence,attributions,validate} ...``.

Exit codes: 0 success; 1 finished, but some input had problems (listed on stderr and in
``errors.csv``; every other article was processed); 2 stopped (``--strict`` problem, bad
arguments, unreadable corpus or dictionary).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd

from . import __version__
from .config import N_RESAMPLES, PROCESSED_DIR, RANDOM_STATE, RAW_DIR, display_path
from .corpus import MAX_BYTES, CorpusError, Problem, problems_frame

ERRORS_NAME = "errors.csv"


def _write_table(df: pd.DataFrame, path: Path) -> None:
    """Write CSV or Parquet (by suffix) atomically: temp file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False, lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _report_problems(problems: list[Problem], out_dir: Path) -> int:
    _write_table(problems_frame(problems), out_dir / ERRORS_NAME)
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); listed in {out_dir / ERRORS_NAME}. "
              "All other articles were processed.", file=sys.stderr)
    return 1 if problems else 0


def _corpus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", default=str(RAW_DIR),
                   help="folder of .txt files (+ optional metadata.csv), or a .csv/.tsv/.jsonl/"
                        ".parquet file with a 'text' column (default: data/raw/)")
    p.add_argument("--strict", action="store_true",
                   help="stop at the first bad file or row (default: report it, go on)")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES,
                   help=f"largest single article accepted, in bytes (default {MAX_BYTES:,})")


def _feature_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dictionary", action="append", default=[], metavar="FILE",
                   help="user dictionary (quanteda-style YAML, LIWC .dic, or TSV category,pattern);"
                        " adds emph_<key> columns; repeatable")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (name,type,affiliation,note); default data/sources.csv")
    p.add_argument("--n-resamples", type=int, default=N_RESAMPLES,
                   help=f"sentence-bootstrap resamples per 95%% interval (default {N_RESAMPLES})")
    p.add_argument("--random-state", type=int, default=RANDOM_STATE,
                   help=f"bootstrap seed (default {RANDOM_STATE})")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Framing features for news articles: tone, emphasis, sources.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent(__doc__.split("\n\n", 1)[1]))
    ap.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("features", help="one row of features per article (+ evidence, audit)",
                       description="Write the features table. Beside it: evidence, audit "
                       "(cleaning), errors, sentences and attributions tables, same format.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table, .csv or .parquet (default data/processed/features.csv)")
    p.add_argument("--groups", default="tone,emphasis,sources",
                   help="comma-separated feature groups (default tone,emphasis,sources)")
    _feature_args(p)
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: one process, streaming chunks; dask: dask.distributed")
    p.add_argument("--workers", type=int, default=2,
                   help="dask LocalCluster worker processes (default 2)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running dask scheduler (instead of a LocalCluster)")
    p.add_argument("--chunk-rows", type=int, default=500,
                   help="articles per chunk/partition (default 500)")
    p.set_defaults(func=cmd_features)

    p = sub.add_parser("clean", help="write cleaned texts and the cleaning audit table",
                       description="Write DIR/cleaned/<article_id>.txt, DIR/audit.csv "
                       "(article_id, line, text, rule) and DIR/errors.csv.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR), metavar="DIR",
                   help="output folder (default data/processed/)")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("evidence", help="keyword-in-context lines for one article and feature",
                       description="Print every match that fed a feature score, in context.")
    p.add_argument("article_id", help="article to show (article_id as in features.csv)")
    p.add_argument("--feature", default=None,
                   help="feature name as in evidence.csv (e.g. caution, optimism, "
                        "technology); default: all")
    p.add_argument("--evidence", default=str(PROCESSED_DIR / "evidence.csv"),
                   help="evidence table (default data/processed/evidence.csv)")
    p.add_argument("--width", type=int, default=50, help="context characters on each side")
    p.set_defaults(func=cmd_evidence)

    p = sub.add_parser("attributions", help="who is cited: one row per attribution",
                       description="Write one row per attribution (source, cue, content, kind)"
                       "; source offsets index the original input text.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR / "attributions.csv"),
                   help="output table (default data/processed/attributions.csv)")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (default data/sources.csv)")
    p.set_defaults(func=cmd_attributions)

    p = sub.add_parser("validate", help="validity report against human-coded data",
                       description="Compare each measure with human-coded data and write a "
                       "report (report.md, results.json, plots).")
    p.add_argument("validation_dir", help="folder with the validation data "
                   "(see ../shared/validation/README.md)")
    p.add_argument("-o", "--output", default="build/validation", help="report folder")
    p.add_argument("--only", default=None, help="comma-separated checks (tone,emphasis,sources)")
    p.set_defaults(func=cmd_validate)
    return ap


def _load(args, problems: list[Problem]):
    from .corpus import load_corpus

    return load_corpus(args.corpus, strict=args.strict, problems=problems,
                       max_bytes=args.max_bytes)


def cmd_features(args) -> int:
    from .features import concat_feature_sets, iter_features

    out = Path(args.output)
    problems: list[Problem] = []
    groups = tuple(g.strip() for g in args.groups.split(",") if g.strip())
    kw = dict(groups=groups, dictionaries=args.dictionary or None, registry=args.registry,
              n_resamples=args.n_resamples, random_state=args.random_state)
    if args.engine == "dask":
        from .scale import dask_features

        fs = dask_features(args.corpus, workers=args.workers, scheduler=args.scheduler,
                           chunk_rows=args.chunk_rows, strict=args.strict, problems=problems,
                           max_bytes=args.max_bytes, **kw)
    else:
        from .corpus import iter_corpus_chunks
        from .progress import progress

        chunks = iter_corpus_chunks(args.corpus, chunk_rows=args.chunk_rows, strict=args.strict,
                                    problems=problems, max_bytes=args.max_bytes)
        fs = concat_feature_sets(list(progress(iter_features(chunks, **kw), unit="chunk")))
    suffix = out.suffix or ".csv"
    _write_table(fs.features, out)
    _write_table(fs.evidence, out.with_name("evidence" + suffix))
    _write_table(fs.audit, out.with_name("audit" + suffix))
    for name, table in fs.tables.items():
        _write_table(table, out.with_name(name + suffix))
    print(f"{len(fs.features)} articles -> {display_path(out)}", file=sys.stderr)
    return _report_problems(problems, out.parent)


def cmd_clean(args) -> int:
    from .clean import clean_text

    out = Path(args.output)
    problems: list[Problem] = []
    df = _load(args, problems)
    (out / "cleaned").mkdir(parents=True, exist_ok=True)
    audit = []
    for aid, raw in zip(df["article_id"], df["text"]):
        c = clean_text(raw)
        (out / "cleaned" / f"{aid}.txt").write_text(c.text + "\n", encoding="utf-8")
        audit += [{"article_id": aid, "line": ln, "text": t, "rule": r} for ln, t, r in c.removed]
    from .features import AUDIT_COLUMNS

    _write_table(pd.DataFrame(audit, columns=AUDIT_COLUMNS), out / "audit.csv")
    print(f"{len(df)} articles cleaned -> {display_path(out / 'cleaned')}; "
          f"{len(audit)} audit rows -> {display_path(out / 'audit.csv')}", file=sys.stderr)
    return _report_problems(problems, out)


def cmd_evidence(args) -> int:
    path = Path(args.evidence)
    if not path.exists():
        print(f"error: {path}: no evidence table; run `make features` first", file=sys.stderr)
        return 2
    ev = pd.read_csv(path, dtype={"article_id": str}, keep_default_na=False)
    rows = ev[ev["article_id"] == args.article_id]
    if rows.empty:
        known = ", ".join(sorted(ev["article_id"].unique())[:10])
        print(f"error: no evidence for article '{args.article_id}' (known: {known})",
              file=sys.stderr)
        return 2
    if args.feature:
        sel = rows[rows["feature"] == args.feature]
        if sel.empty:
            feats = ", ".join(sorted(rows["feature"].unique()))
            print(f"error: no '{args.feature}' evidence in {args.article_id} "
                  f"(features with evidence: {feats})", file=sys.stderr)
            return 2
        rows = sel
    from .evidence import kwic_lines

    for line in kwic_lines(rows, width=args.width):
        print(line)
    return 0


def cmd_attributions(args) -> int:
    from .features import build_features

    out = Path(args.output)
    problems: list[Problem] = []
    df = _load(args, problems)
    fs = build_features(df, groups=("sources",), registry=args.registry)
    table = fs.tables.get("attributions")
    if table is None:
        table = pd.DataFrame()
    _write_table(table, out)
    print(f"{len(table)} attributions in {len(df)} articles -> {display_path(out)}",
          file=sys.stderr)
    return _report_problems(problems, out.parent)


def cmd_validate(args) -> int:
    from .validation import run_validation

    only = tuple(s.strip() for s in args.only.split(",")) if args.only else None
    return run_validation(Path(args.validation_dir), Path(args.output), only=only)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
