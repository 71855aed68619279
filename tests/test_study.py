"""The study file: parsing and its errors, and a study nobody wrote the code for (a city council
and a union in a strike) counted end to end from its YAML alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.measures.sources.indices import side_share
from analysis.study import RESERVED, Study, StudyError, load_study, parse_study
from analysis.tables import read_table

ROOT = Path(__file__).resolve().parents[1]

STRIKE_STUDY = """\
title: Bus drivers' strike
actors:
  council:
    label: City council
    colour: "#1b9e77"
    words: [council, councillor, councillors, mayor, city hall]
  union:
    label: Drivers' union
    words: [union, shop steward, strikers, drivers' union]
topic_terms: [strike, strikes, walkout, dispute]
registry: sources.csv
aliases: {city hall: City Council}
groups: [paper]
time: date
"""

STRIKE_REGISTRY = """\
name,type,affiliation,note
Ana Ruiz,government official,council,mayor of Lindenfeld
Tom Okafor,civil society,union,union branch secretary
"""

# Invented articles: a strike in an invented city. Each names who speaks for whom.
STRIKE_ARTICLES = {
    "s1": ("Drivers walk out\n\n"
           "Bus drivers in Lindenfeld began a walkout on Monday. Mayor Ana Ruiz said the city "
           "could not afford the pay claim. The union said the offer was an insult. "
           "Tom Okafor told reporters that the strikers would stay out until Friday."),
    "s2": ("Talks resume\n\n"
           "Councillors said talks would resume. A union spokesman said members were tired but "
           "determined. Council and union leaders said in a joint statement that progress was "
           "possible. A French transport expert said strikes of this kind rarely last long."),
    "s3": ("Services cut\n\n"
           "Buses ran a reduced service. The timetable was changed twice during the dispute. "
           "Passengers waited in the rain for an hour."),
}


def _write_strike(tmp_path: Path) -> tuple[Path, Path]:
    study_dir = tmp_path / "study"
    study_dir.mkdir()
    (study_dir / "study.yml").write_text(STRIKE_STUDY, encoding="utf-8")
    (study_dir / "sources.csv").write_text(STRIKE_REGISTRY, encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"article_id": k, "text": v, "paper": "Gazette" if k != "s2" else "Herald",
             "date": f"2026-03-0{i + 1}"} for i, (k, v) in enumerate(STRIKE_ARTICLES.items())]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return study_dir / "study.yml", corpus


# --------------------------------------------------------------------------- parsing


def test_parse_a_full_study(tmp_path):
    study_file, _ = _write_strike(tmp_path)
    s = load_study(study_file)
    assert [a.key for a in s.actors] == ["council", "union"]
    assert s.affiliations == ("council", "union", *RESERVED)
    assert s.labels == {"council": "City council", "union": "Drivers' union"}
    assert s.actors[0].colour == "#1b9e77" and s.actors[1].colour is None
    assert s.actor_words()[("city", "hall")] == "council"
    assert s.actor_words()[("drivers'", "union")] == "union"
    assert s.topic_terms == ("strike", "strikes", "walkout", "dispute")
    assert s.registry == str((tmp_path / "study" / "sources.csv").resolve())
    assert s.alias_map() == {"city hall": "City Council"}
    assert (s.groups, s.pair_by, s.time) == (("paper",), None, "date")
    assert len(s.sha256) == 64


def test_study_hash_follows_the_files_it_names(tmp_path):
    study_file, _ = _write_strike(tmp_path)
    before = load_study(study_file).sha256
    (tmp_path / "study" / "sources.csv").write_text(STRIKE_REGISTRY + "Li Wei,,union,\n")
    assert load_study(study_file).sha256 != before


def test_topic_terms_from_a_word_list(tmp_path):
    (tmp_path / "terms.txt").write_text("# strike words\nstrike\nwalk out\n", encoding="utf-8")
    s = parse_study("topic_terms: terms.txt\n", "s.yml", tmp_path)
    assert s.topic_terms == ("strike", "walk out")


def test_empty_and_absent_studies():
    assert load_study("none") == Study() and load_study("") == Study()
    assert parse_study("", "s.yml").actors == ()
    assert Study().affiliations == ()


@pytest.mark.parametrize("text, line, words", [
    ("actors:\n  other: {words: [x]}\n", 2, "reserved"),
    ("actors:\n  Council: {words: [x]}\n", 2, "lower-case"),
    ("actors:\n  a: {words: [x, y]}\n  b: {words: [y]}\n", 3, "already a word of 'a'"),
    ("actors:\n  a: {words: [x], colour: red}\n", 2, "#rrggbb"),
    ("actors:\n  a: {label: A}\n", 2, "no words"),
    ("actors:\n  a: {words: [x], side: left}\n", 2, "unknown field 'side'"),
    ("actor:\n  a: {words: [x]}\n", 1, "unknown key 'actor'"),
    ("registry: missing.csv\n", 1, "no such file"),
    ("groups: []\n", 1, "non-empty list"),
    ("groups:\n  - [genre]\n", 2, "each item of groups must be non-empty text"),
    ("base: &b [x]\ntopic_terms: *b\n", 2, "aliases are not allowed"),
    ("actors: [a, b\n", 2, "YAML syntax"),
    ("topic_terms: []\n", 1, "non-empty list"),
])
def test_a_bad_study_names_its_line(tmp_path, text, line, words):
    with pytest.raises(StudyError) as err:
        parse_study(text, "study.yml", tmp_path)
    assert err.value.line == line
    assert words in str(err.value) and str(err.value).startswith(f"study.yml, line {line}:")


def test_a_study_that_is_not_utf8(tmp_path):
    p = tmp_path / "study.yml"
    p.write_bytes("title: Stra\xdfe\n".encode("latin-1"))
    with pytest.raises(StudyError, match="not valid UTF-8"):
        load_study(p)


def test_the_bundled_study_reads():
    s = load_study(ROOT / "data" / "study.yml")
    assert s.actors and s.groups == ("genre",)
    assert all(Path(d).is_file() for d in s.dictionaries)


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_a_study_nobody_coded_for_counts_its_sides(tmp_path):
    """Council and union voices, from the YAML alone: columns, affiliations, registry, topic
    terms, the default grouping."""
    study_file, corpus = _write_strike(tmp_path)
    out = tmp_path / "out" / "features.csv"
    run = subprocess.run([sys.executable, "-m", "analysis", "features", str(corpus), "-o",
                          str(out), "--study", str(study_file), "--workers", "1"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    feats = read_table(out).set_index("article_id")
    shares = [c for c in feats.columns if side_share(c)]
    assert shares == ["src_share_council", "src_share_union", "src_share_other",
                      "src_share_multiple", "src_share_unknown"]
    assert not any(c in feats.columns for c in ("src_pk_share", "src_us_share"))
    # Every attribution is one of the five: the shares of an article sum to 1.
    with_atts = feats[feats["src_n_attributions"] > 0]
    assert ((with_atts[shares].sum(axis=1) - 1).abs() < 1e-5).all()  # tables keep 6 decimals
    assert feats.loc["s3", "src_n_attributions"] == 0 and feats.loc["s3", shares].isna().all()

    atts = read_table(out.with_name("attributions.csv"))
    aff = dict(zip(atts["source"], atts["source_affiliation"]))
    assert aff["Mayor Ana Ruiz"] == "council"
    assert aff["The union"] == "union"
    assert aff["Tom Okafor"] == "union"  # the registry
    assert aff["Councillors"] == "council"
    assert aff["A union spokesman"] == "union"
    assert aff["Council and union leaders"] == "multiple"
    assert aff["A French transport expert"] == "other"  # a country no actor claims
    assert set(atts["source_affiliation"]) <= {"council", "union", "other", "multiple",
                                               "unknown"}
    assert feats.loc["s1", "src_share_council"] > 0 and feats.loc["s1", "src_share_union"] > 0

    # Topic terms are neutral in the adapted tone only: s1 has "walkout" (VADER -1.3).
    assert feats.loc["s1", "tone_mean_adapted"] > feats.loc["s1", "tone_mean"]

    manifest = json.loads(out.with_name("features.manifest.json").read_text())
    assert manifest["parameters"]["study_sha256"] == load_study(study_file).sha256

    # compare takes the study's grouping when --by is not given.
    run = subprocess.run([sys.executable, "-m", "analysis", "compare", str(out), "--study",
                          str(study_file)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "groups of 'paper'" in run.stderr
    assert set(read_table(out.with_name("groups.csv"))["group"]) == {"Gazette", "Herald"}


@pytest.mark.slow
def test_without_a_study_sources_are_tied_to_countries(tmp_path):
    corpus = tmp_path / "c.jsonl"
    text = ("French officials said the summit was useful. A Kenyan minister said the deal "
            "would help farmers. Analysts said little had changed.")
    corpus.write_text(json.dumps({"article_id": "k1", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "features.csv"
    run = subprocess.run([sys.executable, "-m", "analysis", "features", str(corpus), "-o",
                          str(out), "--study", "none", "--groups", "sources", "--workers", "1"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    feats = read_table(out)
    assert {"src_share_france", "src_share_kenya"} <= set(feats.columns)
    cols = [c for c in feats.columns if side_share(c)]
    assert cols[-3:] == ["src_share_other", "src_share_multiple", "src_share_unknown"]
    atts = read_table(out.with_name("attributions.csv"))
    assert {"france", "kenya"} <= set(atts["source_affiliation"])


@pytest.mark.slow
def test_a_bad_study_stops_before_reading(tmp_path):
    bad = tmp_path / "study.yml"
    bad.write_text("actors:\n  a: {words: [x]}\n  b: {words: [x]}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "analysis", "features", "data/raw", "-o",
                          str(tmp_path / "f.csv"), "--study", str(bad)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "study.yml, line 3" in run.stderr and "already a word of 'a'" in run.stderr
    assert not (tmp_path / "f.csv").exists()


def test_make_reads_the_default_grouping_from_the_study(tmp_path):
    # make asks `python -m analysis study` (in the venv running the tests, marked up to date)
    venv = Path(sys.executable).parent.parent
    study_file, corpus = _write_strike(tmp_path)
    run = subprocess.run(["make", "-n", "figures", f"VENV={venv}", "-o", str(venv / ".stamp"),
                          f"STUDY={study_file}", f"CORPUS={corpus}",
                          f"PROCESSED={tmp_path / 'p'}", f"FIGURES={tmp_path / 'f'}"],
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert "--by 'paper'" in run.stdout and f"--study '{study_file}'" in run.stdout
    assert "-p time 'date'" in run.stdout


@pytest.mark.slow
def test_featurizer_learns_the_countries_at_fit():
    """Without actors, fit keeps one share column per country found (like a vocabulary);
    transform gives 0 for a known country an article does not cite and drops unseen ones."""
    from analysis import FramingFeaturizer

    train = pd.Series({"t1": "French officials said the summit was useful.",
                       "t2": "A Kenyan minister said the deal would help farmers."})
    test = pd.Series({"u1": "French diplomats said little.",
                      "u2": "Chilean officials said the vote was fair.",
                      "u3": "The sun rose."})
    ft = FramingFeaturizer(groups=["sources"], study="none", n_resamples=100)
    out = ft.fit_transform(train)
    names = list(ft.get_feature_names_out())
    assert {"src_share_france", "src_share_kenya"} <= set(names)
    assert names.index("src_share_france") < names.index("src_share_other")
    assert out.shape == (2, len(names))
    y = pd.DataFrame(ft.transform(test), index=test.index, columns=names)
    assert y.loc["u1", "src_share_france"] == 1.0 and y.loc["u1", "src_share_kenya"] == 0.0
    assert "src_share_chile" not in names and y.loc["u2", "src_share_france"] == 0.0
    assert y.loc["u2", "src_n_attributions"] == 1  # the unseen country still counts
    assert y.loc["u3", ["src_share_france", "src_share_other"]].isna().all()


def test_setting_names_countries():
    s = parse_study("setting: [united_states, South Korea]\n", "s.yml")
    assert s.setting == ("united_states", "south_korea")
    with pytest.raises(StudyError, match=r"s.yml, line 1: setting: 'Atlantis' is not a country"):
        parse_study("setting: [Atlantis]\n", "s.yml")


def test_the_setting_country_names_no_side():
    """With actors, another country's demonym is "other"; the setting country's says nothing."""
    from analysis.measures.sources.vocabulary import vocabulary

    base = "actors: {dem: {words: [democrat]}, rep: {words: [republican]}}\n"
    assert vocabulary(parse_study(base, "s.yml")).places[("american",)] == "other"
    home = vocabulary(parse_study(base + "setting: [united_states]\n", "s.yml"))
    assert ("american",) not in home.places and home.places[("cuban",)] == "other"


@pytest.mark.parametrize("text, line, what", [
    ('actors:\n  pk:\n    words: "pakistan, islamabad, pakistani"\n', 3, "actor 'pk': words"),
    ("actors:\n  pk: {words: pakistan}\n", 2, "actor 'pk': words"),
    ("setting: united_states, canada\n", 1, "setting"),
    ("dictionaries: frames.yml\n", 1, "dictionaries"),
    ("groups: outlet, genre\n", 1, "groups"),
])
def test_a_string_where_a_list_is_expected_is_refused(tmp_path, text, line, what):
    """``words: "a, b, c"`` was one phrase that matched nothing: every share 0, no warning."""
    (tmp_path / "frames.yml").write_text("x: [y]\n", encoding="utf-8")
    with pytest.raises(StudyError) as err:
        parse_study(text, "study.yml", tmp_path)
    msg = str(err.value)
    assert err.value.line == line and msg.startswith(f"study.yml, line {line}: {what} must be a list")
    assert "write a list: [" in msg


def test_the_fix_the_message_names_is_accepted(tmp_path):
    s = parse_study('actors:\n  pk:\n    words: [pakistan, islamabad, pakistani]\n', "s.yml")
    assert s.actors[0].words == ("pakistan", "islamabad", "pakistani")
    assert parse_study("groups: outlet\n", "s.yml").groups == ("outlet",)  # one name: documented


def test_topic_terms_text_with_commas_hints_at_a_list(tmp_path):
    with pytest.raises(StudyError, match=r"line 1: topic_terms file 'strike, walkout': no such "
                                         r"file .*; for a list of words write \[strike, walkout\]"):
        parse_study("topic_terms: strike, walkout\n", "s.yml", tmp_path)
