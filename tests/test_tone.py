"""Tone: reference sentences, intervals, determinism, saturation, lexicons, validation, columns."""

from __future__ import annotations

import json
import pickle
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from conftest import write_tone_sources
from analysis.features import build_features
from analysis.stats import article_rng, bootstrap_indices
from analysis.config import DATA_DIR
from analysis.study import load_study
from analysis.text import parse_text
from analysis.measures.tone.scorer import (CUE_LISTS, SENTENCE_COLUMNS, TONE_COLUMNS, LexiconError, ToneScorer,
                           adapted_analyzer, analyzers, load_lexicon, score_span, vader_tokens)

BUNDLED_STUDY = DATA_DIR / "study.yml"  # the five bundled articles' study

OPTIMISTIC = ("The talks made real progress and both sides welcomed a breakthrough that "
              "strengthens cooperation.")
CAUTIOUS = ("However, the fragile deal faces serious risks, and officials warned that its "
            "success will depend on mistrust easing.")


# Topic terms of a fixture study: subject words VADER reads as sentiment.
TOPIC = ("terrorist", "terrorists", "security", "attack", "attacked", "arrested", "killed",
         "strike")


def _one(text, topic_terms=()):
    art = parse_text(text)
    return score_span(art.span(art.sentences[0]), art.sentences[0].text, topic_terms)


def _score(text, n=200, seed=0, topic_terms=()):
    art = parse_text(text, article_id="t")
    idx = bootstrap_indices(len(art.sentences), n, article_rng(seed, "t"))
    return ToneScorer(topic_terms=topic_terms).score(art, idx)


# --- reference sentences ---------------------------------------------------------------------

def test_optimistic_sentence_scores_above_cautious():
    o, c = _one(OPTIMISTIC), _one(CAUTIOUS)
    assert o.counts["optimism"] >= 2 and o.counts["caution"] == 0
    assert c.counts["caution"] >= 3
    assert o.net > 0 > c.net
    assert o.compound_adapted > c.compound_adapted


@pytest.mark.parametrize("text", ["The meeting was not a breakthrough.",
                                  "There has been no progress since March.",
                                  "The agreement didn't strengthen anything."])
def test_negated_optimism_cue_does_not_count(text):
    st = _one(text)
    assert st.counts["optimism"] == 0
    assert st.counts["caution"] == 1  # a negated optimism cue signals caution
    assert st.net < 0.25


def test_negation_is_limited_to_the_clause():
    st = _one("Nothing was signed, no; but progress was real.")
    assert st.counts["optimism"] == 1


def test_multiword_entries_match_on_lemmas():
    st = _one("Officials renewed commitments, but the outcome remains to be seen.")
    ev = {(e["feature"], e["term"]) for e in st.evidence}
    assert ("optimism", "renewed commitment") in ev  # the term is the lexicon entry
    hit = next(e for e in st.evidence if e["term"] == "renewed commitment")
    assert "Officials renewed commitments, but"[hit["start"]:hit["end"]] == "renewed commitments"
    assert ("caution", "remain to be seen") in ev


def test_hedges_boosters_and_negated_booster():
    h = _one("The results may suggest that the effect could possibly be smaller.")
    b = _one("The results clearly demonstrate that the effect is certainly smaller.")
    n = _one("It is not clear whether the effect is smaller.")
    assert h.counts["hedging"] >= 3 and h.counts["boosting"] == 0
    assert b.counts["boosting"] >= 3 and b.counts["hedging"] == 0
    assert n.counts["boosting"] == 0 and n.counts["hedging"] == 1


def test_proper_nouns_are_not_cues():
    st = _one("Talks were held in May with Hope Smith present.")
    assert st.counts["hedging"] == 0 and st.counts["optimism"] == 0


def test_evidence_offsets_index_the_sentence():
    art = parse_text("Intro line.\n" + CAUTIOUS + " " + OPTIMISTIC)
    res = ToneScorer().score(art, bootstrap_indices(len(art.sentences), 10,
                                                   np.random.default_rng(0)))
    assert res.evidence
    feats = {e["feature"] for e in res.evidence}
    assert {"optimism", "caution", "tone_positive", "tone_negative"} <= feats
    for e in res.evidence:
        matched = e["sentence"][e["start"]:e["end"]].lower()
        if e["feature"] == "tone_learned":  # a lemma or phrase: tests/test_tone_learned.py
            assert 0 <= e["start"] < e["end"] <= len(e["sentence"])
        elif e["feature"].startswith("tone_"):
            assert matched == e["term"]
        else:  # cue rows name the lexicon entry; the span is the inflected text
            first = e["term"].split(" + ")[0].split()[0]
            assert matched.startswith(first[:4]), (matched, e["term"])


def test_vader_token_path_equals_polarity_scores():
    raw = analyzers()[0]
    for text in [OPTIMISTIC, CAUTIOUS, "The food was not good at all!!", "It is kind of ok",
                 "GREAT job, but the ending was terrible.", "Never so bad :)", ""]:
        assert vader_tokens(raw, text)[2] == raw.polarity_scores(text)


# vaderSentiment's README and demo sentences: negation, boosters, capitals, "but", idioms.
VADER_REFERENCE = [
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "The book was good.",
    "At least it isn't a horrible book.", "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all",
    "Sentiment analysis has never been good.", "Sentiment analysis has never been this good!",
    "Most automated sentiment analysis tools are shit.",
    "With VADER, sentiment analysis is the shit!",
    "Other sentiment analysis tools can be quite bad.",
    "On the other hand, VADER is quite bad ass", "VADER is such a badass!",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the most compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Not such a badass after all.", "Without a doubt, an excellent idea.",
    "No good deed goes unpunished, no or nor happy endings.",
]


@pytest.mark.parametrize("text", VADER_REFERENCE)
def test_linear_vader_equals_vader_on_reference_sentences(text):
    from analysis.measures.tone.scorer import vader_scores

    raw, adapted = analyzers()
    assert vader_scores(raw, text) == raw.polarity_scores(text)
    assert vader_tokens(raw, text)[2] == raw.polarity_scores(text)
    assert vader_scores(adapted, text) == adapted.polarity_scores(text)


def test_but_rule_replays_vaders_first_equal_value_lookup():
    # VADER's "but" rule scales the first entry *equal* to each value it meets: with valences
    # 2v and v before "but", 2v is halved to v, then v's turn halves that same entry again
    # and leaves the second word as it was. The linear walk does the same.
    raw = analyzers()[0]
    by_value = {}
    for w, v in raw.lexicon.items():
        if w.isalpha() and w == w.lower():
            by_value.setdefault(v, w)
    v = next(x for x in sorted(by_value) if x > 0 and 2 * x in by_value)
    text = f"{by_value[2 * v]} {by_value[v]} but fine"
    words, vals, scores = vader_tokens(raw, text)
    assert vals[:2] == [v / 2, v]
    assert scores == raw.polarity_scores(text)


def test_raw_compound_is_vader_as_shipped_with_and_without_topic_terms():
    raw = analyzers()[0]
    for text in [OPTIMISTIC, CAUTIOUS, "Militants attacked the good people, not the bad ones.",
                 "No terrorists were killed, thankfully.", "Talks were friendly :) and calm",
                 "The United Provinces praised the Peace Corps.", "Nothing to see here."]:
        expected = raw.polarity_scores(text)["compound"]
        assert _one(text).compound == expected, text
        assert _one(text, TOPIC).compound == expected, text


def test_topic_word_is_neutral_only_when_given():
    text = "Security forces arrested the terrorist."
    raw = analyzers()[0]
    given, not_given = _one(text, TOPIC), _one(text)
    assert given.compound == not_given.compound == raw.polarity_scores(text)["compound"] < -0.05
    assert given.compound_adapted == 0.0  # security, arrested, terrorist: all neutral
    assert not_given.compound_adapted == not_given.compound  # no proper name: plain VADER
    terms = {e["term"] for e in given.evidence if e["feature"].startswith("tone_")}
    assert not terms
    assert "terrorist" in {e["term"] for e in not_given.evidence}
    # only the given words: "killed" is neutral with TOPIC, "violent" is not in it
    st = _one("The violent gang killed two.", TOPIC)
    assert {e["term"] for e in st.evidence if e["feature"] == "tone_negative"} == {"violent"}


def test_adapted_analyzer_is_a_copy_cached_per_set_of_terms():
    raw = analyzers()[0]
    adapted = adapted_analyzer(TOPIC)
    assert adapted is analyzers(TOPIC)[1] is adapted_analyzer(frozenset(TOPIC))
    assert adapted is adapted_analyzer(tuple(reversed(TOPIC)))  # order does not matter
    assert adapted is adapted_analyzer([t.upper() for t in TOPIC])  # nor case
    assert "terrorist" in raw.lexicon and "terrorist" not in adapted.lexicon
    assert adapted.lexicon is not raw.lexicon
    assert set(raw.lexicon) - set(adapted.lexicon) == set(TOPIC) & set(raw.lexicon)
    assert adapted_analyzer(["strike"]) is not adapted  # another set, another analyser
    assert "strike" not in adapted_analyzer(["strike"]).lexicon


def test_without_topic_terms_the_adapted_analyzer_is_plain_vader():
    raw, adapted = analyzers()
    assert adapted.lexicon == raw.lexicon and adapted.lexicon is not raw.lexicon
    for text in [OPTIMISTIC, CAUTIOUS, "Security forces arrested the terrorist.",
                 "No terrorists were killed, thankfully.", "GREAT job, but the ending was bad."]:
        st = _one(text)  # no proper names: the adapted compound is VADER's own
        assert st.compound_adapted == st.compound == raw.polarity_scores(text)["compound"]
    res = _score(CAUTIOUS + " " + OPTIMISTIC)
    assert res.columns["tone_mean_adapted"] == res.columns["tone_mean"]
    assert _score(CAUTIOUS + " " + OPTIMISTIC, topic_terms=["risks", "success"]).columns[
        "tone_mean_adapted"] != res.columns["tone_mean"]


def test_tone_scorer_keeps_its_terms_and_pickles():
    text = "Security forces attacked the terrorists. The talks made real progress."
    sc = ToneScorer(topic_terms=["Security", "terrorists", "attacked"])
    assert sc.topic_terms == ("attacked", "security", "terrorists")
    back = pickle.loads(pickle.dumps(sc))
    assert back.topic_terms == sc.topic_terms
    art = parse_text(text, article_id="p")
    idx = bootstrap_indices(len(art.sentences), 50, article_rng(0, "p"))
    one, two = sc.score(art, idx), back.score(art, idx)
    assert one.columns == two.columns and one.evidence == two.evidence
    assert one.columns["tone_mean_adapted"] > ToneScorer().score(art, idx).columns[
        "tone_mean_adapted"]


# --- article level: columns, intervals, determinism, saturation -------------------------------

LONG = " ".join([OPTIMISTIC, "The meeting was held on Tuesday in the capital."] * 60)


def test_columns_and_interval_contains_point():
    res = _score(CAUTIOUS + " " + OPTIMISTIC + " The delegations met on Tuesday.")
    assert list(res.columns) == TONE_COLUMNS
    for base in ("tone_mean", "tone_mean_adapted", "net_optimism"):
        assert res.columns[f"{base}_lo"] <= res.columns[base] <= res.columns[f"{base}_hi"]
        assert res.columns[f"{base}_lo"] < res.columns[f"{base}_hi"]
    assert -1 <= res.columns["net_optimism"] <= 1
    assert 0 <= res.columns["tone_pos_share"] + res.columns["tone_neg_share"] <= 1
    rows = res.tables["sentences"]
    assert [list(r) for r in rows] == [SENTENCE_COLUMNS] * len(rows)


def test_deterministic_under_fixed_seed():
    a, b = _score(LONG, seed=3), _score(LONG, seed=3)
    assert a.columns == b.columns and a.evidence == b.evidence
    c = _score(LONG, seed=4)
    assert c.columns["tone_mean_lo"] != a.columns["tone_mean_lo"]


def test_no_saturation_on_long_text():
    whole = analyzers()[0].polarity_scores(LONG)["compound"]
    res = _score(LONG)
    assert whole > 0.99  # one VADER call on the whole text saturates ...
    assert 0.2 < res.columns["tone_mean"] < 0.6  # ... the mean of sentences does not


def test_rates_per_1000_words():
    res = _score(OPTIMISTIC)
    art = parse_text(OPTIMISTIC)
    counts = _one(OPTIMISTIC).counts
    assert res.columns["optimism"] == pytest.approx(counts["optimism"] * 1000 / art.n_words)


def test_build_features_has_tone_columns():
    corpus = pd.DataFrame({"article_id": ["x1", "x2"],
                           "text": ["Title One\n" + OPTIMISTIC, "Title Two\n" + CAUTIOUS]})
    fs = build_features(corpus, groups=("tone",), n_resamples=50)
    assert set(TONE_COLUMNS) <= set(fs.features.columns)
    assert fs.features["net_optimism"].tolist()[0] > fs.features["net_optimism"].tolist()[1]
    assert list(fs.tables["sentences"].columns) == SENTENCE_COLUMNS
    assert set(fs.evidence["feature"]) >= {"optimism", "caution"}


# --- lexicon integrity -----------------------------------------------------------------------

LISTS = (*CUE_LISTS, "negators")


def _lines(name):
    text = resources.files("analysis").joinpath("lexicons", f"{name}.txt").read_text("utf-8")
    return [ln.split("#", 1)[0].strip() for ln in text.splitlines()]


@pytest.mark.parametrize("name", LISTS)
def test_lexicon_lowercase_unique_nonempty(name):
    entries = [e for e in _lines(name) if e]
    assert entries and all(e == e.lower() for e in entries)
    assert len(entries) == len(set(entries))
    assert len(load_lexicon(name)) == len(entries)


def test_opposed_lists_are_disjoint():
    def terms(n):
        return {" ".join(e) for e in load_lexicon(n)}
    assert not terms("optimism") & terms("caution")
    assert not terms("hedging") & terms("boosting")
    assert not terms("negators") & (terms("optimism") | terms("caution") | terms("boosting"))


def test_package_has_no_topic_word_list():
    # topic words are the study's (data/study.yml), not the package's
    assert not resources.files("analysis").joinpath("lexicons", "topical_terms.txt").is_file()


def test_default_study_topic_terms_are_vader_words():
    terms = load_study(BUNDLED_STUDY).topic_terms
    raw = analyzers()[0]
    assert terms and all(t in raw.lexicon for t in terms)


def test_bad_lexicon_line_is_named(monkeypatch, tmp_path):
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "bad.txt").write_text("# c\nrisk\nRisk\n", encoding="utf-8")
    monkeypatch.setattr("analysis.lexicon.resources.files", lambda pkg: tmp_path)
    load_lexicon.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"bad.txt, line 3: 'Risk' is not lower case"):
            load_lexicon("bad")
    finally:
        load_lexicon.cache_clear()


# --- validation code on a tiny fixture -------------------------------------------------------

@pytest.mark.slow
def test_validation_on_fixture(tmp_path):
    from analysis.validation import tone as vt

    nyt = pd.DataFrame({
        "id": ["1_1", "1_2", "2_1", "2_2", "3_1", "3_2"],
        "rating": [2.5, 1.5, -2.0, -1.5, 0.2, -0.1],
        "text": ["A wonderful, hopeful success.", "Real progress, great work.",
                 "A terrible, cruel failure.", "The plan is awful and risky.",
                 "The council met on Monday.", "It voted on the budget."]})
    nyt.to_csv(tmp_path / vt.NYT_FILE, sep="\t", index=False)
    write_tone_sources(tmp_path)
    sci = [{"id": i, "finding": f, "certainty": c} for i, (f, c) in enumerate([
        ("Exercise may possibly reduce risk, the data suggest.", 1.0),
        ("Exercise might reduce risk.", 3.0),
        ("Exercise reduces risk.", 6.0)])]
    (tmp_path / vt.SCIENCE_FILE).write_text(
        "\n".join(json.dumps(r) for r in sci) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    metrics = vt.run(tmp_path, out)
    by = {m.name.split(",")[0]: m for m in metrics}
    m = by["spearman(tone_mean_adapted"]
    assert m.n == 3 and m.value == pytest.approx(1.0) and m.passed
    h = by["spearman(sentence hedging per 1"]
    assert h.n == 3 and h.value == pytest.approx(-1.0) and h.passed
    assert sorted(p.name for p in out.glob("*.png")) == ["tone-nyt-editorials.png",
                                                          "tone-science-hedging.png"]


def test_validation_missing_file(tmp_path):
    from analysis.validation import tone as vt

    with pytest.raises(FileNotFoundError):
        vt.run(tmp_path, tmp_path)


def test_adapted_tone_ignores_words_inside_proper_names():
    for terms in ((), TOPIC):  # with or without topic terms
        st = _one("The United Provinces sent a delegation.", terms)
        assert st.compound > 0.05 and st.compound_adapted == 0.0
        assert not [e for e in st.evidence if e["feature"].startswith("tone_")]


def test_unit_bootstrap_interval_is_seeded_and_keeps_strata():
    from analysis.stats import unit_bootstrap_interval

    x = np.arange(100, dtype=float)
    lo, hi = unit_bootstrap_interval(lambda i: x[i].mean(), 100)
    assert lo < x.mean() < hi and hi - lo < 20
    assert unit_bootstrap_interval(lambda i: x[i].mean(), 100) == (lo, hi)
    assert unit_bootstrap_interval(lambda i: x[i].mean(), 100, seed=1) != (lo, hi)
    # strata: every resample keeps 10 units of class 1 and 90 of class 0
    y = np.array([1] * 10 + [0] * 90)
    seen = []
    unit_bootstrap_interval(lambda i: seen.append(int(y[i].sum())) or 0.0, 100, strata=y,
                            n_resamples=50)
    assert seen == [10] * 50
    # undefined resamples (NaN) are left out
    assert unit_bootstrap_interval(lambda i: float("nan") if i[0] % 2 else 1.0, 10) == (1.0, 1.0)


@pytest.mark.slow
def test_validation_correlations_carry_bootstrap_intervals(tmp_path):
    from analysis.validation import tone as vt

    rng = np.random.default_rng(0)
    ids, ratings, texts = [], [], []
    words = ["A wonderful, hopeful success.", "A terrible, cruel failure.",
             "The council met on Monday."]
    for a in range(30):
        for k in range(2):
            j = int(rng.integers(3))
            ids.append(f"{a}_{k}")
            ratings.append([2.0, -2.0, 0.0][j] + float(rng.normal(0, 1.5)))
            texts.append(words[j])
    pd.DataFrame({"id": ids, "rating": ratings, "text": texts}).to_csv(
        tmp_path / vt.NYT_FILE, sep="\t", index=False)
    write_tone_sources(tmp_path)
    sci = [{"finding": f, "certainty": c} for f, c in
           [("It may reduce risk.", 2.0), ("It reduces risk.", 5.0),
            ("It might possibly help.", 1.0), ("It helps.", 6.0)] * 5]
    (tmp_path / vt.SCIENCE_FILE).write_text(
        "\n".join(json.dumps(r) for r in sci) + "\n", encoding="utf-8")
    metrics = vt.run(tmp_path, tmp_path)
    with_ci = [m for m in metrics if m.ci]
    assert {m.target for m in metrics if m.target} <= {m.target for m in with_ci}
    for m in with_ci:
        lo, hi = m.ci
        assert -1.0 <= lo <= m.value <= hi <= 1.0
    tone = next(m for m in with_ci if m.name.startswith("spearman(tone_mean_adapted"))
    assert tone.ci[1] - tone.ci[0] > 0.01  # noisy ratings: a real interval, not a point


def _rated_fixture(folder):
    """Three editorials whose ratings follow their VADER words, and three science findings."""
    from analysis.validation import tone as vt

    pd.DataFrame({
        "id": ["1_1", "1_2", "2_1", "2_2", "3_1", "3_2"],
        "rating": [2.5, 1.5, -2.0, -1.5, 0.2, -0.1],
        "text": ["A wonderful, hopeful success.", "Real progress, great work.",
                 "A terrible, cruel failure.", "The plan is awful and risky.",
                 "The council met on Monday.", "It voted on the budget."]}).to_csv(
        folder / vt.NYT_FILE, sep="\t", index=False)
    write_tone_sources(folder)
    sci = [{"finding": f, "certainty": c} for f, c in
           [("It may reduce risk.", 2.0), ("It reduces risk.", 5.0), ("It might help.", 1.0)]]
    (folder / vt.SCIENCE_FILE).write_text("\n".join(json.dumps(r) for r in sci) + "\n",
                                          encoding="utf-8")


# Every VADER word of the editorials: with these as topic terms the adapted tone is constant.
ALL_WORDS = ("wonderful", "hopeful", "success", "progress", "great", "terrible", "cruel",
             "failure", "awful", "risky")


@pytest.mark.slow
def test_validation_uses_the_topic_terms_given(tmp_path):
    from analysis.validation import tone as vt

    _rated_fixture(tmp_path)
    by = {}
    for terms in ((), ALL_WORDS):
        out = tmp_path / f"out{len(terms)}"
        out.mkdir()
        by[terms] = {m.name.split(",")[0]: m for m in vt.run(tmp_path, out, topic_terms=terms)}
    plain, neutral = by[()], by[ALL_WORDS]
    assert plain["spearman(tone_mean_adapted"].value == pytest.approx(1.0)
    assert np.isnan(neutral["spearman(tone_mean_adapted"].value)  # all adapted tones are 0
    assert "undefined" in neutral["spearman(tone_mean_adapted"].note
    # the plain VADER baseline does not depend on the topic terms
    key = "baseline: spearman(VADER mean sentence compound"
    assert plain[key].value == neutral[key].value


@pytest.mark.slow
def test_run_validation_passes_the_studys_topic_terms(tmp_path):
    from analysis.validation import run_validation

    data = tmp_path / "data"
    data.mkdir()
    _rated_fixture(data)
    study = tmp_path / "study.yml"
    study.write_text("topic_terms: [" + ", ".join(ALL_WORDS) + "]\n", encoding="utf-8")
    values = {}
    for name, s in (("none", "none"), ("study", study)):
        out = tmp_path / name
        run_validation(data, out, only=["tone"], study=s)
        rows = json.loads((out / "results.json").read_text(encoding="utf-8"))
        values[name] = next(r["value"] for r in rows
                            if r["name"].startswith("spearman(tone_mean_adapted"))
    assert values["none"] == pytest.approx(1.0)
    assert values["study"] is None or np.isnan(values["study"])
