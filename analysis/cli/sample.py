"""``python -m analysis sample CORPUS --n N -o to_code.csv``: what to code next.

Without a model, a stratified random sample (:func:`analysis.measures.learned.sample.stratified_sample`,
strata: the ``--by`` columns and, with ``--time``, the period). With ``--measure MODEL.yml``, half
the articles the model is least sure of and half a stratified random sample of the rest
(:func:`~analysis.measures.learned.sample.active_sample`). The CSV is ready to code:
``article_id``, ``selection``, the model's output (with a model), ``title`` when the corpus has
one, ``text``, and one empty column per ``--label``. Written atomically; deterministic for a
given ``--random-state``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ..config import display_path
from ..corpus import load_corpus
from ..measures.learned.apply import score_articles
from ..measures.learned.model import load_model
from ..measures.learned.sample import active_sample, period_of, stratified_sample, uncertainty
from .failures import UsageStop
from .outputs import refuse_inputs
from .tableset import write_table

__all__ = ["run"]


def run(args) -> int:
    """Write the sample to code.

    Raises
    ------
    UsageStop
        ``-o`` not a .csv, the output is an input, a ``--by`` or ``--time`` column missing,
        ``--n`` larger than the corpus.
    """
    out = Path(args.output)
    if out.suffix.lower() != ".csv":
        raise UsageStop(f"-o {out}: the sample is written as CSV: give a .csv name")
    refuse_inputs([out], {"corpus": [args.corpus], "model": [args.measure]})
    model = load_model(args.measure) if args.measure else None  # a bad model stops here
    problems: list = []
    frame = load_corpus(args.corpus, strict=args.strict, problems=problems,
                        max_bytes=args.max_bytes, language=args.language)
    by = [c.strip() for c in (args.by or "").split(",") if c.strip()]
    for c in by + ([args.time] if args.time else []):
        if c not in frame.columns:
            raise UsageStop(f"{args.corpus}: no column {c!r} to stratify by")
    if args.time:
        frame = frame.assign(_period=period_of(frame[args.time], args.period))
        by.append("_period")
    if args.n > len(frame):
        raise UsageStop(f"--n {args.n}: the corpus has {len(frame)} articles")
    if model is None:
        ids = stratified_sample(frame, args.n, by, args.random_state)
        picked = pd.DataFrame({"article_id": ids, "selection": "random"})
    else:
        outputs = score_articles(model, frame, args.random_state)
        cols = model.columns()
        values = outputs[cols].to_numpy()
        lo = outputs[[c + "_lo" for c in cols]].to_numpy()
        hi = outputs[[c + "_hi" for c in cols]].to_numpy()
        unsure = uncertainty(model.kind, values, lo, hi)
        picked = active_sample(frame, args.n, unsure, by, args.random_state)
        picked = picked.merge(outputs[["article_id", *cols]], on="article_id", how="left")
    meta = [c for c in ("title",) if c in frame.columns]
    table = picked.merge(frame[["article_id", *meta, "text"]].astype({"article_id": str}),
                         on="article_id", how="left")
    for label in args.label or ["label"]:
        if label in table.columns:
            raise UsageStop(f"--label {label}: a column of that name is already in the sample")
        table[label] = ""
    write_table(table, out)
    n_unsure = int((table["selection"] == "uncertain").sum())
    print(f"{len(table)} articles to code ({n_unsure} uncertain, {len(table) - n_unsure} random)"
          f" -> {display_path(out)}", file=sys.stderr)
    return 1 if problems else 0
