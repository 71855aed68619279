"""The user's source registry: fixed types and affiliations for named sources.

The study's registry (``registry:`` in the study file, e.g. ``data/sources.csv``), or the file
given with ``--registry``, has the header
``name,type,affiliation,note`` and one source a line; an entry overrides what the text says
about that source (:func:`analysis.measures.sources.resolve.resolve_sources` looks every source up).
``type`` is one of :data:`~analysis.measures.sources.lexicons.TYPES`; ``affiliation`` is a key, not a
label: one of the study's affiliations (``study.affiliations``: its actor keys, ``other``,
``multiple``, ``unknown``), or, when the study declares no actors, a country key of
:mod:`analysis.countries` (``france``) or ``other``/``multiple``/``unknown``. Either may be
left empty to keep the guess from the text for that field; a line whose name starts with ``#``
is a comment. :func:`load_registry` checks the file and names the line, the bad value and the
allowed values of any problem.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from ...config import display_path
from ...errors import LexiconError
from ...study import Study, resolve_study
from .lexicons import TYPES
from .vocabulary import RESERVED, norm_name, vocabulary

__all__ = ["REGISTRY_COLUMNS", "RegistryError", "RegistryEntry", "Registry", "load_registry",
           "norm_name"]

REGISTRY_COLUMNS = ["name", "type", "affiliation", "note"]


class RegistryError(LexiconError):
    """The source registry is malformed; the message names the file, line and problem."""


@dataclass(frozen=True)
class RegistryEntry:
    """One source of the registry.

    Parameters
    ----------
    name : str
        The source's name as the registry spells it (its canonical name in the output).
    type : str
        One of :data:`~analysis.measures.sources.lexicons.TYPES`, or ``""`` to keep the guess.
    affiliation : str
        An affiliation key of the study (see the module docstring), or ``""`` to keep the
        guess.
    note : str
        Free text for the reader; not used.
    line : int
        Line of the registry file (1-based).
    """

    name: str
    type: str
    affiliation: str
    note: str
    line: int


class Registry:
    """User-editable source registry: ``name, type, affiliation, note`` (CSV, header row).

    ``type`` and ``affiliation`` may be left empty to keep the automatic guess for that field.
    A name matches a source's canonical name or any of its mentions, ignoring case and a
    leading "the"; a person's surname alone matches when one registry person has it.

    Parameters
    ----------
    entries : list of RegistryEntry, optional
        The sources; none gives an empty registry (every source classified from the text).
    path : str, default ""
        Where the entries were read, for messages.

    Examples
    --------
    >>> reg = Registry([RegistryEntry("Ana Ruiz", "government official", "council", "", 2)])
    >>> reg.lookup(["Ruiz"], surname="ruiz").name
    'Ana Ruiz'
    """

    def __init__(self, entries: list[RegistryEntry] | None = None, path: str = ""):
        self.entries = list(entries or [])
        self.path = path
        self._by_name = {norm_name(e.name): e for e in self.entries}
        surnames: dict[str, list[RegistryEntry]] = {}
        for e in self.entries:
            words = e.name.split()
            if len(words) >= 2:
                surnames.setdefault(words[-1].lower(), []).append(e)
        self._by_surname = {k: v[0] for k, v in surnames.items() if len(v) == 1}

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, names: list[str], surname: str = "") -> RegistryEntry | None:
        """The entry of a source, or None.

        Parameters
        ----------
        names : list of str
            The source's names (canonical name, mentions), tried in order.
        surname : str, default ""
            A person's surname, tried last.

        Returns
        -------
        RegistryEntry or None
        """
        for n in names:
            e = self._by_name.get(norm_name(n))
            if e is not None:
                return e
        if surname:
            return self._by_surname.get(surname.lower())
        return None


def _allowed_text(allowed: tuple[str, ...], countries: bool, bad: str) -> str:
    """The allowed affiliations for a message (a country study: a hint, not 250 keys)."""
    if not countries:
        return f"one of: {', '.join(allowed)}"
    near = difflib.get_close_matches(bad.lower(), allowed, n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return (f"a country key of analysis.countries such as france or south_korea, or one of: "
            f"{', '.join(RESERVED)}{hint}")


def load_registry(path: str | Path | None = None, study: Study | str | Path | None = None
                  ) -> Registry:
    """Read and check a registry CSV.

    Parameters
    ----------
    path : str or Path, optional
        The registry. Default: the study's registry (``study.registry``), and an empty
        registry when the study names none (a path given must exist).
    study : Study, str, Path or None
        The study whose affiliations the ``affiliation`` column must use (resolved with
        :func:`analysis.study.resolve_study`: None is the empty study).

    Returns
    -------
    Registry

    Raises
    ------
    RegistryError
        Naming the file, line and problem: wrong header, wrong number of fields, empty name,
        unknown type or affiliation (with the bad value and the allowed ones), a name given
        twice, not UTF-8, no such file.

    Examples
    --------
    >>> from analysis.study import parse_study
    >>> len(load_registry(study=parse_study("actors: {council: {words: [council]}}")))
    0
    """
    study = resolve_study(study)
    if path is None:
        if study.registry is None:
            return Registry()
        path = study.registry
    path = Path(path)
    label = display_path(path)
    if not path.exists():
        raise RegistryError(f"{label}: no such source registry")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RegistryError(f"{label}: not valid UTF-8 (byte {err.start}); "
                            "re-save the registry as UTF-8") from None
    vocab = vocabulary(study)
    allowed = set(vocab.allowed)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != REGISTRY_COLUMNS:
        got = ",".join(rows[0]) if rows else "(empty file)"
        raise RegistryError(f"{label}, line 1: header must be "
                            f"'{','.join(REGISTRY_COLUMNS)}', got '{got}'")
    entries, seen = [], {}
    for ln, row in enumerate(rows[1:], start=2):
        if not row or not any(c.strip() for c in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        if len(row) != len(REGISTRY_COLUMNS):
            raise RegistryError(f"{label}, line {ln}: {len(row)} fields, expected "
                                f"{len(REGISTRY_COLUMNS)} (name,type,affiliation,note); "
                                "quote a field that contains a comma")
        name, typ, aff, note = (c.strip() for c in row)
        if not name:
            raise RegistryError(f"{label}, line {ln}: empty name")
        if typ and typ not in TYPES:
            raise RegistryError(f"{label}, line {ln}: unknown type '{typ}' for '{name}' "
                                f"(one of: {', '.join(TYPES)})")
        if aff and aff not in allowed:
            raise RegistryError(f"{label}, line {ln}: unknown affiliation '{aff}' for "
                                f"'{name}' ({_allowed_text(vocab.allowed, vocab.countries, aff)})")
        key = norm_name(name)
        if key in seen:
            raise RegistryError(f"{label}, line {ln}: '{name}' is already on line {seen[key]}")
        seen[key] = ln
        entries.append(RegistryEntry(name, typ, aff, note, ln))
    return Registry(entries, label)
