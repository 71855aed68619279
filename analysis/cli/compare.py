"""``python -m analysis compare``: groups of articles compared, from a features table.

Computes every number of the group figures once and writes the comparison tables beside the
features table (see :mod:`analysis.compare.results`): ``groups``, ``groups_all``, ``adjusted``,
``timeline``, ``timeline_all``, ``words``, ``source_shares``, ``women_quoted`` and
``contrasts``, then their record ``comparison.manifest.json``. Notebook 05 draws fig17-fig23
from them. Each table is
replaced atomically; the old record is removed first and the new one written last, so a
notebook never reads a half-written set, and ``make`` (whose targets are all of these files)
reruns an interrupted run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import compare
from ..atomic import folder_lock
from ..compare.results import RECORD, RECORD_FORMAT, TABLES, file_sha256
from ..config import display_path
from ..figures import FOLDED
from ..plots.affiliations import MAX_COUNTRIES, fold_affiliations
from ..study import load_study
from ..tables import read_table
from .failures import UsageStop
from .manifest import write_json
from .tableset import TABLE_SUFFIXES, write_table


def run(args) -> int:
    """Compare the groups named by a metadata column and write the comparison tables.

    Parameters
    ----------
    args : argparse.Namespace
        ``features`` (the table), ``by`` and ``pair_by`` (columns; without ``by``, the first
        group and the ``pair_by`` of ``study``, a study file or None: no study), ``reference``,
        ``alpha``,
        ``output`` (folder, or None for the table's), ``n_resamples``, ``n_permutations``
        (0: enough for the number of tests), ``random_state``, ``time`` (None: the study's,
        else ``date``), ``period`` (None: from the dates), ``date_format`` (None: detected),
        ``time_measures`` and ``corpus`` (texts to count words in when there is no terms
        table; None: none).

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageStop
        No features table, ``--by``/``--pair-by`` names a column it does not have, the
        pairing column pairs nothing (no event is covered by two groups), or ``--reference``
        names a group there is not.
    analysis.atomic.FolderBusy
        Another run is writing into the output folder.
    """
    path = Path(args.features)
    if not path.is_file():
        raise UsageStop(f"{path}: no features table; run `make features` first")
    features = read_table(path)
    study = load_study(args.study)
    if not args.by:
        if not study.groups:
            hint = "the study names no groups" if study.source else "or a --study with groups"
            raise UsageStop(f"give --by COLUMN ({hint})")
        args.by = study.groups[0]
        args.pair_by = args.pair_by or study.pair_by
    time = args.time or study.time or "date"
    for option, column in (("--by", args.by), ("--pair-by", args.pair_by)):
        if column and column not in features.columns:
            meta = [c for c in features.columns if c not in compare.measure_columns(features)
                    and not c.endswith(("_lo", "_hi"))]
            raise UsageStop(f"{option} {column}: no such column in {path.name} "
                            f"(metadata columns: {', '.join(meta)})")
    if args.pair_by:
        _check_pairing(features, args.by, args.pair_by)
    _check_reference(features, args, path)
    out = Path(args.output) if args.output else path.parent
    with folder_lock(out, what="comparison tables"):
        return _write(features, args, path, out, time=time, study=study)


def _check_reference(features: pd.DataFrame, args, path: Path) -> None:
    """Stop when ``--reference`` names no group (as :func:`analysis.compare.contrasts` forms
    them: articles with a group, and with an event when paired)."""
    if args.reference in (None, "all-pairs"):
        return
    labels = compare.group_labels(features, args.by)
    keep = labels != ""
    if args.pair_by:
        keep &= compare.group_labels(features, args.pair_by) != ""
    groups = sorted(set(labels[keep]))
    if str(args.reference) not in groups:
        shown = ", ".join(groups[:20]) + (f", ... ({len(groups)} groups)" if len(groups) > 20
                                          else "")
        raise UsageStop(f"--reference {args.reference}: no such group of '{args.by}' in "
                        f"{path.name}{' with an event' if args.pair_by else ''} (groups: "
                        f"{shown or 'none'}; or all-pairs)")


def _write(features: pd.DataFrame, args, path: Path, out: Path, *, time: str, study) -> int:
    """Compute every table and write them into ``out`` (locked); the exit code."""
    suffix = path.suffix if path.suffix.lower() in TABLE_SUFFIXES else ".csv"
    tables, reasons, notes = compute(features, args, time=time, study=study,
                                     folder=path.parent, suffix=suffix)
    settings = dict(by=args.by, pair_by=args.pair_by or "", reference=args.reference or "",
                    alpha=args.alpha, n_resamples=args.n_resamples,
                    n_permutations=args.n_permutations, random_state=args.random_state,
                    time=time, period=args.period or "",
                    date_format=getattr(args, "date_format", None) or "", **notes)
    left_out = _left_out(tables)
    record = {"format": RECORD_FORMAT, "settings": settings, "reasons": reasons,
              "left_out": left_out,
              "features": {"file": path.name, "sha256": file_sha256(path)},
              "tables": {name: {"file": f"{name}{suffix}", "rows": len(tables[name]),
                                "attrs": dict(tables[name].attrs)} for name in TABLES}}
    # The old record goes first and the new one comes last: a set without a record is not
    # drawn, so a notebook never reads tables of two runs.
    (out / RECORD).unlink(missing_ok=True)
    for name in TABLES:
        write_table(tables[name], out / f"{name}{suffix}")
    write_json(record, out / RECORD)
    groups, contrasts = tables["groups"], tables["contrasts"]
    n_groups = groups["group"].nunique() if len(groups) else 0
    without = (f", {left_out['without_group']} without a value of '{args.by}' left out"
               if left_out["without_group"] else "")
    print(f"{len(features)} articles in {n_groups} groups of '{args.by}'{without}"
          f"{f', paired by {args.pair_by}' if args.pair_by else ''} -> "
          f"{display_path(out / ('contrasts' + suffix))} ({len(contrasts)} contrasts)"
          f"{_dates_note(left_out, time)}", file=sys.stderr)
    return 0


def _left_out(tables: dict) -> dict:
    """What the record says was left out: articles without a group, and the dates the
    timeline could not place (ambiguous day/month order, partial, unreadable or missing)."""
    timeline = tables["timeline"].attrs
    return {"without_group": int(tables["groups"].attrs.get("n_without_group", 0)),
            "dates_ambiguous": int(timeline.get("n_ambiguous", 0)),
            "dates_partial": int(timeline.get("n_partial", 0)),
            "dates_unreadable": int(timeline.get("n_unparsed", 0)),
            "date_order": timeline.get("date_order", "")}


def _dates_note(left_out: dict, time: str) -> str:
    """The summary line's end on the dates not placed in a period ("" when none)."""
    parts = [f"{left_out[k]} {what}" for k, what in (
        ("dates_ambiguous", "ambiguous (day-first or month-first: no value decides)"),
        ("dates_partial", "partial (no day)")) if left_out[k]]
    return f"; `{time}` left out of the timeline: {', '.join(parts)}" if parts else ""


def _check_pairing(features: pd.DataFrame, by: str, pair_by: str) -> None:
    """Refuse a pairing column that pairs nothing: with two groups or more and no event
    covered by two of them, every paired contrast and panel would be empty."""
    groups = compare.group_labels(features, by)
    events = compare.group_labels(features, pair_by)
    both = (groups != "") & (events != "")
    if groups[groups != ""].nunique() < 2:
        return  # one group: nothing to pair, nothing is compared anyway
    shared = groups[both].groupby(events[both].to_numpy()).nunique()
    if not (shared >= 2).any():
        found = (f"{len(shared)} event(s), each covered by one group; " if len(shared)
                 else f"no article has a value of '{pair_by}'; ")
        raise UsageStop(f"--pair-by {pair_by}: no event is covered by two groups of '{by}' "
                        f"({found}{int((events == '').sum())} article(s) without an event); every "
                        "paired contrast would be empty. Compare unpaired (no --pair-by, and "
                        "no pair_by in the study) or pair by another column")


def compute(features: pd.DataFrame, args, *, time: str, study, folder: Path,
            suffix: str = ".csv") -> tuple[dict, dict, dict]:
    """Every comparison table of the group figures (see :mod:`analysis.compare.results`).

    Parameters
    ----------
    features : DataFrame
    args : argparse.Namespace
        As in :func:`run`, with ``by`` set.
    time : str
        The date column of the timeline.
    study : Study
        Which affiliations are the study's actors (never folded).
    folder : Path
        Where the terms and attributions tables are (beside the features table).
    suffix : str
        Their suffix.

    Returns
    -------
    (dict, dict, dict)
        Name -> table; name -> why it is empty ("" when it is not); more settings for the
        record (the timeline's measures, the folded countries, where the words were counted).
    """
    kw = dict(n_resamples=args.n_resamples, random_state=args.random_state)
    by, pair_by = args.by, args.pair_by or None
    tables = {
        "groups": compare.group_summary(features, by, **kw),
        "groups_all": compare.group_summary(features, None, **kw),
        "contrasts": compare.contrasts(features, by, reference=args.reference, pair_by=pair_by,
                                       n_permutations=args.n_permutations or None,
                                       alpha=args.alpha, **kw),
        # Paired: the events are clusters and fixed effects (within-event comparison), as in
        # the paired contrasts.
        "adjusted": compare.adjusted_contrasts(
            features, by, cluster=pair_by, fixed_effects=pair_by,
            reference=None if args.reference == "all-pairs" else args.reference),
    }
    reasons = {"timeline": "", "words": "", "source_shares": "", "women_quoted": ""}
    if time in features.columns:
        tables["timeline"], tables["timeline_all"] = compare.group_timeline(
            features, by, time=time, period=args.period, measures=args.time_measures,
            date_format=getattr(args, "date_format", None), **kw)
    else:
        empty = pd.DataFrame(columns=compare.TIME_COLUMNS[:-1])
        tables["timeline"], tables["timeline_all"] = empty, empty.copy()
        reasons["timeline"] = f"features.csv has no column `{time}`"
    measures = list(dict.fromkeys(tables["timeline"]["measure"]))
    tables["women_quoted"], reasons["women_quoted"] = _women_quoted(
        features, by, time, tables["timeline"].attrs.get("period"), args, kw)
    counts, files = compare.word_counts(features, folder / f"terms{suffix}", args.corpus or "")
    if counts is None:
        tables["words"] = pd.DataFrame(columns=compare.TERM_COLUMNS)
        reasons["words"] = f"no terms{suffix} in {folder} and no --corpus with the texts"
    else:
        labels = compare.group_labels(features, by)
        tables["words"] = compare.distinctive_terms(
            counts, dict(zip(features["article_id"], labels)), top=None)
    tables["source_shares"], folded, reasons["source_shares"] = _source_shares(
        features, by, folder / f"attributions{suffix}", study, kw)
    notes = dict(time_measures=measures, max_countries=MAX_COUNTRIES, folded=folded,
                 word_counts=(files[0].name if files and files[0].parent == folder
                              else "corpus" if files else ""))
    return tables, reasons, notes


def _women_quoted(features: pd.DataFrame, by: str, time: str, period, args,
                  kw: dict) -> tuple[pd.DataFrame, str]:
    """The share of women among the people quoted by group and period (the timeline's), and
    why the table is empty."""
    empty = pd.DataFrame(columns=compare.GENDER_COLUMNS)
    if "src_n_female" not in features.columns:
        return empty, "features.csv has no src_n_female (run the sources measure)"
    if time not in features.columns:
        return empty, f"features.csv has no column `{time}`"
    return compare.women_quoted(features, by, time=time, period=period or args.period,
                                date_format=getattr(args, "date_format", None), **kw), ""


def _source_shares(features: pd.DataFrame, by: str, path: Path, study,
                   kw: dict) -> tuple[pd.DataFrame, list[str], str]:
    """The shares by source type and by source affiliation as one table (column
    ``variable``), the folded countries, and why the table is empty."""
    columns = ["variable", *compare.SHARE_COLUMNS]
    if not path.is_file():
        return pd.DataFrame(columns=columns), [], f"no {path.name} in {path.parent}"
    attributions = read_table(path)
    if attributions.empty:
        return pd.DataFrame(columns=columns), [], f"{path.name} has no attribution"
    parts = [compare.source_shares(attributions, features, by, column="source_type", **kw)
             .assign(variable="source_type")]
    folded = []
    if "source_affiliation" in attributions:
        folded_table, folded = _fold(attributions, features, study, MAX_COUNTRIES)
        parts.append(compare.source_shares(folded_table, features, by,
                                           column="source_affiliation", **kw)
                     .assign(variable="source_affiliation"))
    if parts[0].empty:
        return (pd.DataFrame(columns=columns), folded,
                "no attribution belongs to an article of features.csv")
    return pd.concat([p for p in parts if len(p)], ignore_index=True)[columns], folded, ""


def _fold(attributions: pd.DataFrame, features: pd.DataFrame, study, max_countries: int):
    """Attributions with the countries beyond ``max_countries`` (ranked by the attributions of
    the articles in ``features``) as one :data:`~analysis.figures.FOLDED` affiliation, and the
    folded countries."""
    ids = set(features["article_id"].astype(str).str.strip())
    inside = attributions["article_id"].astype(str).str.strip().isin(ids).to_numpy()
    _, _, folded = fold_affiliations(attributions.loc[inside, "source_affiliation"], study,
                                     max_countries)
    values = attributions["source_affiliation"]
    return (attributions.assign(source_affiliation=values.where(
        ~values.astype(str).str.strip().isin(folded), FOLDED)), folded)
