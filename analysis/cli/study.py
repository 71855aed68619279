"""``python -m analysis study``: check a study file and print what it declares.

``make`` asks this command for a study's defaults (``--get groups``, ``--get pair_by``,
``--get time``) instead of reading the YAML itself, so any YAML form the study reader accepts
works, block or flow style. It runs when make reads the Makefile, so it is kept light: it
imports the study reader only (PyYAML, the country names), never pandas or spaCy, and is
parsed without the full parser (:data:`analysis.cli.LIGHT`).

``--inputs-hash CORPUS`` prints one SHA-256 of the corpus content and of every file the study
reads (:func:`analysis.inputs_hash.inputs_sha256`): make keeps it in
``$(PROCESSED)/.make-inputs`` and reruns the features when it changes. ``--files`` lists the
files the study reads.
"""

from __future__ import annotations

import argparse

from ..config import display_path
from ..inputs_hash import inputs_sha256, study_files
from ..study import Study, load_study

KEYS = ("groups", "pair_by", "time")  # the defaults --get prints


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``study`` to a parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser or subparser to add ``file`` and ``--get`` to.

    Returns
    -------
    None
    """
    p.add_argument("file", metavar="FILE",
                   help="the study file; '' or 'none': no study (every default is empty)")
    p.add_argument("--get", choices=KEYS, default=None,
                   help="print one default and nothing else: groups (the first of the "
                        "study's groups, the default GROUP_BY), pair_by or time; an empty "
                        "line when the study has none")
    p.add_argument("--files", action="store_true",
                   help="list every file the study reads (itself, topic terms, frame "
                        "additions, registry), one a line")
    p.add_argument("--inputs-hash", metavar="CORPUS", default=None,
                   help="print one SHA-256 of the corpus content and of every file the study "
                        "reads (an unreadable study: of its bytes); what make's "
                        ".make-inputs holds")


def default(study: Study, key: str) -> str:
    """One default of a study as make uses it: ``groups`` is the first group.

    Parameters
    ----------
    study : Study
    key : str
        One of :data:`KEYS`.

    Returns
    -------
    str
        The column name, or ``""`` when the study names none.

    Examples
    --------
    >>> from analysis.study import parse_study
    >>> s = parse_study("groups:\\n  - outlet\\n  - genre\\ntime: published")
    >>> default(s, "groups"), default(s, "pair_by"), default(s, "time")
    ('outlet', '', 'published')
    """
    if key == "groups":
        return study.groups[0] if study.groups else ""
    return getattr(study, key) or ""


def describe(study: Study) -> list[str]:
    """Lines that say what a study declares (the output of ``study FILE``)."""
    if not study.source:
        return ["no study: sources are tied to the countries they speak for; no topic term, "
                "no frame addition, no registry, no default grouping"]
    actors = ", ".join(f"{a.key} ({a.label})" for a in study.actors) or \
        "none (sources are tied to countries)"
    additions = ", ".join(display_path(d) for d in study.dictionaries) or "none"
    registry = display_path(study.registry) if study.registry else "none"
    return [f"{study.source}{f': {study.title}' if study.title else ''}",
            f"actors: {actors}",
            f"topic terms: {len(study.topic_terms)}; frame additions: {additions}; "
            f"registry: {registry}",
            f"groups: {', '.join(study.groups) or 'none'}; pair_by: {study.pair_by or 'none'}; "
            f"time: {study.time or 'none'}"]


def run(args) -> int:
    """Read and check the study; print one default (``--get``) or a summary.

    Parameters
    ----------
    args : argparse.Namespace
        ``file`` (the study) and ``get`` (a key of :data:`KEYS`, or None).

    Returns
    -------
    int
        0. A bad study raises :class:`~analysis.study.StudyError` (exit code 2, one line
        naming the file and line).

    Examples
    --------
    >>> from analysis.cli import main
    >>> main(["study", "data/study.yml", "--get", "groups"])  # doctest: +SKIP
    genre
    0
    """
    if getattr(args, "inputs_hash", None) is not None:
        print(inputs_sha256(args.inputs_hash, args.file))
        return 0
    if getattr(args, "files", False):
        for path in study_files(args.file):
            print(path)
        return 0
    study = load_study(args.file)
    if args.get:
        print(default(study, args.get))
    else:
        print("\n".join(describe(study)))
    return 0
