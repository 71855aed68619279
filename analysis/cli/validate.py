"""``python -m analysis validate``: the validity report against human-coded data."""

from __future__ import annotations

from pathlib import Path

from ..study import load_study
from ..validation import run_validation


def run(args) -> int:
    """Compare each measure with human-coded data and write the report.

    Parameters
    ----------
    args : argparse.Namespace
        ``validation_dir`` (the data), ``output`` (the report folder), ``only`` (the checks
        to run, or None for all) and ``study`` (a study file, whose topic terms feed the tone
        check; None: no study).

    Returns
    -------
    int
        The exit code of :func:`analysis.validation.run_validation`.
    """
    study = load_study(args.study)  # a bad study stops here (exit code 2), before any check
    return run_validation(Path(args.validation_dir), Path(args.output), only=args.only,
                          study=study)
