"""python -m analysis.notebooks: papermill in the notebook's folder, a log only for a full run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from analysis.notebooks import KERNEL


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": KERNEL, "display_name": "Python", "language": "python"},
        "language_info": {"name": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, str(path))
    return path


def _run(*args):
    return subprocess.run([sys.executable, "-m", "analysis.notebooks", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_papermill_imports_without_rfc3987_and_still_validates_notebooks():
    code = (
        "import sys\n"
        "from analysis.notebooks import _papermill\n"
        "_papermill()\n"
        "import nbformat\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "bad = nbformat.v4.new_notebook()\n"
        "bad.cells.append({'cell_type': 'code', 'source': 1})\n"
        "try:\n"
        "    nbformat.validate(bad)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid notebook rejected')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert "invalid notebook rejected" in res.stdout


@pytest.mark.slow
def test_missing_notebook_is_an_argument_error(tmp_path):
    res = _run(tmp_path / "nope.ipynb", "-o", tmp_path / "build")
    assert res.returncode == 2 and "no such notebook" in res.stderr
    assert not (tmp_path / "build").exists()


@pytest.mark.slow
def test_runs_in_the_notebook_folder_and_a_failure_leaves_only_the_tmp_copy(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    good = _notebook(nb_dir / "00-good.ipynb", "import os\nopen('cwd.txt', 'w').write(os.getcwd())")
    bad = _notebook(nb_dir / "01-bad.ipynb", "x = 1", "raise ValueError('boom in cell 2')")
    after = _notebook(nb_dir / "02-after.ipynb", "open('after.txt', 'w').write('ran')")
    out = tmp_path / "build" / "notebooks"

    res = _run(good, "-o", out)
    assert res.returncode == 0, res.stderr
    assert (nb_dir / "cwd.txt").read_text() == str(nb_dir)
    assert sorted(p.name for p in out.iterdir()) == ["00-good.ipynb"]  # renamed, no .tmp- left

    res = _run(bad, after, "-o", out)
    assert res.returncode == 1
    assert "01-bad.ipynb failed" in res.stderr and "boom in cell 2" in res.stderr
    assert not (out / "01-bad.ipynb").exists()  # no complete-looking log of a failed run
    failed = nbformat.read(str(out / ".tmp-01-bad.ipynb"), as_version=4)
    assert "boom in cell 2" in json.dumps([c.get("outputs", []) for c in failed.cells])
    assert not (nb_dir / "after.txt").exists()  # stops at the first failure, as make does


@pytest.mark.slow
def test_parameters_reach_only_the_notebooks_that_declare_them(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    nb = _notebook(nb_dir / "00-params.ipynb", "processed_dir = 'default'",
                   "open('seen.txt', 'w').write(f\"{processed_dir} {'figures_dir' in dir()}\")")
    nb_json = json.loads(nb.read_text())
    nb_json["cells"][0]["metadata"]["tags"] = ["parameters"]
    nb.write_text(json.dumps(nb_json))
    res = _run(nb, "-o", tmp_path / "build", "-p", "processed_dir", "/data/x",
               "-p", "figures_dir", "/figs")
    assert res.returncode == 0, res.stderr
    assert (nb_dir / "seen.txt").read_text() == "/data/x False"  # figures_dir: not declared


@pytest.mark.slow
def test_a_failure_is_one_line_and_no_kernel_warning_is_printed(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    good = _notebook(nb_dir / "00-good.ipynb", "x = 1")
    bad = _notebook(nb_dir / "01-bad.ipynb", "def f():\n    raise KeyError('no column x')\n",
                    "f()")
    out = tmp_path / "build"
    res = _run(good, bad, "-o", out)
    assert res.returncode == 1
    # One line: notebook, cell, error, where the traceback is; no traceback, no TCP warning.
    assert res.stderr.strip().splitlines() == [
        f"{bad} failed in cell [2]: KeyError: 'no column x' (traceback in "
        f"{out / '.tmp-01-bad.ipynb'})"]
    assert "without encryption" not in res.stdout + res.stderr


@pytest.mark.slow
def test_path_parameters_are_made_absolute_before_the_notebook_changes_folder(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    nb = _notebook(nb_dir / "00-params.ipynb", "corpus_dir = 'default'",
                   "open('seen.txt', 'w').write(corpus_dir)")
    nb_json = json.loads(nb.read_text())
    nb_json["cells"][0]["metadata"]["tags"] = ["parameters"]
    nb.write_text(json.dumps(nb_json))
    res = subprocess.run([sys.executable, "-m", "analysis.notebooks", str(nb), "-o", "build",
                          "-P", "corpus_dir", "my corpus"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    assert (nb_dir / "seen.txt").read_text() == str(tmp_path / "my corpus")


@pytest.mark.slow
def test_ctrl_c_exits_130_with_one_line(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    slow = _notebook(nb_dir / "00-slow.ipynb", "open('started', 'w').close()",
                     "import time\ntime.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-m", "analysis.notebooks", str(slow), "-o",
                             str(tmp_path / "build")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (nb_dir / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.strip().splitlines() == [
        "interrupted: no executed copy of the notebook that was running"], err
    assert not (tmp_path / "build" / "00-slow.ipynb").exists()
