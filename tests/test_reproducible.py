"""The committed figures are exactly what the committed code makes from data/raw.

The same check as `make check-reproducible`, in a form that needs no git history (CI may clone
shallowly): features are rebuilt from data/raw into a temporary folder, every notebook runs with
papermill into another, and every committed PNG/PDF/SVG must match byte for byte. Sidecars must
match too, except the parameters, which name the temporary folders.
"""

from __future__ import annotations

import importlib.util
import json

import papermill as pm
import pytest

from analysis.config import DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR, RAW_DIR
from conftest import run_cli

STUDY = DATA_DIR / "study.yml"

COMMITTED = sorted(p for p in FIGURES_DIR.glob("fig*") if p.suffix in (".png", ".pdf", ".svg", ".json"))


def _sidecar_core(path):
    side = json.loads(path.read_text(encoding="utf-8"))
    side["inputs"] = sorted(side["inputs"].values())  # hashes, not the (temporary) paths
    side.pop("parameters")  # names the temporary folders
    return side


def test_committed_sidecars_name_the_code_as_it_is():
    """Fast guard for the slow rebuild below: every module a committed sidecar hashes still has
    that hash, so a code change without `make figures` fails in seconds, naming the module."""
    from analysis.provenance import code_sha256_of_source

    stale = set()
    for path in (p for p in COMMITTED if p.suffix == ".json"):
        for module, digest in json.loads(path.read_text(encoding="utf-8"))["code_modules"].items():
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec else None
            if origin is None or code_sha256_of_source(open(origin, "rb").read()) != digest:
                stale.add(module)
    assert not stale, f"figures/ sidecars hash older code of {sorted(stale)}: run make figures " \
                      f"and commit figures/"


@pytest.mark.slow
def test_committed_figures_rebuild_byte_for_byte(tmp_path):
    assert COMMITTED, "no committed figures in figures/"
    processed = tmp_path / "processed"
    # The bundled study, as make passes it (the command line and notebooks default to none).
    res = run_cli("features", str(RAW_DIR), "-o", str(processed / "features.csv"), "--study",
                  str(STUDY))
    assert res.returncode == 0, res.stderr
    # the comparison tables notebook 05 draws (make: GROUP_BY from the study)
    res = run_cli("compare", str(processed / "features.csv"), "--study", str(STUDY))
    assert res.returncode == 0, res.stderr
    figs = tmp_path / "figures"
    for nb in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")):
        pm.execute_notebook(str(nb), str(tmp_path / nb.name),
                            parameters={"processed_dir": str(processed), "figures_dir": str(figs),
                                        "corpus_dir": str(RAW_DIR), "study": str(STUDY)},
                            kernel_name="framing-analysis", cwd=str(NOTEBOOKS_DIR),
                            progress_bar=False)
    rebuilt = {p.name for p in figs.iterdir()}
    committed = {p.name for p in COMMITTED}
    assert committed == rebuilt, f"figures made but not committed or committed but not made: " \
                                 f"{sorted(committed ^ rebuilt)}"
    changed = []
    for path in COMMITTED:
        new = figs / path.name
        if path.suffix == ".json":
            if _sidecar_core(path) != _sidecar_core(new):
                changed.append(path.name)
        elif path.read_bytes() != new.read_bytes():
            changed.append(path.name)
    assert not changed, f"committed figure files differ from a rebuild: {changed}"
