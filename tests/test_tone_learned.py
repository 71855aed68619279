"""tone_learned: the shipped model file, direction, negation, interval, deterministic training.

Every sentence here is written for these tests; no validation data is used.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lexicon import package_text
from analysis.measures.learned.model import dump_model, parse_model
from analysis.measures.tone import learned, training
from analysis.measures.tone.learned import MODEL_FILE, learned_tone, span_tone, tone_model
from analysis.measures.tone.scorer import SENTENCE_COLUMNS, TONE_COLUMNS, ToneScorer
from analysis.safe_yaml import compose_yaml
from analysis.stats import bootstrap_indices
from analysis.text import parse_text
from conftest import write_tone_sources

POSITIVE = ["The rescue was a wonderful success and the families were overjoyed.",
            "Volunteers did an excellent job and the new clinic is a great help.",
            "The talks brought real progress and both sides praised the fair agreement."]
NEGATIVE = ["The attack killed nine people and left the town devastated.",
            "Critics called the plan a disgraceful failure that hurt poor families.",
            "The scandal was a terrible blow and the minister was accused of lying."]


def _tone(text: str) -> float:
    return span_tone(parse_text(text).doc)


def test_shipped_model_is_safe_yaml_and_well_formed():
    text, label = package_text(MODEL_FILE)
    assert compose_yaml(text, label, ValueError, what="weights") is not None  # no alias, no tags
    model = parse_model(text, label)
    assert (model.kind, model.unit, model.link) == ("rating", "sentence", "identity")
    assert [n for n, _, _ in model.featurise.numeric] == list(training.NUMERIC)
    w = model.weights["value"]
    assert set(w.numeric) == set(training.NUMERIC)
    assert len(w.terms) > 1000 and len(w.phrases) > 1000
    assert all(t == t.lower() and " " not in t for t in w.terms)
    assert all(len(p.split()) == 2 for p in w.phrases)
    # provenance travels inside: every source with its licence, hash and count
    srcs = model.training["sources"]
    assert [s["key"] for s in srcs] == [s.key for s in training.SOURCES]
    assert all(s["licence"].startswith("MIT") and len(s["sha256"]) == 64 and s["n"] > 0
               for s in srcs)
    assert "cross_validation" in model.training and "recipe" in model.training
    # the file is what dump_model writes: sorted, rounded, byte-stable
    assert dump_model(model) == text


@pytest.mark.parametrize("text", POSITIVE)
def test_clearly_positive_sentences_score_positive(text):
    assert _tone(text) > 0.1


@pytest.mark.parametrize("text", NEGATIVE)
def test_clearly_negative_sentences_score_negative(text):
    assert _tone(text) < -0.1


@pytest.mark.parametrize("plain, negated", [
    ("The new policy is good for workers.", "The new policy is not good for workers."),
    ("The mayor was happy with the result.", "The mayor was not happy with the result."),
])
def test_negation_flips_the_sign(plain, negated):
    assert _tone(plain) > 0 > _tone(negated)


def test_scores_stay_on_the_scale():
    text = " ".join(["wonderful excellent amazing great love"] * 30) + "."
    assert -1.0 <= _tone(text) <= 1.0


def test_article_value_is_mean_of_body_sentences_and_inside_its_interval():
    art = parse_text("A Heading Without Punctuation\n" + " ".join(POSITIVE + NEGATIVE))
    assert art.sentences[0].is_heading
    idx = bootstrap_indices(len(art.sentences), 200, np.random.default_rng(3))
    res = learned_tone(art, idx)
    assert res.value == pytest.approx(res.sentences[1:].mean())
    assert res.lo <= res.value <= res.hi and res.lo < res.hi
    # evidence: the terms that moved the score most, located in body sentences
    assert 0 < len(res.evidence) <= learned.TOP_EVIDENCE
    for e in res.evidence:
        assert e["feature"] == "tone_learned" and e["sentence_id"] > 0
        span = parse_text(e["sentence"][e["start"]:e["end"]]).doc
        words = [t.lemma_.lower() for t in span if t.is_alpha]
        assert words[0] == e["term"].split()[0].removeprefix("not_")


def test_tone_scorer_writes_the_column_sentences_and_net_optimism_on_it():
    art = parse_text(POSITIVE[0] + " " + NEGATIVE[0])
    idx = bootstrap_indices(len(art.sentences), 50, np.random.default_rng(0))
    res = ToneScorer().score(art, idx)
    assert TONE_COLUMNS.index("tone_learned") + 2 == TONE_COLUMNS.index("tone_learned_hi")
    rows = res.tables["sentences"]
    assert list(rows[0]) == SENTENCE_COLUMNS
    tl = [r["tone_learned"] for r in rows]
    assert tl[0] > 0 > tl[1]
    assert res.columns["tone_learned"] == pytest.approx(np.mean(tl))
    # net optimism's tone half is the learned tone
    stance = [(r["optimism"] - r["caution"]) / (r["optimism"] + r["caution"] + 1) for r in rows]
    assert [r["sentence_net"] for r in rows] == pytest.approx(
        [(t + s) / 2 for t, s in zip(tl, stance)])
    assert res.columns["net_optimism"] == pytest.approx(np.mean([r["sentence_net"] for r in rows]))


def test_empty_article_gives_nan_not_an_error():
    art = parse_text("")
    res = learned_tone(art, np.zeros((10, 0), dtype=int))
    assert np.isnan(res.value) and res.evidence == []


def _fixture_dir(tmp_path):
    """A small training folder in the layout of the real one, written here."""
    lines = ["id\trating\ttext"]
    for a, (good, bad) in enumerate([("a fine and lovely day", "a sad and awful loss"),
                                     ("they did great work", "they did poor work"),
                                     ("what a happy ending", "what a terrible ending"),
                                     ("the plan is good", "the plan is bad")]):
        lines += [f"{a}_1\t2.5\t{good}.", f"{a}_2\t-2.5\t{bad}."]
    (tmp_path / "nyt_editorials_dev.tsv").write_text("\n".join(lines) + "\n")
    return write_tone_sources(tmp_path)


def test_training_is_deterministic_on_a_fixture(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "MIN_DF", 2)
    monkeypatch.setattr(training, "N_FOLDS", 2)
    folder = _fixture_dir(tmp_path)
    out1, out2 = tmp_path / "one.yml", tmp_path / "two.yml"
    assert training.main([str(folder), str(out1)]) == 0
    assert training.main([str(folder), str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    model = parse_model(out1.read_text(), "one.yml")
    w = model.weights["value"]
    assert w.terms.get("good", 0) > 0 > w.terms.get("bad", 0)
    assert {s["key"]: s["n"] for s in model.training["sources"]} == {
        "nyt_editorials": 8, "newsmtsc": 12, "movie_reviews": 12, "product_reviews": 12,
        "tweets": 12}


def test_training_names_the_bad_line(tmp_path, capsys):
    folder = _fixture_dir(tmp_path)
    nyt = folder / "nyt_editorials_dev.tsv"
    nyt.write_text(nyt.read_text() + "9_1\tvery\tnot a number\n")
    out = tmp_path / "model.yml"
    assert training.main([str(folder), str(out)]) == 2
    err = capsys.readouterr().err
    assert "nyt_editorials_dev.tsv, line 10" in err and "'very' is not a number" in err
    assert not out.exists()


def test_training_without_data_is_a_usage_error(tmp_path, capsys):
    assert training.main([str(tmp_path), str(tmp_path / "m.yml")]) == 2
    assert "missing training data" in capsys.readouterr().err
    assert training.main([]) == 2


def test_shipped_model_is_cached_once():
    assert tone_model() is tone_model()


def test_shared_vader_scores_change_nothing():
    # The tone scorer hands its VADER scores to the learned tone, which would otherwise call
    # VADER again: sentences, value, interval and evidence must be the same either way.
    from analysis.measures.tone.scorer import score_span
    from analysis.measures.tone.vader import plain_analyzer, vader_scores

    art = parse_text("The rescue was a wonderful success! Crime fell, but not by much. "
                     "The senator denied the awful charges. Rates rose on Monday.")
    idx = bootstrap_indices(len(art.sentences), 50, np.random.default_rng(1))
    spans = [score_span(art.span(s), s.text, ("rates",), learned=0.0) for s in art.sentences]
    assert [st.vader for st in spans] == [vader_scores(plain_analyzer(), s.text)
                                          for s in art.sentences]
    shared = learned_tone(art, idx, vader=[st.vader for st in spans])
    alone = learned_tone(art, idx)
    assert shared.sentences.tolist() == alone.sentences.tolist()
    assert (shared.value, shared.lo, shared.hi) == (alone.value, alone.lo, alone.hi)
    assert shared.evidence == alone.evidence
    rows = ToneScorer(topic_terms=("rates",)).score(art, idx).tables["sentences"]
    assert [r["tone_learned"] for r in rows] == alone.sentences.tolist()
