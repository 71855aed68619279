"""The shared parse: the indexed attribute ruler gives spaCy's own ruler's result, and the
networks multiplying through numpy instead of BLIS and the lemmatizer's word lists as sets give
the shipped pipeline's annotations."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from analysis.text import (MODEL_NAMES, IndexedAttributeRuler, UnsupportedPattern, get_nlp,
                           parse_text, uses_numpy_matmul)
from conftest import ARTICLES

# Inflected words whose lemma the rule lemmatizer finds through its word lists (lemma_index)
# or, for unknown words, falls back on.
INFLECTED = ("The senators were quizzing the ministries about blurfed zorbles, the wolves "
             "grazed, and the happiest analysts had clearer, tidier and sillier theories.")

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
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert all(isinstance(words, frozenset)
               for words in lemmatizer.lookups.get_table("lemma_index").values())
    texts = [SPECIAL, INFLECTED, *ARTICLES.values()]
    ours = [_attrs(d) for d in nlp.pipe(texts, disable=disable)]
    theirs = [_attrs(d) for d in ref.pipe(texts, disable=disable)]
    assert sum(map(len, ours)) > 250
    for a, b in zip(ours, theirs):
        assert a == b
    # the exception rules did fire (else the comparison above proves little)
    lemmas = {t[0].lower(): t[4] for doc in ours[:1] for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go"
    lemmas = {t[0].lower(): t[4] for t in ours[1]}
    assert (lemmas["ministries"], lemmas["wolves"], lemmas["happiest"]) == (
        "ministry", "wolf", "happy")


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


def test_block_starts_prefer_paragraphs_then_lines_then_spaces():
    from analysis.text import block_starts

    text = "aaaa bbbb\ncccc\n\ndddd eeee\nffff gggg hhhh iiii"
    assert block_starts(text, 100) == [0]
    # The blank line (16), then a line break (26), then the last space that fits (41).
    assert block_starts(text, 18) == [0, 16, 26, 41]
    starts = block_starts("x" * 7 + " " + "y" * 30, 10)
    assert starts[:2] == [0, 8]  # the last space; a longer run is cut anywhere
    assert all(b - a <= 10 for a, b in zip(starts, starts[1:]))


def test_heading_test_equals_is_heading_for_any_spans():
    import random

    from analysis.text import _heading_test

    rng = random.Random(1)
    for _ in range(200):
        spans = [tuple(sorted(rng.sample(range(60), 2))) for _ in range(rng.randint(0, 6))]
        test = _heading_test(spans)
        assert [test(x) for x in range(62)] == [any(a <= x < b for a, b in spans)
                                                for x in range(62)]


def test_line_breaks_start_sentences_as_the_character_offsets_say():
    import random
    import re
    from bisect import bisect_right

    from spacy.attrs import IDX

    from analysis.text import block_boundaries

    def by_offsets(doc):  # the rule read off the text: the token after each line break
        starts = doc.to_array(IDX).tolist()
        for m in re.finditer("\n", doc.text):
            i = bisect_right(starts, m.start())
            if 1 <= i < len(doc):
                doc[i].is_sent_start = True
        return doc

    nlp = get_nlp()
    rng = random.Random(2)
    spaces = [" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\r\n", "\u2028", "\u00a0", " \n\n "]
    for _ in range(200):
        text = "".join(rng.choice(["Word", "x.", "Hi!", "(a)", "-", "U.S."]) + rng.choice(spaces)
                       for _ in range(rng.randint(1, 25)))
        a, b = by_offsets(nlp.make_doc(text)), block_boundaries(nlp.make_doc(text))
        assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b], repr(text)


def test_joined_blocks_equal_doc_from_docs():
    import numpy as np
    from spacy.tokens import Doc

    from analysis.nlp import shared_disable
    from analysis.text import join_docs

    nlp = get_nlp()
    docs = list(nlp.pipe(list(ARTICLES.values()), disable=shared_disable(nlp)))
    a, b = Doc.from_docs(docs, ensure_whitespace=False), join_docs(docs)
    attrs = list(Doc._get_array_attrs())
    assert a.text == b.text == "".join(ARTICLES.values())
    assert np.array_equal(a.to_array(attrs), b.to_array(attrs))
    assert np.array_equal(a.tensor, b.tensor)
    assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b]
