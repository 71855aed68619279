"""User dictionaries: the three formats, their errors (file, line, problem), matching."""

from __future__ import annotations

import unicodedata

import pytest

from analysis.errors import AnalysisError, LexiconError
from analysis.dictionaries import (DictionaryError, compile_dictionaries, load_dictionary,
                                   parse_liwc, parse_table, parse_yaml)
from analysis.text import parse_text

YAML = """\
# a comment
Economy:
  trade:
    - tariff*
    - free trade
  money: [cash, "£"]
tech stuff: drone
"""

LIWC = """\
%
1\ttechnology
2\teconomics
%
comput*\t1
drone\t1
trade deal\t2
money\t2 1
"""


def _patterns(d, key):
    return [p.text for p in d.categories[key]]


def test_yaml_nested_keys_wildcards_multiword():
    d = parse_yaml(YAML, "x.yml")
    assert list(d.categories) == ["economy", "tech_stuff"]
    assert _patterns(d, "economy") == ["tariff*", "free trade", "cash", "£"]
    assert _patterns(d, "tech_stuff") == ["drone"]
    assert d.categories["economy"][1].line == 5


@pytest.mark.parametrize("text, line, needle", [
    ("a: [x\nb: y\n", 2, "YAML syntax"),
    ("- a\n- b\n", 1, "top level must be a mapping"),
    ("a:\n  - x\n  -\n", 3, "empty pattern"),
    ("a: [x]\nb: [y]\na: [z]\n", 3, "repeated"),
    ("a:\n  - x\n  - '*'\n", 3, "only wildcards"),
    ("a:\n  - [x, y]\n", 2, "must be patterns"),
    ("a:\n", 1, "empty value"),
    ("'!!': [x]\n", 1, "no letters or digits"),
])
def test_yaml_errors_name_file_line_problem(text, line, needle):
    with pytest.raises(DictionaryError) as err:
        parse_yaml(text, "bad.yml")
    assert err.value.line == line
    assert str(err.value).startswith(f"bad.yml:{line}: ")
    assert needle in str(err.value)
    assert isinstance(err.value, LexiconError) and isinstance(err.value, AnalysisError)


def _error_at(parse, text, name, line, needle) -> DictionaryError:
    """``parse(text, name)`` fails at ``line`` with a message containing ``needle``."""
    with pytest.raises(DictionaryError) as err:
        parse(text, name)
    assert err.value.line == line and needle in str(err.value)
    return err.value


def test_liwc_parses_header_and_multiple_categories():
    d = parse_liwc(LIWC, "x.dic")
    assert _patterns(d, "technology") == ["comput*", "drone", "money"]
    assert _patterns(d, "economics") == ["trade deal", "money"]


def test_liwc_space_separated_multiword():
    d = parse_liwc("%\n1 a\n%\nkind of 1\n", "x.dic")
    assert _patterns(d, "a") == ["kind of"]


@pytest.mark.parametrize("text, line, needle", [
    ("1\ta\n%\nx\t1\n", 1, "must start with a '%'"),
    ("%\n1\ta\n%\nx\t3\n", 4, "not in the header"),
    ("%\n1\ta\n%\nfoo\n", 4, "no category number"),
    ("%\n1\ta\n%\nfoo\tone\n", 4, "not a number"),
    ("%\nx\ta\n%\n", 2, "'<number> <category name>'"),
    ("%\n1\ta\n1\tb\n%\n", 3, "defined twice"),
])
def test_liwc_errors(text, line, needle):
    err = _error_at(parse_liwc, text, "bad.dic", line, needle)
    assert str(err).startswith(f"bad.dic:{line}: ")


def test_liwc_header_not_closed():
    with pytest.raises(DictionaryError, match="not closed"):
        parse_liwc("%\n1\ta\n", "bad.dic")


def test_tsv_with_header_and_comments():
    d = parse_table("category\tpattern\n# note\n\nrisk\tuncertain*\nrisk\tmay be\n", "x.tsv")
    assert _patterns(d, "risk") == ["uncertain*", "may be"]


def test_csv_variant():
    d = parse_table('category,pattern\ncost,"cost of living"\n', "x.csv", delimiter=",")
    assert _patterns(d, "cost") == ["cost of living"]


@pytest.mark.parametrize("text, line, needle", [
    ("a\tb\tc\n", 1, "found 3"),
    ("ok\tx\n\tb\n", 2, "empty category"),
    ("ok\tx\n# c\na\t \n", 3, "empty pattern"),
    ("just one field\n", 1, "found 1"),
])
def test_tsv_errors(text, line, needle):
    _error_at(parse_table, text, "bad.tsv", line, needle)


def test_load_dictionary_by_suffix(tmp_path):
    (tmp_path / "d.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "d.dic").write_text(LIWC, encoding="utf-8")
    (tmp_path / "d.tsv").write_text("k\tv\n", encoding="utf-8")
    assert list(load_dictionary(tmp_path / "d.yaml").categories) == ["economy", "tech_stuff"]
    assert list(load_dictionary(tmp_path / "d.dic").categories) == ["technology", "economics"]
    assert list(load_dictionary(tmp_path / "d.tsv").categories) == ["k"]
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DictionaryError, match="unknown dictionary format"):
        load_dictionary(tmp_path / "d.json")
    with pytest.raises(DictionaryError, match="no such file"):
        load_dictionary(tmp_path / "missing.yml")
    (tmp_path / "latin.tsv").write_bytes(b"k\tv\nk\tcaf\xe9\n")
    with pytest.raises(DictionaryError) as err:
        load_dictionary(tmp_path / "latin.tsv")
    assert err.value.line == 2 and "UTF-8" in str(err.value)


def test_same_key_in_two_dictionaries_is_an_error():
    a = parse_yaml("k: [x]\n", "a.yml")
    b = parse_table("k\ty\n", "b.tsv")
    with pytest.raises(DictionaryError, match="already defined in a.yml"):
        compile_dictionaries([a, b])


def _terms(comp, text):
    art = parse_text(text)
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    return [(m.category, m.term, art.doc[m.tok_start:m.tok_end].text)
            for m in comp.match_doc(art.doc, spans)]


def test_lemma_wildcard_multiword_and_hyphen_matching():
    d = parse_yaml("tech: [drone, cyber*, emerging technology, intelligence sharing]\n"
                   "econ: [econom*, cost of living]\n", "t.yml")
    comp = compile_dictionaries([d])
    got = _terms(comp, "Drones hit. A drone flew. Cyberattacks and emerging technologies "
                       "grew. Intelligence-sharing helps the economy. Costs of living rose.")
    assert ("tech", "drone", "Drones") in got and ("tech", "drone", "drone") in got
    assert ("tech", "cyber*", "Cyberattacks") in got
    assert ("tech", "emerging technology", "emerging technologies") in got
    assert ("tech", "intelligence sharing", "Intelligence-sharing") in got
    assert ("econ", "econom*", "economy") in got
    assert ("econ", "cost of living", "Costs of living") in got
    assert len(got) == 7


def test_overlaps_count_once_per_category_and_phrases_stay_in_a_sentence():
    d = parse_yaml("t: [technology, emerging technology]\nu: [technology]\n"
                   "p: [end start]\n", "t.yml")
    comp = compile_dictionaries([d])
    got = _terms(comp, "New emerging technology. The end. Start again.")
    assert [g for g in got if g[0] == "t"] == [("t", "emerging technology",
                                                  "emerging technology")]
    assert [g for g in got if g[0] == "u"] == [("u", "technology", "technology")]
    assert not [g for g in got if g[0] == "p"]  # "end. Start" crosses a sentence break


def test_gerund_pattern_does_not_widen_to_its_verb():
    comp = compile_dictionaries([parse_yaml("t: [gaming]\n", "t.yml")])
    assert _terms(comp, "The game was won. Gaming grew.") == [("t", "gaming", "Gaming")]


@pytest.mark.parametrize("text, line", [
    ("a: &shared [drone, robot]\nb: *shared\n", 2),
    ("base: &b {x: [drone]}\ntech:\n  <<: *b\n  y: [robot]\n", 3),  # a merge key is an alias
    ("a:\n  - drone\n  - &r robot\nb:\n  - *r\n", 5),
])
def test_yaml_aliases_are_refused_at_their_line(text, line):
    with pytest.raises(DictionaryError) as err:
        parse_yaml(text, "d.yml")
    assert err.value.line == line
    assert str(err.value).startswith(f"d.yml:{line}: YAML alias *")
    assert "not allowed" in str(err.value)


def test_an_anchor_without_alias_is_harmless():
    d = parse_yaml("a: &x [drone, robot]\nb: [cyber*]\n", "d.yml")
    assert [p.text for p in d.categories["a"]] == ["drone", "robot"]


def test_deep_nesting_is_a_dictionary_error():
    with pytest.raises(DictionaryError):
        parse_yaml("a: " + "[" * 5000 + "x" + "]" * 5000 + "\n", "deep.yml")


def test_repeats_in_a_large_category_count_once():
    words = [f"w{k}" for k in range(5000)]
    d = parse_table("\n".join(f"big\t{w}" for w in words + words[::-1]), "big.tsv")
    assert [p.text for p in d.categories["big"]] == words
    assert [p.line for p in d.categories["big"]][:2] == [1, 2]


def test_package_dictionaries_are_read_by_suffix_like_user_files():
    from importlib import resources

    from analysis.dictionaries import parse_dictionary
    from analysis.lexicon import read_dictionary

    for name in ("frames.yml", "sense_anchored.tsv"):
        d = read_dictionary(name)
        assert d.source == f"analysis/lexicons/{name}"
        path = resources.files("analysis").joinpath("lexicons", name)
        user = load_dictionary(path)
        assert {k: [(p.text, p.line) for p in v] for k, v in d.categories.items()} == \
            {k: [(p.text, p.line) for p in v] for k, v in user.categories.items()}
    with pytest.raises(DictionaryError, match=r"x\.json: unknown dictionary format '\.json'"):
        parse_dictionary("{}", "x.json")


def test_greek_and_other_scripts_are_category_keys():
    """A Greek category was refused as having "no letters or digits"; keys stay in their
    script (not transliterated), lower-cased, NFC, with only letters, digits, marks and _."""
    d = parse_yaml("Οικονομία: [εμπόριο]\nΑσφάλεια και Άμυνα: [στρατός]\nÉconomie: [prix]\n"
                   "Tech Stuff!: [drone]\n", "el.yml")
    assert list(d.categories) == ["οικονομία", "ασφάλεια_και_άμυνα", "économie", "tech_stuff"]
    assert all(f"emph_{k}".replace("_", "").isalnum() for k in d.categories)
    dec = "Οικονομία"  # the same key written decomposed (NFD) is the same key
    nfd = unicodedata.normalize("NFD", "Οικονομία")
    with pytest.raises(DictionaryError, match="defined twice"):
        parse_yaml(f"{dec}: [a]\n'{nfd}': [b]\n", "el.yml")
    with pytest.raises(DictionaryError, match="no letters or digits"):
        parse_yaml("'\u200e!!\u200f': [x]\n", "bad.yml")  # direction marks are not letters


def test_greek_category_matches_greek_text():
    comp = compile_dictionaries([parse_yaml("Οικονομία: [εμπόριο]\n", "el.yml")])
    got = _terms(comp, "Το εμπόριο αυξήθηκε.")
    assert got == [("οικονομία", "εμπόριο", "εμπόριο")]


def test_a_pattern_with_commas_is_a_list_written_as_text():
    with pytest.raises(DictionaryError) as err:
        parse_yaml("economy:\n  trade: 'tariff*, free trade, jobs'\n", "d.yml")
    assert err.value.line == 2
    assert "write a list: [tariff*, free trade, jobs]" in str(err.value)
