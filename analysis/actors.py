"""A side whose voices are counted (:class:`Actor`), shared by studies and countries."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Actor", "words_key"]


@dataclass(frozen=True)
class Actor:
    """One side whose voices are counted.

    Parameters
    ----------
    key : str
        Column suffix (``src_share_<key>``) and the value in ``source_affiliation``.
    label : str
        Name in figures and tables.
    words : tuple of str
        Lower-case words and phrases that tie a source to this side (roles, modifiers, places,
        demonyms: "council", "city hall", "striking workers").
    colour : str or None
        ``#rrggbb`` colour in figures; None: the house palette in actor order.
    """

    key: str
    label: str
    words: tuple[str, ...]
    colour: str | None = None


def words_key(phrase: str) -> tuple[str, ...]:
    """A phrase as the lower-cased word tuple it is matched by."""
    return tuple(phrase.lower().split())
