"""Boilerplate removal, mojibake repair, headings and sentence boundaries."""

from __future__ import annotations

import difflib
import random

import pytest

from analysis.config import RAW_DIR
from analysis import clean as clean_module
from analysis.clean import boilerplate_rules, clean_text
from analysis.measures.sources import extract_attributions
from analysis.text import parse_text

# Boilerplate lines of the kinds scraped news pages carry (names invented), each with its rule.
BOILERPLATE = [
    ("HomeWorldNews Harbour Council Approves Budget: Renewed Push", "breadcrumb"),
    ("Follow us on Instagram, YouTube, Facebook,, X and TikTok for latest updates", "follow_us"),
    ("Follow us on:", "follow_us"),
    ("Read: Harbour Reporters Association Formed to Boost Professional Standards",
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
    "Home Minister Ana Ruiz met the delegation.",
    "On March 3, 2019, Northport once again became the venue for talks.",
    "Related talks will follow in Lisbon next month.",
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
    c = clean_text("Harbour Council Alliance\n\nHarbour Council Alliance\nBody text follows here.")
    assert c.text.count("Harbour Council Alliance") == 1
    assert c.removed == [(3, "Harbour Council Alliance", "repeated_line")]


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
    ("The talks were co-chaired by Ana M. Ruiz of the Foreign Ministry. They ended.", 2),
    ("The U.N. delegation praised Norland. The U.N. side stressed cooperation.", 2),
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


# --- The offset map: linear pieces against a whole-line difflib oracle ---------------------------

def _reference_line_segments(raw, fixed, cut, c0, r0):
    """Oracle: one SequenceMatcher over the whole line, a list entry for every character."""
    if raw == fixed:
        return [(c0, len(fixed) - cut, r0 + cut, None)]
    cmap = [0] * (len(fixed) + 1)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, raw, fixed,
                                                       autojunk=False).get_opcodes():
        for j in range(j1, j2):
            cmap[j] = i1 + (j - j1 if tag == "equal" else min(j - j1, max(i2 - i1 - 1, 0)))
    cmap[len(fixed)] = len(raw)
    return [(c0, len(fixed) - cut, r0 + cmap[cut], [c - cmap[cut] for c in cmap[cut:]])]


def _reference_clean(raw, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(clean_module, "_line_segments", _reference_line_segments)
        return clean_text(raw)


def _offsets(c):
    return [c.to_raw(k) for k in range(len(c.text) + 1)]


MOJIBAKE = [
    "Deals worth Â£2 billion were signed.",
    "Â£5 million opened the fund, said the minister.",
    "The fund opened with Â£5",
    "The minister said itâ€™s time, and the cafÃ© owners agreed: â€˜fairâ€™ at Â£3.",
    "â€œWe will not be intimidated,â€\x9d the minister said.",
    "Ã©lite units moved north â€“ officials confirmed â€“ and Ã©lite units left.",
    "HomeWorldBreadcrumb\n  Deals worth Â£2 billion were signed by officials.\n"
    "• Bullet about the cafÃ© talks worth Â£4.\nFollow us on X\n",
    "â€¢ The bullet itself was mojibake, and so was the cafÃ©.\n",
    "Security Talks\nThe minister said the plan for the\n\ncafÃ© owners was â€˜fairâ€™ and\n"
    "cost Â£2 billion.\nPlain closing line of the article.\n",
    "Clean line before.\n\tIndented line with Â£9 at the end Â£\nClean line after.",
]


@pytest.mark.parametrize("raw", MOJIBAKE)
def test_offsets_agree_with_a_whole_line_difflib_map(raw, monkeypatch):
    c, ref = clean_text(raw), _reference_clean(raw, monkeypatch)
    assert (c.text, c.headings, c.removed) == (ref.text, ref.headings, ref.removed)
    assert "Â" not in c.text and "â€" not in c.text and "Ã" not in c.text
    assert _offsets(c) == _offsets(ref)
    for k in range(len(c.text)):
        assert c.span_to_raw(k, k + 1) == ref.span_to_raw(k, k + 1)


def test_repaired_characters_map_into_their_mojibake():
    raw = "Itâ€™s Â£5 at the cafÃ©\n• Bullet â€“ end"
    c = clean_text(raw)
    assert c.text == "It’s £5 at the café\nBullet – end"
    assert raw[c.to_raw(c.text.index("’")):].startswith("â€™")
    assert raw[c.to_raw(c.text.index("£"))] == "£"  # the Â is dropped, the £ kept
    assert raw[c.to_raw(c.text.index("é")):].startswith("Ã©")
    assert raw[c.to_raw(c.text.index("–")):].startswith("â€“")
    a, b = c.span_to_raw(c.text.index("café"), c.text.index("café") + 4)
    assert a == raw.index("cafÃ©") and b == raw.index("Ã©") + 1  # ends inside the mojibake
    for word in ("It", "s ", "at the caf", "Bullet", "end"):
        i = c.text.index(word)
        assert raw[c.to_raw(i):c.to_raw(i) + len(word)] == word


def test_offsets_agree_with_difflib_on_generated_lines(monkeypatch):
    rng = random.Random(20250814)
    clean_words = ["the", "minister", "said", "talks", "on", "Tuesday,", "and", "of", "a", "2025"]
    broken = ["Â£2", "itâ€™s", "cafÃ©", "â€˜fairâ€™", "â€“", "Ã©lite", "â€œyesâ€\x9d", "Â£"]
    lines = []
    for _ in range(60):
        words = [rng.choice(broken if rng.random() < 0.3 else clean_words)
                 for _ in range(rng.randint(1, 40))]
        lines.append(rng.choice(["", "• ", "  "]) + " ".join(words))
    raw = "\n".join(lines)
    c, ref = clean_text(raw), _reference_clean(raw, monkeypatch)
    assert c.text == ref.text and c.removed == ref.removed
    assert any(r == "mojibake" for _, _, r in c.removed)
    assert _offsets(c) == _offsets(ref)


def test_unchanged_characters_map_to_themselves():
    # Runs of one repeated character are where a whole-line SequenceMatcher may pair a character
    # with a shifted twin; the linear map keeps each unchanged character on itself.
    raw = "xx\x00xxxxxxxxxx and Â£££ then ＦＵＬＬ ＷＩＤＴＨ text"
    c = clean_text(raw)
    assert c.text == "xxxxxxxxxxxx and £££ then FULL WIDTH text"
    for k, ch in enumerate(c.text):
        if ch.isascii() or ch == "£":
            assert raw[c.to_raw(k)] in (ch, chr(ord(ch) + 0xFEE0)), (k, ch)


def test_long_repaired_span_maps_character_by_character():
    wide = "".join(chr(0xFF21 + k % 26) for k in range(700))  # fullwidth A..Z, ftfy narrows them
    raw = f"Start {wide} end."
    c = clean_text(raw)
    assert c.text == f"Start {''.join(chr(0x41 + k % 26) for k in range(700))} end."
    for k in range(6, 706):
        assert raw[c.to_raw(k)] == wide[k - 6]
    assert raw[c.to_raw(c.text.index("end")):].startswith("end.")


def test_map_is_linear_on_a_long_line_with_mojibake_throughout():
    pieces, fixed_pieces = [], []
    n = 0
    while sum(map(len, pieces)) < 200_000:
        pieces.append(f"Row {n} of the cafÃ© ledger, itâ€™s Â£{n} â€“ said the clerk ")
        fixed_pieces.append(f"Row {n} of the café ledger, it’s £{n} – said the clerk ")
        n += 1
    raw = "".join(pieces).rstrip()
    c = clean_text(raw)
    assert len(raw) >= 200_000 and c.text == "".join(fixed_pieces).rstrip()
    expect = {"é": "Ã©", "’": "â€™", "£": "£", "–": "â€“"}
    spots = 0
    for k, ch in enumerate(c.text):
        if ch in expect:
            assert raw.startswith(expect[ch], c.to_raw(k)), (k, ch)
            spots += 1
    assert spots == 4 * n
    for k in (0, c.text.index("Row 999 "), c.text.rindex("Row ")):
        assert raw[c.to_raw(k):c.to_raw(k) + 8] == c.text[k:k + 8]
    assert c.to_raw(len(c.text)) == len(raw)
    # Memory grows with the repairs: unchanged runs are shifts, and each repair (or cluster of
    # repairs a few characters apart, as "’s £12 –") a short list.
    lists = [seg[3] for seg in c._segments if seg[3] is not None]
    assert n <= len(lists) <= 3 * n and max(map(len, lists)) <= 16
    assert sum(map(len, lists)) < len(c.text) // 3
