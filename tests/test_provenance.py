"""A figure's code hash covers the package modules it imported, as code: a comment or docstring
edited in any module changes no file under figures/, a code change does, and a module the
figure never imported does not count."""

from __future__ import annotations

import ast
import importlib
import io
import json
import sys
import tokenize
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import analysis  # noqa: E402
from analysis.figures import save_figure  # noqa: E402
from analysis.provenance import code_hashes, code_sha256_of_source, combined_hash  # noqa: E402

PKG = Path(analysis.__file__).resolve().parent

BASE = '''"""A module."""

import math

LABEL = "net optimism"  # a string that is data, not a docstring


class Scale:
    """A scale."""

    factor = 2

    def apply(self, x):
        """Scale x."""
        return x * self.factor


def shift(x, by=1):
    """Shift x."""
    # why: keep it simple
    return math.floor(x) + by
'''

COSMETIC = '''"""A module, documented at greater length.

With a second paragraph.
"""
import math   # for floor


LABEL = "net optimism"    # comment edited
class Scale:
    """Scale numbers by a factor: a docstring rewritten."""
    factor = 2
    def apply(self, x):
        return x * self.factor  # the docstring is gone


async_marker = None


def shift(x,
          by=1):
    """Shift x by ``by`` (edited)."""
    return (math.floor(x)
            + by)
'''


def test_comments_docstrings_and_layout_change_no_hash():
    assert code_sha256_of_source(BASE) == code_sha256_of_source(BASE.encode("utf-8"))
    # COSMETIC adds one real statement (async_marker); without it, the hashes must be equal.
    cosmetic = COSMETIC.replace("\n\nasync_marker = None\n", "")
    assert cosmetic != BASE
    assert code_sha256_of_source(cosmetic) == code_sha256_of_source(BASE)
    assert code_sha256_of_source(COSMETIC) != code_sha256_of_source(BASE)


@pytest.mark.parametrize("old, new", [
    ("factor = 2", "factor = 3"),                            # a constant
    ("return x * self.factor", "return x / self.factor"),    # an operator
    ('LABEL = "net optimism"', 'LABEL = "net caution"'),     # a string that is not a docstring
    ("def shift(x, by=1)", "def shift(x, by=2)"),            # a default
    ("import math\n", "import math\nimport os\n"),           # an import
])
def test_code_changes_change_the_hash(old, new):
    changed = BASE.replace(old, new, 1)
    assert changed != BASE
    assert code_sha256_of_source(changed) != code_sha256_of_source(BASE)


def _without_comments_and_docstrings(source: str) -> str:
    """The module's text with every comment dropped and every docstring replaced."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type != tokenize.COMMENT]
    text = tokenize.untokenize(tokens)
    lines = [line.encode("utf-8") for line in text.splitlines(keepends=True)]
    docs = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = node.body[0] if node.body else None
            if (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)):
                docs.append(doc)
    for doc in sorted(docs, key=lambda d: (d.lineno, d.col_offset), reverse=True):
        first, last = doc.lineno - 1, doc.end_lineno - 1
        # ast's columns count UTF-8 bytes
        lines[first:last + 1] = [lines[first][:doc.col_offset] + b'"""Edited."""'
                                 + lines[last][doc.end_col_offset:]]
    return b"".join(lines).decode("utf-8")


@pytest.mark.slow
def test_every_package_module_keeps_its_hash_without_comments_and_docstrings():
    modules = sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(modules) > 50
    edited = 0
    for path in modules:
        source = path.read_text(encoding="utf-8")
        variant = _without_comments_and_docstrings(source)
        edited += variant != source
        assert code_sha256_of_source(variant) == code_sha256_of_source(source), path
    assert edited > 50  # the variants really differ from the modules


def _figure():
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [1, 0])
    return fig


@pytest.fixture
def probe_dir(tmp_path, monkeypatch):
    """A folder of throwaway ``analysis`` submodules (``analysis._probe_*``), written by the
    test and found by the ordinary import system; no bytecode, so a rewrite is always read."""
    folder = tmp_path / "probe"
    folder.mkdir()
    monkeypatch.setattr(analysis, "__path__", [*analysis.__path__, str(folder)])
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for name in [m for m in sys.modules if m.startswith("analysis._probe")]:
        monkeypatch.delitem(sys.modules, name)
    yield folder
    for name in [m for m in sys.modules if m.startswith("analysis._probe")]:
        del sys.modules[name]


def _import(folder: Path, name: str, source: str):
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    importlib.invalidate_caches()
    sys.modules.pop(f"analysis.{name}", None)
    return importlib.import_module(f"analysis.{name}")


def _save(out: Path) -> bytes:
    save_figure(_figure(), "fig99-provenance", caption="A probe.", out_dir=out)
    return (out / "fig99-provenance.json").read_bytes()


@pytest.mark.slow
def test_save_figure_hashes_the_imported_modules_as_code(probe_dir, tmp_path):
    probe = _import(probe_dir, "_probe_used", BASE)
    (probe_dir / "_probe_unused.py").write_text(BASE, encoding="utf-8")  # never imported
    assert probe.shift(1.5) == 2
    first = _save(tmp_path / "a")
    side = json.loads(first)
    modules = side["code_modules"]
    assert list(modules) == sorted(modules)
    assert modules["analysis._probe_used"] == code_sha256_of_source(BASE)
    assert {"analysis", "analysis.figures", "analysis.provenance"} <= set(modules)
    assert "analysis._probe_unused" not in modules
    assert side["code_sha256"] == combined_hash(modules)
    assert modules == {m: h for m, h in code_hashes().items() if m in modules}

    # Comments, docstrings and layout: the same sidecar, byte for byte (and the same images).
    _import(probe_dir, "_probe_used", COSMETIC.replace("\n\nasync_marker = None\n", ""))
    assert _save(tmp_path / "b") == first
    for fmt in ("png", "pdf", "svg"):
        name = f"fig99-provenance.{fmt}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    # A module no figure imported: edit it at will, nothing changes.
    (probe_dir / "_probe_unused.py").write_text(BASE.replace("factor = 2", "factor = 9"))
    assert _save(tmp_path / "c") == first

    # A code change: the module's hash and code_sha256 change, the other modules' do not.
    _import(probe_dir, "_probe_used", BASE.replace("factor = 2", "factor = 3"))
    changed = json.loads(_save(tmp_path / "d"))
    assert changed["code_modules"]["analysis._probe_used"] != modules["analysis._probe_used"]
    assert changed["code_sha256"] != side["code_sha256"]
    assert {m: h for m, h in changed["code_modules"].items() if m != "analysis._probe_used"} \
        == {m: h for m, h in modules.items() if m != "analysis._probe_used"}

    # Once the module is no longer imported it leaves the hash.
    del sys.modules["analysis._probe_used"]
    gone = json.loads(_save(tmp_path / "e"))
    assert "analysis._probe_used" not in gone["code_modules"]


def test_combined_hash_depends_on_names_and_hashes_not_order():
    a = {"analysis": "0" * 64, "analysis.figures": "1" * 64}
    assert combined_hash(a) == combined_hash(dict(reversed(list(a.items()))))
    assert combined_hash(a) != combined_hash({**a, "analysis.figures": "2" * 64})
    assert combined_hash(a) != combined_hash({"analysis": "0" * 64, "analysis.plots": "1" * 64})
    assert combined_hash(a) != combined_hash({**a, "analysis.stats": "3" * 64})
