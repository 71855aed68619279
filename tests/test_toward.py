"""Tone toward an actor: clauses apart, pronouns, the target column, no mention, the CLI,
the registry, the figure and the validation check, on sentences written here."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.features import build_features
from analysis.measures import column_of, measure_of
from analysis.measures.tone import make_scorer
from analysis.measures.tone.targets import (find_mentions, refer_pronouns, target_of,
                                           targets_of_study)
from analysis.measures.tone.toward import TowardScorer, mention_tones
from analysis.nlp import get_nlp
from analysis.plots import plot_tone_toward
from analysis.stats import article_rng, bootstrap_indices
from analysis.study import parse_study
from analysis.text import parse_text
from analysis.validation import toward as toward_check

from analysis.measures.tone import training
from conftest import run_cli, write_tone_sources

matplotlib.use("agg")

STUDY = parse_study("""actors:
  blue: {label: Blue party, words: [blue party, blues, harlow]}
  red: {label: Red party, words: [red party, reds, brannigan]}
""")


def _features(texts, study=STUDY, **meta):
    corpus = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts,
                           **meta})
    return build_features(corpus, groups=["tone"], study=study, n_resamples=200)


def _score(text, scorer=None):
    art = parse_text(text, article_id="t")
    idx = bootstrap_indices(len(art.sentences), 200, article_rng(0, "t"))
    return (scorer or TowardScorer.of_study(STUDY)).score(art, idx)


def test_praise_and_blame_in_one_sentence_score_the_actors_apart():
    res = _score("Voters praised Harlow but blamed Brannigan for the terrible crisis.")
    blue, red = res.columns["tone_toward_blue"], res.columns["tone_toward_red"]
    assert blue > 0.3 and red < -0.3
    assert res.columns["tone_toward_blue_n"] == 1 and res.columns["tone_toward_red_n"] == 1
    clauses = {e["feature"]: e["sentence"][e["start"]:e["end"]] for e in res.evidence}
    assert "blamed" not in clauses["tone_toward_blue"]
    assert "praised" not in clauses["tone_toward_red"]


def test_whole_sentence_would_not_separate_them():
    # The clause split is what separates them: scored as one clause, both get one score.
    doc = get_nlp()("Voters praised Harlow but blamed Brannigan for the terrible crisis.")
    scores = [s for _, _, s, _, _ in mention_tones(doc, [(2, 3), (5, 6)])]
    whole = [s for _, _, s, _, _ in mention_tones(doc, [(2, 3), (5, 6)],
                                                  clause_tone=lambda t: len(t.split()) / 100)]
    assert scores[0] > 0 > scores[1]
    assert whole[0] != whole[1]  # the scorer is a parameter: it sees each clause's own text


def test_a_pronoun_after_a_named_person_refers_to_that_person():
    res = _score("Brannigan spoke in the city on Monday. He praised the wonderful volunteers.")
    assert res.columns["tone_toward_red_n"] == 2
    terms = [e["term"].split(":")[0] for e in res.evidence]
    assert terms == ["Brannigan", "He"]
    assert res.columns["tone_toward_red"] > 0.2  # the praise is his, through the pronoun


def test_a_pronoun_after_another_person_does_not_refer_to_the_actor():
    res = _score("Brannigan met Margaret Okafor on Monday. She praised the wonderful "
                 "volunteers.")
    assert res.columns["tone_toward_red_n"] == 1


def test_no_mention_gives_nan_and_zero_mentions():
    res = _score("The weather was pleasant and the harvest was good.")
    for key in ("blue", "red"):
        assert math.isnan(res.columns[f"tone_toward_{key}"])
        assert math.isnan(res.columns[f"tone_toward_{key}_lo"])
        assert res.columns[f"tone_toward_{key}_n"] == 0


def test_interval_brackets_the_mean_and_counts_mentions_over_sentences():
    text = ("Harlow won a wonderful victory. Harlow was blamed for a terrible scandal. "
            "Harlow opened the meeting.")
    res = _score(text)
    c = res.columns
    assert c["tone_toward_blue_n"] == 3
    assert c["tone_toward_blue_lo"] <= c["tone_toward_blue"] <= c["tone_toward_blue_hi"]
    assert c["tone_toward_blue_lo"] < c["tone_toward_blue_hi"]


def test_target_column_scores_each_articles_own_target():
    study = replace(STUDY, target_column="target")
    fs = _features(["Critics attacked Ann Weller for the awful failure. The rain stopped.",
                    "Ann Weller thanked the staff. Officials praised Jo Lind warmly.",
                    "Nobody was named here."],
                   study=study, target=["Ann Weller", "Jo Lind", ""])
    f = fs.features.set_index("article_id")
    assert f.loc["a0", "tone_toward_target"] < 0 and f.loc["a0", "tone_toward_target_n"] == 1
    assert f.loc["a1", "tone_toward_target"] > 0 and f.loc["a1", "tone_toward_target_n"] == 1
    assert f.loc["a2", "tone_toward_target_n"] == 0
    assert math.isnan(f.loc["a2", "tone_toward_target"])


def test_a_surname_alone_counts_only_as_a_name():
    target = target_of("Ada Trump")
    toks = [("a", "a", "DT", False), ("trump", "trump", "NN", False), ("card", "card", "NN", False)]
    assert find_mentions(toks, [target]) == []
    toks[1] = ("trump", "trump", "NNP", True)
    assert find_mentions(toks, [target]) == [(1, 2, "target")]


def test_adjacent_words_of_one_actor_are_one_mention():
    toks = [(w, w, "NNP", True) for w in ("harlow", "brannigan")]
    assert find_mentions(toks, targets_of_study(STUDY)) == [(0, 1, "blue"), (1, 2, "red")]
    two = parse_study("actors:\n  b: {label: B, words: [ann, weller]}\n")
    res = _score("Ann Weller won a wonderful award.", TowardScorer.of_study(two))
    assert res.columns["tone_toward_b_n"] == 1


def test_pronoun_chain_and_break():
    chain = [([(0, 1, "red", True)], [], [], True), ([], [], [0], True), ([], [], [2], True),
             ([], [], [0], False)]
    referred, _ = refer_pronouns(chain)
    assert referred == [[], [(0, "red")], [(2, "red")], []]


def test_columns_are_registered_in_the_tone_group():
    assert measure_of("tone_toward_blue").name == "tone"
    assert measure_of("tone_toward_target_hi").name == "tone"
    assert column_of("tone_toward_blue_n").name == "tone_toward_<actor>_n"
    assert column_of("tone_toward_blue_lo").name == "tone_toward_<actor>"
    cols = _features(["Harlow spoke."]).features.columns
    assert [c for c in cols if c.startswith("tone_toward_")] == [
        "tone_toward_blue", "tone_toward_blue_lo", "tone_toward_blue_hi", "tone_toward_blue_n",
        "tone_toward_red", "tone_toward_red_lo", "tone_toward_red_hi", "tone_toward_red_n"]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_cli_target_column(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", [
        {"article_id": "x1", "who": "Ann Weller", "text": "Critics blamed Ann Weller for the "
                                                         "terrible losses."},
        {"article_id": "x2", "who": "Jo Lind", "text": "Jo Lind won a wonderful award."}])
    out = tmp_path / "out" / "features.csv"
    res = run_cli("features", str(corpus), "-o", str(out), "--groups", "tone", "--workers", "1",
                  "--target-column", "who")
    assert res.returncode == 0, res.stderr
    f = pd.read_csv(out).set_index("article_id")
    assert f.loc["x1", "tone_toward_target"] < 0 < f.loc["x2", "tone_toward_target"]


def test_cli_missing_target_column_stops_with_exit_2_and_writes_nothing(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", [{"article_id": "x1", "text": "Jo Lind spoke."}])
    out = tmp_path / "out" / "features.csv"
    res = run_cli("features", str(corpus), "-o", str(out), "--groups", "tone", "--workers", "1",
                  "--target-column", "entity")
    assert res.returncode == 2
    assert "--target-column entity" in res.stderr and "no such column" in res.stderr
    assert str(corpus) in res.stderr
    assert not out.exists()


def test_figure_draws_each_actor_per_group():
    summary = pd.DataFrame({
        "measure": ["tone_toward_blue"] * 2 + ["tone_toward_red"] * 2 + ["tone_toward_red_n"],
        "group": ["g1", "g2", "g1", "g2", "g1"], "n": [8, 3, 8, 6, 8],
        "mean": [0.2, 0.1, -0.3, -0.1, 2.0], "lo": [0.1, 0.0, -0.4, -0.2, 1.0],
        "hi": [0.3, 0.2, -0.2, 0.0, 3.0]})
    plot = plot_tone_toward(summary, ["g1", "g2"], {"blue": "Blue", "red": "Red"},
                            {"blue": "#0072B2", "red": "#D55E00"}, "outlet")
    assert list(plot.data["actor"]) == ["blue", "blue", "red", "red"]
    assert "Blue: 11" in plot.caption and "Red: 14" in plot.caption
    assert len(plot.fig.axes[0].lines) == 9  # 4 intervals, 4 points, the zero line


def test_validation_check_on_written_sentences(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "MIN_DF", 2)  # a handful of training items
    write_tone_sources(tmp_path)  # the learned tone's other training files
    nyt = ["id\trating\ttext"] + [f"{a}_{i}\t{r}\t{t}." for a, pair in enumerate(
        [("a fine and lovely day", "a sad and awful loss"),
         ("they did great work", "they did poor work"),
         ("what a happy ending", "what a terrible ending")])
        for i, (r, t) in enumerate(zip((2.5, -2.5), pair))]
    (tmp_path / "nyt_editorials_dev.tsv").write_text("\n".join(nyt) + "\n")
    rows = [
        {"sentence_normalized": "Voters praised Ann Weller but blamed Jo Lind for the crisis.",
         "targets": [{"from": 15, "to": 25, "mention": "Ann Weller", "polarity": 6.0},
                     {"from": 37, "to": 44, "mention": "Jo Lind", "polarity": 2.0}]},
        {"sentence_normalized": "Jo Lind won a wonderful award.",
         "targets": [{"from": 0, "to": 7, "mention": "Jo Lind", "polarity": 6.0}]},
        {"sentence_normalized": "Ann Weller was blamed for a terrible disaster.",
         "targets": [{"from": 0, "to": 10, "mention": "Ann Weller", "polarity": 2.0}]},
    ]
    for i, r in enumerate(rows):
        r["primary_gid"] = f"t_{i}_{i}_0"  # each sentence its own article: folds hold it out
    _jsonl(tmp_path / toward_check.NEWSMTSC_FILE, rows)
    metrics = toward_check.run(tmp_path, tmp_path)
    by = {m.name: m for m in metrics}
    several = {n: m for n, m in by.items() if "several" in n}
    assert len(several) == 3  # the learned clause tone, VADER's clause tone, VADER's sentence
    learned = next(m for n, m in several.items() if "learned" in n and "cross-validated" in n)
    clause = next(m for n, m in several.items() if "VADER's clause" in n)
    assert learned.value == 1.0 and learned.n == 2 and clause.value == 1.0
    baseline = next(m for n, m in several.items() if "whole sentence" in n)
    assert baseline.value == 0.5  # one sentence score for both targets: no ranking
    assert np.isfinite([m.value for m in metrics if "one target" in m.name]).all()


def test_the_tone_groups_shared_sentence_scores_change_nothing():
    text = ("Harlow won a wonderful victory. Brannigan was blamed for a terrible scandal. "
            "He denied it. Harlow and the reds met on Monday.")
    art = parse_text(text, article_id="t")
    idx = bootstrap_indices(len(art.sentences), 200, article_rng(0, "t"))
    joined = make_scorer(STUDY).score(art, idx)
    alone = TowardScorer.of_study(STUDY).score(art, idx)
    assert {k: v for k, v in joined.columns.items() if k.startswith("tone_toward_")} == \
        alone.columns
    assert [e for e in joined.evidence if e["feature"].startswith("tone_toward_")] == \
        alone.evidence
