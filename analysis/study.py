"""The study file: what one research project counts, declared in YAML, never in the code.

A study names the sides whose voices are counted (``actors``), the topic words that are
neutral in tone (``topic_terms``), extra frame dictionaries, the source registry and the default
comparison. Every path in it is relative to the study file. The study is chosen at the edges
only: ``--study FILE`` on the command line, ``STUDY=`` in make (the bundled corpus gets
``data/study.yml``), the ``study`` parameter of a notebook. Library code takes a :class:`Study`
(or a path, loaded as given), and None is no study: nothing looks for a file of its own accord.
Without a study, sources are affiliated with the countries they are tied to
(:mod:`analysis.countries`) and no topic word is neutralised.

::

    actors:                        # the sides whose voices are counted: src_share_<key>
      council: {label: City council, words: [council, councillor, mayor], colour: "#1b9e77"}
      union:   {label: Union,        words: [union, shop steward, strikers]}
    topic_terms: [strike, walkout]           # or a word-list file, one entry per line
    dictionaries: [study_frames.yml]         # frame additions (same key: extends that frame)
    frames: [pfc, sv]                        # built-in frame sets (default: [default])
    registry: sources.csv                    # name, type, affiliation (an actor key), note
    aliases: {city hall: council}            # names that stand for one source
    setting: [germany]                       # the home country: its words name no side
    groups: [genre]                          # default GROUP_BY; also pair_by, time
    measures: [economic.yml]                 # learned models (python -m analysis learn)

The file is safe-loaded (aliases refused) and checked; a problem raises :class:`StudyError`
naming the file and line. ``python -m analysis study FILE --get groups`` prints a default
(make asks it so).

Examples
--------
>>> from analysis.study import parse_study
>>> s = parse_study("actors: {a: {label: A, words: [alpha]}}")
>>> s.affiliations
('a', 'other', 'multiple', 'unknown')
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .actors import Actor, words_key
from .config import display_path
from .countries import country_actors, country_key
from .errors import LexiconError
from .lexicon import parse_entries
from .safe_yaml import compose_yaml

__all__ = ["Actor", "Study", "StudyError", "NO_STUDY", "RESERVED", "load_study",
           "parse_study", "resolve_study", "words_key"]

NO_STUDY = ("", "none")  # what load_study reads as no study (any case, surrounding blanks)
RESERVED = ("other", "multiple", "unknown")  # affiliations that are not actors
KEYS = ("actors", "setting", "topic_terms", "dictionaries", "frames", "registry", "aliases",
        "groups", "pair_by", "time", "title", "measures")
# The built-in frame sets (analysis.measures.emphasis.sets.FRAME_SETS, named here so that
# reading a study loads no measure).
FRAME_SETS = ("default", "pfc", "sv")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_WORD_RE = re.compile(r"^[^\s#].*$")


class StudyError(LexiconError):
    """A malformed study file; ``str(err)`` names the file and line."""

    def __init__(self, source: str, line: int | None, problem: str):
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Study:
    """A parsed study (see the module docstring); ``Study()`` is the empty study.

    Attributes
    ----------
    source : str
        The study file as written in provenance ("" for the empty study).
    actors : tuple of Actor
        Declared sides, in file order; empty: affiliations are countries.
    topic_terms : tuple of str
        Words VADER reads as sentiment that are the topic here (neutral in ``tone_mean_adapted``).
    dictionaries : tuple of str
        Paths of frame dictionaries; a category named like a built-in frame extends it.
    frames : tuple of str
        The built-in frame sets the emphasis measure scores (:data:`FRAME_SETS`); empty:
        ``default``.
    registry : str or None
        Path of the source registry.
    setting : tuple of str
        Country keys of the study's home: with actors, a source named by such a country's
        words ("Kenyan", "Nairobi") is not ``other``; it says nothing about the side.
    aliases : tuple of (str, str)
        (alias, canonical name) pairs: names that refer to one source.
    groups : tuple of str
        Metadata columns to compare; the first is the default grouping.
    pair_by, time : str or None
        Default event column (paired contrasts) and date column (timeline).
    target_column : str or None
        The corpus column naming each article's own target (``tone_toward_target``); set by
        ``--target-column``, not read from the file.
    measures : tuple of str
        Paths of learned model files (:mod:`analysis.measures.learned`): ``learned_<name>``
        columns.
    sha256 : str
        Hash of the study file and the files it names (provenance).
    """

    source: str = ""
    title: str = ""
    actors: tuple[Actor, ...] = ()
    topic_terms: tuple[str, ...] = ()
    dictionaries: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    registry: str | None = None
    setting: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    groups: tuple[str, ...] = ()
    pair_by: str | None = None
    time: str | None = None
    target_column: str | None = None
    measures: tuple[str, ...] = ()
    sha256: str = field(default="", compare=False)

    @property
    def affiliations(self) -> tuple[str, ...]:
        """Allowed ``source_affiliation`` values: the actor keys, then other, multiple, unknown
        (empty tuple without actors: any country key is allowed)."""
        return (*(a.key for a in self.actors), *RESERVED) if self.actors else ()

    @property
    def labels(self) -> dict[str, str]:
        """Actor key -> label."""
        return {a.key: a.label for a in self.actors}

    def actor_words(self) -> dict[tuple[str, ...], str]:
        """Word tuple -> actor key, for matching source phrases."""
        return {words_key(w): a.key for a in self.actors for w in a.words}

    def alias_map(self) -> dict[str, str]:
        """Alias (lower case) -> canonical name."""
        return dict(self.aliases)


def _line(node) -> int:
    return node.start_mark.line + 1


def _scalar(node, source: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null" \
            or not str(node.value).strip():
        raise StudyError(source, _line(node), f"{what} must be non-empty text")
    return " ".join(str(node.value).split())


def _str_list(node, source: str, what: str, one: bool = False) -> list[tuple[str, int]]:
    """The items of a list of text, with their lines.

    A plain string is refused where a list is expected: ``words: "a, b, c"`` would be one
    phrase that matches nothing, every share 0 and no warning. With ``one`` (``groups``, whose
    rule is "a list or one name") a string without a comma is read as a list of one.
    """
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node, source, what)
        if one and "," not in value:
            return [(value, _line(node))]
        items = [v.strip() for v in value.split(",") if v.strip()]
        example = ", ".join(items[:3]) if len(items) > 1 else value
        raise StudyError(source, _line(node), f"{what} must be a list, not the text "
                         f"{value!r}; write a list: [{example}]")
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise StudyError(source, _line(node), f"{what} must be a non-empty list of text")
    return [(_scalar(item, source, f"each item of {what}"), _line(item)) for item in node.value]


def _mapping(node, source: str, what: str) -> list[tuple]:
    if not isinstance(node, yaml.MappingNode):
        raise StudyError(source, _line(node), f"{what} must be a mapping")
    seen: dict[str, int] = {}
    out = []
    for k, v in node.value:
        key = _scalar(k, source, f"a key of {what}")
        if key in seen:
            raise StudyError(source, _line(k), f"{what}: {key!r} repeats line {seen[key]}")
        seen[key] = _line(k)
        out.append((key, k, v))
    return out


def _path(value: str, base: Path, source: str, line: int, what: str) -> Path:
    p = Path(value)
    p = p if p.is_absolute() else base / p
    if not p.is_file():
        # "a, b, c" where a file is allowed is most likely a list written as text
        hint = f"; for a list of words write [{value}]" if "," in value else ""
        raise StudyError(source, line, f"{what} {value!r}: no such file ({display_path(p)})"
                         f"{hint}")
    return p


def _actors(node, source: str) -> tuple[Actor, ...]:
    actors: list[Actor] = []
    owner: dict[tuple[str, ...], tuple[str, int]] = {}
    for key, knode, vnode in _mapping(node, source, "actors"):
        if not _KEY_RE.match(key):
            raise StudyError(source, _line(knode), f"actor key {key!r}: lower-case letters, "
                             "digits and _ only, starting with a letter")
        if key in RESERVED:
            raise StudyError(source, _line(knode), f"actor key {key!r} is reserved "
                             f"({', '.join(RESERVED)})")
        fields = {k: (kn, v) for k, kn, v in _mapping(vnode, source, f"actor {key!r}")}
        unknown = set(fields) - {"label", "words", "colour", "color"}
        if unknown:
            name = sorted(unknown)[0]
            raise StudyError(source, _line(fields[name][0]), f"actor {key!r}: unknown field "
                             f"{name!r} (label, words, colour)")
        if "words" not in fields:
            raise StudyError(source, _line(knode), f"actor {key!r} has no words")
        label = _scalar(fields["label"][1], source, f"actor {key!r}: label") \
            if "label" in fields else key.replace("_", " ").capitalize()
        words = []
        for w, ln in _str_list(fields["words"][1], source, f"actor {key!r}: words"):
            w = w.lower()
            wk = words_key(w)
            if wk in owner:
                other, first = owner[wk]
                raise StudyError(source, ln, f"word {w!r} of actor {key!r} is already a word "
                                 f"of {other!r} (line {first})")
            owner[wk] = (key, ln)
            words.append(w)
        colour = None
        cnode = fields.get("colour") or fields.get("color")
        if cnode is not None:
            colour = _scalar(cnode[1], source, f"actor {key!r}: colour")
            if not _COLOUR_RE.match(colour):
                raise StudyError(source, _line(cnode[1]), f"actor {key!r}: colour {colour!r} "
                                 "must be #rrggbb")
        actors.append(Actor(key, label, tuple(words), colour))
    return tuple(actors)


def _country(value: str, source: str, line: int) -> str:
    keys = {a.key for a in country_actors()}
    key = country_key(value)
    if key not in keys:
        close = difflib.get_close_matches(key, sorted(keys), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise StudyError(source, line, f"setting: {value!r} is not a country{hint}")
    return key


def _frame_sets(node, source: str) -> tuple[str, ...]:
    out = []
    for v, ln in _str_list(node, source, "frames", one=True):
        if v.lower() not in FRAME_SETS:
            raise StudyError(source, ln, f"frames: {v!r} is not a built-in frame set "
                             f"({', '.join(FRAME_SETS)})")
        out.append(v.lower())
    return tuple(dict.fromkeys(out))


def parse_study(text: str, source: str = "<study>", base: str | Path = ".") -> Study:
    """Parse and check the text of a study file.

    Parameters
    ----------
    text : str
        YAML text.
    source : str
        Name of the file in error messages and provenance.
    base : str or Path
        Folder that relative paths in the study are resolved against.

    Returns
    -------
    Study

    Raises
    ------
    StudyError
        With the file and line of the first problem.
    """
    base = Path(base)
    root = compose_yaml(text, source, StudyError)
    if root is None:
        return Study(source=source, sha256=hashlib.sha256(text.encode()).hexdigest())
    kw: dict = {}
    digest = hashlib.sha256(text.encode())
    for key, knode, vnode in _mapping(root, source, "the study"):
        line = _line(knode)
        if key not in KEYS:
            raise StudyError(source, line, f"unknown key {key!r} (one of: {', '.join(KEYS)})")
        if key == "actors":
            kw["actors"] = _actors(vnode, source)
        elif key == "title":
            kw["title"] = _scalar(vnode, source, "title")
        elif key == "topic_terms":
            if isinstance(vnode, yaml.ScalarNode):
                p = _path(_scalar(vnode, source, "topic_terms"), base, source, line,
                          "topic_terms file")
                body = p.read_text(encoding="utf-8")
                digest.update(body.encode())
                terms = parse_entries(body, display_path(p))
            else:
                terms = tuple(w.lower() for w, _ in _str_list(vnode, source, "topic_terms"))
            kw["topic_terms"] = tuple(dict.fromkeys(terms))
        elif key in ("dictionaries", "measures"):
            paths = [_path(v, base, source, ln, "dictionary" if key == "dictionaries"
                           else "model file") for v, ln in _str_list(vnode, source, key)]
            for p in paths:
                digest.update(p.read_bytes())
            kw[key] = tuple(str(p) for p in paths)
        elif key == "frames":
            kw["frames"] = _frame_sets(vnode, source)
        elif key == "registry":
            p = _path(_scalar(vnode, source, "registry"), base, source, line, "registry")
            digest.update(p.read_bytes())
            kw["registry"] = str(p)
        elif key == "aliases":
            kw["aliases"] = tuple((k.lower(), _scalar(v, source, f"alias {k!r}"))
                                  for k, _kn, v in _mapping(vnode, source, "aliases"))
        elif key == "setting":
            kw["setting"] = tuple(_country(v, source, ln)
                                  for v, ln in _str_list(vnode, source, "setting"))
        elif key == "groups":
            kw["groups"] = tuple(v for v, _ in _str_list(vnode, source, "groups", one=True))
        else:  # pair_by, time
            kw[key] = _scalar(vnode, source, key)
    return Study(source=source, sha256=digest.hexdigest(), **kw)


def load_study(path: str | Path | None) -> Study:
    """Read a study file; no file is looked for.

    Parameters
    ----------
    path : str, Path or None
        The study YAML, relative to the working directory. None, ``""`` or ``"none"`` (any
        case): the empty study, ``Study()`` (affiliations are countries, no topic term).

    Returns
    -------
    Study

    Raises
    ------
    StudyError
        No such file, not UTF-8, or a problem in it (with its line).

    Examples
    --------
    >>> from analysis.study import load_study
    >>> load_study("none").actors, load_study(None) == load_study("")
    ((), True)
    """
    if path is None or str(path).strip().lower() in NO_STUDY:
        return Study()
    p = Path(path)
    label = display_path(p)
    if not p.is_file():
        raise StudyError(label, None, "no such study file")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise StudyError(label, None, f"not valid UTF-8 (byte {err.start}); re-save it as "
                         "UTF-8") from None
    return parse_study(text, label, p.resolve().parent)


def resolve_study(study: Study | str | Path | None) -> Study:
    """A :class:`Study` from what a library function was given.

    Parameters
    ----------
    study : Study, str, Path or None
        A Study (returned as is); a path (loaded with :func:`load_study`); None, ``""`` or
        ``"none"``: the empty study. Never a default file.

    Returns
    -------
    Study

    Examples
    --------
    >>> resolve_study(None) == Study()
    True
    """
    return study if isinstance(study, Study) else load_study(study)
