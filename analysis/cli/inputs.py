"""Reading a corpus for a command, and reporting the problems found in it.

A problem (:class:`analysis.corpus.Problem`) is a file, row or metadata entry that could not be
used as given. Commands go on past problems (exit code 1), print the first few on stderr and
list them all in ``errors.csv``; this module holds what the commands that read a corpus share.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..corpus import Problem, load_corpus, problems_frame
from .tableset import ERRORS_NAME, plural, write_table

# Problems after which the article is still scored (or that concern no article file or row):
# every other problem is an input (file, row) left out of the tables, counted as skipped.
NOT_SKIPPED = {"missing_metadata", "bad_metadata", "duplicate_metadata", "missing_file",
               "renamed_column", "duplicate_column"}
MAX_PRINTED = 20  # problems printed on stderr; errors.csv lists them all


def load_articles(args, problems: list[Problem]):
    """Read the whole corpus named on the command line.

    Parameters
    ----------
    args : argparse.Namespace
        Has ``corpus``, ``strict``, ``max_bytes`` and ``language`` (the corpus options of the
        parser).
    problems : list of Problem
        Problems found are appended here (unless ``strict``, which stops at the first).

    Returns
    -------
    pandas.DataFrame
        One row per article, as :func:`analysis.corpus.load_corpus` returns it.
    """
    return load_corpus(args.corpus, strict=args.strict, problems=problems,
                       max_bytes=args.max_bytes, language=getattr(args, "language", "en"))


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of their sources, the same for any chunking of the corpus.

    Parameters
    ----------
    problems : list of Problem
        Problems in the order they were found.

    Returns
    -------
    list of Problem
        Sorted by source (file name, then line or row number in natural order), problem,
        article and message.
    """
    return sorted(problems, key=lambda p: (_natural(p.source), p.problem, p.article_id,
                                           p.message))


def is_skip(p: Problem) -> bool:
    """Tell whether a problem left an input (file or row) out of the tables.

    Parameters
    ----------
    p : Problem
        One problem.

    Returns
    -------
    bool
        False for metadata problems and the others after which the article is still scored.
    """
    return p.problem not in NOT_SKIPPED and p.source.split(":", 1)[0] != "metadata.csv"


def print_problems(problems: list[Problem], errors: Path) -> None:
    """Print the first problems on stderr, one ``problem: ...`` line each.

    Parameters
    ----------
    problems : list of Problem
        All problems; beyond the first 20 one line says how many more ``errors`` lists.
    errors : Path
        The table that lists them all, as it is to be shown.

    Returns
    -------
    None
    """
    for p in problems[:MAX_PRINTED]:
        print(f"problem: {p}", file=sys.stderr)
    if len(problems) > MAX_PRINTED:
        print(f"  ... and {len(problems) - MAX_PRINTED} more, listed in {errors}",
              file=sys.stderr)


def report_problems(problems: list[Problem], out_dir: Path) -> int:
    """Write ``errors.csv`` into ``out_dir`` and print the problems (``clean``, ``attributions``).

    Parameters
    ----------
    problems : list of Problem
        Problems found while reading the corpus, in any order.
    out_dir : Path
        Folder of the command's output; ``errors.csv`` is written there even when empty.

    Returns
    -------
    int
        The exit code: 1 if there was a problem, else 0.
    """
    problems = sorted_problems(problems)
    write_table(problems_frame(problems), out_dir / ERRORS_NAME)
    print_problems(problems, out_dir / ERRORS_NAME)
    if problems:
        print(f"{plural(len(problems), 'problem')}; listed in {out_dir / ERRORS_NAME}. "
              "All other articles were processed.", file=sys.stderr)
    return 1 if problems else 0
