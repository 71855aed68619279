"""``python -m analysis compare``: groups of articles compared, from a features table.

Writes ``groups``, ``adjusted`` and ``contrasts`` tables (see :mod:`analysis.compare` for the
statistics), ``contrasts`` last: it is the target ``make`` checks, so an interrupted run leaves
it missing and is rerun.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import compare
from ..config import display_path
from ..study import load_study
from ..tables import read_table
from .failures import UsageStop
from .tableset import TABLE_SUFFIXES, write_table


def run(args) -> int:
    """Compare the groups named by a metadata column and write the three tables.

    Parameters
    ----------
    args : argparse.Namespace
        ``features`` (the table), ``by`` and ``pair_by`` (columns; without ``by``, the first
        group and the ``pair_by`` of ``study``, a study file or None), ``reference``,
        ``output`` (folder, or None for the table's), ``n_resamples``, ``n_permutations``
        (0: enough for the number of tests) and ``random_state``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageStop
        No features table, or ``--by``/``--pair-by`` names a column it does not have.
    """
    path = Path(args.features)
    if not path.is_file():
        raise UsageStop(f"{path}: no features table; run `make features` first")
    features = read_table(path)
    if not args.by:
        study = load_study(args.study)  # only for its defaults; None: no study
        if not study.groups:
            hint = "the study names no groups" if study.source else "or a --study with groups"
            raise UsageStop(f"give --by COLUMN ({hint})")
        args.by = study.groups[0]
        args.pair_by = args.pair_by or study.pair_by
    for option, column in (("--by", args.by), ("--pair-by", args.pair_by)):
        if column and column not in features.columns:
            meta = [c for c in features.columns if c not in compare.measure_columns(features)
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
        write_table(table, out / f"{name}{suffix}")
    n_groups = groups["group"].nunique() if len(groups) else 0
    print(f"{len(features)} articles in {n_groups} groups of '{args.by}'"
          f"{f', paired by {args.pair_by}' if args.pair_by else ''} -> "
          f"{display_path(out / ('contrasts' + suffix))} ({len(contrasts)} contrasts)",
          file=sys.stderr)
    return 0
