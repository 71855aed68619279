"""Command line: ``python -m analysis {features,compare,clean,evidence,attributions,validate,status}``.

Exit codes (every command):
  0    done; every input was used
  1    done, but some input was skipped or had a problem: each is printed ("problem: ...") and
       listed in errors.csv, every other article was processed and every table was written.
       `make` takes this as success and ends with the one summary line.
  2    stopped, nothing replaced: bad arguments (usage error), a --strict stop, an unreadable
       corpus, dictionary or registry, no readable article at all, or (status) an incomplete
       set of tables
  3    internal error (a bug), nothing replaced: one line names the error and, when known, the
       article being scored; the traceback goes to build/logs/ (printed instead with --debug)
  130  interrupted (Ctrl-C): a set of tables is replaced whole or not at all

`features` replaces its tables as one set: the features table, evidence, audit, errors,
sentences, attributions and features.manifest.json (what the run wrote: rows, bytes and sha256
of each table, input problems). All are written into a hidden staging folder beside them, then
renamed into place, the features table last; tables of an earlier run that this run did not
write (attributions after --groups tone) are removed. Until the last rename the features table
is absent, so an interrupted run leaves the previous complete set, or no features table (make
reruns it), never a mix. `status` checks a set against its manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import textwrap
import time
import traceback
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .atomic import KILL_ENV, kill_point, new_temp, pid_alive
from .config import BUILD_DIR, N_RESAMPLES, PROCESSED_DIR, RANDOM_STATE, RAW_DIR, display_path

if TYPE_CHECKING:  # pandas and the corpus reader load only for commands that need them
    import pandas as pd

    from .corpus import Problem

ERRORS_NAME = "errors.csv"
MANIFEST_FORMAT = 1
# Tables `features` may write beside the features table. Removed when a run does not write them
# even if the folder has no manifest (written before manifests existed); later tables are
# found through the previous run's manifest.
COMPANIONS = ("evidence", "audit", "sentences", "attributions", "terms")
TABLE_SUFFIXES = (".csv", ".parquet", ".pq")
# Problems after which the article is still scored (or that concern no article file or row):
# every other problem is an input (file, row) left out of the tables, counted as skipped.
NOT_SKIPPED = {"missing_metadata", "bad_metadata", "duplicate_metadata", "missing_file",
               "renamed_column", "duplicate_column"}
MIN_RESAMPLES = 100  # below this, fewer than 2.5 resamples lie beyond each end of a 95% interval
MAX_PRINTED = 20  # problems printed on stderr; errors.csv lists them all
LOG_DIR_ENV = "ANALYSIS_LOG_DIR"  # where tracebacks of internal errors go (default build/logs)
ARTICLE_ATTR = "analysis_article_id"  # set on an exception raised while scoring an article


class UsageStop(Exception):
    """A stop that is the input's or the caller's doing: one line, exit code 2."""


# --------------------------------------------------------------------------- writing tables


def _write_frame(df: pd.DataFrame, dest: Path, suffix: str) -> None:
    if suffix.lower() in (".parquet", ".pq"):
        df.to_parquet(dest, index=False)
    else:
        df.to_csv(dest, index=False, lineterminator="\n")


def _write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one CSV or Parquet table (by suffix) atomically: temp file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_temp(path.parent, path.name)
    try:
        _write_frame(df, tmp, path.suffix)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(features: str | Path) -> Path:
    """``<folder>/<stem>.manifest.json`` beside a features table."""
    features = Path(features)
    return features.with_name(f"{features.stem}.manifest.json")


def _table_files(features: Path, names) -> dict[str, str]:
    suffix = features.suffix or ".csv"
    return {n: features.name if n == "features" else ERRORS_NAME if n == "errors"
            else n + suffix for n in names}


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _previous_files(features: Path) -> tuple[set[str], set[str]]:
    """(features tables, other tables) of the set in ``features``' folder now: from its
    manifest, plus the known companion names. Plain file names in that folder only."""
    folder, suffix = features.parent, features.suffix or ".csv"
    heads, others = {features.name}, {n + suffix for n in COMPANIONS} | {ERRORS_NAME}
    old = _read_manifest(manifest_path(features)) or {}
    for name, entry in (old.get("tables") or {}).items():
        f = str(entry.get("file", "")) if isinstance(entry, dict) else ""
        if f and f == Path(f).name and Path(f).suffix.lower() in TABLE_SUFFIXES:
            (heads if name == "features" else others).add(f)
    return heads, {f for f in others if (folder / f).exists()}


def _remove_stale_staging(folder: Path, stem: str) -> None:
    """Staging folders left by runs that were killed (their process is gone)."""
    prefix = f".{stem}.staging-"
    for d in folder.glob(prefix + "*"):
        pid = d.name[len(prefix):].split("-", 1)[0]
        if d.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


@contextmanager
def _signals_deferred():
    """Hold Ctrl-C and SIGTERM while the set is swapped (a few renames); they act after it."""
    held: list[int] = []
    try:
        old = {s: signal.signal(s, lambda signum, frame: held.append(signum))
               for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go to the main thread anyway
        yield
        return
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)
        for s in dict.fromkeys(held):
            signal.raise_signal(s)


def write_feature_set(tables: dict[str, pd.DataFrame], features: str | Path, *,
                      info: dict | None = None, mtime: float | None = None) -> dict:
    """Replace the set of tables in ``features``' folder with ``tables`` as one.

    ``tables`` maps names to DataFrames and includes ``features`` (written to ``features``),
    ``errors`` (always ``errors.csv``) and companions (``<name><suffix of features>``). Every
    table and the manifest are written into a fresh staging folder beside them; then the old
    features table is removed, tables of the old set that are not in the new one are removed,
    the new tables and the manifest are renamed into place, and the features table comes last.
    A process killed at any point leaves the old complete set, or no features table (the set is
    visibly stale and ``make`` rebuilds it), or the new complete set. ``mtime`` stamps the
    features table (make compares it with the inputs: the time the run started). Returns the
    manifest.
    """
    features = Path(features)
    folder = features.parent
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder, features.stem)
    files = _table_files(features, tables)
    staging = Path(tempfile.mkdtemp(prefix=f".{features.stem}.staging-{os.getpid()}-",
                                    dir=folder))
    try:
        entries = {}
        for name in sorted(tables, key=lambda n: (n == "features", n)):
            dest = staging / files[name]
            _write_frame(tables[name], dest, Path(files[name]).suffix)
            entries[name] = {"file": files[name], "rows": int(len(tables[name])),
                             "bytes": dest.stat().st_size, "sha256": _sha256(dest)}
        manifest = {"format": MANIFEST_FORMAT, "package_version": __version__, **(info or {}),
                    "tables": entries}
        mpath = manifest_path(features)
        (staging / mpath.name).write_text(
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8")
        if mtime is not None:
            os.utime(staging / features.name, (mtime, mtime))
        heads, others = _previous_files(features)
        new = set(files.values())
        with _signals_deferred():
            kill_point("features:staged")
            for f in sorted(heads):  # from here until the last rename the set is incomplete
                (folder / f).unlink(missing_ok=True)
            kill_point("features:removed")
            for f in sorted(others - new):
                (folder / f).unlink(missing_ok=True)
            for name in sorted(n for n in tables if n != "features"):
                os.replace(staging / files[name], folder / files[name])
                kill_point(f"features:{name}")
            os.replace(staging / mpath.name, mpath)
            kill_point("features:manifest")
            os.replace(staging / features.name, features)
            kill_point("features:committed")
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_feature_set(features: str | Path, *, verify: bool = False) -> tuple[bool, str, dict]:
    """Is ``features`` with its companions the complete set its manifest describes?

    Checks that every table is there with its recorded size (and, with ``verify``, its sha256).
    Returns ``(complete, reason if not, manifest or {})``.
    """
    features = Path(features)
    mpath = manifest_path(features)
    if not features.exists():
        return False, f"{features}: missing (the last run did not finish); run `make features`", {}
    manifest = _read_manifest(mpath)
    if not manifest or not isinstance(manifest.get("tables"), dict):
        return False, f"{mpath}: missing or unreadable; run `make features` again", {}
    tables = manifest["tables"]
    if tables.get("features", {}).get("file") != features.name:
        return False, f"{mpath} describes another features table; run `make features` again", {}
    for name, entry in sorted(tables.items()):
        path = features.with_name(entry["file"])
        if not path.exists():
            return False, f"{path}: missing from the set in {mpath}", manifest
        if path.stat().st_size != entry["bytes"] or (verify and _sha256(path) != entry["sha256"]):
            return False, (f"{path}: changed since the run that wrote {features.name} "
                           f"(not as in {mpath.name}); rebuild the set: make -B features"), \
                manifest
    return True, "", manifest


# --------------------------------------------------------------------------- problems


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems by source (file, then line or row number): the same list for any chunking."""
    return sorted(problems, key=lambda p: (_natural(p.source), p.problem, p.article_id,
                                           p.message))


def _is_skip(p: Problem) -> bool:
    return p.problem not in NOT_SKIPPED and p.source.split(":", 1)[0] != "metadata.csv"


def _print_problems(problems: list[Problem], errors: Path) -> None:
    for p in problems[:MAX_PRINTED]:
        print(f"problem: {p}", file=sys.stderr)
    if len(problems) > MAX_PRINTED:
        print(f"  ... and {len(problems) - MAX_PRINTED} more, listed in {errors}",
              file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(n_articles: int, features: str | Path, n_skipped: int, n_problems: int,
                 errors: str | Path, *, written: bool = True) -> str:
    """The one line a run ends with (``written``; ``status`` says the same of a set on disk):
    articles in the table and, if any, inputs skipped."""
    line = (f"{_plural(n_articles, 'article')} -> {features}" if written
            else f"{features}: {_plural(n_articles, 'article')}")
    if n_problems:
        line += (f"; {_plural(n_skipped, 'input')} skipped ({_plural(n_problems, 'problem')}, "
                 f"listed in {errors})")
    return line


def _report_problems(problems: list[Problem], out_dir: Path) -> int:
    """errors.csv beside a table written by ``clean`` or ``attributions``; problems on stderr."""
    from .corpus import problems_frame

    problems = _sorted_problems(problems)
    _write_table(problems_frame(problems), out_dir / ERRORS_NAME)
    _print_problems(problems, out_dir / ERRORS_NAME)
    if problems:
        print(f"{_plural(len(problems), 'problem')}; listed in {out_dir / ERRORS_NAME}. "
              "All other articles were processed.", file=sys.stderr)
    return 1 if problems else 0


# --------------------------------------------------------------------------- arguments


def _at_least(minimum: int):
    """argparse type: a whole number >= ``minimum`` (a usage error otherwise)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        return value
    return parse


def _choice_list(valid: tuple[str, ...], what: str):
    """argparse type: a comma-separated, non-empty subset of ``valid``."""
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
        unknown = [s for s in items if s not in valid]
        if unknown or not items:
            bad = f"unknown {what} {', '.join(repr(s) for s in unknown)}" if unknown \
                else f"no {what} given"
            raise argparse.ArgumentTypeError(f"{bad}; valid {what}s: {', '.join(valid)}")
        return items
    return parse


def _groups(text: str) -> tuple[str, ...]:
    from .features import FEATURE_GROUPS

    return _choice_list(FEATURE_GROUPS, "feature group")(text)


def _checks(text: str) -> tuple[str, ...]:
    from .validation import CHECKS

    return _choice_list(tuple(CHECKS), "check")(text)


def _corpus_args(p: argparse.ArgumentParser) -> None:
    from .corpus import MAX_BYTES

    p.add_argument("corpus", nargs="?", default=str(RAW_DIR),
                   help="folder of .txt files (+ optional metadata.csv), or a .csv/.tsv/.jsonl/"
                        ".parquet file with a 'text' column (default: data/raw/)")
    p.add_argument("--strict", action="store_true",
                   help="stop at the first bad file or row, exit code 2 (default: report it, "
                        "go on, exit code 1)")
    p.add_argument("--max-bytes", type=_at_least(1), default=MAX_BYTES,
                   help=f"largest single article accepted, in bytes, at least 1 "
                        f"(default {MAX_BYTES:,})")


def _feature_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dictionary", action="append", default=[], metavar="FILE",
                   help="user dictionary (quanteda-style YAML, LIWC .dic, or TSV category,pattern);"
                        " adds emph_<key> columns; repeatable")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (name,type,affiliation,note); default data/sources.csv")
    p.add_argument("--n-resamples", type=_at_least(MIN_RESAMPLES), default=N_RESAMPLES,
                   help=f"sentence-bootstrap resamples per 95%% interval, at least "
                        f"{MIN_RESAMPLES} (default {N_RESAMPLES})")
    p.add_argument("--random-state", type=_at_least(0), default=RANDOM_STATE,
                   help=f"bootstrap seed, a whole number >= 0 (default {RANDOM_STATE})")


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("features", nargs="?", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table (default data/processed/features.csv)")
    p.add_argument("--verify", action="store_true",
                   help="also compare every table's sha256 with the manifest (reads them all)")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing when the set is complete and no input was skipped")
    p.set_defaults(func=cmd_status)


def _epilog() -> str:
    return textwrap.dedent(__doc__.split("\n\n", 1)[1])


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Framing features for news articles: tone, emphasis, sources.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_epilog())
    ap.add_argument("--version", action="version", version=f"analysis {__version__}")
    ap.add_argument("--debug", action="store_true",
                    help="on an internal error, print the traceback instead of logging it")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an internal error, print the traceback instead of logging it")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, **kw):
        return sub.add_parser(name, parents=[common], epilog=_epilog(),
                              formatter_class=argparse.RawDescriptionHelpFormatter, **kw)

    p = add("features", help="one row of features per article (+ evidence, audit)",
            description="Write the features table. Beside it, as one set: evidence, audit "
            "(cleaning), errors, sentences and attributions tables (same format) and "
            "<name>.manifest.json.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table, .csv or .parquet (default data/processed/features.csv)")
    p.add_argument("--groups", type=_groups, default=("tone", "emphasis", "sources", "terms"),
                   help="comma-separated feature groups (default tone,emphasis,sources,terms;"
                        " terms = the lemma counts table for distinctive words)")
    _feature_args(p)
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: worker processes on this machine, streaming chunks; dask: "
                        "dask.distributed")
    p.add_argument("--workers", type=_at_least(1), default=None,
                   help="worker processes (local engine or dask LocalCluster), at least 1 "
                        "(default: the cores this process may use)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running dask scheduler (instead of a LocalCluster)")
    p.add_argument("--chunk-rows", type=_at_least(1), default=500,
                   help="articles per chunk/partition, at least 1 (default 500)")
    p.set_defaults(func=cmd_features)

    p = add("clean", help="write cleaned texts and the cleaning audit table",
            description="Write DIR/cleaned/<article_id>.txt, DIR/audit.csv "
            "(article_id, line, text, rule) and DIR/errors.csv.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR), metavar="DIR",
                   help="output folder (default data/processed/)")
    p.set_defaults(func=cmd_clean)

    p = add("evidence", help="keyword-in-context lines for one article and feature",
            description="Print every match that fed a feature score, in context.")
    p.add_argument("article_id", help="article to show (article_id as in features.csv)")
    p.add_argument("--feature", default=None,
                   help="feature name as in evidence.csv (e.g. caution, optimism, "
                        "technology); default: all")
    p.add_argument("--evidence", default=str(PROCESSED_DIR / "evidence.csv"),
                   help="evidence table (default data/processed/evidence.csv)")
    p.add_argument("--width", type=_at_least(0), default=50,
                   help="context characters on each side, at least 0 (default 50)")
    p.set_defaults(func=cmd_evidence)

    p = add("attributions", help="who is cited: one row per attribution",
            description="Write one row per attribution (source, cue, content, kind)"
            "; source offsets index the original input text.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR / "attributions.csv"),
                   help="output table (default data/processed/attributions.csv)")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (default data/sources.csv)")
    p.set_defaults(func=cmd_attributions)

    p = add("validate", help="validity report against human-coded data",
            description="Compare each measure with human-coded data and write a "
            "report (report.md, results.json, plots).")
    p.add_argument("validation_dir", help="folder with the validation data "
                   "(see ../shared/validation/README.md)")
    p.add_argument("-o", "--output", default="build/validation", help="report folder")
    p.add_argument("--only", type=_checks, default=None,
                   help="comma-separated checks (tone,emphasis,sources)")
    p.set_defaults(func=cmd_validate)

    p = add("compare", help="compare groups of articles: groups.csv, contrasts.csv",
            description="From a features table, write beside it (or into -o DIR) "
            "groups.csv (n, mean, median, 95%% article-bootstrap interval per group and "
            "measure), contrasts.csv (difference in means against a reference group, "
            "bootstrap interval, permutation p, Benjamini-Hochberg adjusted p; with "
            "--pair-by, within-event differences with an event bootstrap and a sign-flip "
            "test) and adjusted.csv (OLS with cluster-robust errors, controlling for log "
            "article length). See analysis/compare.py.")
    p.add_argument("features", nargs="?", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table (default data/processed/features.csv)")
    p.add_argument("--by", required=True, metavar="COLUMN",
                   help="metadata column whose values are the groups (e.g. outlet)")
    p.add_argument("--pair-by", default=None, metavar="COLUMN",
                   help="column naming the event or story each article covers: groups are "
                        "compared within the events they both covered")
    p.add_argument("--reference", default=None,
                   help="reference group (default: the largest); 'all-pairs' for every pair")
    p.add_argument("-o", "--output", default=None, metavar="DIR",
                   help="folder for the tables (default: the features table's folder)")
    p.add_argument("--n-resamples", type=_at_least(MIN_RESAMPLES), default=N_RESAMPLES,
                   help=f"bootstrap resamples per 95%% interval, at least {MIN_RESAMPLES} "
                        f"(default {N_RESAMPLES})")
    p.add_argument("--n-permutations", type=_at_least(0), default=0,
                   help="permutations per contrast; 0 (default): enough for the number of tests")
    p.add_argument("--random-state", type=_at_least(0), default=RANDOM_STATE,
                   help=f"seed, a whole number >= 0 (default {RANDOM_STATE})")
    p.set_defaults(func=cmd_compare)

    p = add("status", help="is the features set complete? what did its run skip?",
            description="Check a features table and its companions against its manifest "
            "and print the run's summary line. Exit code 0: complete; 2: incomplete or "
            "changed (rerun `make features`).")
    _status_args(p)
    return ap


# --------------------------------------------------------------------------- commands


class _Traced:
    """A scorer whose exceptions carry the article being scored (``analysis_article_id`` and a
    note), so an internal error can say where it happened; everything else is the scorer's."""

    def __init__(self, scorer):
        self._scorer = scorer

    def __getattr__(self, name):
        if name == "_scorer":
            raise AttributeError(name)
        return getattr(self._scorer, name)

    def score(self, art, idx):
        try:
            return self._scorer.score(art, idx)
        except Exception as err:
            if getattr(err, ARTICLE_ATTR, None) is None:
                setattr(err, ARTICLE_ATTR, art.article_id)
                err.add_note(f"while scoring article {art.article_id}")
            raise


def trace_articles(scorers: list) -> list:
    """Wrap scorers so that an exception names its article (see :class:`_Traced`)."""
    return [_Traced(s) for s in scorers]


def _load(args, problems: list[Problem]):
    from .corpus import load_corpus

    return load_corpus(args.corpus, strict=args.strict, problems=problems,
                       max_bytes=args.max_bytes)


def _score(args, problems: list[Problem]):
    from .features import concat_feature_sets

    kw = dict(groups=args.groups, dictionaries=args.dictionary or None, registry=args.registry,
              n_resamples=args.n_resamples, random_state=args.random_state)
    if args.engine == "dask":
        from .scale import dask_features

        return dask_features(args.corpus, workers=args.workers or 2, scheduler=args.scheduler,
                             chunk_rows=args.chunk_rows, strict=args.strict, problems=problems,
                             max_bytes=args.max_bytes, **kw)
    from .corpus import iter_corpus_chunks
    from .parallel import default_workers, iter_features_parallel
    from .progress import progress

    chunks = iter_corpus_chunks(args.corpus, chunk_rows=args.chunk_rows, strict=args.strict,
                                problems=problems, max_bytes=args.max_bytes)
    # Scorers that name the article in an exception, in every worker.
    parts = iter_features_parallel(chunks, workers=args.workers or default_workers(),
                                   wrap_scorers=trace_articles, **kw)
    return concat_feature_sets(list(progress(parts, unit="chunk")))


def cmd_features(args) -> int:
    from .corpus import problems_frame

    started = time.time()
    out = Path(args.output)
    problems: list[Problem] = []
    fs = _score(args, problems)
    problems = _sorted_problems(problems)
    errors = out.with_name(ERRORS_NAME)
    if fs.features.empty:
        _print_problems(problems, errors)
        raise UsageStop(f"no readable article in {args.corpus}"
                        f"{' (problems above)' if problems else ''}; nothing written")
    skipped = sum(map(_is_skip, problems))
    info = {"articles": int(len(fs.features)), "inputs_skipped": skipped,
            "problems": len(problems),
            "parameters": {"corpus": display_path(args.corpus), "groups": list(args.groups),
                           "dictionaries": [display_path(d) for d in args.dictionary],
                           "registry": display_path(args.registry) if args.registry else None,
                           "n_resamples": args.n_resamples,
                           "random_state": args.random_state}}
    tables = {"features": fs.features, "evidence": fs.evidence, "audit": fs.audit, **fs.tables,
              "errors": problems_frame(problems)}
    write_feature_set(tables, out, info=info, mtime=started)
    _print_problems(problems, errors)
    print(summary_line(len(fs.features), out, skipped, len(problems), errors), file=sys.stderr)
    return 1 if problems else 0


def cmd_status(args) -> int:
    features = Path(args.features)
    complete, reason, manifest = check_feature_set(features, verify=args.verify)
    if not complete:
        print(f"error: incomplete set of tables: {reason}", file=sys.stderr)
        return 2
    n_problems = int(manifest.get("problems", 0))
    if n_problems or not args.quiet:
        print(summary_line(int(manifest.get("articles", 0)), features,
                           int(manifest.get("inputs_skipped", 0)), n_problems,
                           features.with_name(ERRORS_NAME), written=False), file=sys.stderr)
    return 0


def cmd_clean(args) -> int:
    import pandas as pd

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
    import pandas as pd

    path = Path(args.evidence)
    if not path.exists():
        raise UsageStop(f"{path}: no evidence table; run `make features` first")
    ev = pd.read_csv(path, dtype={"article_id": str}, keep_default_na=False)
    rows = ev[ev["article_id"] == args.article_id]
    if rows.empty:
        known = ", ".join(sorted(ev["article_id"].unique())[:10])
        raise UsageStop(f"no evidence for article '{args.article_id}' (known: {known})")
    if args.feature:
        sel = rows[rows["feature"] == args.feature]
        if sel.empty:
            feats = ", ".join(sorted(rows["feature"].unique()))
            raise UsageStop(f"no '{args.feature}' evidence in {args.article_id} "
                            f"(features with evidence: {feats})")
        rows = sel
    from .evidence import kwic_lines

    for line in kwic_lines(rows, width=args.width):
        print(line)
    return 0


def cmd_attributions(args) -> int:
    import pandas as pd

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


def cmd_compare(args) -> int:
    from . import compare
    from .tables import read_table

    path = Path(args.features)
    if not path.is_file():
        raise UsageStop(f"{path}: no features table; run `make features` first")
    features = read_table(path)
    for option, column in (("--by", args.by), ("--pair-by", args.pair_by)):
        if column and column not in features.columns:
            meta = [c for c in features.columns if c not in compare.measures(features)
                    and not c.endswith(("_lo", "_hi"))]
            raise UsageStop(f"{option} {column}: no such column in {path.name} "
                            f"(metadata columns: {', '.join(meta)})")
    out = Path(args.output) if args.output else path.parent
    suffix = path.suffix if path.suffix.lower() in TABLE_SUFFIXES else ".csv"
    kw = dict(n_resamples=args.n_resamples, random_state=args.random_state)
    groups = compare.group_summary(features, args.by, **kw)
    contrasts = compare.contrasts(features, args.by, reference=args.reference,
                                  pair_by=args.pair_by,
                                  n_permutations=args.n_permutations or None, **kw)
    adjusted = compare.adjusted_contrasts(
        features, args.by, cluster=args.pair_by,
        reference=None if args.reference == "all-pairs" else args.reference)
    # contrasts last: make's target, so an interrupted run leaves it missing and reruns.
    for name, table in (("groups", groups), ("adjusted", adjusted), ("contrasts", contrasts)):
        _write_table(table, out / f"{name}{suffix}")
    n_groups = groups["group"].nunique() if len(groups) else 0
    print(f"{len(features)} articles in {n_groups} groups of '{args.by}'"
          f"{f', paired by {args.pair_by}' if args.pair_by else ''} -> "
          f"{display_path(out / ('contrasts' + suffix))} ({len(contrasts)} contrasts)",
          file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    from .validation import run_validation

    return run_validation(Path(args.validation_dir), Path(args.output), only=args.only)


# --------------------------------------------------------------------------- errors


def _article_of(err: BaseException) -> str | None:
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        aid = getattr(err, ARTICLE_ATTR, None)
        if aid is not None:
            return str(aid)
        err = err.__cause__ or err.__context__
    return None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _write_log(text: str, command: str) -> Path:
    """The traceback of an internal error, in $ANALYSIS_LOG_DIR or build/logs/ (the temp folder
    when neither can be written)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"analysis-{command}-{stamp}-{os.getpid()}.log"
    for folder in (Path(os.environ.get(LOG_DIR_ENV) or BUILD_DIR / "logs"),
                   Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError("no folder to write the log to")


def _internal_error(err: BaseException, args, argv: list[str]) -> int:
    article = _article_of(err)
    where = f" while scoring article {article}" if article else ""
    first = (str(err).strip().splitlines() or [""])[0]
    what = f"{type(err).__name__}: {first}" if first else type(err).__name__
    tb = "".join(traceback.format_exception(err))
    if getattr(args, "debug", False):
        sys.stderr.write(tb)
        print(f"error: internal error{where}: {what}", file=sys.stderr)
        return 3
    header = (f"python -m analysis {' '.join(argv)}\nanalysis {__version__}, "
              f"Python {sys.version.split()[0]}\n\n")
    try:
        log = f"traceback in {_shown(_write_log(header + tb, args.command))}"
    except OSError:
        log = "rerun with --debug for the traceback"
    print(f"error: internal error{where}: {what}; {log}", file=sys.stderr)
    return 3


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["status"]:  # make runs this after every `make figures`: no pandas import
        p = argparse.ArgumentParser(prog="python -m analysis status")
        _status_args(p)
        return cmd_status(p.parse_args(argv[1:]))
    args = build_parser().parse_args(argv)  # a usage error exits here with code 2
    from .errors import AnalysisError

    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("error: interrupted (a set of tables is replaced whole or not at all)",
              file=sys.stderr)
        return 130
    except (AnalysisError, UsageStop) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.filename is None:
            return _internal_error(err, args, argv)
        print(f"error: {err.filename}: {err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug: one line here, the traceback in the log
        return _internal_error(err, args, argv)
