"""Cost linear in the input: an unpunctuated 20,000-word "sentence", an article longer than
spaCy's ``max_length``, and a YAML alias bomb. Each test checks what comes out (the windowed
tone, offsets across block boundaries, the error message); none measures time or memory."""

from __future__ import annotations

import random

import numpy as np
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import text as text_module
from analysis.dictionaries import DictionaryError, load_dictionary
from analysis.measures.emphasis.scorer import EmphasisScorer, resampled_sums
from analysis.measures.sources import SourceScorer, diversity
from analysis.measures.sources.extract import _has_entities, _span_doc
from analysis.measures.sources.indices import _entropy_rows
from analysis.measures.sources.quotes import OpenQuotations, inside_quotation
from analysis.stats import article_rng, bootstrap_indices, percentile_interval
from analysis.text import (MAX_SENTENCE_WORDS, block_starts, get_nlp, parse_articles,
                           parse_text)
from analysis.measures.tone.scorer import ToneScorer, vader_scores

# Words with no VADER valence and no stance cue: the background the planted phrases stand in.
FILLER = ("the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "park", "in",
          "town", "with", "its", "red", "ball", "near", "old", "wall")


def _long_sentence(n_words: int, planted: dict[int, str]) -> list[str]:
    """``n_words`` filler words (seeded), with the words of ``planted[i]`` starting at word
    ``i``; no punctuation, no line break."""
    rng = random.Random(7)
    words = [rng.choice(FILLER) for _ in range(n_words)]
    for i, phrase in planted.items():
        for k, w in enumerate(phrase.split()):
            words[i + k] = w
    return words


def test_filler_is_neutral():
    vader = SentimentIntensityAnalyzer()
    assert vader.polarity_scores(" ".join(FILLER))["compound"] == 0.0
    st = ToneScorer().score(parse_text(" ".join(FILLER) + "."), np.zeros((0, 1), dtype=int))
    assert st.columns["optimism"] == st.columns["caution"] == 0.0


@pytest.mark.slow
def test_unpunctuated_20000_words_are_scored_in_500_word_windows():
    # "not good" inside window 2 (words 1000-1499), "very bad" inside window 14, and "good"
    # straddling nothing in window 30; every other window is neutral.
    planted = {1234: "not good", 7001: "very bad", 15010: "good"}
    words = _long_sentence(20_000, planted)
    text = " ".join(words)
    # Parsed whole (one block), so that the only cuts are the 500-word windows.
    art = next(parse_articles([("long", text)], block_chars=len(text) + 1))
    n_win = 20_000 // MAX_SENTENCE_WORDS
    windows = [" ".join(words[k * MAX_SENTENCE_WORDS:(k + 1) * MAX_SENTENCE_WORDS])
               for k in range(n_win)]
    assert [s.text for s in art.sentences] == windows
    assert [s.n_words for s in art.sentences] == [MAX_SENTENCE_WORDS] * n_win
    assert [s.sentence_id for s in art.sentences] == list(range(n_win))
    assert all(art.text[s.start:s.end] == s.text for s in art.sentences)

    idx = bootstrap_indices(n_win, 50, article_rng(0, "long"))
    scored = ToneScorer().score(art, idx)
    rows = scored.tables["sentences"]
    vader = SentimentIntensityAnalyzer()  # vaderSentiment's own code, on each window
    expected = [vader.polarity_scores(w)["compound"] for w in windows]
    assert [r["tone_compound"] for r in rows] == expected
    assert scored.columns["tone_mean"] == pytest.approx(np.mean(expected), abs=0, rel=1e-15)
    # The planted phrases: the negation flips "good", the booster strengthens "bad".
    good = vader.polarity_scores("good")["compound"]
    bad = vader.polarity_scores("bad")["compound"]
    assert expected[2] < 0 < good
    assert expected[14] < bad < 0
    assert expected[30] == good
    assert all(c == 0.0 for k, c in enumerate(expected) if k not in (2, 14, 30))
    # Evidence rows carry their window, not the 20,000 words. (The learned tone's rows are the
    # heaviest terms of any window, so only their windows are checked.)
    tone_ev = [e for e in scored.evidence if e["feature"].startswith("tone_")
               and e["feature"] != "tone_learned"]
    assert {e["sentence_id"] for e in tone_ev} == {2, 14, 30}
    for e in tone_ev:
        assert e["sentence"] == windows[e["sentence_id"]]
        assert e["sentence"][e["start"]:e["end"]] in ("good", "bad")
    learned_ev = [e for e in scored.evidence if e["feature"] == "tone_learned"]
    assert learned_ev
    assert all(e["sentence"] == windows[e["sentence_id"]] for e in learned_ev)


def test_a_window_keeps_its_punctuation_and_the_doc_agrees(monkeypatch):
    monkeypatch.setattr(text_module, "MAX_SENTENCE_WORDS", 4)
    art = parse_text("Talks Resume Again Today Here\n\n"
                     "One two , three four five - six seven eight nine ten eleven.")
    texts = [s.text for s in art.sentences]
    assert texts == ["Talks Resume Again Today", "Here", "One two , three four",
                     "five - six seven eight", "nine ten eleven."]
    assert [s.n_words for s in art.sentences] == [4, 1, 4, 4, 3]
    assert [s.sentence_id for s in art.sentences] == [0, 1, 2, 3, 4]
    assert [s.is_heading for s in art.sentences] == [True, True, False, False, False]
    assert [s.text.strip() for s in art.doc.sents if s.text.strip()] == texts
    for s in art.sentences:
        span = art.span(s)
        assert span[0].idx == s.start and span[-1].idx + len(span[-1]) == s.end


def test_vader_linear_walk_equals_vader_on_random_sentences():
    # The rules around negation, boosters, "least", idioms, capitals and "but", mixed.
    vader = SentimentIntensityAnalyzer()
    rng = random.Random(3)
    vocab = ["good", "bad", "GOOD", "great", "terrible", "not", "isn't", "never", "so", "this",
             "without", "doubt", "no", "or", "nor", "least", "at", "very", "kind", "of", "but",
             "BUT", "sort", "the", "bomb", "shit", "bad", "ass", "yeah", "right", "kiss",
             "death", "to", "die", "for", "extremely", "barely", "hardly", "rarely", "!", "?",
             ":)", "cat", "dog", "happy", "sad", "love", "hate", "fine", "ok"]
    for _ in range(3000):
        s = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
        assert vader_scores(vader, s) == vader.polarity_scores(s), s


@pytest.mark.slow
def test_article_longer_than_max_length_is_parsed_in_blocks(monkeypatch):
    nlp = get_nlp()
    paragraphs = [f"Paragraph {k}. The minister said on Monday that talks in Islamabad "
                  f"made good progress, and officials expect a deal soon." for k in range(60)]
    # Also a long line with no line break (cut at a space) and a heading.
    run_on = " ".join(f"word{k} said minister" for k in range(300))
    body = "Talks Resume\n\n" + "\n\n".join(paragraphs[:30]) + "\n" + run_on + "\n\n" + \
        "\n".join(paragraphs[30:])
    whole = next(parse_articles([("big", body)], nlp=nlp)).doc  # one block
    monkeypatch.setattr(nlp, "max_length", 2_000)
    assert len(body) > 5 * nlp.max_length
    art = next(parse_articles([("big", body)], nlp=nlp))
    starts = block_starts(art.text, nlp.max_length)
    assert len(starts) > 5 and all(b - a <= nlp.max_length for a, b in
                                   zip(starts, starts[1:] + [len(art.text)]))
    assert art.doc.text == art.text
    # Cut at white space: the same tokens as the whole text parsed at once.
    assert [(t.text, t.whitespace_) for t in art.doc] == [(t.text, t.whitespace_) for t in whole]
    assert art.doc.tensor.shape[0] == len(art.doc)
    token_starts = set(art.token_starts)
    assert set(starts[1:]) <= token_starts  # a block boundary is a token boundary
    for s in art.sentences:
        span = art.span(s)
        assert art.text[s.start:s.end] == s.text
        assert span[0].idx == s.start and span[-1].idx + len(span[-1]) == s.end
    assert art.sentences[0].is_heading and art.sentences[0].text == "Talks Resume"
    # Sentences never cross a block boundary, and the scorers run on the joined doc.
    for b in starts[1:]:
        assert not any(s.start < b < s.end for s in art.sentences)
    idx = bootstrap_indices(len(art.sentences), 20, article_rng(0, "big"))
    src = SourceScorer().score(art, idx)
    assert src.columns["src_n_attributions"] >= 30
    for row in src.tables["attributions"]:
        assert art.raw[row["source_start"]:row["source_end"]] == row["source"]
        assert art.raw[row["cue_start"]:row["cue_end"]] == row["cue"]
    for e in EmphasisScorer().score(art, idx).evidence + ToneScorer().score(art, idx).evidence:
        assert 0 <= e["start"] < e["end"] <= len(e["sentence"])


def test_open_quotations_equal_the_paragraph_walk():
    rng = random.Random(5)
    alphabet = ['"', "''", "``", "“", "”", "«", "»", " ", " ", "\n", "a", "b", ".", ",", "(",
                "—", "?"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        inside = OpenQuotations(text)
        assert [inside(i) for i in range(len(text) + 1)] == \
            [inside_quotation(text, i) for i in range(len(text) + 1)], text


def test_sentence_docs_equal_span_as_doc():
    art = parse_text("Officials said on Tuesday the talks went well. \u201cWe will win,\u201d "
                     "she said.\nAnother line, the minister added, was longer than it looked.")
    head = art.doc._get_array_attrs()
    array = art.doc.to_array(head)
    assert not _has_entities(head, array)
    for s in art.sentences:
        span = art.span(s)
        a = span.as_doc(array_head=head, array=array.copy())
        b = _span_doc(span, head, array.copy())
        assert a.text == b.text
        assert np.array_equal(a.to_array(head), b.to_array(head))
        assert np.array_equal(a.tensor, b.tensor) and np.array_equal(a.vector, b.vector)
        assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b]


def test_resampled_sums_equal_fancy_indexing(monkeypatch):
    rng = np.random.default_rng(0)
    n = 37
    x = rng.integers(0, 9, size=(n, 4)).astype(float)
    idx = bootstrap_indices(n, 101, rng)
    monkeypatch.setattr("analysis.measures.emphasis.scorer.RESAMPLE_BLOCK", 200)  # several blocks
    assert np.array_equal(resampled_sums(idx, x), x[idx].sum(axis=1))
    units = np.array([2, 5, 30])
    full = np.zeros_like(x)
    full[units] = x[units]
    assert np.array_equal(resampled_sums(idx, x[units], units), full[idx].sum(axis=1))


def test_diversity_interval_unchanged_by_the_sparse_sums():
    rows = [{"mention": "name", "source_type": t, "source_affiliation": a, "kind": "direct",
             "key": f"k{i}", "sentence_id": s}
            for i, (t, a, s) in enumerate([("government official", "Pakistan", 1),
                                           ("expert/analyst", "other", 4),
                                           ("government official", "Pakistan", 4),
                                           ("media", "United States", 9)])]
    idx = bootstrap_indices(12, 300, article_rng(0, "d"))
    got = diversity(rows, 12, idx)
    cells = sorted({(r["source_type"], r["source_affiliation"]) for r in rows})
    per_sent = np.zeros((12, len(cells)))
    for r in rows:
        per_sent[r["sentence_id"], cells.index((r["source_type"],
                                                r["source_affiliation"]))] += 1
    lo, hi = percentile_interval(_entropy_rows(per_sent[idx].sum(axis=1)))
    assert (got["src_entropy_lo"], got["src_entropy_hi"]) == (lo + 0.0, hi + 0.0)


def test_yaml_alias_bomb_is_refused_with_file_and_line(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    prev = "a"
    for k in "bcdefghi":  # 9**9 = 387 million patterns once expanded
        lines.append(f"{k}: &{k} {{" + ", ".join(f"k{j}: *{prev}" for j in range(9)) + "}")
        prev = k
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 1_000
    with pytest.raises(DictionaryError) as err:
        load_dictionary(path)
    assert str(err.value).startswith(f"{path}:2: YAML alias *a")
    assert err.value.line == 2
    with pytest.raises(DictionaryError):
        EmphasisScorer(dictionaries=[path])
