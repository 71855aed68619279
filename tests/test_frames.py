"""The built-in frame sets pfc (Policy Frames Codebook) and sv (Semetko & Valkenburg): each
frame on sentences written for these tests (a sentence that takes the frame's perspective, one
that does not, and the sense checks that keep a misleading word out), the choice of sets on
the command line, in the study file and in Python, the registry's column patterns, and the
validation code on a fixture written here."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.measures import measure_of
from analysis.measures.emphasis.scorer import EmphasisScorer
from analysis.measures.emphasis.senses import SenseRule, parse_rules, passes, sense_rules
from analysis.measures.emphasis.sets import (FRAME_SETS, FrameSetError, frame_keys,
                                             parse_frame_sets, set_dictionary)
from analysis.study import FRAME_SETS as STUDY_FRAME_SETS
from analysis.study import StudyError, parse_study
from analysis.text import parse_text

SCORER = EmphasisScorer(frames=("pfc", "sv"))

# (frame key, a sentence that takes the frame's perspective, one that does not)
CASES = [
    ("pfc_economic", "The new rules will cost taxpayers $2 billion and hurt small businesses.",
     "The team walked along the river at dawn."),
    ("pfc_capacity_resources", "Hospitals face a shortage of nurses and a backlog of cases.",
     "The singer released a new album on Friday."),
    ("pfc_morality", "Critics called the decision immoral and a betrayal of our moral duty.",
     "The train arrived ten minutes late."),
    ("pfc_fairness_equality", "Women still face discrimination and unequal pay at work.",
     "The bakery opened a second shop downtown."),
    ("pfc_legality", "The Supreme Court ruled that the statute was unconstitutional.",
     "The garden was full of roses."),
    ("pfc_policy_prescription", "The senator proposed a bill to require background checks.",
     "The dog slept by the fire."),
    ("pfc_crime_punishment", "Police arrested the suspect, who was later convicted of murder.",
     "The choir sang in the cathedral."),
    ("pfc_security_defense", "Troops were deployed to protect the border from terrorist threats.",
     "The kitten chased a ball of yarn."),
    ("pfc_health_safety", "Doctors warned that the disease is spreading in hospitals.",
     "The painter finished the portrait."),
    ("pfc_quality_of_life", "Residents say traffic and housing costs have ruined their daily life.",
     "The chess match ended in a draw."),
    ("pfc_cultural_identity", "The festival celebrates the traditions and heritage of the region.",
     "The printer ran out of paper."),
    ("pfc_public_opinion", "A new poll shows most Americans support the plan; protesters rallied.",
     "The cat sat on the mat."),
    ("pfc_political", "Republicans and Democrats traded blame ahead of the election.",
     "The soup was too salty."),
    ("pfc_external_regulation", "Diplomats warned that the country's reputation abroad has suffered.",
     "The cake was baked with butter."),
    ("sv_responsibility", "Critics blamed the agency and said officials must act now to fix it.",
     "The cake was baked with butter."),
    ("sv_human_interest", "A grieving mother wept as she remembered her 12-year-old son.",
     "The committee reviewed quarterly figures."),
    ("sv_conflict", "The mayor clashed with the union, which accused him of lying.",
     "The committee reviewed quarterly figures."),
    ("sv_morality", "The bishop said it is our moral duty before God to help the poor.",
     "The committee reviewed quarterly figures."),
    ("sv_economic", "The drought caused heavy financial losses and higher prices for farmers.",
     "The children painted a mural."),
]


def _cols(text: str, scorer: EmphasisScorer = SCORER) -> dict:
    art = parse_text(text)
    return scorer.score(art, np.zeros((0, len(art.sentences)), dtype=np.int64)).columns


def _terms(text: str, key: str, scorer: EmphasisScorer = SCORER) -> list[str]:
    return [m.term for _i, m in scorer.match(parse_text(text)) if m.category == key]


def test_every_frame_has_a_case():
    assert sorted(k for k, _p, _n in CASES) == sorted(frame_keys(("pfc", "sv")))


@pytest.mark.parametrize("key,positive,negative", CASES, ids=[c[0] for c in CASES])
def test_frame_positive_and_negative(key, positive, negative):
    assert _cols(positive)[f"emph_{key}"] > 0, _terms(positive, key)
    assert _cols(negative)[f"emph_{key}"] == 0, _terms(negative, key)


@pytest.mark.parametrize("key,text,term", [
    # "Bill" the name is no bill; "bill" the proposal is
    ("pfc_policy_prescription", "Bill Clinton spoke in Ohio.", None),
    ("pfc_policy_prescription", "The House passed the bill.", "bill"),
    # a county fair is no fairness; an unfair rule is
    ("pfc_fairness_equality", "We went to the county fair.", None),
    ("pfc_fairness_equality", "The rule is not fair to renters.", "fair"),
    # "people" count for public opinion only as those whose views are reported
    ("pfc_public_opinion", "Five people were injured.", None),
    ("pfc_public_opinion", "People think the plan is wrong.", "people"),
    # a race is political when it is an electoral one
    ("pfc_political", "The horse won the race.", None),
    ("pfc_political", "She leads the presidential race.", "race"),
    # law enforcement is not a law
    ("pfc_legality", "Law enforcement officers arrived.", None),
    # a clinical trial is no criminal trial
    ("pfc_crime_punishment", "The drug failed a clinical trial.", None),
    ("pfc_crime_punishment", "The trial of the gunman began.", "trial"),
    # a bare "government" is responsibility only when it acts, fails or is asked to
    ("sv_responsibility", "The government building is old.", None),
    ("sv_responsibility", "The government failed to respond.", "government"),
    # "according to" is no accord between nations
    ("pfc_external_regulation", "According to aides, he left.", None),
    ("pfc_external_regulation", "The two nations signed an accord.", "accord"),
    # the minority leader is a political office, not a minority
    ("pfc_fairness_equality", "The Senate minority leader spoke.", None),
    # blast the verb (reproach), not a blast (explosion)
    ("sv_conflict", "The blast shattered windows.", None),
    ("sv_conflict", "Senators blast the plan.", "blast"),
])
def test_sense_checks(key, text, term):
    found = _terms(text, key)
    if term is None:
        assert found == []
    else:
        assert term in found


def test_history_no_longer_counts_a_persons_record():
    sc = EmphasisScorer()
    for text in ("Shooter had history of gun threats, police say.",
                 "The suspect has a long history of violence.",
                 "His criminal history was known.", "The team made history on Sunday."):
        assert _terms(text, "history", sc) == [], text
    assert _terms("The history of the region shaped the talks.", "history", sc) == ["history"]
    assert _terms("The two countries share a long, turbulent history of security cooperation.",
                  "history", sc) == ["history"]


def test_sets_columns_order_and_dominant():
    sc = EmphasisScorer(frames="sv,pfc")
    assert sc.keys == frame_keys(("sv", "pfc"))
    cols = sc.columns()
    assert cols[:4] == ["emph_sv_responsibility", "emph_sv_responsibility_share",
                        "emph_sv_responsibility_lo", "emph_sv_responsibility_hi"]
    assert cols[-1] == "frame_dominant"
    res = _cols("Republicans and Democrats traded blame; critics blasted the vote.", sc)
    assert res["frame_dominant"] in FRAME_SETS["sv"].keys  # taken over the first set
    assert "emph_technology" not in res  # the default set is not scored
    both = EmphasisScorer(frames="default,pfc").columns()
    assert "emph_technology" in both and "emph_pfc_political" in both


def test_unknown_set_is_refused():
    with pytest.raises(FrameSetError, match="unknown frame set.*nope"):
        parse_frame_sets("pfc,nope")
    assert parse_frame_sets(None) == parse_frame_sets("") == ("default",)
    assert tuple(FRAME_SETS) == STUDY_FRAME_SETS


def test_set_files_hold_their_frames_lowercase_without_repeats():
    for name, fs in FRAME_SETS.items():
        d = set_dictionary(name)
        assert tuple(d.categories) == fs.keys
        for key, pats in d.categories.items():
            texts = [p.text for p in pats]
            assert len(texts) == len(set(texts)), key
            assert all(t == t.lower() for t in texts)


def test_sense_rules_file_is_valid_and_bad_checks_are_refused():
    rules = sense_rules()
    keys = set(frame_keys(tuple(FRAME_SETS)))
    assert rules and all(r.frame in keys for r in rules)
    with pytest.raises(Exception, match="line 3: check 'sideways'"):
        parse_rules([(3, {"rule": "r", "frame": "history", "term": "x", "check": "sideways",
                          "words": "a", "unless": "-"})], "t.tsv")
    tok = parse_text("The history of the region.").doc[1]
    assert passes(SenseRule("r", "history", "history", "form", ("history",)), tok)
    assert not passes(SenseRule("r", "history", "history", "pos", ("VERB",)), tok)


def test_study_frames_key(tmp_path):
    s = parse_study("frames: [pfc, SV]", "s.yml")
    assert s.frames == ("pfc", "sv")
    assert parse_study("frames: pfc", "s.yml").frames == ("pfc",)
    with pytest.raises(StudyError, match="s.yml, line 1: frames: 'nope'"):
        parse_study("frames: [nope]", "s.yml")


def test_registry_declares_the_set_columns():
    assert measure_of("emph_pfc_political").name == "emphasis"
    assert measure_of("emph_sv_conflict_share").name == "emphasis"
    assert measure_of("emph_technology").name == "emphasis"


@pytest.mark.slow
def test_cli_frames_flag_and_study(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"article_id": f"a{i}", "text": t}) + "\n" for i, t in
                              enumerate([CASES[12][1] + " " + CASES[11][1],
                                         CASES[16][1] + " " + CASES[0][1]])), encoding="utf-8")
    out = tmp_path / "o" / "features.csv"
    assert main(["features", str(corpus), "-o", str(out), "--groups", "emphasis",
                 "--frames", "pfc,sv", "--workers", "1"]) == 0
    f = pd.read_csv(out)
    assert "emph_pfc_political" in f and "emph_sv_conflict_lo" in f
    assert "emph_technology" not in f
    assert f.loc[f.article_id == "a0", "emph_pfc_political"].item() > 0
    study = tmp_path / "s.yml"
    study.write_text("frames: [sv]\n", encoding="utf-8")
    out2 = tmp_path / "o2" / "features.csv"
    assert main(["features", str(corpus), "-o", str(out2), "--groups", "emphasis",
                 "--study", str(study), "--workers", "1"]) == 0
    cols = pd.read_csv(out2).columns
    assert "emph_sv_economic" in cols and "emph_pfc_economic" not in cols
    with pytest.raises(SystemExit) as err:
        main(["features", str(corpus), "-o", str(out2), "--frames", "pfc,bogus"])
    assert err.value.code == 2


@pytest.mark.slow
def test_validation_frames_on_a_fixture(tmp_path):
    from analysis.validation import frames as vf

    heads = {"economic": "Shooting costs city $5 million in lost sales and taxes",
             "politics": "Republicans and Democrats clash over the vote in the Senate",
             "public_opinion": "Poll: most Americans support new rules; protesters rally",
             "mental_health": "Gunman had untreated mental illness, doctors say",
             "gun_rights": "Court rules the ban violates Second Amendment rights",
             "gun_control": "Lawmakers propose bill to require background checks",
             "public_school_safety": "School adds safety drills to prevent attacks",
             "race_ethnicity": "Victims' families decry racial discrimination and hate crime",
             "society_culture": "Hollywood and video game culture blamed in debate"}
    rows = [{"article_id": f"g{i}-{k}", "text": t + (" today" if i else ""), "theme1": lab,
             "theme2": ""} for k, (lab, t) in enumerate(heads.items()) for i in range(3)]
    (tmp_path / vf.GVFC_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
    texts = [(CASES[18][1], "EC"), (CASES[15][1], "HI"), (CASES[16][1], "CO"),
             (CASES[17][1], "MO"), (CASES[14][1], "RE")]
    crow = [{"article_id": f"c{i}-{k}", "text": t + (" Again." if i else ""),
             **{c: int(c == lab) for c in vf.CLIMATE_FRAMES}}
            for k, (t, lab) in enumerate(texts) for i in range(3)]
    (tmp_path / vf.CLIMATE_FILE).write_text("".join(json.dumps(r) + "\n" for r in crow))
    metrics = vf.run(tmp_path, tmp_path / "out")
    by = {m.name: m for m in metrics}
    ours = by["ROC AUC emph_pfc_political, politics vs rest (gvfc_headlines_dev.jsonl)"]
    assert ours.value == 1.0 and ours.target == ">= 0.80" and ours.ci is not None
    assert any(n.startswith("ROC AUC TF-IDF") for n in by)
    assert any("Empath 'politics'" in n for n in by)
    re_row = by["ROC AUC emph_sv_responsibility, RE vs rest (climate_frames_dev.jsonl)"]
    assert re_row.target == "" and "partial" in re_row.note
    assert (tmp_path / "out" / "frames_auc.png").exists()


def test_group_figures_leave_share_twins_to_the_table_beyond_36_measures():
    from analysis.plots.group_figures import MORE_PANELS, PANELS, _panel_measures

    few = pd.DataFrame({"measure": [f"emph_f{i}" for i in range(10)]})
    assert _panel_measures(few)[1:] == (PANELS, "")
    names = [n for i in range(19) for n in (f"emph_pfc_f{i}", f"emph_pfc_f{i}_share")]
    many = pd.DataFrame({"measure": names + ["tone_mean", "src_share_other"]})
    many.attrs["n_permutations"] = 99
    shown, panels, note = _panel_measures(many)
    assert panels == MORE_PANELS and "19 rates" in note
    assert list(shown["measure"]) == [n for n in names if not n.endswith("_share")] + [
        "tone_mean", "src_share_other"]  # a share without its rate stays
    assert shown.attrs["n_permutations"] == 99
