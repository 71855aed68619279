"""Interrupted runs: real SIGKILLs at each stage of writing the tables and the figures.

After a kill the visible state must be the previous complete set, the new complete set, or a set
that is visibly stale (no features.csv; no figure sidecar) and that the next run repairs. The
processes are killed by the test hook $ANALYSIS_TEST_KILL_AT (analysis.cli, analysis.figures).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import KILL_ENV, check_feature_set
from analysis.tables import read_table
from conftest import ROOT, write_corpus

# Subprocesses killed at each stage, features runs and make.
pytestmark = pytest.mark.slow

OLD = {"t-alpha", "t-beta", "t-gamma"}  # tiny_processed, every feature group
NEW = OLD | {"t-delta"}  # the corpus below, --groups tone (no attributions table)
KILLED = -signal.SIGKILL
DELTA = ("Delegates from both sides said the new agreement could bring stability. "
         "Critics warned that the plan remains fragile and uncertain.\n")


def _new_corpus(folder: Path) -> Path:
    write_corpus(folder)
    (folder / "delta.txt").write_text(DELTA, encoding="utf-8")
    with open(folder / "metadata.csv", "a", encoding="utf-8") as fh:
        fh.write("t-delta,delta.txt,Delta,,,news report,\n")
    return folder


def _env(stage: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k != KILL_ENV and not k.startswith("MAKE") and k != "MFLAGS"}
    env["PYTHONHASHSEED"] = "0"
    if stage:
        env[KILL_ENV] = stage
    return env


def _features(corpus: Path, out: Path, stage: str | None = None):
    return subprocess.run([sys.executable, "-m", "analysis", "features", str(corpus), "-o",
                           str(out / "features.csv"), "--groups", "tone", "--n-resamples", "100"],
                          capture_output=True, text=True, env=_env(stage), timeout=600, cwd=ROOT)


def _visible(out: Path) -> str:
    """"stale" (no features.csv), or "old"/"new": a complete set, every table of one run."""
    feats = out / "features.csv"
    if not feats.exists():
        return "stale"
    complete, reason, manifest = check_feature_set(feats, verify=True)
    assert complete, reason
    on_disk = {p.name for p in out.iterdir() if p.suffix == ".csv"}
    assert on_disk == {e["file"] for e in manifest["tables"].values()}  # no table of another run
    ids = set(read_table(feats)["article_id"])
    for name, entry in manifest["tables"].items():
        if name not in ("features", "errors"):
            assert set(read_table(out / entry["file"])["article_id"]) <= ids, name
    assert set(read_table(out / "sentences.csv")["article_id"]) == ids  # every article has some
    assert ids in (OLD, NEW), ids
    return "old" if ids == OLD else "new"


def _staging_left(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.fixture(scope="module")
def new_corpus(tmp_path_factory) -> Path:
    return _new_corpus(tmp_path_factory.mktemp("interrupt") / "corpus")


@pytest.fixture(scope="module")
def new_processed(new_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("new_processed")
    res = _features(new_corpus, out)
    assert res.returncode == 0, res.stderr
    assert _visible(out) == "new"
    return out


# --------------------------------------------------------------------------- features tables

COMMIT = """
import sys
from analysis.cli import write_feature_set
from analysis.tables import read_table

src, out = sys.argv[1:]
names = ("features", "evidence", "audit", "sentences", "errors")
write_feature_set({n: read_table(f"{src}/{n}.csv") for n in names}, f"{out}/features.csv")
"""

STAGES = [("features:staged", "old"), ("features:removed", "stale"),
          ("features:audit", "stale"), ("features:errors", "stale"),
          ("features:evidence", "stale"), ("features:sentences", "stale"),
          ("features:manifest", "stale"), ("features:committed", "new")]


def test_kill_at_every_stage_of_replacing_the_set(tiny_processed, new_processed, tmp_path):
    """The set-replacing step alone (no parsing: fast), killed after each rename."""
    seen = set()
    for stage, expected in STAGES:
        out = tmp_path / stage.replace(":", "-")
        shutil.copytree(tiny_processed, out)
        assert _visible(out) == "old"
        res = subprocess.run([sys.executable, "-c", COMMIT, str(new_processed), str(out)],
                             capture_output=True, text=True, env=_env(stage), timeout=300)
        assert res.returncode == KILLED, (stage, res.stderr)
        assert _visible(out) == expected, stage
        seen.add(expected)
        res = subprocess.run([sys.executable, "-c", COMMIT, str(new_processed), str(out)],
                             capture_output=True, text=True, env=_env(), timeout=300)
        assert res.returncode == 0, res.stderr
        assert _visible(out) == "new", stage  # the next run repairs it
        assert not _staging_left(out), stage  # and removes the killed run's staging folder
    assert seen == {"old", "stale", "new"}


@pytest.mark.slow
@pytest.mark.parametrize("stage, expected", [("features:staged", "old"),
                                             ("features:evidence", "stale")])
def test_killed_features_run_leaves_old_set_or_stale_and_a_rerun_repairs(
        tiny_processed, new_corpus, tmp_path, stage, expected):
    out = tmp_path / "processed"
    shutil.copytree(tiny_processed, out)
    res = _features(new_corpus, out, stage)
    assert res.returncode == KILLED, res.stderr
    assert _visible(out) == expected
    if expected == "stale":
        res = _features(new_corpus, out)
        assert res.returncode == 0, res.stderr
        assert _visible(out) == "new" and not (out / "attributions.csv").exists()
        assert not _staging_left(out)


# --------------------------------------------------------------------------- figures

SAVE = """
import sys
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from analysis.figures import save_figure

out, version = sys.argv[1:]
fig, ax = plt.subplots(figsize=(2, 1.5))
ax.plot([0, 1], [0, float(version)])
save_figure(fig, "fig90-interrupted", caption=f"version {version}", out_dir=out)
"""
FIGURE_FILES = [f"fig90-interrupted.{x}" for x in ("png", "pdf", "svg", "json")]


def _save(out: Path, version: str, stage: str | None = None):
    return subprocess.run([sys.executable, "-c", SAVE, str(out), version], capture_output=True,
                          text=True, env=_env(stage), timeout=300)


def _figure_state(out: Path, old: dict, new: dict) -> str:
    """"stale" (no sidecar), or "old"/"new" when the sidecar and every image are of one save."""
    files = {name: (out / name).read_bytes() for name in FIGURE_FILES if (out / name).exists()}
    if FIGURE_FILES[-1] not in files:
        return "stale"
    assert files in (old, new), sorted(n for n in files if files[n] != new.get(n))
    return "old" if files == old else "new"


@pytest.fixture(scope="module")
def figure_versions(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A folder with version 1 of the figure, and the bytes of versions 1 and 2."""
    base = tmp_path_factory.mktemp("figures")
    for version in ("1", "2"):
        assert _save(base / version, version).returncode == 0
    old, new = ({n: (base / v / n).read_bytes() for n in FIGURE_FILES} for v in ("1", "2"))
    assert all(old[n] != new[n] for n in FIGURE_FILES)
    return base / "1", old, new


@pytest.mark.parametrize("stage, expected", [
    ("figure:staged", "old"), ("figure:sidecar-removed", "stale"), ("figure:png", "stale"),
    ("figure:pdf", "stale"), ("figure:svg", "stale"), ("figure:committed", "new")])
def test_killed_save_figure_leaves_one_set_or_no_sidecar(figure_versions, tmp_path, stage,
                                                          expected):
    first, old, new = figure_versions
    out = tmp_path / "out"
    shutil.copytree(first, out)
    res = _save(out, "2", stage)
    assert res.returncode == KILLED, res.stderr
    assert _figure_state(out, old, new) == expected
    assert _save(out, "2").returncode == 0
    assert _figure_state(out, old, new) == "new"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # temp files swept


# --------------------------------------------------------------------------- make


def _make(*args: str, stage: str | None = None):
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "-o", ".venv/.stamp",
                           *args], capture_output=True, text=True, env=_env(stage), timeout=900)


@pytest.mark.slow
def test_make_figures_after_killed_features_and_killed_notebook_repairs_everything(tmp_path):
    corpus = _new_corpus(tmp_path / "corpus")
    (corpus / "zz-empty.txt").write_bytes(b"")  # bad input: skipped, reported, not fatal
    processed, figures, nb_out = tmp_path / "processed", tmp_path / "figures", tmp_path / "nb"
    # PKG_SRC= : edits of the package while the test runs must not make the features stale
    where = [f"RAW={corpus}", f"PROCESSED={processed}", f"FIGURES={figures}",
             f"NB_OUT={nb_out}", "NOTEBOOKS=notebooks/00-corpus.ipynb", "PKG_SRC="]
    log = nb_out / "00-corpus.ipynb"

    res = _make("figures", *where, stage="features:evidence")  # the features run is killed
    assert res.returncode == 2, res.stdout + res.stderr
    assert not (processed / "features.csv").exists() and not log.exists()

    res = _make("figures", *where, stage="figure:pdf")  # features done; the notebook is killed
    assert res.returncode == 2, res.stdout + res.stderr
    assert "00-corpus.ipynb failed" in res.stderr
    assert check_feature_set(processed / "features.csv", verify=True)[0]
    assert not log.exists() and (nb_out / ".tmp-00-corpus.ipynb").exists()
    assert not (figures / "fig00-corpus-overview.json").exists()  # the set is visibly stale

    res = _make("figures", *where)  # repairs: the notebook runs again, features are kept
    assert res.returncode == 0, res.stdout + res.stderr
    assert "-m analysis features" not in res.stdout
    assert log.exists()
    assert res.stderr.splitlines()[-1] == (  # make figures ends with the one summary line
        f"{processed / 'features.csv'}: 4 articles with study data/study.yml; 1 input skipped "
        f"(2 problems, listed in {processed / 'errors.csv'})")
    assert sorted(p.name for p in figures.iterdir()) == [
        f"fig00-corpus-overview.{x}" for x in ("json", "pdf", "png", "svg")]
    assert _make("-q", str(log), *where).returncode == 0  # up to date now
