"""The arguments of every command of ``python -m analysis``, and their checks.

Bad arguments are usage errors: argparse prints the usage and one ``error:`` line and exits with
code 2. Numbers are checked here (``--chunk-rows 0`` is refused before any article is read),
and so are the names in ``--groups`` and ``--only``.

This module imports :mod:`analysis.corpus` (and so pandas) for the default of ``--max-bytes``;
:mod:`analysis.cli` therefore loads it only when a command other than ``status`` is parsed. The
feature groups of ``--groups`` (choices, default, help) are the registered measures
(:mod:`analysis.measures.registry`), whose rooms load no spaCy and no scikit-learn.
"""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Callable

from .. import __version__
from ..compare.timeline import TIMELINE_MEASURES
from ..config import N_RESAMPLES, PROCESSED_DIR, RANDOM_STATE, RAW_DIR
from ..corpus import LANGUAGES, MAX_BYTES
from ..measures import measure_names, measures
from ..study import FRAME_SETS
from ..validation import CHECKS
from . import learned_args, status, study
from .learned_args import at_least as _at_least

MIN_RESAMPLES = 100  # below this, fewer than 2.5 resamples lie beyond each end of a 95% interval


def _probability(text: str) -> float:
    """argparse type: a number strictly between 0 and 1 (a usage error otherwise)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (got {value:g})")
    return value


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
    """argparse type of ``--groups``: names of registered measures."""
    return _choice_list(tuple(measure_names()), "feature group")(text)


def _groups_help() -> str:
    """The help of ``--groups``: the registered measures, each with its one line."""
    about = "; ".join(f"{m.name} = {m.description}" for m in measures() if m.description)
    text = f"comma-separated feature groups (default {','.join(measure_names())}; {about})"
    return text.replace("%", "%%")  # argparse formats help with %


def _checks(text: str) -> tuple[str, ...]:
    return _choice_list(tuple(CHECKS), "check")(text)


def _corpus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", default=str(RAW_DIR),
                   help="folder of .txt files (+ optional metadata.csv), or a .csv/.tsv/.jsonl/"
                        ".parquet file with a 'text' column (default: data/raw/)")
    p.add_argument("--strict", action="store_true",
                   help="stop at the first bad file or row, exit code 2 (default: report it, "
                        "go on, exit code 1)")
    p.add_argument("--max-bytes", type=_at_least(1), default=MAX_BYTES,
                   help=f"largest single article accepted, in bytes, at least 1 "
                        f"(default {MAX_BYTES:,})")
    p.add_argument("--language", choices=LANGUAGES, default="en",
                   help="en (default): leave out articles that are not English prose (other "
                        "languages, URLs or markup only; listed in errors.csv); any: keep "
                        "them, with the language found in a 'language' column")


def _study_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--study", default=None, metavar="FILE",
                   help="study file (YAML: actors, topic terms, frame additions, registry, "
                        "groups); without it, or 'none': no study (sources are tied to "
                        "countries). make passes data/study.yml for the bundled corpus")


def _frame_sets(value: str) -> tuple[str, ...]:
    """``--frames``: comma-separated names of built-in frame sets."""
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [n for n in names if n not in FRAME_SETS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"{value!r}: frame sets are {', '.join(FRAME_SETS)} "
                                          "(comma-separated)")
    return names


def _feature_args(p: argparse.ArgumentParser) -> None:
    _study_arg(p)
    p.add_argument("--dictionary", action="append", default=[], metavar="FILE",
                   help="user dictionary (quanteda-style YAML, LIWC .dic, or TSV category,pattern);"
                        " adds emph_<key> columns; repeatable")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (name,type,affiliation,note); default: the study's")
    p.add_argument("--frames", type=_frame_sets, default=None, metavar="SETS",
                   help="built-in frame sets, comma-separated: default (technology ... human "
                        "cost), pfc (Policy Frames Codebook: emph_pfc_*), sv (Semetko & "
                        "Valkenburg: emph_sv_*); default: the study's frames, else default")
    p.add_argument("--n-resamples", type=_at_least(MIN_RESAMPLES), default=N_RESAMPLES,
                   help=f"sentence-bootstrap resamples per 95%% interval, at least "
                        f"{MIN_RESAMPLES} (default {N_RESAMPLES})")
    p.add_argument("--random-state", type=_at_least(0), default=RANDOM_STATE,
                   help=f"bootstrap seed, a whole number >= 0 (default {RANDOM_STATE})")


def build_parser(epilog: str,
                 command_module: Callable[[str], ModuleType] | None = None
                 ) -> argparse.ArgumentParser:
    """The parser of ``python -m analysis`` with one subcommand per command.

    Use :func:`analysis.cli.build_parser`, which passes both arguments.

    Parameters
    ----------
    epilog : str
        Text after the help of the program and of every command (exit codes, the table set).
    command_module : callable, optional
        Returns the module that runs a command, given its name. Not used any more (the
        feature groups come from the measure registry); accepted so that callers need not
        change.

    Returns
    -------
    argparse.ArgumentParser
        The parser. ``parse_args`` sets ``command`` to the command's name.
    """
    ap = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Framing features for news articles: tone, emphasis, sources.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=epilog)
    ap.add_argument("--version", action="version", version=f"analysis {__version__}")
    ap.add_argument("--debug", action="store_true",
                    help="on an internal error, print the traceback instead of logging it")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an internal error, print the traceback instead of logging it")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, **kw):
        return sub.add_parser(name, parents=[common], epilog=epilog,
                              formatter_class=argparse.RawDescriptionHelpFormatter, **kw)

    p = add("features", help="one row of features per article (+ evidence, audit)",
            description="Write the features table. Beside it, as one set: evidence, audit "
            "(cleaning), errors, sentences and attributions tables (same format) and "
            "<name>.manifest.json.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=None,
                   help="features table, .csv, .parquet or .pq (default, inside the project "
                        "only: data/processed/features.csv)")
    p.add_argument("--groups", type=_groups, default=tuple(measure_names()),
                   help=_groups_help())
    _feature_args(p)
    p.add_argument("--target-column", default=None, metavar="COL",
                   help="corpus column naming each article's own target (a person, a party): "
                        "adds tone_toward_target (tone group)")
    p.add_argument("--measure", action="append", default=[], metavar="MODEL.yml",
                   help="a learned model (python -m analysis learn): adds learned_<name> "
                        "columns; repeatable")
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

    p = add("clean", help="write cleaned texts and the cleaning audit table",
            description="Write DIR/cleaned/<article_id>.txt, DIR/audit.csv "
            "(article_id, line, text, rule) and DIR/errors.csv.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=str(PROCESSED_DIR), metavar="DIR",
                   help="output folder (default data/processed/)")

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

    p = add("attributions", help="who is cited: one row per attribution",
            description="Write one row per attribution (source, cue, content, kind)"
            "; source offsets index the original input text.")
    _corpus_args(p)
    p.add_argument("-o", "--output", default=None,
                   help="output table, .csv, .parquet or .pq (default, inside the project "
                        "only: data/processed/attributions.csv)")
    p.add_argument("--registry", default=None, metavar="CSV",
                   help="source registry (default: the study's)")
    _study_arg(p)

    p = add("validate", help="validity report against human-coded data",
            description="Compare each measure with human-coded data and write a "
            "report (report.md, results.json, plots).")
    p.add_argument("validation_dir", help="folder with the validation data "
                   "(see ../shared/validation/README.md)")
    p.add_argument("-o", "--output", default="build/validation", help="report folder")
    p.add_argument("--only", type=_checks, default=None,
                   help=f"comma-separated checks ({','.join(CHECKS)})")
    _study_arg(p)

    p = add("compare", help="compare groups of articles: the tables of fig17-fig23",
            description="From a features table, write beside it (or into -o DIR) the tables "
            "notebook 05 draws fig17-fig23 from: groups.csv (n, mean, median, 95%% "
            "article-bootstrap interval per group and measure) and groups_all.csv (all "
            "articles), contrasts.csv (difference in means against a reference group, "
            "bootstrap interval, permutation p, Benjamini-Hochberg adjusted p; with "
            "--pair-by, within-event differences with an event bootstrap and a sign-flip "
            "test), adjusted.csv (OLS controlling for log article length, HC1 errors; with "
            "--pair-by, clustered by event with events as fixed effects), timeline.csv and "
            "timeline_all.csv (means per period), words.csv (log-odds z of every lemma per "
            "group), source_shares.csv (shares of source types and affiliations), "
            "women_quoted.csv (share of women among the people quoted per period) and "
            "comparison.manifest.json (the settings). See analysis/compare/.")
    p.add_argument("features", nargs="?", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table (default data/processed/features.csv)")
    p.add_argument("--by", default=None, metavar="COLUMN",
                   help="metadata column whose values are the groups (e.g. outlet); default: "
                        "the first of the study's groups")
    _study_arg(p)
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
    p.add_argument("--alpha", type=_probability, default=0.05,
                   help="significance level of the Benjamini-Hochberg adjusted p-values "
                        "(default 0.05; sets the default number of permutations, and which "
                        "contrasts fig18 fills)")
    p.add_argument("--random-state", type=_at_least(0), default=RANDOM_STATE,
                   help=f"seed, a whole number >= 0 (default {RANDOM_STATE})")
    p.add_argument("--time", default=None, metavar="COLUMN",
                   help="publication-date column of the timeline (default: the study's "
                        "`time`, else date)")
    p.add_argument("--period", default=None, choices=("W", "M", "Q", "Y"),
                   help="timeline period: week, month, quarter or year (default: the finest "
                        "the date span allows in which most group x period cells hold 5 "
                        "articles)")
    p.add_argument("--date-format", default=None, metavar="FORMAT",
                   help="strptime format of every date, e.g. %%d/%%m/%%Y (default: detected: "
                        "ISO 8601, else day-first or month-first for the whole column as its "
                        "values decide; ambiguous and partial dates are left out and counted)")
    p.add_argument("--time-measures", default=",".join(TIMELINE_MEASURES), metavar="LIST",
                   help="comma-separated measures of the timeline; those the table lacks are "
                        "skipped, without any the first four (default "
                        f"{','.join(TIMELINE_MEASURES)})")
    p.add_argument("--corpus", default=None, metavar="PATH",
                   help="the corpus, to count words in when there is no terms table beside "
                        "the features (default: none)")

    learned_args.add_learn(add("learn", help="learn a measure from coded articles",
                               description="Learn a weighted dictionary (YAML) from a coded "
                               "corpus, cross-validated; see docs/measures.md."))
    p = add("sample", help="what to code next: a stratified or uncertainty sample",
            description="Write a CSV of articles to code: stratified random, or with a model "
            "half uncertain and half random.")
    _corpus_args(p)
    learned_args.add_sample(p)
    learned_args.add_agreement(add("agreement", help="Krippendorff's alpha between coders "
                                   "and a model", description="Agreement between coders (and "
                                   "a model against each coder), with bootstrap intervals."))

    p = add("status", help="is the features set complete? what did its run skip?",
            description="Check a features table and its companions against its manifest "
            "and print the run's summary line. Exit code 0: complete; 2: incomplete or "
            "changed (rerun `make features`).")
    status.add_arguments(p)

    p = add("study", help="check a study file; print one of its defaults",
            description="Read and check a study file (a problem: file, line and exit code "
            "2). With --get, print one default (empty when the study has none); make asks "
            "for GROUP_BY, PAIR_BY and TIME this way. Without, a summary of the study.")
    study.add_arguments(p)
    return ap
