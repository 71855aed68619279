"""``python -m analysis features``: score a corpus and replace the set of tables as one.

The corpus is read in chunks and scored by worker processes on this machine (``--engine
local``, :mod:`analysis.parallel`) or by dask (``--engine dask``, :mod:`analysis.scale`). The
tables and the manifest are then swapped in by :func:`analysis.cli.tableset.write_feature_set`.
"""

from __future__ import annotations

import sys
import time
from itertools import islice
from dataclasses import replace
from pathlib import Path

from ..atomic import folder_lock
from ..config import display_path
from ..corpus import Problem, iter_corpus_chunks, problems_frame
from ..features import concat_feature_sets
from ..inputs_hash import corpus_sha256
from ..measures import measures
from ..measures.learned import with_measures
from ..parallel import POOL_ARTICLES, default_workers, iter_features_parallel
from ..progress import progress
from ..study import load_study
from ..tracing import trace_articles
from .failures import UsageStop
from .inputs import is_skip, print_problems, sorted_problems
from .manifest import refuse_foreign, set_files, sha256_of
from .outputs import refuse_inputs, table_output
from .tableset import ERRORS_NAME, summary_line, write_feature_set

__all__ = ["run"]


def _score(args, problems: list[Problem]):
    kw = dict(groups=args.groups, dictionaries=args.dictionary or None, registry=args.registry,
              study=args.study, n_resamples=args.n_resamples, random_state=args.random_state)
    if args.engine == "dask":
        from ..scale import dask_features  # late: heavy (dask, distributed: a second)

        return dask_features(args.corpus, workers=args.workers or 2, scheduler=args.scheduler,
                             chunk_rows=args.chunk_rows, strict=args.strict, problems=problems,
                             max_bytes=args.max_bytes, language=args.language, **kw)
    chunks = iter_corpus_chunks(args.corpus, chunk_rows=args.chunk_rows, strict=args.strict,
                                problems=problems, max_bytes=args.max_bytes,
                                language=args.language)
    # Scorers that name the article in an exception, in every worker.
    parts = iter_features_parallel(chunks, workers=args.workers or default_workers(),
                                   wrap_scorers=trace_articles,
                                   start_early=_looks_large(args.corpus), **kw)
    return concat_feature_sets(list(progress(parts, unit="chunk")))


def _looks_large(corpus) -> bool:
    """Whether the corpus on disk looks worth the worker processes (a file of 256 KiB or more, a
    folder of ``POOL_ARTICLES`` files or more), so their forkserver may start loading while the
    first chunk is read. A wrong guess costs an idle core a few seconds, nothing else."""
    path = Path(corpus)
    try:
        if path.is_file():
            return path.stat().st_size >= 256 * 1024
        if path.is_dir():
            return len(list(islice(path.iterdir(), POOL_ARTICLES))) >= POOL_ARTICLES
    except OSError:  # unreadable: the reader says why
        return False
    return False


def run(args) -> int:
    """Score every article of the corpus and write the features set.

    The set (features, evidence, audit, errors, sentences, attributions, terms and the
    manifest) replaces the previous one whole; its features table gets the time the run started
    as modification time. Problems are printed, then the one summary line, which names the
    study (``--study``; without it, no study: sources are tied to countries).

    Parameters
    ----------
    args : argparse.Namespace
        The corpus options (``corpus``, ``strict``, ``max_bytes``), ``output`` (the features
        table), ``groups``, ``dictionary``, ``registry``, ``study``, ``n_resamples``,
        ``random_state``,
        ``engine``, ``workers``, ``scheduler`` and ``chunk_rows``.

    Returns
    -------
    int
        0, or 1 if some input had a problem (listed in ``errors.csv``).

    Raises
    ------
    UsageStop
        Before any article is read: ``-o`` with a suffix the tool does not write, no ``-o``
        outside the project, an output that is an input or lies in a folder corpus, or a file
        of the set's names that this tool did not write (:mod:`analysis.cli.manifest`). After:
        no readable article at all. Nothing is written.
    analysis.atomic.FolderBusy
        Another run is writing into the output folder.

    Examples
    --------
    >>> from analysis.cli import main
    >>> main(["features", "data/raw", "-o", "build/features.csv"])  # doctest: +SKIP
    0
    """
    started = time.time()
    out = table_output(args.output, "features.csv")
    # The one place the study is read: None (no --study) is no study. A bad one stops here,
    # before any article is read.
    study_file, args.study = args.study, load_study(args.study)
    if getattr(args, "target_column", None):
        _check_target_column(args)
        args.study = replace(args.study, target_column=args.target_column)
    args.study = with_measures(args.study, args.measure, args.groups)
    if getattr(args, "frames", None):  # --frames overrides the study's frame sets
        args.study = replace(args.study, frames=args.frames)
    # Every check on where the set goes is made before any article is read.
    names = [t for m in measures() for t in m.tables]
    refuse_inputs([out, *set_files(out, names)], {
        "corpus": [args.corpus], "study": [study_file, args.study.registry,
                                           *args.study.dictionaries],
        "dictionary": args.dictionary, "registry": [args.registry],
        "model": args.study.measures})
    with folder_lock(out.parent, what="a set of tables"):
        refuse_foreign(out, names)  # checked again just before the swap
        return _run(args, out, started)


def _check_target_column(args) -> None:
    """Stop (exit 2) before anything is written when the corpus has no ``--target-column``:
    its first chunk of articles must have that column."""
    first = next(iter_corpus_chunks(args.corpus, chunk_rows=args.chunk_rows, strict=False,
                                    problems=[], max_bytes=args.max_bytes,
                                    language=args.language), None)
    if first is not None and args.target_column not in first.columns:
        have = ", ".join(c for c in first.columns if c not in ("article_id", "text")) or "none"
        raise UsageStop(f"--target-column {args.target_column}: {args.corpus} has no such "
                        f"column (its metadata columns: {have}); nothing written")


def _run(args, out: Path, started: float) -> int:
    """Score and write the set, with the output folder locked; the exit code."""
    problems: list[Problem] = []
    fs = _score(args, problems)
    problems = sorted_problems(problems)
    errors = out.with_name(ERRORS_NAME)
    if fs.features.empty:
        print_problems(problems, errors)
        raise UsageStop(f"no readable article in {args.corpus}"
                        f"{' (problems above)' if problems else ''}; nothing written")
    skipped = sum(map(is_skip, problems))
    info = {"articles": int(len(fs.features)), "inputs_skipped": skipped,
            "problems": len(problems),
            "parameters": {"corpus": display_path(args.corpus),
                           "corpus_sha256": corpus_sha256(args.corpus),
                           # where it was on this machine, for status (provenance keeps the
                           # clone-independent form above)
                           "corpus_location": str(Path(args.corpus).resolve()),
                           "groups": list(args.groups),
                           "dictionaries": [display_path(d) for d in args.dictionary],
                           "registry": display_path(args.registry) if args.registry else None,
                           "study": args.study.source or None,
                           "study_sha256": args.study.sha256 or None,
                           "target_column": args.study.target_column,
                           "measures": [display_path(m) for m in args.measure],
                           "measures_sha256": [sha256_of(Path(m)) for m in args.measure],
                           "frames": list(args.study.frames or ("default",)),
                           "n_resamples": args.n_resamples,
                           "random_state": args.random_state}}
    tables = {"features": fs.features, "evidence": fs.evidence, "audit": fs.audit, **fs.tables,
              "errors": problems_frame(problems)}
    write_feature_set(tables, out, info=info, mtime=started)
    print_problems(problems, errors)
    print(summary_line(len(fs.features), out, skipped, len(problems), errors,
                       study=args.study.source), file=sys.stderr)
    return 1 if problems else 0
