"""Reading category dictionaries: three file formats, one :class:`Dictionary`.

Formats (chosen by the file suffix):

* ``.yml`` / ``.yaml`` -- a quanteda-style YAML dictionary: a mapping from category keys to a
  list of patterns (or a single pattern, without commas: ``"a, b"`` is refused as a list
  written as text); a value may itself be a mapping (nested keys), whose
  patterns all count for the top-level key (quanteda's ``levels = 1``).
* ``.dic`` -- a LIWC dictionary: a header between two ``%`` lines (``<number> <category>``), then
  one ``<pattern> <number> [<number> ...]`` line per pattern (tab or space separated).
* ``.tsv`` / ``.tab`` / ``.txt`` (tab separated) or ``.csv`` (comma separated) -- one
  ``category, pattern`` pair per line; an optional header ``category, pattern``; ``#`` comments.

A pattern is one or more words; ``*`` matches any run of characters and ``?`` one character
within a word (``econom*``); :mod:`analysis.dictionaries.matcher` finds them in texts. Category
keys become column names (:func:`normalise_key`). A malformed file raises
:class:`DictionaryError` (a :class:`~analysis.errors.LexiconError`) naming file, line, problem.

YAML aliases (``*name``, including merge keys ``<<: *name``) are refused, at the line of the
first one, before anything is expanded: an alias repeats a whole subtree, so a few hundred
bytes of nested aliases (a "billion laughs" file) stand for billions of patterns and would
take minutes and gigabytes to read. Counting expansions against a limit would keep small
legitimate uses working, but a word list has little use for aliases (the patterns can be
written out) and a flat rule is easier to explain and to trust than a limit. Reading a
dictionary is linear in its size: a repeated pattern is found with a set, not by comparing
it with every pattern of its category. (:mod:`analysis.lexicon` reads the package's own
dictionaries with these readers, so this module must not import it.)
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import LexiconError
from ..safe_yaml import compose_yaml

__all__ = ["DictionaryError", "Pattern", "Dictionary", "load_dictionary", "parse_dictionary",
           "parse_yaml", "parse_liwc", "parse_table", "normalise_key", "check_pattern",
           "WILDCARD"]

YAML_SUFFIXES = (".yml", ".yaml")
LIWC_SUFFIXES = (".dic",)
TAB_SUFFIXES = (".tsv", ".tab", ".txt")
CSV_SUFFIXES = (".csv",)
WILDCARD = re.compile(r"[*?]")  # the wildcard characters of a pattern word
_KEY_RE = re.compile(r"_+")


class DictionaryError(LexiconError):
    """A malformed dictionary file: ``str(err)`` is ``<file>:<line>: <problem>``."""

    def __init__(self, source: str, line: int | None, problem: str):
        self.source, self.line, self.problem = str(source), line, problem
        where = f"{self.source}:{line}" if line else self.source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Pattern:
    """One dictionary entry as written (``text``) for one category, with where it came from."""

    category: str
    text: str
    source: str
    line: int


@dataclass
class Dictionary:
    """A parsed dictionary: categories in file order, each with its patterns."""

    source: str
    categories: dict[str, list[Pattern]] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # line where each key is defined
    # Per category, the texts of its patterns (so a repeat is found in O(1)).
    _texts: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, key: str, text: str, line: int) -> None:
        """Add pattern ``text`` (spaces normalised, lower case) to category ``key``, unless
        the category has it already; see :func:`check_pattern` for the patterns refused."""
        text = " ".join(str(text).split()).lower()
        check_pattern(text, self.source, line)
        pats = self.categories.setdefault(key, [])
        texts = self._texts.get(key)
        if texts is None or len(texts) != len(pats):  # the list was set from outside
            texts = self._texts[key] = {p.text for p in pats}
        if text not in texts:  # a repeated pattern is counted once
            texts.add(text)
            pats.append(Pattern(key, text, self.source, line))


def normalise_key(raw, source: str, line: int | None) -> str:
    """The column-name form of a category key.

    Parameters
    ----------
    raw : object
        The key as written in the file.
    source, line : str, int or None
        File and line named in an error message.

    Returns
    -------
    str
        ``raw`` in Unicode NFC, lower-cased, each run of characters that are not letters,
        decimal digits or combining marks (in any script) turned into ``_``, no ``_`` at either end
        (``"Tech Stuff!"`` -> ``tech_stuff``, ``"Οικονομία"`` -> ``οικονομία``). A key with no
        letter or digit raises :class:`DictionaryError`.

    Notes
    -----
    Keys are kept in their own script, not transliterated: a transliteration table would be
    one more thing to trust and two Greek keys could fall on one Latin spelling. The column
    ``emph_<key>`` stays safe: it holds only letters, digits, marks and ``_`` (no space,
    separator, quote, control or direction character; every character matches ``\\w``), so
    CSV, Parquet and pandas take it as it is. An ASCII key gives what it always gave.
    """
    text = unicodedata.normalize("NFC", str(raw).strip()).lower()
    kept = "".join(c if c.isalpha() or c.isdecimal() or unicodedata.category(c).startswith("M")
                   else "_" for c in text)
    key = _KEY_RE.sub("_", kept).strip("_")
    if not key or not any(c.isalpha() or c.isdecimal() for c in key):
        raise DictionaryError(source, line, f"category key {str(raw)!r} has no letters or digits")
    return key


def check_pattern(text: str, source: str, line: int | None) -> None:
    """Refuse an empty pattern and one with a word made only of wildcards.

    Parameters
    ----------
    text : str
        The pattern, spaces already normalised.
    source, line : str, int or None
        File and line named in an error message.

    Raises
    ------
    DictionaryError
        When ``text`` is empty or a word of it is only ``*``, ``?`` and hyphens.
    """
    if not text:
        raise DictionaryError(source, line, "empty pattern")
    for word in text.split():
        if not WILDCARD.sub("", word).strip("-"):
            raise DictionaryError(source, line, f"pattern {text!r}: the word {word!r} is only "
                                  "wildcards and would match every word")


# --------------------------------------------------------------------------- readers


def _check_suffix(suffix: str, path) -> None:
    if suffix not in YAML_SUFFIXES + LIWC_SUFFIXES + TAB_SUFFIXES + CSV_SUFFIXES:
        raise DictionaryError(path, None, f"unknown dictionary format {suffix or '(no suffix)'!r}"
                              "; use .yml/.yaml (quanteda), .dic (LIWC), .tsv or .csv")


def parse_dictionary(text: str, source: str, suffix: str | None = None) -> Dictionary:
    """Parse dictionary text with the reader its suffix names.

    Parameters
    ----------
    text : str
        The whole file, decoded.
    source : str
        Where the text comes from: named in error messages, kept on each pattern.
    suffix : str, optional
        The format, as a file suffix (``".yml"``, ``".dic"``, ``".tsv"``, ``".csv"``, ...);
        by default the suffix of ``source``.

    Returns
    -------
    Dictionary
        Its categories in file order (possibly none: :func:`load_dictionary` refuses that).

    Examples
    --------
    >>> d = parse_dictionary("trade: [tariff*, free trade]", "my.yml")
    >>> [p.text for p in d.categories["trade"]]
    ['tariff*', 'free trade']
    """
    suffix = (Path(source).suffix if suffix is None else suffix).lower()
    _check_suffix(suffix, source)
    if suffix in YAML_SUFFIXES:
        return parse_yaml(text, source)
    if suffix in LIWC_SUFFIXES:
        return parse_liwc(text, source)
    return parse_table(text, source, delimiter="," if suffix in CSV_SUFFIXES else "\t")


def load_dictionary(path: str | Path) -> Dictionary:
    """Read one user dictionary file, in the format its suffix names.

    Parameters
    ----------
    path : str or Path
        A ``.yml``/``.yaml`` (quanteda), ``.dic`` (LIWC), ``.tsv``/``.tab``/``.txt`` or
        ``.csv`` file, UTF-8 (a byte-order mark is allowed).

    Returns
    -------
    Dictionary
        At least one category with patterns. An unknown suffix, a missing or non-UTF-8 file
        and every malformed line raise :class:`DictionaryError` naming the file and line.

    Examples
    --------
    >>> d = load_dictionary("my_frames.yml")  # doctest: +SKIP
    >>> list(d.categories)  # doctest: +SKIP
    ['economy', 'tech_stuff']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    _check_suffix(suffix, path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DictionaryError(path, None, "no such file") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        raise DictionaryError(path, line, "not valid UTF-8; re-save the file as UTF-8") from None
    d = parse_dictionary(text, str(path), suffix)
    if not d.categories:
        raise DictionaryError(path, None, "no categories with patterns")
    return d


def parse_yaml(text: str, source: str = "<yaml>") -> Dictionary:
    """Parse a quanteda-style YAML dictionary (format: see the module docstring).

    Parameters
    ----------
    text, source : str
        The file's text, and its name for error messages.

    Returns
    -------
    Dictionary
        Categories in file order; a key defined twice or without patterns raises
        :class:`DictionaryError` at its line.
    """
    root = compose_yaml(text, source, DictionaryError)
    d = Dictionary(source)
    if root is None:
        return d
    if not isinstance(root, yaml.MappingNode):
        raise DictionaryError(source, root.start_mark.line + 1,
                              "the top level must be a mapping of category keys to patterns")
    for knode, vnode in _pairs(root, source):
        key = normalise_key(knode.value, source, knode.start_mark.line + 1)
        if key in d.categories:
            raise DictionaryError(source, knode.start_mark.line + 1,
                                  f"category {key!r} is defined twice (first on line "
                                  f"{d.key_lines[key]})")
        d.key_lines[key] = knode.start_mark.line + 1
        before = 0
        d.categories[key] = []
        _collect(vnode, key, d, source)
        if len(d.categories[key]) == before:
            raise DictionaryError(source, knode.start_mark.line + 1,
                                  f"category {key!r} has no patterns")
    return d


def _pairs(node: yaml.MappingNode, source: str):
    seen: dict[str, int] = {}
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise DictionaryError(source, knode.start_mark.line + 1, "a key must be plain text")
        line = knode.start_mark.line + 1
        if knode.value in seen:
            raise DictionaryError(source, line, f"key {knode.value!r} repeated (first on line "
                                  f"{seen[knode.value]})")
        seen[knode.value] = line
        yield knode, vnode


def _collect(node, key: str, d: Dictionary, source: str) -> None:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" or node.value == "":
            raise DictionaryError(source, line, f"category {key!r}: empty value (expected a "
                                  "pattern, a list of patterns or nested keys)")
        if "," in node.value:
            # "trade, tariff*, jobs" is one pattern that matches nothing, silently
            raise DictionaryError(source, line, f"category {key!r}: {node.value!r} is one "
                                  f"pattern with commas; write a list: [{node.value}]")
        d.add(key, node.value, line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise DictionaryError(source, item.start_mark.line + 1,
                                      f"category {key!r}: list items must be patterns (text), "
                                      "not lists or mappings")
            if item.tag == "tag:yaml.org,2002:null" or item.value.strip() == "":
                raise DictionaryError(source, item.start_mark.line + 1,
                                      f"category {key!r}: empty pattern")
            d.add(key, item.value, item.start_mark.line + 1)
    elif isinstance(node, yaml.MappingNode):
        for _k, v in _pairs(node, source):
            _collect(v, key, d, source)
    else:  # pragma: no cover - yaml has no other node kinds
        raise DictionaryError(source, line, "unexpected YAML node")


def parse_liwc(text: str, source: str = "<dic>") -> Dictionary:
    """Parse a LIWC ``.dic`` dictionary (format: see the module docstring).

    Parameters
    ----------
    text, source : str
        The file's text, and its name for error messages.

    Returns
    -------
    Dictionary
        The header's categories that have patterns, in header order.
    """
    d = Dictionary(source)
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        raise DictionaryError(source, i + 1 if i < len(lines) else None,
                              "a LIWC .dic file must start with a '%' line, then the "
                              "categories, then another '%' line")
    ids: dict[str, str] = {}
    i += 1
    while True:
        if i >= len(lines):
            raise DictionaryError(source, i, "the category header is not closed by a '%' line")
        raw = lines[i].strip()
        i += 1
        if not raw:
            continue
        if raw == "%":
            break
        parts = raw.split(None, 1)
        if len(parts) != 2 or not parts[0].isdigit():
            raise DictionaryError(source, i, f"category header line {raw!r} must be "
                                  "'<number> <category name>'")
        if parts[0] in ids:
            raise DictionaryError(source, i, f"category number {parts[0]} defined twice")
        key = normalise_key(parts[1], source, i)
        if key in d.key_lines:
            raise DictionaryError(source, i, f"category {key!r} defined twice (first on line "
                                  f"{d.key_lines[key]})")
        ids[parts[0]] = key
        d.key_lines[key] = i
    if not ids:
        raise DictionaryError(source, i, "no categories between the '%' lines")
    for key in ids.values():
        d.categories[key] = []
    for n in range(i, len(lines)):
        raw = lines[n].strip()
        if not raw or raw.startswith("#"):
            continue
        if "\t" in raw:
            fields = [f.strip() for f in raw.split("\t") if f.strip()]
            word, nums = fields[0], " ".join(fields[1:]).split()
        else:
            toks = raw.split()
            k = len(toks)
            while k > 0 and toks[k - 1].isdigit():
                k -= 1
            word, nums = " ".join(toks[:k]), toks[k:]
        if not word:
            raise DictionaryError(source, n + 1, f"line {raw!r} has no pattern before the "
                                  "category numbers")
        if not nums:
            raise DictionaryError(source, n + 1, f"pattern {word!r} has no category number")
        for num in nums:
            if not num.isdigit():
                raise DictionaryError(source, n + 1, f"pattern {word!r}: category {num!r} is "
                                      "not a number")
            if num not in ids:
                raise DictionaryError(source, n + 1, f"pattern {word!r}: category number "
                                      f"{num} is not in the header")
            d.add(ids[num], word, n + 1)
    for key in list(d.categories):
        if not d.categories[key]:
            del d.categories[key]
    return d


def parse_table(text: str, source: str = "<tsv>", delimiter: str = "\t") -> Dictionary:
    """Parse a table of ``category<delimiter>pattern`` lines (optional header, ``#`` comments).

    Parameters
    ----------
    text, source : str
        The file's text, and its name for error messages.
    delimiter : str, default tab
        ``","`` reads the fields as CSV (quotes allowed).

    Returns
    -------
    Dictionary
        Categories in order of first appearance.
    """
    d = Dictionary(source)
    first = True
    name = "tab" if delimiter == "\t" else repr(delimiter)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = next(csv.reader([line], delimiter=delimiter)) if delimiter != "\t" \
            else line.split("\t")
        fields = [f.strip() for f in fields]
        if first and [f.lower() for f in fields] == ["category", "pattern"]:
            first = False
            continue
        first = False
        if len(fields) != 2:
            raise DictionaryError(source, n, f"expected 2 {name}-separated fields "
                                  f"(category, pattern), found {len(fields)}")
        if not fields[0]:
            raise DictionaryError(source, n, "empty category")
        if not fields[1]:
            raise DictionaryError(source, n, "empty pattern")
        key = normalise_key(fields[0], source, n)
        d.key_lines.setdefault(key, n)
        d.add(key, fields[1], n)
    return d
