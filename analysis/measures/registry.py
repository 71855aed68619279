"""The registry of measures: what each feature group writes, declared once, in its room.

A :class:`Measure` is one feature group (the ``--groups`` name): its family (how
:mod:`analysis.compare` groups its columns), its :class:`Column` s (each with a scale and a
one-line description, for captions and docs), the evidence features and extra tables it writes,
and a scorer factory. Everything that lists measures reads this registry: the scorers of
:func:`analysis.features.make_scorers`, the CLI's ``--groups``, the default output of
:class:`~analysis.featurizer.FramingFeaturizer`, and the measure columns and families of
:func:`analysis.compare.measure_families` (so ``groups.csv``, ``contrasts.csv`` and the group
figures).

Order
-----
The built-in measures come first, in the fixed order of :data:`BUILTIN` (tone, emphasis,
sources, terms): it is the column order of ``features.csv``. Measures registered from Python
follow, in the order they were registered.

Each built-in measure is registered by its room (``analysis/measures/tone/__init__.py``,
``emphasis/__init__.py``, ``sources/__init__.py``, ``terms.py``). The rooms are imported on
first use of the registry, not when this module is imported: so ``import analysis.compare``
stays light, and a room may import from :mod:`analysis.compare` without an import cycle.

Columns
-------
A column is named exactly (``tone_mean``) or, when it is found at run time, by a pattern with
one ``<placeholder>`` (``src_share_<side>``, ``emph_<key>``): the text around the placeholder
matches the columns. A column with ``interval=True`` has ``_lo`` and ``_hi`` twins (its 95%
interval). A column belongs to the measure that declares it: an exact name first, else the
pattern with the most fixed characters. No two measures may declare the same column.

Examples
--------
>>> from analysis.measures import Column, Measure, register, unregister, measure_of
>>> class Exclaim:
...     name = "exclaim"
...     def columns(self):
...         return ["style_exclaim"]
>>> m = register(Measure(name="exclaim", family="style",
...                      columns=[Column("style_exclaim", scale="per 1,000 words",
...                                      description="exclamation marks")],
...                      scorer=lambda study, **kw: Exclaim()))
>>> measure_of("style_exclaim").family, measure_names()[-1]
('style', 'exclaim')
>>> _ = unregister("exclaim")
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from ..errors import AnalysisError

__all__ = ["BUILTIN", "Column", "Measure", "MeasureError", "register", "unregister", "measures",
           "measure_names", "measure_of", "column_of", "families"]

# The built-in measures, in the order of their columns in features.csv: name -> its room.
BUILTIN = {
    "tone": "analysis.measures.tone",
    "emphasis": "analysis.measures.emphasis",
    "sources": "analysis.measures.sources",
    "terms": "analysis.measures.terms",
    "learned": "analysis.measures.learned",
}
INTERVAL_TWINS = ("_lo", "_hi")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")  # a --groups name: no comma, no space
_COLUMN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(<[a-z_]+>[A-Za-z0-9_]*)?\Z")
_EXACT = 1_000_000  # the weight of an exact name over any pattern

_registered: dict[str, "Measure"] = {}


class MeasureError(AnalysisError):
    """A measure that cannot be registered, or a feature group that is not registered."""


@dataclass(frozen=True)
class Column:
    """A column a measure writes to the features table, or a pattern of such columns.

    Parameters
    ----------
    name : str
        The column's name, or a pattern with one ``<placeholder>`` for columns found at run
        time (``src_share_<side>``: one per side; ``emph_<key>``: one per dictionary key).
    scale : str
        Its unit or range, as a caption names it (``"per 1,000 words"``, ``"share, 0 to 1"``).
    description : str
        What it counts, in one line.
    interval : bool
        Whether ``<name>_lo`` and ``<name>_hi`` (its 95% interval) follow it.
    in_map : bool
        Whether the framing map (:func:`analysis.compare.framing_map`) uses it; False for
        counts and for the ``_share`` twins of rates.
    """

    name: str
    scale: str = ""
    description: str = ""
    interval: bool = False
    in_map: bool = True

    def __post_init__(self):
        if not _COLUMN.match(self.name):
            raise MeasureError(f"column name {self.name!r}: letters, digits and _, with at most "
                               "one <placeholder> after a fixed start (e.g. 'emph_<key>')")

    @property
    def dynamic(self) -> bool:
        """Whether :attr:`name` is a pattern (the columns are found at run time)."""
        return "<" in self.name

    def templates(self) -> list[str]:
        """:attr:`name` and, with an interval, its ``_lo`` and ``_hi`` twins."""
        return [self.name, *(self.name + s for s in INTERVAL_TWINS if self.interval)]

    def match(self, column: str) -> int:
        """How closely ``column`` matches this declaration: 0 not at all, else the larger the
        closer (an exact name beats any pattern; a pattern with more fixed text beats one
        with less)."""
        best = 0
        for t in self.templates():
            if not self.dynamic:
                best = max(best, _EXACT if column == t else 0)
                continue
            head, tail = _parts(t)
            if (len(column) > len(head) + len(tail) and column.startswith(head)
                    and column.endswith(tail)):
                best = max(best, len(head) + len(tail))
        return best


def _parts(template: str) -> tuple[str, str]:
    """The fixed text before and after the placeholder of a pattern."""
    head, rest = template.split("<", 1)
    return head, rest.split(">", 1)[1]


def _overlap(a: str, b: str) -> bool:
    """Whether two column templates (names or patterns) can name the same column."""
    if "<" not in a and "<" not in b:
        return a == b
    if "<" not in a or "<" not in b:
        name, pattern = (a, b) if "<" not in a else (b, a)
        return Column(pattern).match(name) > 0
    (ha, ta), (hb, tb) = _parts(a), _parts(b)
    # The placeholders can absorb any difference once the fixed parts are compatible.
    return (ha.startswith(hb) or hb.startswith(ha)) and (ta.endswith(tb) or tb.endswith(ta))


@dataclass(frozen=True, eq=False, kw_only=True)
class Measure:
    """One feature group: what it writes and how its scorer is made.

    Parameters
    ----------
    name : str
        The feature group's name (``--groups``): lower-case letters, digits and ``_``.
    scorer : callable
        The scorer factory, called as ``scorer(study=..., dictionaries=..., registry=...)``
        (the resolved :class:`~analysis.study.Study`, the user dictionaries and the source
        registry given to :func:`~analysis.features.build_features`; take ``**kw`` for those
        you do not use). It returns a scorer: an object with ``name``, ``columns()`` (fixed
        names, fixed order) and ``score(article, idx) -> Scored``
        (:class:`analysis.features.Scorer`), and ``table_columns`` when it writes tables.
    family : str
        The family its columns are compared in (:func:`analysis.compare.measure_families`);
        default the name.
    columns : sequence of Column
        The feature columns it writes, in table order; none for a measure that writes only
        tables.
    description : str
        One line for ``--groups`` help.
    evidence : sequence of str
        The ``feature`` values of its evidence rows (a ``<placeholder>`` for keys found at run
        time).
    tables : mapping of str to list of str
        The extra tables it writes and their columns.
    """

    name: str
    scorer: Callable[..., object]
    family: str = ""
    columns: tuple[Column, ...] = ()
    description: str = ""
    evidence: tuple[str, ...] = ()
    tables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise MeasureError(f"measure name {self.name!r}: lower-case letters, digits and _, "
                               "starting with a letter")
        if not callable(self.scorer):
            raise MeasureError(f"measure {self.name}: scorer must be a factory (a callable), "
                               f"got {type(self.scorer).__name__}")
        columns = tuple(self.columns)
        if not all(isinstance(c, Column) for c in columns):
            raise MeasureError(f"measure {self.name}: columns must be Column(...) declarations")
        names = [t for c in columns for t in c.templates()]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise MeasureError(f"measure {self.name} declares {', '.join(twice)} twice")
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "family", self.family or self.name)
        object.__setattr__(self, "evidence", tuple(self.evidence))
        object.__setattr__(self, "tables", {k: tuple(v) for k, v in dict(self.tables).items()})

    def column(self, name: str) -> Column | None:
        """The declaration of column ``name`` (the closest match), or None."""
        scored = [(c.match(name), i) for i, c in enumerate(self.columns)]
        best, i = max(scored, default=(0, -1))
        return self.columns[i] if best else None


def _load_builtins() -> None:
    """Import the rooms of the built-in measures (each registers its measure on import).

    The one place the registry imports late, by name, like the command table of
    :mod:`analysis.cli`: a room imported while another is being imported is returned as it is.
    """
    for room in BUILTIN.values():
        importlib.import_module(room)


def _position(m: Measure) -> tuple[int, int]:
    order = list(BUILTIN)
    return (order.index(m.name) if m.name in BUILTIN else len(order),
            list(_registered).index(m.name))


def register(measure: Measure) -> Measure:
    """Add a measure to the registry.

    Parameters
    ----------
    measure : Measure

    Returns
    -------
    Measure
        ``measure`` itself.

    Raises
    ------
    MeasureError
        Its name is taken, or one of its columns is declared by another measure (the same
        name, or a name another measure's pattern matches).
    """
    if not isinstance(measure, Measure):
        raise MeasureError(f"register() takes a Measure, got {type(measure).__name__}")
    # Check against every built-in measure: import the rooms first (a built-in name: only its
    # own room, which is then being imported and is returned as it is).
    if measure.name in BUILTIN:
        importlib.import_module(BUILTIN[measure.name])
    else:
        _load_builtins()
    if measure.name in _registered:
        raise MeasureError(f"a measure named {measure.name!r} is already registered "
                           f"(registered: {', '.join(measure_names())})")
    for other in _registered.values():
        for mine in measure.columns:
            for t in mine.templates():
                clash = [o for c in other.columns for o in c.templates() if _overlap(t, o)]
                if clash:
                    raise MeasureError(f"measure {measure.name}: column {t} is already declared "
                                       f"by measure {other.name} ({clash[0]})")
    _registered[measure.name] = measure
    return measure


def unregister(name: str) -> Measure:
    """Remove a measure registered from Python (built-in measures stay).

    Parameters
    ----------
    name : str

    Returns
    -------
    Measure
        The measure removed.
    """
    if name in BUILTIN:
        raise MeasureError(f"{name} is a built-in measure and cannot be unregistered")
    if name not in _registered:
        raise MeasureError(f"no measure named {name!r} is registered")
    return _registered.pop(name)


def measures(names: str | Iterable[str] | None = None) -> list[Measure]:
    """The registered measures, in registry order (see "Order" above).

    Parameters
    ----------
    names : str or iterable of str, optional
        Feature groups to pick; None: all. Order and repeats do not matter.

    Returns
    -------
    list of Measure

    Raises
    ------
    MeasureError
        A name is not registered; the message lists the registered names.
    """
    _load_builtins()
    ordered = sorted(_registered.values(), key=_position)
    if names is None:
        return ordered
    wanted = {names} if isinstance(names, str) else set(names)
    unknown = sorted(wanted - set(_registered), key=str)
    if unknown:
        raise MeasureError(f"unknown feature group(s): {', '.join(map(str, unknown))}; "
                           f"registered measures: {', '.join(m.name for m in ordered)}")
    return [m for m in ordered if m.name in wanted]


def measure_names() -> list[str]:
    """The names of the registered measures (the ``--groups`` choices), in registry order."""
    return [m.name for m in measures()]


def families() -> list[str]:
    """The families of the measures that declare columns, in registry order, each once."""
    return list(dict.fromkeys(m.family for m in measures() if m.columns))


def _declaration(column: str) -> tuple[Measure, Column] | None:
    best, found = 0, None
    for m in measures():
        for c in m.columns:
            score = c.match(column)
            if score > best:
                best, found = score, (m, c)
    return found


def measure_of(column: str) -> Measure | None:
    """The measure that declares ``column`` (an exact name or a pattern), or None.

    Examples
    --------
    >>> measure_of("src_share_council").name, measure_of("net_optimism_lo").name
    ('sources', 'tone')
    >>> measure_of("n_words") is None
    True
    """
    found = _declaration(column)
    return found[0] if found else None


def column_of(column: str) -> Column | None:
    """The declaration of ``column`` (scale, description), or None.

    Examples
    --------
    >>> column_of("emph_economics_share").name
    'emph_<key>_share'
    """
    found = _declaration(column)
    return found[1] if found else None
