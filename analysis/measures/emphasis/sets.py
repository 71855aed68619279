"""The built-in frame sets: which frames an emphasis run scores, and their column keys.

Three sets ship with the package, each a dictionary of ``analysis/lexicons/``:

* ``default`` (``frames.yml``): the project's thematic frames, technology ... human cost;
  columns ``emph_<frame>``.
* ``pfc`` (``frames_pfc.yml``): the 14 substantive frames of the Policy Frames Codebook
  (Boydstun, Card, Gross, Resnik & Smith 2014); columns ``emph_pfc_<frame>``.
* ``sv`` (``frames_sv.yml``): the five generic news frames of Semetko & Valkenburg (2000);
  columns ``emph_sv_<frame>``.

A run scores the sets it is given (``--frames pfc,sv``, ``frames:`` in the study file,
``FRAMES=`` in make), ``default`` when none is given. A frame's *key* is its name with the
set's prefix (``pfc_economic``): the key of its columns, of its evidence rows and of a study's
additions to it.

References: Boydstun, A. E., Card, D., Gross, J. H., Resnik, P., & Smith, N. A. (2014).
Tracking the development of media frames within and across policy issues. APSA 2014 Annual
Meeting Paper. Semetko, H. A., & Valkenburg, P. M. (2000). Framing European politics: A content
analysis of press and television news. Journal of Communication, 50(2), 93-109.

Examples
--------
>>> parse_frame_sets("pfc, sv")
('pfc', 'sv')
>>> frame_keys(("sv",))[:2]
('sv_responsibility', 'sv_human_interest')
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

from ... import lexicon
from ...dictionaries import Dictionary, DictionaryError
from ...errors import AnalysisError

__all__ = ["FRAMES", "PFC_FRAMES", "SV_FRAMES", "FrameSet", "FRAME_SETS", "DEFAULT_SETS",
           "FrameSetError", "parse_frame_sets", "frame_keys", "set_dictionary",
           "frames_in_columns"]

FRAMES = ("technology", "economics", "history", "security", "diplomacy", "law_sovereignty",
          "human_cost")
PFC_FRAMES = ("economic", "capacity_resources", "morality", "fairness_equality", "legality",
              "policy_prescription", "crime_punishment", "security_defense", "health_safety",
              "quality_of_life", "cultural_identity", "public_opinion", "political",
              "external_regulation")
SV_FRAMES = ("responsibility", "human_interest", "conflict", "morality", "economic")


@dataclass(frozen=True)
class FrameSet:
    """A built-in frame set: its name, its dictionary file, its frames and column prefix."""

    name: str
    file: str
    frames: tuple[str, ...]
    prefix: str
    title: str

    @property
    def keys(self) -> tuple[str, ...]:
        """The frames' keys: ``prefix + frame`` (the ``emph_<key>`` columns)."""
        return tuple(self.prefix + f for f in self.frames)


FRAME_SETS = {
    "default": FrameSet("default", "frames.yml", FRAMES, "", "thematic frames"),
    "pfc": FrameSet("pfc", "frames_pfc.yml", PFC_FRAMES, "pfc_", "Policy Frames Codebook"),
    "sv": FrameSet("sv", "frames_sv.yml", SV_FRAMES, "sv_", "generic news frames"),
}
DEFAULT_SETS = ("default",)


class FrameSetError(AnalysisError):
    """A frame set name that is not built in."""


def parse_frame_sets(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The frame sets a run scores, from ``"pfc,sv"`` or a list; :data:`DEFAULT_SETS` when
    empty. Raises :class:`FrameSetError` naming the unknown set and the choices."""
    if value is None:
        return DEFAULT_SETS
    items = value.split(",") if isinstance(value, str) else list(value)
    names = tuple(dict.fromkeys(str(v).strip().lower() for v in items if str(v).strip()))
    unknown = [n for n in names if n not in FRAME_SETS]
    if unknown:
        raise FrameSetError(f"unknown frame set(s): {', '.join(unknown)}; built-in sets: "
                            f"{', '.join(FRAME_SETS)}")
    return names or DEFAULT_SETS


def frame_keys(sets: Sequence[str] = DEFAULT_SETS) -> tuple[str, ...]:
    """The keys of the built-in frames of ``sets``, set by set in file order."""
    return tuple(k for s in sets for k in FRAME_SETS[s].keys)


@lru_cache(maxsize=None)
def set_dictionary(name: str) -> Dictionary:
    """The dictionary of one built-in set, its categories renamed to the set's keys.

    Raises :class:`DictionaryError` when the file's frames are not the set's, in order."""
    fs = FRAME_SETS[name]
    d = lexicon.read_dictionary(fs.file)
    if tuple(d.categories) != fs.frames:
        raise DictionaryError(d.source, None, f"frames must be {fs.frames}, in that order; "
                              f"found {tuple(d.categories)}")
    if not fs.prefix:
        return d
    cats = {fs.prefix + k: [replace(p, category=fs.prefix + k) for p in v]
            for k, v in d.categories.items()}
    return Dictionary(d.source, cats, {fs.prefix + k: ln for k, ln in d.key_lines.items()})


def frames_in_columns(columns: Iterable[str]) -> dict[str, list[str]]:
    """Set name -> the keys of its frames that have an ``emph_<key>`` column, for the sets
    with at least one; in set order, then frame order (what the figures draw)."""
    have = set(columns)
    out = {}
    for name, fs in FRAME_SETS.items():
        keys = [k for k in fs.keys if f"emph_{k}" in have]
        if keys:
            out[name] = keys
    return out
