"""Boilerplate removal, mojibake repair, headings and sentence boundaries."""

from __future__ import annotations

import pytest

from analysis.attribution import extract_attributions
from analysis.config import RAW_DIR
from analysis.clean import boilerplate_rules, clean_text
from analysis.text import parse_text

# Boilerplate lines as they occur in the five articles of data/raw, each with its rule.
BOILERPLATE = [
    ("HomeWorldUS Pakistan Counterterrorism Dialogue: Renewed Push", "breadcrumb"),
    ("Follow us on Instagram, YouTube, Facebook,, X and TikTok for latest updates", "follow_us"),
    ("Follow us on:", "follow_us"),
    ("Read: Pakistan Aviation Reporters Association Formed to Boost Professional Standards",
     "read_also"),
    ("Read Next", "read_next"),
    ("Related Stories", "read_next"),
    ("Download IPFS", "download"),
    ("Disclaimer:", "disclaimer"),
    ("The views and opinions expressed in this article are exclusively those of the author.",
     "views_expressed"),
    ("— Categories: Defence & Security", "category_banner"),
    ("August 20, 2025", "date_banner"),
]

# Substantive lines that look a little like boilerplate and must stay.
KEEP = [
    "Read the statement in full, officials said on Tuesday.",
    "Home Minister Mohsin Naqvi met the delegation.",
    "On August 12, 2025, Islamabad once again became the venue for talks.",
    "Related talks will follow in Washington next month.",
    "Disclaimers aside, the talks mattered.",
]


@pytest.mark.parametrize("line,rule", BOILERPLATE)
def test_boilerplate_line_is_removed_with_its_rule(line, rule):
    c = clean_text(f"A body sentence comes first.\n{line}\nAnother body sentence.\n")
    assert line not in c.text
    assert (2, line, rule) in c.removed
    assert "A body sentence comes first." in c.text and "Another body sentence." in c.text


@pytest.mark.parametrize("line", KEEP)
def test_substantive_lines_are_kept(line):
    c = clean_text(f"Intro line of the article here.\n{line}\n")
    assert line in c.text
    assert c.removed == []


def test_rules_are_documented_data():
    rules = boilerplate_rules()
    assert len(rules) >= 10
    assert all(r.description for r in rules)
    assert len({r.name for r in rules}) == len(rules)


def test_repeated_title_is_removed_once():
    c = clean_text("Pakistan US Alliance\n\nPakistan US Alliance\nBody text follows here.")
    assert c.text.count("Pakistan US Alliance") == 1
    assert c.removed == [(3, "Pakistan US Alliance", "repeated_line")]


def test_mojibake_is_repaired_and_audited():
    c = clean_text("Deals worth Â£2 billion were signed.\n")
    assert "£2 billion" in c.text and "Â" not in c.text
    assert c.removed[0][2] == "mojibake"


def test_unicode_is_nfc_normalised():
    c = clean_text("Cafe\u0301 talks resumed.\n")
    assert "Caf\u00e9 talks" in c.text


def test_broken_line_is_joined():
    raw = ("While challenges remain in translating commitments into workable plans over the long\n\n"
           "term, the designation is a step forward.\n")
    c = clean_text(raw)
    assert "long term, the designation" in c.text
    assert c.removed[0][2] == "joined_line"


def test_offsets_map_back_to_the_original_text():
    raw = ("HomeWorldBreadcrumb\n  Deals worth Â£2 billion were signed by officials.\n"
           "• Bullet point about the talks.\nFollow us on X\n")
    c = clean_text(raw)
    for word in ("Deals", "billion", "officials", "Bullet", "talks"):
        i = c.text.index(word)
        j = c.to_raw(i)
        assert raw[j:j + len(word)] == word
    i = c.text.index("£")
    assert raw[c.to_raw(i)] == "£"  # the repaired character maps into the mojibake span


def test_five_articles_lose_only_boilerplate():
    for path in sorted(RAW_DIR.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        c = clean_text(raw)
        removed_rules = {r for _, _, r in c.removed}
        assert removed_rules <= {r.name for r in boilerplate_rules()} | {
            "repeated_line", "joined_line", "mojibake", "unicode"}
        for _, text, rule in c.removed:
            if rule not in ("joined_line", "mojibake", "unicode"):
                assert len(text.split()) <= 30, (path.name, text)
        # Nothing but removed lines and whitespace differs.
        kept_words = len(c.text.split())
        removed_words = sum(len(t.split()) for _, t, r in c.removed
                            if r not in ("joined_line", "mojibake", "unicode"))
        assert kept_words + removed_words == len(raw.split()) - _bullets(raw)


def _bullets(raw: str) -> int:
    return sum(1 for ln in raw.splitlines() if ln.strip().startswith("•"))


def test_headings_stay_apart_from_body_sentences():
    art = parse_text("Building Institutional Strength\nBoth delegations stressed the importance "
                     "of strong institutional frameworks. They met again.\n")
    texts = [s.text for s in art.sentences]
    assert texts[0] == "Building Institutional Strength"
    assert art.sentences[0].is_heading and not art.sentences[1].is_heading
    assert texts[1].startswith("Both delegations")
    assert art.n_headings == 1 and art.n_sentences == 2


@pytest.mark.parametrize("text,expected", [
    ("The talks were co-chaired by Gregory D. LoGerfo of the State Department. They ended.", 2),
    ("The U.S. delegation praised Pakistan. The U.S. side stressed cooperation.", 2),
    ("Dr. Amina Shah said the talks went well. Others disagreed.", 2),
])
def test_sentence_boundaries_survive_abbreviations(text, expected):
    art = parse_text(text)
    assert len(art.sentences) == expected
    assert art.sentences[0].text.endswith(".") and art.sentences[1].text[0].isupper()


def test_quoted_question_before_a_lower_case_cue_is_one_sentence():
    # spaCy's senter splits after "?''"; the lower-case cue shows the sentence goes on. A line
    # break, or a capital after the quotation, still ends it.
    art = parse_text("''Why would we do that?'' asked Mr. Morton. He left.\n"
                     '"Enough!"\nreporters waited. "Why?" He shrugged.')
    assert [s.text for s in art.sentences] == [
        "''Why would we do that?'' asked Mr. Morton.", "He left.", '"Enough!"',
        "reporters waited.", '"Why?"', "He shrugged."]
    assert [s.text for s in art.doc.sents if s.text.strip()][0] == art.sentences[0].text
    (a,) = extract_attributions(art)
    assert (a.source, a.kind, a.content) == ("Mr. Morton", "direct", "''Why would we do that?''")


def test_one_parse_per_article_and_no_parser_run():
    art = parse_text("Officials met. They talked.")
    assert art.doc.has_annotation("LEMMA") and art.doc.has_annotation("TAG")
    assert not art.doc.has_annotation("DEP")  # the parser runs only where sources need it
