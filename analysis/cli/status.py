"""``python -m analysis status``: is the features set complete, and what did its run skip?

``make`` runs this after every ``make figures``, so it is kept light: it reads the manifest and
the sizes of the tables (with ``--verify`` their sha256), never the tables through pandas.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import PROCESSED_DIR, ROOT
from ..inputs_hash import stale_inputs
from .tableset import ERRORS_NAME, check_feature_set, summary_line


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``status`` to a parser.

    Used both by the full parser (for ``--help``) and by the short path of
    :func:`analysis.cli.main`, which parses ``status`` alone without loading the full parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser or subparser to add ``features``, ``--verify`` and ``--quiet`` to.

    Returns
    -------
    None
    """
    p.add_argument("features", nargs="?", default=str(PROCESSED_DIR / "features.csv"),
                   help="features table (default data/processed/features.csv)")
    p.add_argument("--verify", action="store_true",
                   help="also compare every table's sha256 with the manifest (reads them all)")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing when the set is complete and no input was skipped")


def run(args) -> int:
    """Check a features set against its manifest and print its summary line.

    Parameters
    ----------
    args : argparse.Namespace
        ``features`` (the table), ``verify`` and ``quiet``.

    Returns
    -------
    int
        0 if the set is complete, 2 if it is incomplete or changed, or if the corpus or the
        study it was computed from changed since (by content; one ``error:`` line).

    Examples
    --------
    >>> from analysis.cli import main
    >>> main(["status", "data/processed/features.csv", "--quiet"])  # doctest: +SKIP
    0
    """
    features = Path(args.features)
    complete, reason, manifest = check_feature_set(features, verify=args.verify)
    if not complete:
        print(f"error: incomplete set of tables: {reason}", file=sys.stderr)
        return 2
    changed = stale_inputs(_from_root(manifest.get("parameters")))
    if changed:
        print(f"error: the tables are out of date: {'; '.join(changed)} since they were "
              "written; run `make features` (or the features command) again", file=sys.stderr)
        return 2
    n_problems = int(manifest.get("problems", 0))
    if n_problems or not args.quiet:
        params = manifest.get("parameters")
        study = (params.get("study") or "") if isinstance(params, dict) else None
        print(summary_line(int(manifest.get("articles", 0)), features,
                           int(manifest.get("inputs_skipped", 0)), n_problems,
                           features.with_name(ERRORS_NAME), study=study, written=False),
              file=sys.stderr)
    return 0


def _from_root(parameters) -> dict:
    """The manifest's inputs as paths: the corpus where the run found it, the study from the
    project root (provenance writes paths relative to it); an input not found there is not
    checked."""
    if not isinstance(parameters, dict):
        return {}
    out = {}
    for key in ("corpus", "study"):
        recorded = parameters.get(key)
        places = [parameters.get(f"{key}_location"), ROOT / recorded if recorded else None]
        path = next((Path(p) for p in places if p and Path(p).exists()), None)
        if path is not None:
            out[key], out[f"{key}_sha256"] = str(path), parameters.get(f"{key}_sha256")
    return out
