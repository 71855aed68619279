"""Source diversity: who is cited, of what type and nationality, and how diverse the voices are.

Attributions come from :mod:`analysis.attribution` (dependency parse of the sentences that can
hold one). This module turns them into sources: one entry per source within an article
("Ishaq Dar", "Dar" and "Pakistan's Deputy Prime Minister and Foreign Minister Ishaq Dar" are
one), pronouns linked to a named source where that is clear, each source typed and given an
affiliation, and the article's diversity indices computed.

Source types (:data:`TYPES`): government official, military/security, diplomat/delegation,
expert/analyst, civil society, international organisation, media, unnamed/anonymous, joint
statement/document, and unknown (nothing in the text or the registry says). Affiliations
(:data:`AFFILIATIONS`): Pakistan, United States, other, multiple (the phrase names several
countries: "officials from Pakistan and the United States"), unknown. The order of evidence:
the registry ``data/sources.csv`` (``name,type,affiliation,note``; it overrides everything),
then role words (``lexicons/source_roles.tsv``) and place words (``lexicons/source_places.tsv``)
in the source phrase and in the fuller mentions of the same person elsewhere in the article,
then spaCy's entity type (a country that speaks is its government). Unknown stays unknown.

Unit of the indices: an attribution (each time a source is cited), so a source cited five
times weighs five times: the measures describe whose voice the reader hears how often.
``src_n_unique`` counts sources instead.

Columns (fixed order, :data:`SOURCE_COLUMNS`)
---------------------------------------------
``src_n_attributions``   attributions in the article (count, >= 0), unresolved pronouns included.
``src_n_unique``         distinct sources (count); unresolved pronouns are not counted.
``src_n_types``          distinct source types among resolved attributions ("unknown" excluded).
``src_entropy``          Shannon entropy (bits) of the type x affiliation cells over resolved
                         attributions; 0 = one kind of voice; log2(cells) when all are equal.
                         NaN without resolved attributions.
``src_entropy_lo/_hi``   its 95% sentence-bootstrap interval.
``src_simpson``          Gini-Simpson index 1 - sum(p^2) over the same cells: the probability that
                         two attributions drawn at random come from different cells; 0 .. 1.
``src_official_share``   share of attributions whose source is a government official,
                         military/security or diplomat/delegation; 0 .. 1 (NaN: none).
``src_pk_share``, ``src_us_share``, ``src_other_share``  share of attributions affiliated with
                         Pakistan / the United States / another country or body; 0 .. 1.
``src_anonymous_share``  share of attributions with an unnamed/anonymous source; 0 .. 1.
``src_direct_quote_share``  share of attributions that are direct quotes; 0 .. 1.

Every share has all attributions of the article as denominator (unresolved pronouns count as
unknown); NaN when the article has none. The entropy interval resamples the counts of the
sentences that have attributions only, a block of resamples at a time
(:func:`analysis.emphasis.resampled_sums`; exact: the sums are of counts), so its memory does not
grow with sentences x resamples x cells.

Per attribution (``tables["attributions"]``, written as ``attributions.csv``): see
:data:`ATTRIBUTION_COLUMNS`. ``source_start``/``source_end`` and ``cue_start``/``cue_end`` are
character offsets into the article's original input text. ``mention`` is ``name`` (a proper
name), ``unnamed`` (a description: "US officials"), ``pronoun`` (linked to a source) or
``unresolved_pronoun``; ``source_key`` identifies the source within the article
(``person:<surname>``, ``name:<canonical>``, ``group:<names>`` for coordinated names,
``np:<phrase>`` for unnamed sources; empty when unresolved); ``classified_by`` is ``registry``
or ``text``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import SOURCES_REGISTRY, display_path
from .emphasis import resampled_sums
from .errors import LexiconError
from .stats import percentile_interval
from .tables import Scored

if TYPE_CHECKING:
    from .attribution import Attribution

__all__ = ["SourceScorer", "SOURCE_COLUMNS", "ATTRIBUTION_COLUMNS", "TYPES", "AFFILIATIONS",
           "OFFICIAL_TYPES", "RegistryError", "Registry", "load_registry", "resolve_sources",
           "diversity", "shannon_bits", "gini_simpson", "REGISTRY_COLUMNS"]

TYPES = ("government official", "military/security", "diplomat/delegation", "expert/analyst",
         "civil society", "international organisation", "media", "unnamed/anonymous",
         "joint statement/document", "unknown")
AFFILIATIONS = ("Pakistan", "United States", "other", "multiple", "unknown")
OFFICIAL_TYPES = ("government official", "military/security", "diplomat/delegation")
REGISTRY_COLUMNS = ["name", "type", "affiliation", "note"]
SOURCE_COLUMNS = [
    "src_n_attributions", "src_n_unique", "src_n_types", "src_entropy", "src_entropy_lo",
    "src_entropy_hi", "src_simpson", "src_official_share", "src_pk_share", "src_us_share",
    "src_other_share", "src_anonymous_share", "src_direct_quote_share",
]
ATTRIBUTION_COLUMNS = [
    "article_id", "sentence_id", "source", "source_start", "source_end", "cue", "cue_start",
    "cue_end", "content", "kind", "mention", "source_key", "canonical_source", "source_type",
    "source_affiliation", "classified_by",
]
PRONOUN_WINDOW = 3  # sentences back in which a pronoun's antecedent is looked for
SINGULAR_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us"})
INDEFINITE = frozenset({"a", "an", "some", "many", "several", "few", "one", "any", "other",
                        "most", "all"})
DETERMINERS = frozenset({"the", "a", "an", "both", "some", "all", "this", "that", "these",
                         "those"})


class RegistryError(LexiconError):
    """The source registry is malformed; the message names the file, line and problem."""


# --------------------------------------------------------------------------- lexicons


def _read_tsv(name: str, columns: list[str]) -> list[tuple[int, dict]]:
    res = resources.files("analysis").joinpath("lexicons", name)
    label = f"analysis/lexicons/{name}"
    lines = [(ln, line) for ln, line in enumerate(res.read_text("utf-8").splitlines(), 1)
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
        if key != key.lower():
            raise LexiconError(f"{label}, line {ln}: '{key}' is not lower case")
        if key in seen:
            raise LexiconError(f"{label}, line {ln}: '{key}' repeats line {seen[key]}")
        seen[key] = ln
        out.append((ln, row))
    return out


@lru_cache(maxsize=1)
def role_words() -> dict[tuple[str, ...], tuple[str, str]]:
    """Role term (word tuple) -> (type or "none", kind: person/body/document/title)."""
    out = {}
    for ln, row in _read_tsv("source_roles.tsv", ["term", "type", "kind"]):
        if row["type"] not in TYPES and row["type"] != "none":
            raise LexiconError(f"analysis/lexicons/source_roles.tsv, line {ln}: unknown type "
                               f"'{row['type']}' (one of: {', '.join(TYPES)}, none)")
        if row["kind"] not in ("person", "body", "document", "title"):
            raise LexiconError(f"analysis/lexicons/source_roles.tsv, line {ln}: unknown kind "
                               f"'{row['kind']}' (person, body, document, title)")
        out[tuple(row["term"].split())] = (row["type"], row["kind"])
    return out


@lru_cache(maxsize=1)
def place_words() -> dict[tuple[str, ...], str]:
    out = {}
    for ln, row in _read_tsv("source_places.tsv", ["term", "affiliation"]):
        if row["affiliation"] not in ("Pakistan", "United States", "other"):
            raise LexiconError(f"analysis/lexicons/source_places.tsv, line {ln}: affiliation "
                               f"must be Pakistan, United States or other")
        out[tuple(row["term"].split())] = row["affiliation"]
    return out


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    return {row["alias"]: row["canonical"]
            for _, row in _read_tsv("source_aliases.tsv", ["alias", "canonical"])}


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    type: str
    affiliation: str
    note: str
    line: int


class Registry:
    """User-editable source registry: ``name, type, affiliation, note`` (CSV, header row).

    ``type`` and ``affiliation`` may be left empty to keep the automatic guess for that field.
    A name matches a source's canonical name or any of its mentions, ignoring case and a
    leading "the"; a person's surname alone matches when one registry person has it."""

    def __init__(self, entries: list[RegistryEntry] | None = None, path: str = ""):
        self.entries = list(entries or [])
        self.path = path
        self._by_name = {_norm(e.name): e for e in self.entries}
        surnames: dict[str, list[RegistryEntry]] = {}
        for e in self.entries:
            words = e.name.split()
            if len(words) >= 2:
                surnames.setdefault(words[-1].lower(), []).append(e)
        self._by_surname = {k: v[0] for k, v in surnames.items() if len(v) == 1}

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, names: list[str], surname: str = "") -> RegistryEntry | None:
        for n in names:
            e = self._by_name.get(_norm(n))
            if e is not None:
                return e
        if surname:
            return self._by_surname.get(surname.lower())
        return None


def _norm(name: str) -> str:
    n = " ".join(name.replace("’", "'").split()).lower()
    for prefix in ("the ",):
        n = n.removeprefix(prefix)
    return n.removesuffix("'s")


def load_registry(path: str | Path | None = None) -> Registry:
    """Read and check a registry CSV (default ``data/sources.csv``; missing default: empty).

    Raises :class:`RegistryError` naming the file, line and problem (wrong header, wrong
    number of fields, empty name, unknown type or affiliation, a name given twice)."""
    if path is None:
        if not SOURCES_REGISTRY.exists():
            return Registry()
        path = SOURCES_REGISTRY
    path = Path(path)
    label = display_path(path)
    if not path.exists():
        raise RegistryError(f"{label}: no such source registry")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RegistryError(f"{label}: not valid UTF-8 (byte {err.start}); "
                            "re-save the registry as UTF-8") from None
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
        if aff and aff not in AFFILIATIONS:
            raise RegistryError(f"{label}, line {ln}: unknown affiliation '{aff}' for "
                                f"'{name}' (one of: {', '.join(AFFILIATIONS)})")
        key = _norm(name)
        if key in seen:
            raise RegistryError(f"{label}, line {ln}: '{name}' is already on line {seen[key]}")
        seen[key] = ln
        entries.append(RegistryEntry(name, typ, aff, note, ln))
    return Registry(entries, label)


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    att: Attribution
    words: list[tuple[str, str, str, int]]  # (lower text, lemma, pos, offset) of the phrase
    kind: str  # "name", "unnamed", "pronoun"
    entity: str  # PERSON / ORG / GPE / NORP / ""
    key: str = ""
    display: str = ""
    surname: str = ""
    plural: bool = False


def _words(article, start: int, end: int) -> list[tuple[str, str, str, int]]:
    return [(t.lower_, t.lemma_.lower(), t.pos_, t.idx)
            for t in article.tokens_starting_in(start, end) if not t.is_space]


def _find_terms(words, lexicon: dict) -> list[tuple[int, tuple[str, ...], object]]:
    """Longest-first matches of lexicon terms on word (or lemma) sequences: (pos, term, val)."""
    out, i, n = [], 0, len(words)
    maxlen = max((len(k) for k in lexicon), default=1)
    while i < n:
        hit = None
        for k in range(min(maxlen, n - i), 0, -1):
            seg_l = tuple(w[0].replace("’", "'") for w in words[i:i + k])
            seg_m = tuple(w[1] for w in words[i:i + k])
            for seg in (seg_l, seg_m):
                if seg in lexicon and not (k == 1 and words[i][2] == "PRON"):
                    hit = (i, seg, lexicon[seg])
                    break
            if hit:
                break
        if hit:
            out.append(hit)
            i += len(hit[1])
        else:
            i += 1
    return out


def _name_chains(article) -> dict[str, list[list]]:
    """Proper-noun chains of the shared parse by their last word (lower case): the fuller
    mentions of a person ("Pakistan's Deputy Prime Minister and Foreign Minister Ishaq Dar")
    that classify a bare "Dar" elsewhere. Cheap: tagger output only, no NER."""
    doc = article.doc
    chains: dict[str, list[list]] = {}
    glue = {"and", "for", "of", "the", "'s", "’s"}
    for t in doc:
        if t.pos_ != "PROPN" or (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN"):
            continue
        k = t.i
        while k - 1 >= 0 and t.i - (k - 1) < 16:
            p = doc[k - 1]
            if p.pos_ == "PROPN" or (p.lower_ in glue and k - 2 >= 0
                                     and doc[k - 2].pos_ == "PROPN"):
                k -= 1
            else:
                break
        while k < t.i and doc[k].lower_ in glue:
            k += 1
        chain = [(x.lower_, x.lemma_.lower(), x.pos_, x.idx) for x in doc[k:t.i + 1]]
        chains.setdefault(t.lower_, []).append(chain)
    return chains


def _person_name(words) -> str:
    """The name part of a person chain: the proper nouns after the last role word."""
    roles = role_words()
    names: list[str] = []
    for lw, lemma, pos, _ in words:
        if (lw,) in roles or (lemma,) in roles or lw.rstrip(".") in ("mr", "mrs", "ms", "dr"):
            names = []
        elif pos == "PROPN":
            names.append(lw)
        else:
            names = []
    return " ".join(names)


def _mention(article, att: Attribution) -> _Mention:
    rs, re_ = (att.ref_start, att.ref_end) if att.ref_end > att.ref_start else (att.start,
                                                                                att.end)
    words = _words(article, rs, re_)
    if att.pronoun and not att.referent:
        kind = "pronoun"
    elif att.name:
        kind = "name"
    else:
        kind = "unnamed"
    ent = att.head_ent if kind == "name" else ""
    if kind == "name" and not ent:
        ent = "PERSON" if att.head_tag == "NNP" else "ORG"
    plural = att.head_tag in ("NNS", "NNPS") or att.determiner == "both" or att.coordinated
    return _Mention(att, words, kind, ent, plural=plural)


# --------------------------------------------------------------------------- classification


def _affiliation(words, head_offset: int, ents=()) -> str:
    found = [(words[i][3], aff) for i, _, aff in _find_terms(words, place_words())]
    lexicon_names = {" ".join(k) for k in place_words()}
    for label, text in ents:
        if label in ("GPE", "NORP") and _norm(text) not in lexicon_names:
            found.append((-1, "other"))
    affs = sorted({a for _, a in found})
    if not affs:
        return "unknown"
    if len(affs) == 1:
        return affs[0]
    pre = [a for off, a in sorted(found) if 0 <= off < head_offset]
    if len(set(pre)) == 1:  # a modifier before the head decides: "Pakistan's minister ..."
        return pre[0]
    return "multiple"


def _role_type(words, person: bool) -> str | None:
    """Type from role words: for a person the role nearest before the name wins; person roles
    beat body roles ("Special Secretary for the United Nations Nabeel Munir" is a diplomat)."""
    hits = [(i, term, val) for i, term, val in _find_terms(words, role_words())
            if val[0] != "none"]
    if not hits:
        return None
    if person:
        people = [h for h in hits if h[2][1] == "person"]
        if people:
            return people[-1][2][0]
    bodies = [h for h in hits if h[2][1] in ("body", "document")]
    return (bodies[-1] if bodies else hits[-1])[2][0]


def _classify(mentions: list[_Mention], chains: list[list]) -> tuple[str, str]:
    """(type, affiliation) of one source from all its mentions (+ name chains)."""
    first = mentions[0]
    att = first.att
    head_lemma = att.head_lemma
    roles = role_words()
    words = [w for m in mentions for w in m.words]
    chain_words = [w for c in chains for w in c]
    head_off = min((w[3] for m in mentions for w in m.words if w[0] == m.att.head.lower()),
                   default=att.start)
    ents = [e for m in mentions for e in m.att.entities]
    aff = _affiliation(words, head_off, ents)
    if aff == "unknown" and chain_words:
        aff = _affiliation(chain_words, max(w[3] for w in chain_words) + 1)
    head_role = roles.get((head_lemma,)) or roles.get((att.head.lower(),))
    if first.kind == "name":
        if first.entity in ("GPE",):
            alias = aliases().get(_norm(att.name), "")
            if aff == "unknown" and alias in ("Pakistan", "United States"):
                aff = alias
            return "government official", aff
        if first.entity == "NORP":
            return "unnamed/anonymous", aff
        person = first.entity == "PERSON"
        typ = _role_type(words + chain_words, person) if person else _role_type(words, False)
        return typ or "unknown", aff
    if head_role and head_role[1] == "document":
        return "joint statement/document", aff
    if head_role and head_role[1] == "body":
        return head_role[0], aff
    if first.plural or att.determiner in INDEFINITE or not head_role or \
            head_role[0] == "unnamed/anonymous":
        return "unnamed/anonymous", aff
    return head_role[0], aff  # a definite role: "the minister said"


# --------------------------------------------------------------------------- resolution


def _keys(m: _Mention, full_names: dict[str, set[str]]) -> None:
    att = m.att
    if m.kind == "name" and m.entity == "PERSON":
        name_words = att.name.split()
        surname = name_words[-1].lower().removesuffix("'s").removesuffix("’s")
        m.surname = surname
        fulls = full_names.get(surname, set())
        longest = max(fulls | {" ".join(name_words)}, key=lambda s: (len(s.split()), s))
        if len(fulls) > 1 and len(name_words) == 1:  # two people share the surname
            m.key, m.display = f"person:{surname}", att.name
        else:
            m.key = f"person:{surname}"
            m.display = longest if len(longest.split()) > len(name_words) else att.name
    elif m.kind == "name" and m.plural:  # "Washington and Islamabad": a joint source
        text = att.referent or att.source
        m.key, m.display = "group:" + _norm(text), text.removeprefix("the ").removeprefix("The ")
    elif m.kind == "name":
        n = _norm(att.name)
        canon = aliases().get(n, "")
        m.key = "name:" + (canon.lower() if canon else n)
        m.display = canon or att.name.removeprefix("the ").removeprefix("The ")
    elif m.kind == "unnamed":
        words = (att.referent or att.source).split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        m.display = " ".join(words)
        while words and words[0].lower() in DETERMINERS:
            words = words[1:]
        m.key = "np:" + " ".join(words).lower()


def resolve_sources(article, atts: list[Attribution], registry: Registry | None = None
                    ) -> list[dict]:
    """One dict per attribution: mention kind, canonical source, type, affiliation."""
    registry = registry or Registry()
    mentions = [_mention(article, a) for a in atts]
    chains = _name_chains(article)
    # Full person names known in the article (from the source phrases and the name chains).
    full_names: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "name" and m.entity == "PERSON" and len(m.att.name.split()) >= 2:
            full_names.setdefault(m.att.name.split()[-1].lower(), set()).add(m.att.name)
    for surname, cs in chains.items():
        for c in cs:
            n = _person_name(c)
            if len(n.split()) >= 2 and n.split()[-1] == surname:
                orig = " ".join(article.text[w[3]:w[3] + len(w[0])] for w in c
                                if w[0] in n.split())
                full_names.setdefault(surname, set()).add(orig)
    # NER may call a person an organisation in one sentence ("Ishaq Dar urged ..."): a short
    # name ending in the surname of a person named elsewhere in the article is that person.
    person_surnames = {m.att.name.split()[-1].lower() for m in mentions
                       if m.kind == "name" and m.entity == "PERSON"}
    for m in mentions:
        words = m.att.name.split()
        if (m.kind == "name" and m.entity == "ORG" and 1 <= len(words) <= 3
                and words[-1].lower() in person_surnames and not m.plural):
            m.entity = "PERSON"
    for m in mentions:
        _keys(m, full_names)
    # Pronouns: the nearest earlier source (or PERSON named earlier in the same sentence),
    # when exactly one candidate is in reach.
    for i, m in enumerate(mentions):
        if m.kind != "pronoun":
            continue
        p = m.att.source.lower()
        if p in SINGULAR_PRONOUNS and m.att.persons_before:
            off, name = m.att.persons_before[-1]
            surname = name.split()[-1].lower().removesuffix("'s").removesuffix("’s")
            m.key, m.display, m.surname = f"person:{surname}", name, surname
            m.kind = "pronoun_linked"
            continue
        cands = []
        for j in range(i - 1, -1, -1):  # not reversed(mentions[:i]): a copy per pronoun
            prev = mentions[j]
            if prev.att.sentence_id < m.att.sentence_id - PRONOUN_WINDOW:
                break
            if not prev.key or prev is m:
                continue
            if p in SINGULAR_PRONOUNS and prev.entity == "PERSON" and not prev.plural:
                cands.append(prev)
            elif p in PLURAL_PRONOUNS and (prev.plural or prev.entity in ("ORG", "GPE")
                                           or prev.kind == "unnamed"):
                cands.append(prev)
        if len({c.key for c in cands}) == 1:
            c = cands[0]
            m.key, m.display, m.surname, m.entity = c.key, c.display, c.surname, c.entity
            m.plural = c.plural
            m.kind = "pronoun_linked"
    # Group by key; classify once per source.
    groups: dict[str, list[_Mention]] = {}
    for m in mentions:
        if m.key:
            groups.setdefault(m.key, []).append(m)
    cls: dict[str, tuple[str, str, str, str]] = {}
    for key, ms in groups.items():
        named = [m for m in ms if m.kind != "pronoun_linked"] or ms
        display = max((m.display for m in ms), key=lambda s: (len(s.split()), s))
        surname = named[0].surname
        person_chains = chains.get(surname, []) if surname else []
        if named[0].kind == "pronoun_linked":
            # Antecedent named only in its own sentence: classify from the name chains.
            typ, aff = _classify_bare(display, person_chains)
        else:
            typ, aff = _classify(named, person_chains)
        by = "text"
        entry = registry.lookup([display, *{m.att.name for m in ms if m.att.name}],
                                surname if named[0].entity == "PERSON" else "")
        if entry is not None:
            display = entry.name
            typ = entry.type or typ
            aff = entry.affiliation or aff
            by = "registry"
        cls[key] = (display, typ, aff, by)
    out = []
    for m in mentions:
        if m.key:
            display, typ, aff, by = cls[m.key]
            kind = "pronoun" if m.kind == "pronoun_linked" else m.kind
        else:
            display, typ, aff, by, kind = "", "unknown", "unknown", "", "unresolved_pronoun"
        out.append({"mention": kind, "canonical_source": display, "source_type": typ,
                    "source_affiliation": aff, "classified_by": by, "key": m.key})
    return out


def _classify_bare(name: str, chains: list[list]) -> tuple[str, str]:
    words = [w for c in chains for w in c]
    typ = _role_type(words, True) if words else None
    aff = _affiliation(words, max((w[3] for w in words), default=0) + 1) if words else "unknown"
    return typ or "unknown", aff


# --------------------------------------------------------------------------- indices


def shannon_bits(counts) -> float:
    """Shannon entropy in bits of a vector of counts (NaN when the total is 0)."""
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    if total <= 0:
        return float("nan")
    p = c[c > 0] / total
    return float(-(p * np.log2(p)).sum()) + 0.0  # + 0.0: no negative zero


def gini_simpson(counts) -> float:
    """1 - sum(p^2): the chance two draws (with replacement) fall in different cells."""
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    if total <= 0:
        return float("nan")
    p = c / total
    return float(1.0 - (p * p).sum())


def _entropy_rows(m: np.ndarray) -> np.ndarray:
    tot = m.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, m / tot, 0.0)
        logs = np.where(p > 0, np.log2(np.where(p > 0, p, 1.0)), 0.0)
    h = -(p * logs).sum(axis=1) + 0.0  # + 0.0: no negative zero
    return np.where(tot[:, 0] > 0, h, np.nan)


def diversity(rows: list[dict], n_sentences: int = 0, idx: np.ndarray | None = None) -> dict:
    """The ``src_*`` columns from resolved attribution rows (``mention``, ``source_type``,
    ``source_affiliation``, ``kind``, ``key``, ``sentence_id``)."""
    n = len(rows)
    resolved = [r for r in rows if r["mention"] != "unresolved_pronoun"]
    cells = Counter((r["source_type"], r["source_affiliation"]) for r in resolved)
    keys = sorted(cells)
    counts = [cells[k] for k in keys]

    def share(pred) -> float:
        return sum(1 for r in rows if pred(r)) / n if n else float("nan")

    out = {
        "src_n_attributions": n,
        "src_n_unique": len({r["key"] for r in resolved}),
        "src_n_types": len({r["source_type"] for r in resolved} - {"unknown"}),
        "src_entropy": shannon_bits(counts),
        "src_entropy_lo": float("nan"), "src_entropy_hi": float("nan"),
        "src_simpson": gini_simpson(counts),
        "src_official_share": share(lambda r: r["source_type"] in OFFICIAL_TYPES),
        "src_pk_share": share(lambda r: r["source_affiliation"] == "Pakistan"),
        "src_us_share": share(lambda r: r["source_affiliation"] == "United States"),
        "src_other_share": share(lambda r: r["source_affiliation"] == "other"),
        "src_anonymous_share": share(lambda r: r["source_type"] == "unnamed/anonymous"),
        "src_direct_quote_share": share(lambda r: r["kind"] == "direct"),
    }
    if resolved and idx is not None and idx.size and n_sentences:
        # Counts per cell for the sentences with an attribution only; the resampled sums are
        # made a block of resamples at a time (``per_sent[idx]`` over all sentences is
        # resamples x sentences x cells: 7 GB for one article of 15,000 sentences).
        sents = sorted({r["sentence_id"] for r in resolved})
        row = {s: i for i, s in enumerate(sents)}
        per_sent = np.zeros((len(sents), len(keys)))
        col = {k: j for j, k in enumerate(keys)}
        for r in resolved:
            per_sent[row[r["sentence_id"]],
                     col[(r["source_type"], r["source_affiliation"])]] += 1
        boot = resampled_sums(idx, per_sent, np.array(sents))  # (n_resamples, cells)
        lo, hi = percentile_interval(_entropy_rows(boot))
        out["src_entropy_lo"], out["src_entropy_hi"] = lo + 0.0, hi + 0.0
    elif resolved:
        out["src_entropy_lo"] = out["src_entropy_hi"] = out["src_entropy"]
    return out


# --------------------------------------------------------------------------- scorer


class SourceScorer:
    """Attributions, their sources and the article's source-diversity indices.

    Parameters
    ----------
    registry : path of a source registry CSV, a :class:`Registry`, or None for
        ``data/sources.csv`` (empty when that file does not exist).
    """

    table_columns = {"attributions": ATTRIBUTION_COLUMNS}

    name = "sources"

    def __init__(self, registry=None):
        self.registry = registry
        self._registry = registry if isinstance(registry, Registry) else load_registry(registry)

    def columns(self) -> list[str]:
        return list(SOURCE_COLUMNS)

    def score(self, article, idx: np.ndarray) -> Scored:
        from .attribution import extract_attributions  # spaCy loads only when scoring

        atts = extract_attributions(article)
        resolved = resolve_sources(article, atts, self._registry)
        rows, evidence = [], []
        sent_by_id = {s.sentence_id: s for s in article.sentences}
        for att, res in zip(atts, resolved):
            ss, se = article.span_to_raw(att.start, att.end)
            cs, ce = article.span_to_raw(att.cue_start, att.cue_end)
            rows.append({
                "article_id": article.article_id, "sentence_id": att.sentence_id,
                "source": article.raw[ss:se], "source_start": ss, "source_end": se,
                "cue": article.raw[cs:ce], "cue_start": cs, "cue_end": ce,
                "content": att.content, "kind": att.kind, "mention": res["mention"],
                "canonical_source": res["canonical_source"], "source_type": res["source_type"],
                "source_affiliation": res["source_affiliation"],
                "classified_by": res["classified_by"], "key": res["key"],
                "source_key": res["key"],
            })
            s = sent_by_id[att.sentence_id]
            for feat, a, b, term in (("source", att.start, att.end, att.source),
                                     ("source_cue", att.cue_start, att.cue_end, att.cue)):
                evidence.append({"article_id": article.article_id,
                                 "sentence_id": att.sentence_id, "feature": feat,
                                 "term": term, "start": a - s.start, "end": b - s.start,
                                 "sentence": s.text})
        cols = diversity(rows, len(article.sentences), idx)
        table = [{c: r[c] for c in ATTRIBUTION_COLUMNS} for r in rows]
        return Scored(columns=cols, evidence=evidence, tables={"attributions": table})
