"""``python -m analysis learn CODED --label COLUMN -o MODEL.yml``: learn a measure from coding.

Reads the coded corpus strictly (a row without text stops it, naming the file and line),
checks the label column (:func:`analysis.measures.learned.coded.label_values`), parses the
texts once, cross-validates and fits (:mod:`analysis.measures.learned.train`), prints the
cross-validated metric with its 95% interval beside the majority baseline, and writes the
model file atomically (a temporary file renamed over the target): on any problem nothing is
written and the exit code is 2.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from ..atomic import new_temp
from ..config import display_path
from ..measures.learned.coded import CodedError, label_values, read_coded
from ..measures.learned.model import Featurise, column_key, dump_model, model_columns
from ..measures.learned.numeric import NUMERIC
from ..measures.learned.train import featurise_texts, file_sha256, learn_items
from .failures import UsageStop
from .outputs import refuse_inputs

__all__ = ["run", "write_text_atomic", "summary"]

MODEL_SUFFIXES = (".yml", ".yaml")


def write_text_atomic(text: str, path: Path) -> None:
    """``text`` into ``path``, replaced whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_temp(path.parent, path.name)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def summary(model) -> str:
    """One line: the cross-validated metric, its interval and the baseline."""
    cv = model.training.get("cv") or {}
    key = {"binary": "auc", "categories": "macro_f1", "rating": "spearman"}[model.kind]
    name = {"auc": "AUC", "macro_f1": "macro-F1", "spearman": "Spearman"}[key]
    if key not in cv:
        return f"{', '.join(model_columns(model))}: not cross-validated"
    lo, hi = cv[f"{key}_ci95"]
    base = cv.get("baseline", {})
    shown = {k: v for k, v in base.items() if k != "what" and v is not None}
    grouped = " (grouped)" if cv.get("grouped") else ""
    return (f"{', '.join(model_columns(model))}: {name} {cv[key]:.3f} (95% CI {lo:.3f}-{hi:.3f}),"
            f" {cv['folds']}-fold cross-validation{grouped}, n = {model.training['n']}; "
            f"baseline ({base.get('what', '')}): "
            + ", ".join(f"{k} {v}" for k, v in shown.items()))


def run(args) -> int:
    """Learn a model from a coded corpus and write its file.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageStop
        ``-o`` not a .yml file, the output is an input, a name that cannot be a column.
    analysis.measures.learned.coded.CodedError, analysis.errors.CorpusError
        Bad coded data (file and row named). Nothing is written.
    """
    out = Path(args.output)
    if out.suffix.lower() not in MODEL_SUFFIXES:
        raise UsageStop(f"-o {out}: a model file is YAML: give a .yml name")
    refuse_inputs([out], {"coded data": [args.coded]})
    name = args.name or column_key(args.label)
    if not name[0].isalpha() or name != column_key(name):
        raise UsageStop(f"--name {name!r}: lower-case letters, digits and _, starting with a "
                        "letter (it becomes the column learned_<name>)")
    unknown = [n for n in args.numeric if n not in NUMERIC]
    if unknown:
        raise UsageStop(f"--numeric {unknown[0]}: not a numeric feature (known: "
                        f"{', '.join(sorted(NUMERIC))})")
    coded = read_coded(args.coded)
    kind, categories, keep, y = label_values(coded, args.label, args.kind)
    groups = None
    if args.group_by:
        values = coded.column(args.group_by)
        missing = [coded.where[i] for i in keep if not values[i]]
        if missing:
            raise CodedError(f"{missing[0]}: no value in the --group-by column "
                             f"{args.group_by!r}")
        groups = [values[i] for i in keep]
    left_out = len(coded.frame) - len(keep)
    spec = Featurise(numeric=tuple((n, 0.0, 1.0) for n in args.numeric))
    frame = coded.frame.iloc[keep]
    items = featurise_texts(frame["text"].tolist(), spec, frame["article_id"].tolist())
    recipe = ["python", "-m", "analysis", "learn", display_path(args.coded), "--label", args.label,
              "--name", name, "--kind", kind, "--unit", args.unit,
              *(["--group-by", args.group_by] if args.group_by else []),
              *[a for n in args.numeric for a in ("--numeric", n)],
              "--min-df", str(args.min_df), "--random-state", str(args.random_state)]
    provenance = {"data": display_path(args.coded), "data_sha256": file_sha256(args.coded),
                  "uncoded_left_out": left_out, "command": shlex.join(recipe)}
    model = learn_items(items, y, kind=kind, categories=categories, name=name,
                        label=args.label, spec=spec, unit=args.unit, groups=groups,
                        min_df=args.min_df, random_state=args.random_state,
                        provenance=provenance)
    write_text_atomic(dump_model(model), out)
    if not args.quiet:
        note = f"; {left_out} rows without a label left out" if left_out else ""
        print(summary(model) + note, file=sys.stderr)
        print(f"model -> {display_path(out)}", file=sys.stderr)
    return 0
