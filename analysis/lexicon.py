"""Reading the package's word lists (``analysis/lexicons/*.txt``), one code path for all.

Format: UTF-8, one entry per line, lower case, ``#`` starts a comment, an entry may have several
words. A malformed list raises :class:`LexiconError` naming the file and line.
"""

from __future__ import annotations

import re
from importlib import resources

from .errors import LexiconError

__all__ = ["LexiconError", "read_entries"]


def read_entries(filename: str, pattern: re.Pattern | None = None,
                 what: str = "allowed characters") -> tuple[str, ...]:
    """Entries of ``analysis/lexicons/<filename>`` in file order, spaces normalised.

    Every entry must be lower case and appear once; with ``pattern``, it must also match it
    (``what`` describes the pattern in the error message)."""
    res = resources.files("analysis").joinpath("lexicons", filename)
    label = f"analysis/lexicons/{filename}"
    if not res.is_file():
        raise LexiconError(f"{label}: no such lexicon")
    out: list[str] = []
    seen: dict[str, int] = {}
    for ln, line in enumerate(res.read_text(encoding="utf-8").splitlines(), start=1):
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
