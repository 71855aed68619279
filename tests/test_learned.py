"""Learned measures: learn -> model file -> apply, sample, agreement, and every bad input.

The coded data are sentences written here (economy vs leisure news, a tone rating, three
topics), never outside data.
"""

from __future__ import annotations

import csv
import itertools
import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.measures.learned import LearnedScorer, dump_model, load_model, parse_model
from analysis.measures.learned.agreement import agreement, coder_matrix
from analysis.measures.learned.coded import read_coded
from analysis.measures.learned.model import ModelError
from analysis.measures.learned.sample import active_sample, stratified_sample
from analysis.stats import article_rng, bootstrap_indices
from analysis.text import parse_text

ECON = ["taxes", "the budget", "jobs", "inflation", "the economy", "wages", "trade", "prices"]
LEISURE = ["the festival", "the match", "the concert", "the garden show", "the film",
           "the museum", "the parade", "the marathon"]
VERBS = ["dominated the debate", "was discussed at length", "drew attention",
         "worried residents", "made headlines"]
TOPICS = {"sport": ["the match", "the striker", "the league", "the coach"],
          "arts": ["the concert", "the painter", "the gallery", "the orchestra"],
          "money": ["the budget", "the bank", "inflation", "the tax bill"]}


def _texts(nouns, n, offset=0):
    pairs = list(itertools.permutations(nouns, 2))
    out = []
    for i in range(n):
        a, b = pairs[(i + offset) % len(pairs)]
        v1, v2 = VERBS[i % len(VERBS)], VERBS[(i + 2) % len(VERBS)]
        out.append(f"{a.capitalize()} {v1} on Monday. Officials said {b} {v2} as well.")
    return out


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def binary_csv(tmp_path):
    rows = []
    for i, t in enumerate(_texts(ECON, 20) + _texts(LEISURE, 20)):
        econ = i < 20
        rows.append({"article_id": f"b{i:03d}", "text": t, "economic": "yes" if econ else "no",
                     "outlet": "A" if i % 2 else "B"})
    return _write(tmp_path / "coded.csv", rows)


def _learn(coded, out, *extra):
    return main(["learn", str(coded), "-o", str(out), "-q", *extra])


# ---------------------------------------------------------------------------------------------
# learn and apply
# ---------------------------------------------------------------------------------------------

def test_learn_writes_a_byte_stable_model_that_reads_back_and_ranks_the_frame(binary_csv,
                                                                              tmp_path):
    a, b = tmp_path / "a.yml", tmp_path / "b.yml"
    assert _learn(binary_csv, a, "--label", "economic") == 0
    assert _learn(binary_csv, b, "--label", "economic") == 0
    assert a.read_bytes() == b.read_bytes()  # same data, same bytes
    model = load_model(a)
    assert dump_model(model) == a.read_text(encoding="utf-8")  # load -> dump is the identity
    assert model.kind == "binary" and model.categories == ("0", "1")
    assert model.columns() == ["learned_economic"]
    terms = model.weights["1"].terms
    assert terms["inflation"] > 0 > terms["festival"]
    assert model.training["n"] == 40 and model.training["label_counts"] == {"0": 20, "1": 20}
    assert model.training["cv"]["auc"] > 0.9
    assert len(model.training["data_sha256"]) == 64
    scorer = LearnedScorer([model])
    art = parse_text("Inflation and wages worried residents. The budget made headlines.", "x")
    res = scorer.score(art, bootstrap_indices(len(art.sentences), 200, article_rng(0, "x")))
    other = scorer.score(parse_text("The festival drew attention.", "y"), np.zeros((0, 0), int))
    assert res.columns["learned_economic"] > 0.5 > other.columns["learned_economic"]
    assert res.columns["learned_economic_lo"] <= res.columns["learned_economic"] \
        <= res.columns["learned_economic_hi"]
    assert {e["term"] for e in res.evidence} & {"inflation", "wages", "budget"}
    ev = res.evidence[0]
    assert ev["sentence"][ev["start"]:ev["end"]].lower() == ev["term"].split()[0] or " " in \
        ev["term"]


def test_a_hand_written_model_scores_as_its_formula_says():
    text = """format: analysis-learned-model
version: 1
name: hand
kind: binary
label: y
categories: ['0', '1']
featurise: {words: lower, stop_words: keep, negation: 0, phrases: 1, value: binary,
            idf: false, norm: none}
weights:
  '1': {intercept: -1.0, terms: {tax: 2.0, festival: -0.5}}
"""
    model = parse_model(text, "hand.yml")
    res = LearnedScorer([model]).score(parse_text("Tax and tax and a festival.", "h"),
                                       np.zeros((0, 0), int))
    # binary values, no norm: z = -1 + 2 (tax) - 0.5 (festival)
    assert res.columns["learned_hand"] == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_categories_give_one_probability_column_per_category(tmp_path):
    rows = [{"article_id": f"t{k}{i:02d}", "text": t, "topic": k}
            for k, nouns in TOPICS.items() for i, t in enumerate(_texts(nouns, 12))]
    coded = _write(tmp_path / "topics.csv", rows)
    out = tmp_path / "topic.yml"
    assert _learn(coded, out, "--label", "topic") == 0
    model = load_model(out)
    assert model.kind == "categories" and model.link == "softmax"
    assert model.columns() == ["learned_topic_arts", "learned_topic_money", "learned_topic_sport"]
    res = LearnedScorer([model]).score(parse_text("The striker and the coach left the league."),
                                       np.zeros((0, 0), int)).columns
    probs = [res[c] for c in model.columns()]
    assert sum(probs) == pytest.approx(1.0)
    assert max(model.columns(), key=res.get) == "learned_topic_sport"


def test_a_rating_is_a_ridge_with_the_predicted_value(tmp_path):
    good = ["progress", "success", "relief", "agreement"]
    bad = ["crisis", "failure", "anger", "collapse"]
    rows = []
    for i in range(30):
        word = good[i % 4] if i % 2 else bad[i % 4]
        rating = 4 + (i % 3) * 0.5 if i % 2 else 1 + (i % 3) * 0.5
        rows.append({"article_id": f"r{i:02d}", "text": f"The talks ended in {word} on day "
                     f"{['one', 'two', 'three'][i % 3]}.", "rating": str(rating),
                     "article": f"art{i // 3}"})
    coded = _write(tmp_path / "rated.csv", rows)
    out = tmp_path / "rating.yml"
    assert _learn(coded, out, "--label", "rating", "--unit", "sentence",
                  "--group-by", "article") == 0
    model = load_model(out)
    assert (model.kind, model.link, model.unit) == ("rating", "identity", "sentence")
    assert model.training["cv"]["grouped"] is True and model.training["cv"]["spearman"] > 0.5
    scorer = LearnedScorer([model])
    up = scorer.score(parse_text("The talks ended in success. Relief came."), np.zeros((0, 0), int))
    down = scorer.score(parse_text("The talks ended in failure. Anger came."),
                        np.zeros((0, 0), int))
    assert up.columns["learned_rating"] > down.columns["learned_rating"]


def test_features_measure_adds_the_column_and_flows_into_compare(binary_csv, tmp_path):
    model = tmp_path / "econ.yml"
    assert _learn(binary_csv, model, "--label", "economic") == 0
    feats = tmp_path / "out" / "features.csv"
    assert main(["features", str(binary_csv), "-o", str(feats), "--groups", "learned",
                 "--measure", str(model), "--workers", "1", "--n-resamples", "100"]) == 0
    f = pd.read_csv(feats)
    assert {"learned_economic", "learned_economic_lo", "learned_economic_hi"} <= set(f.columns)
    top = f.sort_values("learned_economic")["article_id"].tolist()
    assert top[-1].startswith("b0") and int(top[-1][1:]) < 20  # an economy article ranks top
    ev = pd.read_csv(feats.with_name("evidence.csv"))
    assert (ev["feature"] == "learned_economic").any()
    assert main(["compare", str(feats), "--by", "outlet", "--n-resamples", "100"]) == 0
    groups = pd.read_csv(feats.with_name("groups.csv"))
    assert (groups.astype(str) == "learned_economic").any().any()


@pytest.mark.slow
def test_a_model_given_by_path_is_scored_by_worker_processes(binary_csv, tmp_path):
    model = tmp_path / "econ.yml"
    assert _learn(binary_csv, model, "--label", "economic") == 0
    one, two = tmp_path / "one" / "f.csv", tmp_path / "two" / "f.csv"
    common = ["--groups", "learned", "--measure", str(model), "--chunk-rows", "10",
              "--n-resamples", "100"]
    assert main(["features", str(binary_csv), "-o", str(one), "--workers", "1", *common]) == 0
    assert main(["features", str(binary_csv), "-o", str(two), "--workers", "2", *common]) == 0
    assert one.read_bytes() == two.read_bytes()


# ---------------------------------------------------------------------------------------------
# sample
# ---------------------------------------------------------------------------------------------

def test_stratified_sample_is_proportional_and_deterministic():
    frame = pd.DataFrame({"article_id": [f"s{i:02d}" for i in range(40)],
                          "outlet": ["A"] * 30 + ["B"] * 10})
    first = stratified_sample(frame, 8, ["outlet"], random_state=3)
    assert first == stratified_sample(frame, 8, ["outlet"], random_state=3)
    assert first != stratified_sample(frame, 8, ["outlet"], random_state=4)
    outlets = frame.set_index("article_id").loc[first, "outlet"].tolist()
    assert outlets.count("A") == 6 and outlets.count("B") == 2 and len(set(first)) == 8


def test_with_a_model_half_is_uncertain_half_random():
    frame = pd.DataFrame({"article_id": [f"u{i:02d}" for i in range(20)]})
    unsure = -np.abs(np.linspace(0, 1, 20) - 0.5)  # u09, u10 are nearest 0.5
    picked = active_sample(frame, 6, unsure, random_state=0)
    assert picked["selection"].tolist() == ["uncertain"] * 3 + ["random"] * 3
    assert set(picked["article_id"][:3]) == {"u09", "u10", "u08"} or \
        set(picked["article_id"][:3]) == {"u09", "u10", "u11"}
    assert not set(picked["article_id"][3:]) & set(picked["article_id"][:3])


def test_sample_command_writes_a_csv_ready_to_code(binary_csv, tmp_path):
    out = tmp_path / "to_code.csv"
    assert main(["sample", str(binary_csv), "--n", "6", "--by", "outlet", "-o", str(out),
                 "--label", "coder_a", "--label", "coder_b", "--random-state", "1"]) == 0
    t = pd.read_csv(out, keep_default_na=False)
    assert list(t.columns) == ["article_id", "selection", "text", "coder_a", "coder_b"]
    assert len(t) == 6 and (t["coder_a"] == "").all()
    again = tmp_path / "again.csv"
    main(["sample", str(binary_csv), "--n", "6", "--by", "outlet", "-o", str(again),
          "--label", "coder_a", "--label", "coder_b", "--random-state", "1"])
    assert out.read_bytes() == again.read_bytes()


# ---------------------------------------------------------------------------------------------
# agreement
# ---------------------------------------------------------------------------------------------

def test_alpha_matches_the_hand_computation_and_krippendorff():
    # Units (1,1), (1,1), (0,0), (0,1): o11 = 4, o00 = 2, o01 = o10 = 1; n1 = 5, n0 = 3, n = 8.
    # D_o = 2/8, D_e = 2 * 5 * 3 / (8 * 7); alpha = 1 - D_o / D_e = 8/15.
    M = np.array([[1, 1, 0, 0], [1, 1, 0, 1]], dtype=float)
    r = agreement(M, "nominal", n_resamples=200)
    assert r["alpha"] == pytest.approx(8 / 15)
    assert r["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=M,
                                                           level_of_measurement="nominal"))
    assert r["percent_agreement"] == 0.75 and r["alpha_lo"] <= r["alpha_hi"]


@pytest.mark.parametrize("a,b,level", [
    (["yes", "no", "yes", "no", "yes"], ["1", "0", "1", "1", "1"], "nominal"),
    (["1", "2", "3", "4", "5"], ["1", "2", "3", "5", "5"], "ordinal"),
    (["1.5", "2.25", "3.0", "4.75", "0.5"], ["1.5", "2.0", "3.5", "4.5", "0.5"], "interval"),
    (["sport", "arts", "money", "arts", "sport"], ["sport", "arts", "money", "money", "sport"],
     "nominal"),
])
def test_the_level_follows_the_labels(tmp_path, a, b, level):
    rows = [{"article_id": f"g{i}", "text": f"Text number {i}.", "a": x, "b": y}
            for i, (x, y) in enumerate(zip(a, b))]
    coded = read_coded(_write(tmp_path / "g.csv", rows))
    M, found, _ = coder_matrix(coded, ["a", "b"])
    assert found == level
    expected = krippendorff.alpha(reliability_data=M, level_of_measurement=level)
    assert agreement(M, found, n_resamples=100)["alpha"] == pytest.approx(expected)


def test_agreement_command_reports_coders_and_the_model(binary_csv, tmp_path, capsys):
    df = pd.read_csv(binary_csv)
    df["coder_a"] = np.where(df["economic"] == "yes", 1, 0)
    df["coder_b"] = df["coder_a"].where(df.index % 5 != 0, 1 - df["coder_a"])
    df["learned_economic"] = np.where(df["economic"] == "yes", 0.9, 0.2)
    coded = tmp_path / "two.csv"
    df.to_csv(coded, index=False)
    out = tmp_path / "agreement.csv"
    assert main(["agreement", str(coded), "--coders", "coder_a,coder_b", "--model-column",
                 "learned_economic", "-o", str(out), "--n-resamples", "200"]) == 0
    t = pd.read_csv(out)
    assert t["comparison"].tolist() == ["coder_a vs coder_b", "learned_economic vs coder_a",
                                        "learned_economic vs coder_b"]
    assert t.loc[1, "alpha"] == pytest.approx(1.0) and t.loc[0, "percent_agreement"] == 0.8
    assert "Krippendorff's alpha (nominal)" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# bad input: exit 2, file and row named, nothing written
# ---------------------------------------------------------------------------------------------

def _bad(tmp_path, rows, capsys, *extra, label="economic"):
    coded = _write(tmp_path / "bad.csv", rows)
    out = tmp_path / "m.yml"
    assert main(["learn", str(coded), "--label", label, "-o", str(out), *extra]) == 2
    assert not out.exists()
    return capsys.readouterr().err


def _rows(n_yes, n_no, **over):
    texts = _texts(ECON, n_yes) + _texts(LEISURE, n_no)
    return [{"article_id": f"x{i:02d}", "text": t,
             "economic": "yes" if i < n_yes else "no", **over} for i, t in enumerate(texts)]


def test_too_few_items_of_a_class(tmp_path, capsys):
    err = _bad(tmp_path, _rows(4, 20), capsys)
    assert "bad.csv" in err and "too few items of class '1'" in err


def test_one_class_only(tmp_path, capsys):
    err = _bad(tmp_path, _rows(20, 0), capsys)
    assert "one class only" in err


def test_a_label_outside_the_declared_kind_names_its_row(tmp_path, capsys):
    rows = _rows(12, 12)
    rows[5]["economic"] = "maybe"
    err = _bad(tmp_path, rows, capsys, "--kind", "binary")
    assert "bad.csv:7" in err and "'maybe'" in err and "binary" in err


def test_missing_text_names_its_row(tmp_path, capsys):
    rows = _rows(12, 12)
    rows[3]["text"] = ""
    err = _bad(tmp_path, rows, capsys)
    assert "bad.csv:5" in err and "empty text" in err


@pytest.mark.parametrize("edit,expected", [
    (lambda t: t.replace("kind: binary", "kind: bianry"), "kind 'bianry'"),
    (lambda t: t.replace("intercept: ", "intercept: lots"), "intercept of '1' must be a number"),
    (lambda t: t.replace("format: analysis-learned-model", "format: something"), "format"),
    (lambda t: t.replace("weights:", "weights: [\n"), "YAML syntax"),
    (lambda t: t + "surprise: 1\n", "unknown key 'surprise'"),
])
def test_a_model_edited_into_nonsense_stops_features(binary_csv, tmp_path, capsys, edit,
                                                     expected):
    model = tmp_path / "econ.yml"
    assert _learn(binary_csv, model, "--label", "economic") == 0
    model.write_text(edit(model.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(model)
    feats = tmp_path / "out" / "features.csv"
    assert main(["features", str(binary_csv), "-o", str(feats), "--groups", "learned",
                 "--measure", str(model), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "econ.yml" in err and expected in err
    assert "line" in err or "YAML" in err
    assert not feats.parent.exists() or not any(feats.parent.iterdir())


# ---------------------------------------------------------------------------------------------
# make validate: the learned check on fixture files written here
# ---------------------------------------------------------------------------------------------

def test_validation_check_puts_each_learned_number_beside_its_tfidf_baseline(tmp_path):
    import json

    from analysis.validation import learned as check

    frames = {"economic": ECON, "politics": ["the senator", "the vote", "congress", "the party"],
              "mental_health": ["the therapist", "depression", "the clinic", "anxiety"]}
    with open(tmp_path / check.GVFC, "w", encoding="utf-8") as fh:
        for k, (frame, nouns) in enumerate(frames.items()):
            for i, t in enumerate(_texts(nouns, 12, offset=k)):
                fh.write(json.dumps({"article_id": f"g{k}{i}", "text": t, "theme1": frame,
                                     "theme2": ""}) + "\n")
    with open(tmp_path / check.CLIMATE, "w", encoding="utf-8") as fh:
        for i, t in enumerate(_texts(ECON, 15) + _texts(LEISURE, 15)):
            codes = {c: 0 for c in check.CLIMATE_FRAMES}
            codes["EC"] = int(i < 15)
            fh.write(json.dumps({"article_id": f"c{i}", "text": t, **codes}) + "\n")
    with open(tmp_path / check.NEWSMTSC, "w", encoding="utf-8") as fh:
        for i, t in enumerate(_texts(ECON, 15) + _texts(LEISURE, 15)):
            fh.write(json.dumps({"sentence_normalized": t, "targets": [
                {"polarity": 6.0 if i < 15 else 2.0}, {"polarity": 4.0}]}) + "\n")
    metrics = check.run(tmp_path, tmp_path)
    names = [m.name for m in metrics]
    # economic, politics, mental_health (gvfc) and EC (climate): the other frames have no
    # positives in the fixture and are left out; then the rating
    assert sum("ROC AUC learned" in n for n in names) == 4
    assert sum("TF-IDF" in n for n in names) == 5 and any("Spearman learned" in n for n in names)
    for learned, base in zip(metrics[::2], metrics[1::2]):
        assert "learned" in learned.name and "TF-IDF" in base.name
        assert learned.target == f">= {base.value:.4f}" and learned.ci[0] <= learned.value
    assert (tmp_path / "learned.png").is_file()


@pytest.mark.parametrize("value,norm", [("log_count", "l2"), ("binary", "l2"),
                                        ("log_count", "none")])
def test_grouped_resampling_equals_recounting_every_resample(value, norm):
    from analysis.measures.learned.apply import _resampled_z, _values
    from analysis.measures.learned.model import Featurise
    from analysis.stats import resample_weights

    rng = np.random.default_rng(1)
    S = (rng.random((12, 60)) < 0.1) * rng.integers(1, 4, (12, 60)).astype(float)
    S[:, :4] += 1  # features in every sentence
    S = S[:, S.sum(axis=0) > 0]
    idf, wm = rng.random(S.shape[1]) + 1, rng.normal(size=(S.shape[1], 2))
    W = resample_weights(rng.integers(0, 12, (300, 12)), 12)
    spec = Featurise(value=value, norm=norm)
    assert np.allclose(_resampled_z(S, W, spec, idf, wm), _values(W @ S, spec, idf) @ wm,
                       atol=1e-12)
