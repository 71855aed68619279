"""The study is chosen at the edges only: ``--study`` on the command line, ``STUDY=`` in make, a
notebook's parameter. Library code given None uses no study, wherever it runs from; the
bundled study applies to the bundled corpus because make passes it, not because a file is
found. ``python -m analysis study`` tells make a study's defaults, in any YAML form."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.study import Study, StudyError, load_study, parse_study, resolve_study
from analysis.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "study.yml"
VENV = Path(sys.executable).parent.parent  # the venv running the tests: make needs no setup

# Invented articles of an invented summit: French and Kenyan voices, none of the bundled
# study's sides (Pakistan, the United States).
OUTSIDE = [
    {"article_id": "o1", "outlet": "Lakeside Post",
     "text": "Harbour summit ends\n\nFrench officials said the harbour summit was useful. "
             "A Kenyan minister said the fishing deal would help coastal towns."},
    {"article_id": "o2", "outlet": "Valley Courier",
     "text": "Fishing deal signed\n\nKenyan negotiators said the quotas were fair. "
             "Analysts said little had changed for the small boats."},
]

BLOCK_STUDY = """\
title: Harbour summit
groups:
  - outlet          # the default comparison
  - genre
pair_by: >-
  story
time:
  published
"""
FLOW_STUDY = "groups: [outlet, genre]   # by paper\ntime: published\n"


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "outside.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in OUTSIDE), encoding="utf-8")
    return path


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


def _shares(features: Path) -> set[str]:
    return {c for c in read_table(features).columns if c.startswith("src_share_")}


# --------------------------------------------------------------------------- the command line


@pytest.mark.slow
def test_features_of_an_outside_corpus_from_the_project_root_use_no_study(tmp_path):
    """Run where data/study.yml exists, without --study: the bundled study is not applied."""
    assert BUNDLED.is_file()
    corpus, out = _corpus(tmp_path), tmp_path / "plain" / "features.csv"
    res = _cli("features", str(corpus), "-o", str(out), "--groups", "sources", "--workers", "1")
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines()[-1] == (
        f"2 articles -> {out} with no study (sources tied to countries)")
    shares = _shares(out)
    assert {"src_share_france", "src_share_kenya"} <= shares  # countries, found in the data
    assert not {"src_share_pakistan", "src_share_united_states"} & shares
    manifest = json.loads(out.with_name("features.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["study"] is None
    assert manifest["parameters"]["study_sha256"] is None
    res = _cli("status", str(out))
    assert res.returncode == 0 and "with no study (sources tied to countries)" in res.stderr


@pytest.mark.slow
def test_features_with_study_applies_it_and_says_so(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "study" / "features.csv"
    res = _cli("features", str(corpus), "-o", str(out), "--groups", "sources", "--workers", "1",
               "--study", "data/study.yml")
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines()[-1] == f"2 articles -> {out} with study data/study.yml"
    shares = _shares(out)
    assert {"src_share_pakistan", "src_share_united_states"} <= shares  # the study's actors
    assert not {"src_share_france", "src_share_kenya"} & shares  # "other" here
    manifest = json.loads(out.with_name("features.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["study"] == "data/study.yml"
    assert manifest["parameters"]["study_sha256"] == load_study(BUNDLED).sha256
    res = _cli("attributions", str(corpus), "-o", str(tmp_path / "atts.csv"))
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().endswith("with no study (sources tied to countries)")


def test_compare_without_by_needs_a_study_that_names_groups(tmp_path):
    features = tmp_path / "features.csv"
    features.write_text("article_id,outlet,tone_mean\na,x,0.1\nb,y,0.2\n", encoding="utf-8")
    res = _cli("compare", str(features))
    assert res.returncode == 2
    assert "give --by COLUMN (or a --study with groups)" in res.stderr


@pytest.mark.parametrize("text", [BLOCK_STUDY, FLOW_STUDY], ids=["block", "flow"])
def test_study_get_prints_the_defaults_in_any_yaml_form(tmp_path, text):
    study = tmp_path / "study.yml"
    study.write_text(text, encoding="utf-8")
    got = {key: _cli("study", str(study), "--get", key) for key in ("groups", "pair_by", "time")}
    assert all(r.returncode == 0 and r.stderr == "" for r in got.values())
    expected = {"groups": "outlet", "time": "published",
                "pair_by": "story" if text is BLOCK_STUDY else ""}
    assert {k: r.stdout for k, r in got.items()} == {k: v + "\n" for k, v in expected.items()}


def test_study_without_get_describes_it_and_none_has_no_defaults():
    res = _cli("study", "data/study.yml")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("data/study.yml: ") and "actors: pakistan (Pakistan)" in res.stdout
    assert "groups: genre; pair_by: none; time: date" in res.stdout
    for empty in ("none", "", "NONE"):
        res = _cli("study", empty, "--get", "groups")
        assert (res.returncode, res.stdout) == (0, "\n")


def test_study_get_stops_on_a_bad_study_with_its_file_and_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("title: x\ngroups: outlet\nactors:\n  a: {words: [x]}\n  b: {words: [x]}\n",
                   encoding="utf-8")
    res = _cli("study", str(bad), "--get", "groups")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.startswith("error: bad.yml, line 5: ")
    res = _cli("study", str(tmp_path / "missing.yml"), "--get", "groups")
    assert res.returncode == 2 and "missing.yml: no such study file" in res.stderr


def test_study_command_is_light():
    """make runs it when it reads the Makefile: no pandas, spaCy, scikit-learn, matplotlib."""
    code = ("import sys; from analysis.cli import main; rc = main(['study', 'data/study.yml', "
            "'--get', 'groups']); print(','.join(m for m in ('pandas', 'spacy', 'sklearn', "
            "'matplotlib', 'analysis.cli.parser') if m in sys.modules), file=sys.stderr); "
            "sys.exit(rc)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert (res.stdout, res.stderr) == ("genre\n", "\n")


# --------------------------------------------------------------------------- make


def _make_n(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    return subprocess.run(["make", "--no-print-directory", "-n", f"VENV={VENV}", "-o",
                           str(VENV / ".stamp"), f"PROCESSED={tmp_path / 'p'}",
                           f"FIGURES={tmp_path / 'f'}", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_make_asks_the_package_for_a_block_style_studys_defaults(tmp_path):
    study = tmp_path / "study.yml"
    study.write_text(BLOCK_STUDY, encoding="utf-8")
    res = _make_n(tmp_path, "figures", f"STUDY={study}")
    assert res.returncode == 0, res.stderr
    assert "--by 'outlet'" in res.stdout and "--pair-by 'story'" in res.stdout
    assert "-p time 'published'" in res.stdout and f"-P study '{study}'" in res.stdout


@pytest.mark.parametrize("study", ["none", ""])
def test_make_without_a_study_passes_none_and_compares_nothing(tmp_path, study):
    res = _make_n(tmp_path, "figures", f"STUDY={study}")
    assert res.returncode == 0, res.stderr
    assert f"--study '{study}'" in res.stdout and "-p study 'none'" in res.stdout
    assert "analysis compare" not in res.stdout and "-p group_by ''" in res.stdout
    assert "-p time 'date'" in res.stdout


def test_make_stops_on_a_bad_study_before_any_recipe(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("groups: [outlet\n", encoding="utf-8")
    res = _make_n(tmp_path, "figures", f"STUDY={bad}")
    assert res.returncode != 0
    assert "error: bad.yml, line 2: YAML syntax" in res.stderr
    assert "analysis features" not in res.stdout


# --------------------------------------------------------------------------- the library


def test_none_is_no_study_even_at_the_project_root(monkeypatch):
    from analysis.measures.sources import SourceScorer, load_registry
    from analysis.plots.affiliations import affiliation_keys, meaning_note

    monkeypatch.chdir(ROOT)  # where data/study.yml is
    assert load_study(None) == Study() == resolve_study(None)
    assert load_study("") == load_study("none") == load_study(" None ") == Study()
    assert SourceScorer().study == Study() and SourceScorer(study=None).study == Study()
    assert len(load_registry(study=None)) == 0  # the bundled registry is the study's
    assert affiliation_keys({"pakistan": 1.0}, None)[0] == ["pakistan"]  # no declared sides
    assert "the countries a source is tied to" in meaning_note(None)
    # The same calls with the bundled study, to show what None would have been.
    assert affiliation_keys({"pakistan": 1.0}, BUNDLED)[0] == ["pakistan", "united_states"]
    assert "the study's sides (Pakistan, United States)" in meaning_note(BUNDLED)
    # A path is loaded, as given.
    assert resolve_study("data/study.yml") == load_study(BUNDLED)


def test_the_notebook_parameter_forms(monkeypatch):
    """A notebook runs in notebooks/: its default parameter ``../data/study.yml`` is the
    bundled study; make passes a file or ``none``."""
    monkeypatch.chdir(ROOT / "notebooks")
    assert load_study("../data/study.yml").actors == load_study(BUNDLED).actors != ()
    assert load_study("none") == load_study("") == Study()
    with pytest.raises(StudyError, match="no such study file"):
        load_study("data/study.yml")  # relative to the notebook's folder: not there


@pytest.mark.slow
def test_build_features_with_none_uses_no_study_at_the_project_root(monkeypatch, tmp_path):
    import pandas as pd

    from analysis import build_features

    monkeypatch.chdir(ROOT)
    corpus = pd.DataFrame(OUTSIDE)
    shares = {c for c in build_features(corpus, groups=("sources",), n_resamples=100)
              .features.columns if c.startswith("src_share_")}
    assert {"src_share_france", "src_share_kenya"} <= shares
    assert "src_share_pakistan" not in shares


def test_groups_in_block_style_parse():
    s = parse_study(BLOCK_STUDY, "s.yml")
    assert (s.groups, s.pair_by, s.time) == (("outlet", "genre"), "story", "published")


def _code_strings(path: Path) -> list[str]:
    """String constants of a module's code, without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docs]


def test_no_library_code_names_a_study_file():
    """Nothing in the library looks for a study by itself (examples in docstrings may; the
    command line's help says what make passes, and its behaviour is tested above)."""
    named = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "analysis").rglob("*.py"))
             if "cli" not in p.relative_to(ROOT / "analysis").parts
             and any("study.yml" in s or "study.yaml" in s for s in _code_strings(p))]
    assert not named, f"modules naming a study file in code: {named}"
