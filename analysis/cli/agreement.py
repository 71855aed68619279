"""``python -m analysis agreement CODED --coders a,b[,c]``: how far coders (and a model) agree.

Krippendorff's alpha between the coders (nominal, ordinal or interval as the labels are, or
``--level``), with a 95% bootstrap interval over the items, and the percent agreement
(:mod:`analysis.measures.learned.agreement`). With ``--model-column learned_x`` (a column of
CODED, or of the ``--features`` table joined on ``article_id``), the model against each coder
the same way. One row per comparison, printed; ``-o FILE.csv`` writes them too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import display_path
from ..corpus import METADATA_PREFIX
from ..measures.learned.agreement import agreement, coder_matrix, model_codes
from ..measures.learned.coded import CodedError, read_coded
from ..tables import read_table
from .failures import UsageStop
from .outputs import refuse_inputs
from .tableset import write_table

__all__ = ["run"]

COLUMNS = ["comparison", "level", "alpha", "alpha_lo", "alpha_hi", "percent_agreement",
           "n_items"]


def _model_values(args, coded) -> list:
    col = args.model_column
    for name in (col, f"{METADATA_PREFIX}{col}"):  # the reader renames feature-like columns
        if name in coded.frame.columns:
            return coded.frame[name].tolist()
    if not args.features:
        raise CodedError(f"{coded.source}: no column {col!r}; give --features FEATURES.csv "
                         "(the table of python -m analysis features --measure MODEL.yml)")
    feats = read_table(args.features)
    if col not in feats.columns:
        raise CodedError(f"{args.features}: no column {col!r}")
    values = dict(zip(feats["article_id"].astype(str), feats[col]))
    return [values.get(str(a), np.nan) for a in coded.frame["article_id"]]


def run(args) -> int:
    """Print (and with ``-o`` write) the agreement table.

    Raises
    ------
    UsageStop, CodedError
        Fewer than two coders, a column missing, no item coded twice, codes that do not fit
        the level. Nothing is written.
    """
    out = Path(args.output) if args.output else None
    if out is not None:
        if out.suffix.lower() != ".csv":
            raise UsageStop(f"-o {out}: the table is written as CSV: give a .csv name")
        refuse_inputs([out], {"coded data": [args.coded], "features": [args.features]})
    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    coded = read_coded(args.coded)
    M, level, codes = coder_matrix(coded, coders, args.level)
    rows = [{"comparison": " vs ".join(coders), "level": level,
             **agreement(M, level, args.n_resamples, args.random_state)}]
    if args.model_column:
        model = model_codes(_model_values(args, coded), level, codes)
        for name, row in zip(coders, M):
            pair = np.vstack([model, row])
            if int((~np.isnan(pair)).all(axis=0).sum()) == 0:
                continue
            rows.append({"comparison": f"{args.model_column} vs {name}", "level": level,
                         **agreement(pair, level, args.n_resamples, args.random_state)})
    table = pd.DataFrame(rows, columns=COLUMNS)
    for r in table.itertuples():
        print(f"{r.comparison}: Krippendorff's alpha ({r.level}) {r.alpha:.3f} (95% CI "
              f"{r.alpha_lo:.3f}-{r.alpha_hi:.3f}), agreement {r.percent_agreement:.1%}, "
              f"n = {r.n_items} items")
    if out is not None:
        write_table(table.round(6), out)
        print(f"-> {display_path(out)}", file=sys.stderr)
    return 0
