"""The one loader of the package's word lists and rule tables (``analysis/lexicons/``,
``analysis/rules/``) and of the study's files.

Every list the measures use is read here: tone, emphasis, sources, attribution and cleaning
call these functions, never ``open`` or ``importlib.resources`` themselves. Three formats:

* **word lists** (``.txt``, :func:`read_entries`): UTF-8, one entry per line, lower case,
  ``#`` starts a comment, an entry may have several words;
* **rule tables** (``.tsv``, :func:`read_table`): a header line naming the columns, then one
  tab-separated row per line; lines starting with ``#`` and blank lines are skipped;
* **dictionaries** (quanteda-style YAML, LIWC ``.dic``, TSV ``category<TAB>pattern``,
  :func:`read_dictionary`), parsed by :mod:`analysis.dictionaries.formats`.

A malformed file raises :class:`~analysis.errors.LexiconError` (or its subclass
``DictionaryError``) naming the file and line.
"""

from __future__ import annotations

import re
from importlib import resources

from .dictionaries.formats import Dictionary, parse_dictionary
from .errors import LexiconError

__all__ = ["LexiconError", "package_text", "parse_entries", "read_dictionary", "read_entries",
           "read_table"]


def package_text(relpath: str) -> tuple[str, str]:
    """Text of the package file ``analysis/<relpath>`` and its label for error messages.

    Parameters
    ----------
    relpath : str
        Path inside the package, e.g. ``"lexicons/caution.txt"``.

    Returns
    -------
    (text, label) : tuple of str
    """
    res = resources.files("analysis").joinpath(*relpath.split("/"))
    label = f"analysis/{relpath}"
    if not res.is_file():
        raise LexiconError(f"{label}: no such lexicon")
    return res.read_text(encoding="utf-8"), label


def _lexicon_path(name: str) -> str:
    return name if "/" in name else f"lexicons/{name}"


def read_entries(filename: str, pattern: re.Pattern | None = None,
                 what: str = "allowed characters") -> tuple[str, ...]:
    """Entries of a word list, in file order, spaces normalised.

    Parameters
    ----------
    filename : str
        A file of ``analysis/lexicons/`` (or a path inside the package, ``rules/x.txt``).
    pattern : re.Pattern, optional
        Every entry must match it.
    what : str
        How the pattern is described in an error message.

    Returns
    -------
    tuple of str
        Every entry lower case and once; otherwise :class:`LexiconError` names the line.

    Examples
    --------
    >>> "caution" in read_entries("caution.txt")
    True
    """
    return parse_entries(*package_text(_lexicon_path(filename)), pattern=pattern, what=what)


def parse_entries(text: str, label: str, pattern: re.Pattern | None = None,
                  what: str = "allowed characters") -> tuple[str, ...]:
    """Entries of the text of a word list (the format of :func:`read_entries`), e.g. a study's
    topic terms; ``label`` names the file in error messages.

    Examples
    --------
    >>> parse_entries("# comment\\nstrike\\nwalk out  # two words\\n", "terms.txt")
    ('strike', 'walk out')
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for ln, line in enumerate(text.splitlines(), start=1):
        entry = " ".join(line.split("#", 1)[0].split())
        if not entry:
            continue
        if entry != entry.lower():
            raise LexiconError(f"{label}, line {ln}: '{entry}' is not lower case")
        if pattern is not None and not pattern.match(entry):
            raise LexiconError(f"{label}, line {ln}: '{entry}' has characters other than {what}")
        if entry in seen:
            raise LexiconError(f"{label}, line {ln}: '{entry}' repeats line {seen[entry]}")
        seen[entry] = ln
        out.append(entry)
    return tuple(out)


def read_table(filename: str, columns: list[str], *, lower_keys: bool = True,
               text: str | None = None, label: str | None = None) -> list[tuple[int, dict]]:
    """Rows of a tab-separated rule table with a header line.

    Parameters
    ----------
    filename : str
        A file of ``analysis/lexicons/`` (or a path inside the package, ``rules/x.tsv``).
    columns : list of str
        The header the file must have, in order. The first column is the key: unique and,
        with ``lower_keys``, lower case.
    lower_keys : bool, default True
        Require lower-case keys (word tables); False for tables keyed by a rule name.
    text, label : str, optional
        Parse this text instead of reading the package file (a study's own table);
        ``label`` names it in error messages.

    Returns
    -------
    list of (line, row)
        ``row`` maps each column to its stripped field; ``line`` is 1-based.
    """
    if text is None:
        text, label = package_text(_lexicon_path(filename))
    label = label or filename
    lines = [(ln, line) for ln, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines or lines[0][1].split("\t") != columns:
        raise LexiconError(f"{label}: the header must be {' TAB '.join(columns)}")
    out, seen = [], {}
    for ln, line in lines[1:]:
        parts = line.split("\t")
        if len(parts) != len(columns):
            raise LexiconError(f"{label}, line {ln}: {len(parts)} fields, expected "
                               f"{len(columns)} (tab-separated)")
        row = dict(zip(columns, (p.strip() for p in parts)))
        key = row[columns[0]]
        if lower_keys and key != key.lower():
            raise LexiconError(f"{label}, line {ln}: '{key}' is not lower case")
        if key in seen:
            raise LexiconError(f"{label}, line {ln}: '{key}' repeats line {seen[key]}")
        seen[key] = ln
        out.append((ln, row))
    return out


def read_dictionary(filename: str) -> Dictionary:
    """A category dictionary of the package, parsed by the reader its suffix names.

    Parameters
    ----------
    filename : str
        A file of ``analysis/lexicons/`` (or a path inside the package): quanteda-style YAML
        (``.yml``), LIWC (``.dic``) or a ``category<TAB>pattern`` table (``.tsv``).

    Returns
    -------
    Dictionary
        Its categories in file order; the patterns name ``analysis/<path>`` as their source.
        A malformed file raises :class:`~analysis.dictionaries.DictionaryError` with its line.

    Examples
    --------
    >>> frames = read_dictionary("frames.yml")
    >>> list(frames.categories)[:3]
    ['technology', 'economics', 'history']
    """
    text, label = package_text(_lexicon_path(filename))
    return parse_dictionary(text, label)
