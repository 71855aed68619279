"""``make validate``: each measure against human-coded data.

Each check is a module ``analysis.validation.<name>`` with
``run(validation_dir: Path, out_dir: Path, **study_args) -> list[Metric]``; the study's parts a
check needs are passed as keywords (:data:`STUDY_ARGS`: the tone check gets the study's
``topic_terms``, as the features do), so the numbers are those of the study's measures. The
runner writes ``report.md`` and ``results.json`` into ``out_dir`` (plots beside them) and prints
the table.
A metric may carry a 95% bootstrap interval over its units (articles, sentences, annotated
articles): how far the number could move on another sample of the same kind of data. The data
stay outside the repository; a check whose files are missing is reported as missing (and makes
the exit code non-zero), never silently skipped.
"""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from ..study import Study, resolve_study

CHECKS = ("tone", "emphasis", "frames", "sources", "toward", "learned")
# Check -> the keyword arguments it takes from the study.
STUDY_ARGS: dict[str, Callable[[Study], dict]] = {
    "tone": lambda study: {"topic_terms": study.topic_terms},
    "sources": lambda study: {"study": study},  # the five articles' types and genders
}


@dataclass
class Metric:
    check: str  # tone / emphasis / sources / toward
    name: str  # e.g. "spearman(tone_mean_adapted, human rating), NYT editorials"
    value: float
    target: str  # e.g. ">= 0.70", or "" for a reported-only number
    n: int  # units the number is computed on
    note: str = ""
    ci: tuple[float, float] | None = None  # 95% bootstrap interval over the units, when given

    @property
    def passed(self) -> bool | None:
        if not self.target:
            return None
        op, num = self.target.split()
        return self.value >= float(num) if op == ">=" else self.value <= float(num)


def run_validation(validation_dir: Path, out_dir: Path, only=None, study=None) -> int:
    """Run the checks and write the report.

    Parameters
    ----------
    validation_dir : pathlib.Path
        The human-coded data.
    out_dir : pathlib.Path
        The report folder (``report.md``, ``results.json``, plots).
    only : sequence of str, optional
        The checks to run (:data:`CHECKS`); all by default.
    study : Study, path or None
        The study whose topic terms the tone check uses (:func:`analysis.study.resolve_study`:
        None or ``"none"`` is the empty study).

    Returns
    -------
    int
        0 when every target is met, 1 when one is missed or a check's data are missing, 2
        when ``validation_dir`` does not exist.
    """
    study = resolve_study(study)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not validation_dir.is_dir():
        print(f"error: {validation_dir}: no such folder (set VALIDATION_DIR=...)", file=sys.stderr)
        return 2
    metrics: list[Metric] = []
    failed_checks = []
    for name in only or CHECKS:
        mod = importlib.import_module(f"analysis.validation.{name}")
        try:
            kwargs = STUDY_ARGS[name](study) if name in STUDY_ARGS else {}
            metrics += mod.run(validation_dir, out_dir, **kwargs)
        except FileNotFoundError as err:
            print(f"error: validation '{name}': missing data {err.filename}", file=sys.stderr)
            failed_checks.append(name)
    write_report(metrics, out_dir)
    missed = [m for m in metrics if m.passed is False]
    return 1 if (missed or failed_checks) else 0


def write_report(metrics: list[Metric], out_dir: Path) -> None:
    rows = ["| check | measure | value | 95% CI | target | met | n | note |",
            "|---|---|---|---|---|---|---|---|"]
    for m in metrics:
        met = "" if m.passed is None else ("yes" if m.passed else "NO")
        ci = f"{m.ci[0]:.4f} – {m.ci[1]:.4f}" if m.ci else ""
        rows.append(f"| {m.check} | {m.name} | {m.value:.4f} | {ci} | {m.target} | {met} | "
                    f"{m.n} | {m.note} |")
    table = "\n".join(rows)
    plots = sorted(p.name for p in out_dir.glob("*.png"))
    # Checks may add prose sections (e.g. which article ranks first, with its evidence).
    sections = [p.read_text(encoding="utf-8") for p in sorted(out_dir.glob("*.section.md"))]
    md = ("# Validation report\n\n" + table + "\n\n" + "\n".join(sections) + "\n"
          + "\n".join(f"![{p}]({p})" for p in plots) + "\n")
    (out_dir / "report.md").write_text(md, encoding="utf-8")
    (out_dir / "results.json").write_text(json.dumps(
        [asdict(m) | {"passed": m.passed} for m in metrics], indent=2) + "\n", encoding="utf-8")
    print(table)
    print(f"\nreport: {out_dir / 'report.md'}")
