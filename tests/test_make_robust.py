"""What make rebuilds, by content not by file time, and what users type reaching the shell.

The rebuild tests ask ``make -q features`` (exit 0: up to date, 1: would rebuild) after a
features table newer than everything is put in place, then change one input the way a user
does: no features run is needed to see make's decision.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.inputs_hash import corpus_sha256, inputs_sha256, study_files

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    return {**env, "PYTHONPATH": str(ROOT)}


def _make(*args: str, dry: str = "-q") -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", dry, f"VENV={VENV}", "-o",
                           str(VENV / ".stamp"), "PKG_SRC=", *args], capture_output=True,
                          text=True, cwd=ROOT, env=_env(), timeout=300)


def _study(folder: Path, registry: str = "sources.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sources.csv", "study_frames.yml", "study_topic_terms.txt"):
        shutil.copyfile(ROOT / "data" / name, folder / name)
    text = (ROOT / "data" / "study.yml").read_text(encoding="utf-8")
    assert "registry: sources.csv" in text
    text = text.replace("registry: sources.csv", f"registry: {registry}")
    (folder / "study.yml").write_text(text, encoding="utf-8")
    return folder / "study.yml"


def _corpus(folder: Path) -> Path:
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def _up_to_date(tmp_path: Path, where: list[str]) -> Path:
    """A features table newer than every input and stamp: make -q says up to date."""
    res = _make("features", *where)  # writes the stamps ($(shell) when make reads them)
    assert res.returncode in (0, 1), res.stderr
    _make(str(tmp_path / "p" / ".make-study-defaults"), *where, dry="-s")  # study defaults
    features = tmp_path / "p" / "features.csv"
    time.sleep(0.05)
    features.write_text("article_id\n", encoding="utf-8")  # newer than every stamp
    assert _make("features", *where).returncode == 0
    return features


@pytest.mark.slow
def test_content_change_with_the_same_time_rebuilds_and_a_touch_does_not(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    where = [f"CORPUS={corpus}", f"PROCESSED={tmp_path / 'p'}"]
    _up_to_date(tmp_path, where)
    article = sorted(corpus.glob("*.txt"))[0]
    future = time.time() + 60
    os.utime(article, (future, future))  # a touch: same content, newer time
    assert _make("features", *where).returncode == 0
    st = article.stat()
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))  # edited, time kept
    assert _make("features", *where).returncode == 1


@pytest.mark.slow
def test_deleting_a_file_of_a_folder_corpus_rebuilds(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    where = [f"CORPUS={corpus}", f"PROCESSED={tmp_path / 'p'}"]
    _up_to_date(tmp_path, where)
    sorted(corpus.glob("*.txt"))[-1].unlink()
    assert _make("features", *where).returncode == 1


@pytest.mark.slow
def test_editing_a_registry_outside_the_study_folder_rebuilds(tmp_path):
    (tmp_path / "shared").mkdir()
    registry = tmp_path / "shared" / "registry.csv"
    shutil.copyfile(ROOT / "data" / "sources.csv", registry)
    study = _study(tmp_path / "study", registry="../shared/registry.csv")
    assert registry.resolve() in [p.resolve() for p in study_files(study)]
    where = [f"STUDY={study}", f"PROCESSED={tmp_path / 'p'}"]
    _up_to_date(tmp_path, where)
    st = registry.stat()
    registry.write_text(registry.read_text(encoding="utf-8") + "Jane Roe,person,,\n",
                        encoding="utf-8")
    os.utime(registry, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _make("features", *where).returncode == 1


@pytest.mark.slow
def test_an_older_dated_replacement_of_a_corpus_file_rebuilds(tmp_path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("article_id,text\na1,One article about talks.\n", encoding="utf-8")
    where = [f"CORPUS={corpus}", f"PROCESSED={tmp_path / 'p'}"]
    _up_to_date(tmp_path, where)
    older = tmp_path / "older.csv"
    older.write_text("article_id,text\na1,An older copy of the article.\n", encoding="utf-8")
    os.utime(older, (1_000_000_000, 1_000_000_000))  # 2001: cp -p, unzip
    shutil.copy2(older, corpus)
    assert corpus.stat().st_mtime < (tmp_path / "p" / "features.csv").stat().st_mtime
    assert _make("features", *where).returncode == 1


def test_corpus_hash_sees_names_and_bytes_not_times(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("alpha", encoding="utf-8")
    (corpus / "b.txt").write_text("beta", encoding="utf-8")
    first = corpus_sha256(corpus)
    os.utime(corpus / "a.txt", (1, 1))
    assert corpus_sha256(corpus) == first
    (corpus / "b.txt").rename(corpus / "c.txt")
    assert corpus_sha256(corpus) != first
    (corpus / "c.txt").unlink()
    assert corpus_sha256(corpus) != first
    assert corpus_sha256(tmp_path / "none") == "missing"
    # An unreadable study still has a hash (of its bytes): the features run reports it.
    bad = tmp_path / "bad.yml"
    bad.write_text("groups: [x\n", encoding="utf-8")
    h = inputs_sha256(corpus, bad)
    bad.write_text("groups: [y\n", encoding="utf-8")
    assert inputs_sha256(corpus, bad) != h


def test_the_inputs_hash_command_is_light(tmp_path):
    code = ("import sys\nfrom analysis.cli import main\n"
            "main(['study', 'data/study.yml', '--inputs-hash', 'data/raw'])\n"
            "assert 'pandas' not in sys.modules and 'spacy' not in sys.modules\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env=_env(), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == inputs_sha256(ROOT / "data" / "raw", "data/study.yml")


# --------------------------------------------------------------------------- quoting


@pytest.mark.slow
@pytest.mark.parametrize("var", ["PROCESSED", "FIGURES"])
def test_a_target_folder_with_a_space_is_refused_in_one_line(tmp_path, var):
    res = _make("figures", f"{var}={tmp_path / 'my folder'}", dry="-n")
    assert res.returncode == 2
    assert f"{var}='{tmp_path / 'my folder'}' has a space" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "my folder").exists()


@pytest.mark.slow
def test_spaces_in_corpus_and_study_and_quotes_in_group_names_reach_the_shell_quoted(tmp_path):
    corpus = _corpus(tmp_path / "my corpus")
    study = _study(tmp_path / "my study")
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("groups: [genre]", "groups: [\"the editor's #1 pick\"]"),
                     encoding="utf-8")
    res = _make("figures", f"CORPUS={corpus}", f"STUDY={study}", f"PROCESSED={tmp_path / 'p'}",
                f"FIGURES={tmp_path / 'f'}", dry="-n")
    assert res.returncode == 0, res.stderr
    assert f"features '{corpus}' -o" in res.stdout and f"--study '{study}'" in res.stdout
    assert "--by 'the editor'\\''s #1 pick'" in res.stdout
    assert f"-P corpus_dir '{corpus}'" in res.stdout and f"-P study '{study}'" in res.stdout
    res = _make("compare", f"CORPUS={corpus}", f"STUDY={study}", f"PROCESSED={tmp_path / 'p'}",
                "GROUP_BY=it's", dry="-n")
    assert res.returncode == 0, res.stderr
    assert "--by 'it'\\''s'" in res.stdout
    assert "GROUP_BY=it's" in (tmp_path / "p" / ".make-parameters").read_text()


@pytest.mark.slow
def test_a_real_features_run_with_spaces_and_an_apostrophe(tmp_path):
    corpus = _corpus(tmp_path / "my corpus")
    study = _study(tmp_path / "my study")
    res = _make("features", f"CORPUS={corpus}", f"STUDY={study}",
                f"PROCESSED={tmp_path / 'p'}", "GROUP_BY=it's", dry="-s")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "p" / "features.csv").is_file()
    assert _make("features", f"CORPUS={corpus}", f"STUDY={study}",
                 f"PROCESSED={tmp_path / 'p'}", "GROUP_BY=it's").returncode == 0


# --------------------------------------------------------------------------- report


@pytest.mark.slow
def test_make_report_uses_the_figures_and_tables_it_is_given(tmp_path):
    res = _make("report", f"FIGURES={tmp_path / 'f'}", f"PROCESSED={tmp_path / 'p'}",
                dry="-n")
    assert res.returncode == 0, res.stderr
    line = next(x for x in res.stdout.splitlines() if "analysis.report" in x)
    assert f"--figures '{tmp_path / 'f'}'" in line
    assert f"--features '{tmp_path / 'p' / 'features.csv'}'" in line
    assert f"-o '{tmp_path / 'f'}-report'" in line
    res = _make("report", "FIGURES=figures", f"PROCESSED={tmp_path / 'p'}", dry="-n")
    line = next(x for x in res.stdout.splitlines() if "analysis.report" in x)
    assert "--figures 'figures'" in line and "-o 'build/report'" in line
    assert f"--features '{tmp_path / 'p' / 'features.csv'}'" in line


def test_stale_inputs_names_what_changed_since_the_run(tmp_path):
    from analysis.inputs_hash import stale_inputs
    from analysis.study import load_study

    registry = tmp_path / "shared" / "registry.csv"
    registry.parent.mkdir()
    shutil.copyfile(ROOT / "data" / "sources.csv", registry)
    study = _study(tmp_path / "study", registry="../shared/registry.csv")
    corpus = _corpus(tmp_path / "corpus")
    params = {"corpus": str(corpus), "corpus_sha256": corpus_sha256(corpus),
              "study": str(study), "study_sha256": load_study(study).sha256}
    assert stale_inputs(params) == []
    sorted(corpus.glob("*.txt"))[0].unlink()
    registry.write_text(registry.read_text(encoding="utf-8") + "Jane Roe,person,,\n",
                        encoding="utf-8")
    assert [s.split(" ", 2)[1] for s in stale_inputs(params)] == ["corpus", "study"]


def test_status_calls_a_set_stale_when_its_corpus_changed_by_content(tmp_path):
    # status reads the manifest's inputs from the project root (provenance is written relative
    # to it), so the corpus lives under build/ here; its time is kept, only its bytes change.
    import uuid

    from analysis.cli.status import _from_root
    from analysis.config import ROOT
    from analysis.inputs_hash import corpus_sha256, stale_inputs

    folder = ROOT / "build" / f"status-test-{uuid.uuid4().hex}"
    try:
        (folder / "raw").mkdir(parents=True)
        article = folder / "raw" / "a.txt"
        article.write_text("The council met on Monday.\n", encoding="utf-8")
        params = {"corpus": (folder / "raw").relative_to(ROOT).as_posix(),
                  "corpus_sha256": corpus_sha256(folder / "raw"), "study": None}
        assert stale_inputs(_from_root(params)) == []
        st = article.stat()
        article.write_text("The council met on Friday.\n", encoding="utf-8")
        os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert stale_inputs(_from_root(params)) == [f"the corpus {folder / 'raw'} changed"]
        # a corpus outside the project is found where the run found it
        outside = tmp_path / "corpus.jsonl"
        outside.write_text('{"text": "One."}\n', encoding="utf-8")
        there = {"corpus": "corpus.jsonl", "corpus_location": str(outside),
                 "corpus_sha256": corpus_sha256(outside)}
        assert stale_inputs(_from_root(there)) == []
        outside.write_text('{"text": "Two."}\n', encoding="utf-8")
        assert stale_inputs(_from_root(there)) == [f"the corpus {outside} changed"]
        assert _from_root({"corpus": "elsewhere.jsonl", "corpus_sha256": "0" * 64}) == {}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
