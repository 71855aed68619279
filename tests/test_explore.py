"""The evidence view: highlighting, score and interval, and the widget's wiring."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.explore import evidence_html, evidence_view, highlight, load_tables, score_column

SENT_A = "Cooperation on drones & AI remains <fragile>, officials said."
SENT_B = "New technologies such as drones were discussed."


def span(sentence: str, word: str) -> tuple[int, int]:
    start = sentence.index(word)
    return start, start + len(word)


@pytest.fixture
def tables():
    features = pd.DataFrame({
        "article_id": ["a1", "a2"], "title": ["Talks resume", ""], "outlet": ["", "Dawn"],
        "date": ["2025-08-20", ""], "n_words": [120, 80],
        "emph_technology": [16.6667, 0.0], "emph_technology_lo": [8.5, 0.0],
        "emph_technology_hi": [25.25, 0.0], "caution": [8.3333, 12.5],
    })
    evidence = pd.DataFrame([
        # (article, sentence, feature, term, start, end, sentence)
        ("a1", 4, "technology", "drone", *span(SENT_A, "drones"), SENT_A),
        ("a1", 4, "technology", "ai", *span(SENT_A, "AI"), SENT_A),
        ("a1", 4, "caution", "fragile", *span(SENT_A, "fragile"), SENT_A),
        ("a1", 1, "technology", "technology", *span(SENT_B, "technologies"), SENT_B),
        ("a1", 1, "technology", "drone", *span(SENT_B, "drones"), SENT_B),
    ], columns=["article_id", "sentence_id", "feature", "term", "start", "end", "sentence"])
    return evidence, features


def test_highlight_marks_and_escapes():
    out = highlight(SENT_A, [(*span(SENT_A, "drones"), "drone"),
                             (*span(SENT_A, "fragile"), "fragile")])
    assert '<mark title="drone">drones</mark>' in out
    assert '<mark title="fragile">fragile</mark>' in out
    # The & and the angle brackets of the text are escaped, not taken as markup.
    assert "&amp; AI remains &lt;<mark" in out
    assert "</mark>&gt;," in out


def test_highlight_merges_overlaps_and_clips():
    out = highlight("emerging technologies", [(0, 21, "emerging technologies"),
                                              (9, 21, "technology"), (15, 99, "x")])
    assert out.count("<mark") == 1
    assert 'title="emerging technologies, technology, x"' in out
    assert out.endswith("</mark>")


def test_score_column_prefers_exact_then_prefixes():
    cols = ["caution", "emph_technology", "src_entropy"]
    assert score_column(cols, "caution") == "caution"
    assert score_column(cols, "technology") == "emph_technology"
    assert score_column(cols, "entropy") == "src_entropy"
    assert score_column(cols, "history") is None


def test_evidence_html_shows_score_interval_and_sentences_in_order(tables):
    evidence, features = tables
    out = evidence_html(evidence, features, "a1", "technology")
    assert "emph_technology = 16.667 matches per 1,000 words" in out
    assert "(95% interval 8.500 to 25.250)" in out
    assert "4 matches in 2 sentences" in out
    # Sentence 1 before sentence 4, and only technology matches are marked.
    assert out.index("s1</span>") < out.index("s4</span>")
    assert out.count("<mark") == 4  # drones, AI in s4; technologies, drones in s1
    assert '<mark title="ai">AI</mark>' in out
    assert "fragile</mark>" not in out
    assert "a1 · Talks resume (2025-08-20)" in out


def test_evidence_html_without_matches_or_interval(tables):
    evidence, features = tables
    out = evidence_html(evidence, features, "a2", "caution")
    assert "caution = 12.500 matches per 1,000 words" in out
    assert "95% interval" not in out  # no caution_lo/_hi columns
    assert "No 'caution' matches in this article" in out
    assert "Dawn" in out
    with pytest.raises(KeyError, match="a9"):
        evidence_html(evidence, features, "a9", "caution")
    assert "No column in the features table scores 'history'" in evidence_html(
        evidence, features, "a1", "history")


def test_evidence_html_caps_sentences(tables):
    evidence, features = tables
    out = evidence_html(evidence, features, "a1", "technology", max_sentences=1)
    assert "s1</span>" in out and "s4</span>" not in out
    assert "1 more sentences not shown" in out


def test_widget_updates_on_selection(tables, tmp_path):
    pytest.importorskip("ipywidgets")
    evidence, features = tables
    evidence.to_csv(tmp_path / "evidence.csv", index=False)
    features.to_csv(tmp_path / "features.csv", index=False)
    ev, feats = load_tables(tmp_path)
    assert feats.loc[1, "title"] == ""  # empty metadata stays text for the labels
    view = evidence_view(tmp_path)
    (art, feat), out = view.children[0].children, view.children[1]
    assert art.value == "a1" and feat.value == "caution"
    assert '<mark title="fragile">' in out.value
    feat.value = "technology"
    assert "emph_technology = 16.667" in out.value
    art.value = "a2"
    assert "No 'technology' matches in this article" in out.value
    assert [label for label, _ in art.options] == ["a1 · Talks resume (2025-08-20)",
                                                  "a2 · Dawn"]


def test_load_tables_names_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="features.csv"):
        load_tables(tmp_path)
