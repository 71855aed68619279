"""The shared parse: the indexed attribute ruler gives spaCy's own ruler's result, and the
networks multiplying through numpy instead of BLIS give the shipped pipeline's annotations."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from analysis.text import (MODEL_NAMES, IndexedAttributeRuler, UnsupportedPattern, get_nlp,
                           parse_text, uses_numpy_matmul)
from conftest import ARTICLES

# The model's exception rules (contractions, "gonna", "y'all", "nothin'", "let's", spaces,
# expletive "there", auxiliaries) and ordinary news prose.
SPECIAL = ("Y'all ain't gonna believe it, nothin' works. Let's go: he gave it to me.\n"
           "There is a dog.  I'd do it if I could, whether or not they'd have had it.\n"
           "It is there, and that is that; I'm here, you're there, we've gone, she's left.")


def _reference_nlp():
    """The installed model exactly as spaCy ships it (spaCy's attribute ruler, thinc's BLIS
    products), plus the project's line-break rule."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("block_boundaries", first=True)
    return nlp


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.mark.parametrize("disable", [["parser", "ner"], ["senter"]],
                         ids=["shared parse", "full parse"])
def test_project_pipeline_matches_shipped_pipeline_token_by_token(disable):
    nlp = get_nlp()
    assert type(nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert uses_numpy_matmul(nlp)
    ref = _reference_nlp()
    assert type(ref.get_pipe("attribute_ruler")) is AttributeRuler
    assert not uses_numpy_matmul(ref)
    texts = [SPECIAL, *ARTICLES.values()]
    ours = [_attrs(d) for d in nlp.pipe(texts, disable=disable)]
    theirs = [_attrs(d) for d in ref.pipe(texts, disable=disable)]
    assert sum(map(len, ours)) > 250
    for a, b in zip(ours, theirs):
        assert a == b
    # the exception rules did fire (else the comparison above proves little)
    lemmas = {t[0].lower(): t[4] for doc in ours[:1] for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go"


def _toy_rulers(patterns):
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    for p in patterns:
        ruler.add(**p)
    return nlp, ruler, IndexedAttributeRuler().load(ruler)


def test_indexed_ruler_semantics_on_toy_rules():
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"LOWER": {"IN": ["talks", "dialogue"]}, "TAG": "NN"}]],
         "attrs": {"POS": "PROPN"}},  # a later rule wins over the first
        {"patterns": [[{"LOWER": {"REGEX": "^te?st$"}}]], "attrs": {"LEMMA": "TEST"}},
        {"patterns": [[{"LOWER": "new"}, {"LOWER": "york"}]], "attrs": {"LEMMA": "NY"},
         "index": -1},
        {"patterns": [[{"TAG": {"NOT_IN": ["NN", "VB"]}, "IS_SPACE": False}]],
         "attrs": {"MORPH": "Foo=Bar"}},
        {"patterns": [[{}, {"LOWER": "end"}]], "attrs": {"LEMMA": "before-end"}},
    ]
    nlp, ruler, fast = _toy_rulers(patterns)
    words = ["talks", "in", "new", "york", "tst", "test", "go", "the", "end"]
    tags = ["NN", "IN", "JJ", "NNP", "NN", "NN", "VB", "DT", "NN"]

    def doc():
        d = spacy.tokens.Doc(nlp.vocab, words=words)
        for t, tag in zip(d, tags):
            t.tag_ = tag
        return d

    a, b = ruler(doc()), fast(doc())
    assert _attrs(a) == _attrs(b)
    assert [t.pos_ for t in b][:1] == ["PROPN"] and b[3].lemma_ == "NY"
    assert b[4].lemma_ == b[5].lemma_ == "TEST" and b[7].lemma_ == "before-end"
    assert str(b[1].morph) == "Foo=Bar" and str(b[0].morph) == ""


def test_unsupported_rules_keep_spacys_ruler():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add(patterns=[[{"LOWER": "a", "OP": "+"}]], attrs={"LEMMA": "x"})
    with pytest.raises(UnsupportedPattern):
        IndexedAttributeRuler().load(ruler)


def test_shared_parse_lemmas_and_sentences():
    art = parse_text("Drones were used.\nHeading Line\nThe talks resumed in 2024.")
    assert [s.text for s in art.sentences] == ["Drones were used.", "Heading Line",
                                               "The talks resumed in 2024."]
    assert [t.lemma_ for t in art.doc if t.text in ("Drones", "were", "talks")] == [
        "drone", "be", "talk"]
