"""The model file of a learned measure: a weighted dictionary in YAML, read and checked here.

A learned measure is a linear model over words and phrases of the shared parse (and, when
asked, named numeric features such as ``vader_compound``). Its file is plain YAML a person can
read and edit: no pickle, no code. It is read with the safe loader (:mod:`analysis.safe_yaml`,
aliases refused) and checked: a problem raises :class:`ModelError` naming the file and line.
:func:`dump_model` writes it back byte-stable (keys in a fixed order, weights rounded to
:data:`DECIMALS` places, terms sorted by weight, then alphabetically).

::

    format: analysis-learned-model      # fixed tag
    version: 1
    name: economic                      # the column: learned_economic
    kind: binary                        # binary | categories | rating
    label: theme                        # the label column it was trained on
    categories: ['0', '1']              # binary: [negative, positive] as coded; categories:
                                        #   every category; rating: omitted
    unit: article                       # article: the whole text is one item; sentence: each
                                        #   body sentence is scored, the article is their mean
    link: logistic                      # logistic (binary) | softmax (categories) | identity
    featurise:                          # how a text becomes features (training = applying)
      words: lower                      # lower-cased alphabetic tokens | lemma (their lemmas)
      stop_words: keep                  # keep | drop (spaCy's English stop words left out)
      negation: 3                       # a negator (lexicons/negators.txt) marks the next 3
                                        #   words of its clause: "not_guilty"; 0: off
      phrases: 2                        # word n-grams up to this length within a clause
      value: log_count                  # log_count (1 + ln count) | binary (present or not)
      idf: true                         # times the feature's idf (the table idf: below), or
      idf_unseen: 7.4787                #   this for a feature the table does not list
      norm: l2                          # l2: divided by the root of the sum of squares of every
                                        #   feature of the item (in the model or not) | none
      numeric:                          # named numeric features, standardised
        vader_compound: {center: 0.02, scale: 0.41}
    weights:                            # one block per output
      '1':                              # binary: the positive category; categories: each one;
        intercept: -1.2034              #   rating: value
        numeric: {vader_compound: 0.5}
        terms: {economy: 2.1031, tax: 1.5112, shooting: -0.9021}
        phrases: {tax cut: 0.8123, not_guilty: ...}
    idf: {economy: 4.1234, ...}         # ln((1 + n) / (1 + items with it)) + 1, training items
    training: {...}                     # provenance: n, label counts, data SHA-256, recipe,
                                        #   cross-validated metrics beside a baseline, version

Scoring an item (:mod:`analysis.measures.learned.featurise` makes the features): for every
output ``o``, ``z_o = intercept_o + sum_f w_of * x_f + sum_k v_ok * (n_k - center_k) / scale_k``
over the terms and phrases ``f`` of the item (``x_f``: value times idf, then the norm) and the
numeric features ``k``. ``logistic``: the probability ``1 / (1 + exp(-z))``; ``softmax``:
``exp(z_o) / sum exp(z)``, one probability per category; ``identity``: ``z`` is the rating.
A term missing from ``weights`` weighs 0; deleting its line there removes it and changes no
other value (the norm counts every feature of the item, with the ``idf`` table's values), so an
edit only moves the items that hold the term.

Columns: binary ``learned_<name>``; categories ``learned_<name>_<category>``; rating
``learned_<name>``; each with its ``_lo``/``_hi`` sentence-bootstrap interval.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...config import display_path
from ...errors import LexiconError
from ...safe_yaml import compose_yaml
from .numeric import NUMERIC
from .reader import Reader

__all__ = ["FORMAT", "VERSION", "KINDS", "LINKS", "DECIMALS", "ModelError", "Featurise",
           "Weights", "LearnedModel", "load_model", "parse_model", "dump_model", "model_columns",
           "column_key"]

FORMAT = "analysis-learned-model"
VERSION = 1
KINDS = {"binary": "logistic", "categories": "softmax", "rating": "identity"}
LINKS = tuple(dict.fromkeys(KINDS.values()))
UNITS = ("article", "sentence")
VALUES = ("binary", "log_count")
NORMS = ("l2", "none")
DECIMALS = 4  # weights and intercepts: byte-stable files, readable numbers
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_KEYS = ("format", "version", "name", "kind", "label", "categories", "unit", "link",
         "featurise", "weights", "idf", "training")
_FEAT_KEYS = ("words", "stop_words", "negation", "phrases", "value", "idf", "idf_unseen", "norm",
              "numeric")
_BLOCK_KEYS = ("intercept", "numeric", "terms", "phrases")


class ModelError(LexiconError):
    """A model file that cannot be used; ``str(err)`` names the file and line."""

    def __init__(self, source: str, line: int | None, problem: str):
        self.source, self.line, self.problem = source, line, problem
        super().__init__(f"{source}, line {line}: {problem}" if line else f"{source}: {problem}")


@dataclass(frozen=True)
class Featurise:
    """How an item becomes features (see the module docstring)."""

    words: str = "lower"
    stop_words: str = "keep"
    negation: int = 3
    phrases: int = 2
    value: str = "log_count"
    idf: bool = True
    idf_unseen: float = 1.0
    norm: str = "l2"
    numeric: tuple[tuple[str, float, float], ...] = ()  # (name, center, scale)

    def as_dict(self) -> dict:
        return {"words": self.words, "stop_words": self.stop_words, "negation": self.negation,
                "phrases": self.phrases, "value": self.value, "idf": self.idf,
                **({"idf_unseen": _r(self.idf_unseen)} if self.idf else {}), "norm": self.norm,
                **({"numeric": {n: {"center": _r(c), "scale": _r(s)}
                                for n, c, s in self.numeric}} if self.numeric else {})}


@dataclass(frozen=True)
class Weights:
    """The weights of one output: intercept, numeric features, terms (one word) and phrases."""

    intercept: float
    terms: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, float] = field(default_factory=dict)
    numeric: dict[str, float] = field(default_factory=dict)

    def features(self) -> dict[str, float]:
        """Terms and phrases together: feature -> weight."""
        return {**self.terms, **self.phrases}


@dataclass(frozen=True)
class LearnedModel:
    """A parsed model file (see the module docstring)."""

    name: str
    kind: str
    label: str
    categories: tuple[str, ...]
    unit: str
    link: str
    featurise: Featurise
    weights: dict[str, Weights]  # output -> weights, in file order
    idf: dict[str, float] = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    source: str = ""

    @property
    def outputs(self) -> list[str]:
        return list(self.weights)

    def columns(self) -> list[str]:
        """The feature columns it adds (without the interval twins)."""
        return model_columns(self)


def _r(x: float) -> float:
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v  # no negative zero


def column_key(text: str) -> str:
    """A category as part of a column name: lower case, runs of other characters as ``_``."""
    key = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")
    return key or "x"


def model_columns(model: LearnedModel) -> list[str]:
    """``learned_<name>`` (binary, rating) or ``learned_<name>_<category>`` (categories)."""
    base = f"learned_{model.name}"
    if model.kind == "categories":
        return [f"{base}_{column_key(c)}" for c in model.outputs]
    return [base]


# ---------------------------------------------------------------------------------------------
# Reading and checking


def parse_model(text: str, source: str = "<model>") -> LearnedModel:
    """Parse and check the text of a model file.

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        The file's name in error messages.

    Returns
    -------
    LearnedModel

    Raises
    ------
    ModelError
        The first problem, with its line: not YAML, an alias, an unknown or missing key, a
        kind, link or unit the format does not have, a weight that is not a number, outputs
        that do not match the kind and categories, a numeric feature without its scaling.
    """
    rd = Reader(source, ModelError)
    root = compose_yaml(text, source, ModelError, what="weights", fast=True)
    if root is None:
        raise ModelError(source, None, "empty file; a model file starts with "
                         f"'format: {FORMAT}'")
    top = rd.mapping(root, "the model file", _KEYS)
    for key in ("format", "version", "name", "kind", "label", "featurise", "weights"):
        if key not in top:
            raise rd.fail(root, f"missing key {key!r} (a model file has: {', '.join(_KEYS)})")
    fmt = rd.text(top["format"][1], "format")
    if fmt != FORMAT:
        raise rd.fail(top["format"][1], f"format {fmt!r}: not a model file of this tool "
                      f"(expected {FORMAT!r})")
    version = rd.integer(top["version"][1], "version", 1, 10**6)
    if version != VERSION:
        raise rd.fail(top["version"][1], f"version {version}: this tool reads version {VERSION}")
    name = rd.text(top["name"][1], "name")
    if not _NAME.match(name):
        raise rd.fail(top["name"][1], f"name {name!r}: lower-case letters, digits and _, "
                      "starting with a letter (it becomes the column learned_<name>)")
    kind = rd.choice(top["kind"][1], "kind", tuple(KINDS))
    label = rd.text(top["label"][1], "label")
    unit = rd.choice(top["unit"][1], "unit", UNITS) if "unit" in top else "article"
    link = rd.choice(top["link"][1], "link", LINKS) if "link" in top else KINDS[kind]
    if link != KINDS[kind]:
        raise rd.fail(top["link"][1], f"link {link!r} does not fit kind {kind!r} "
                      f"(use {KINDS[kind]!r})")
    categories: tuple[str, ...] = ()
    if "categories" in top:
        cnode = top["categories"][1]
        if not isinstance(cnode, yaml.SequenceNode):
            raise rd.fail(cnode, "categories must be a list")
        categories = tuple(rd.text(c, "a category") for c in cnode.value)
        if len(set(categories)) != len(categories):
            raise rd.fail(cnode, "categories: a category appears twice")
    feat = _featurise(rd, top["featurise"][1])
    wnode = top["weights"][1]
    blocks = rd.mapping(wnode, "weights")
    expected = _expected_outputs(rd, root, kind, categories)
    if list(blocks) != expected:
        raise rd.fail(wnode, f"weights: the outputs must be {expected} for kind {kind!r} "
                      f"with categories {list(categories)}, got {list(blocks)}")
    numeric_names = {n for n, _, _ in feat.numeric}
    weights = {}
    for out, (_kn, bnode) in blocks.items():
        b = rd.mapping(bnode, f"weights of {out!r}", _BLOCK_KEYS)
        if "intercept" not in b:
            raise rd.fail(bnode, f"weights of {out!r}: no intercept")
        w = Weights(intercept=rd.number(b["intercept"][1], f"intercept of {out!r}"),
                    terms=rd.weights(b["terms"][1], "term") if "terms" in b else {},
                    phrases=rd.weights(b["phrases"][1], "phrase") if "phrases" in b else {},
                    numeric=rd.weights(b["numeric"][1], "numeric") if "numeric" in b else {})
        _check_terms(rd, b, w, feat)
        unknown = sorted(set(w.numeric) - numeric_names)
        if unknown:
            raise rd.fail(b["numeric"][1], f"numeric feature {unknown[0]!r} has a weight but "
                          "no scaling under featurise: numeric")
        weights[out] = w
    idf = rd.weights(top["idf"][1], "idf of") if "idf" in top else {}
    if feat.idf and not idf:
        raise rd.fail(root, "featurise: idf is true but the file has no idf table")
    bad = next((k for k, v in idf.items() if v <= 0), None)
    if bad is not None:
        raise rd.fail(top["idf"][1], f"idf of {bad!r} must be positive")
    training = {}
    if "training" in top:
        training = yaml.safe_load(yaml.serialize(top["training"][1])) or {}
        if not isinstance(training, dict):
            raise rd.fail(top["training"][1], "training must be a mapping")
    return LearnedModel(name=name, kind=kind, label=label, categories=categories, unit=unit,
                        link=link, featurise=feat, weights=weights, idf=idf, training=training,
                        source=source)


def _expected_outputs(rd: Reader, root, kind: str, categories: tuple[str, ...]) -> list[str]:
    if kind == "binary":
        if len(categories) != 2:
            raise rd.fail(root, "a binary model lists its two categories: [negative, positive]")
        return [categories[1]]
    if kind == "categories":
        if len(categories) < 2:
            raise rd.fail(root, "a categories model lists at least two categories")
        return list(categories)
    if categories:
        raise rd.fail(root, "a rating model has no categories")
    return ["value"]


def _check_terms(rd: Reader, b: dict, w: Weights, feat: Featurise) -> None:
    for key, table, lo, hi in (("terms", w.terms, 1, 1), ("phrases", w.phrases, 2, feat.phrases)):
        for term in table:
            n = len(term.split())
            if term != " ".join(term.split()) or not lo <= n <= max(hi, lo):
                what = "one word" if key == "terms" else f"2 to {feat.phrases} words"
                raise rd.fail(b[key][1], f"{key[:-1]} {term!r}: {key} are {what} "
                              "(lower case, single spaces)")


def _featurise(rd: Reader, node) -> Featurise:
    f = rd.mapping(node, "featurise", _FEAT_KEYS)
    kw: dict = {}
    if "words" in f:
        kw["words"] = rd.choice(f["words"][1], "featurise: words", ("lemma", "lower"))
    if "stop_words" in f:
        kw["stop_words"] = rd.choice(f["stop_words"][1], "featurise: stop_words",
                                     ("drop", "keep"))
    if "negation" in f:
        kw["negation"] = rd.integer(f["negation"][1], "featurise: negation", 0, 10)
    if "phrases" in f:
        kw["phrases"] = rd.integer(f["phrases"][1], "featurise: phrases", 1, 4)
    if "value" in f:
        kw["value"] = rd.choice(f["value"][1], "featurise: value", VALUES)
    if "idf" in f:
        flag = rd.text(f["idf"][1], "featurise: idf").lower()
        if flag not in ("true", "false", "yes", "no"):
            raise rd.fail(f["idf"][1], f"featurise: idf {flag!r}: true or false")
        kw["idf"] = flag in ("true", "yes")
    if kw.get("idf", True):
        if "idf_unseen" not in f:
            raise rd.fail(node, "featurise: idf_unseen is missing (the idf of a feature the "
                          "idf table does not list)")
        kw["idf_unseen"] = rd.number(f["idf_unseen"][1], "featurise: idf_unseen")
        if kw["idf_unseen"] <= 0:
            raise rd.fail(f["idf_unseen"][1], "featurise: idf_unseen must be positive")
    if "norm" in f:
        kw["norm"] = rd.choice(f["norm"][1], "featurise: norm", NORMS)
    if "numeric" in f:
        numeric = []
        for nm, (kn, vn) in rd.mapping(f["numeric"][1], "featurise: numeric").items():
            if nm not in NUMERIC:
                raise rd.fail(kn, f"numeric feature {nm!r} is not known (known: "
                              f"{', '.join(sorted(NUMERIC))})")
            s = rd.mapping(vn, f"numeric feature {nm!r}", ("center", "scale"))
            if set(s) != {"center", "scale"}:
                raise rd.fail(vn, f"numeric feature {nm!r} needs center and scale")
            scale = rd.number(s["scale"][1], f"scale of {nm!r}")
            if scale <= 0:
                raise rd.fail(s["scale"][1], f"scale of {nm!r} must be positive")
            numeric.append((nm, rd.number(s["center"][1], f"center of {nm!r}"), scale))
        kw["numeric"] = tuple(numeric)
    return Featurise(**kw)


def load_model(path: str | Path) -> LearnedModel:
    """Read and check a model file.

    Returns
    -------
    LearnedModel
        ``source`` is the path as given (inside the project: relative to its root).

    Raises
    ------
    ModelError
        No such file, not UTF-8, or a problem in it (with its line).
    """
    p = Path(path)
    label = display_path(p) if p.is_absolute() else str(path)
    if not p.is_file():
        raise ModelError(label, None, "no such model file")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ModelError(label, None, f"not valid UTF-8 (byte {err.start})") from None
    return parse_model(text, label)


# ---------------------------------------------------------------------------------------------
# Writing


def _sorted_weights(table: dict[str, float]) -> dict[str, float]:
    """Rounded, zeros dropped, largest weight first, ties alphabetically."""
    items = [(k, _r(v)) for k, v in table.items()]
    return dict(sorted(((k, v) for k, v in items if v != 0), key=lambda kv: (-kv[1], kv[0])))


def model_dict(model: LearnedModel) -> dict:
    """The model as the plain mapping :func:`dump_model` writes (rounded, sorted)."""
    out: dict = {"format": FORMAT, "version": VERSION, "name": model.name, "kind": model.kind,
                 "label": model.label}
    if model.categories:
        out["categories"] = list(model.categories)
    out.update({"unit": model.unit, "link": model.link, "featurise": model.featurise.as_dict()})
    out["weights"] = {}
    for o, w in model.weights.items():
        block: dict = {"intercept": _r(w.intercept)}
        if w.numeric:
            block["numeric"] = {k: _r(v) for k, v in sorted(w.numeric.items())}
        block["terms"] = _sorted_weights(w.terms)
        block["phrases"] = _sorted_weights(w.phrases)
        out["weights"][o] = block
    if model.idf:
        out["idf"] = {k: _r(v) for k, v in sorted(model.idf.items())}
    if model.training:
        out["training"] = model.training
    return out


def dump_model(model: LearnedModel) -> str:
    """The YAML text of a model file: the same model, the same bytes.

    Examples
    --------
    >>> m = LearnedModel(name="x", kind="rating", label="score", categories=(), unit="article",
    ...                  link="identity", featurise=Featurise(),
    ...                  weights={"value": Weights(0.5, terms={"tax": 0.123456})})
    >>> parse_model(dump_model(m)).weights["value"].terms
    {'tax': 0.1235}
    """
    header = (f"# A learned measure of python -m analysis (learn): a weighted dictionary.\n"
              f"# Format: analysis/measures/learned/model.py. Columns: "
              f"{', '.join(model_columns(model))}.\n")
    return header + yaml.safe_dump(model_dict(model), sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=100)
