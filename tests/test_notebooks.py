"""Every notebook runs under papermill on the tiny fixture corpus, twice, to the same bytes."""

from __future__ import annotations

import hashlib
import json
import re

import papermill as pm
import pytest

from analysis.config import DATA_DIR, NOTEBOOKS_DIR

BUNDLED_STUDY = DATA_DIR / "study.yml"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_notebooks_exist_and_are_stripped():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00-corpus.ipynb"
    for nb_path in NOTEBOOKS:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), nb_path
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{nb_path.name}: needs exactly one 'parameters' cell"
        src = "".join(tagged[0]["source"])
        assert "processed_dir" in src and "figures_dir" in src
        for c in code:  # notebooks communicate; reusable code lives in the package
            body = "".join(c["source"])
            assert "\ndef " not in "\n" + body and "\nclass " not in "\n" + body, nb_path.name


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figure_cells_call_save_and_show(nb_path):
    """The package builds every caption: a figure cell calls a figure function, saves the Plot
    it returns (its caption and own inputs come with it) and shows it."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        body = "".join(cell["source"])
        if cell["cell_type"] != "code" or "save_figure(" not in body:
            continue
        saved = re.findall(r"save_figure\((\w+), \"(fig\d\d)-", body)
        assert len(saved) == body.count("save_figure(") == 1, body
        name, fid = saved[0]
        assert name == fid and f"{name} = " in body, body  # figNN = <figure function>(...)
        assert "caption=" not in body and "caption = " not in body, body


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_fixture_and_is_byte_reproducible(nb_path, tiny_processed, tmp_path):
    runs = []
    figs = tmp_path / "figures"
    for run in ("first", "second"):
        pm.execute_notebook(str(nb_path), str(tmp_path / f"{run}.ipynb"),
                            parameters={"processed_dir": str(tiny_processed),
                                        "figures_dir": str(figs),
                                        "corpus_dir": str(tiny_processed.parent / "corpus"),
                                        "study": str(BUNDLED_STUDY)},  # as tiny_processed
                            kernel_name="framing-analysis", cwd=str(NOTEBOOKS_DIR),
                            progress_bar=False)
        runs.append(_hashes(figs))
    pngs = [n for n in runs[0] if n.endswith(".png")]
    assert pngs, f"{nb_path.name} wrote no figure"
    for png in pngs:
        stem = png[:-4]
        assert {f"{stem}.{x}" for x in ("pdf", "svg", "json")} <= set(runs[0])
    assert runs[0] == runs[1]
