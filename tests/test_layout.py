"""The package layout holds: small modules, no import cycle, late imports only for heavy
libraries (each marked ``# late: heavy``), every word list read through ``analysis.lexicon``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "analysis"
MAX_LINES = 450
HEAVY = ("spacy", "ipywidgets", "IPython", "sklearn", "scipy", "statsmodels", "dask", "distributed", "matplotlib",
         "pyarrow", "papermill", "empath", "thinc")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _resolve(mod: str, node: ast.ImportFrom, is_pkg: bool) -> list[str]:
    """Absolute names of the analysis modules an ImportFrom refers to."""
    if node.level:
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("analysis"):
        return []
    out = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        out.append(sub if sub in MODULES else target)
    return [t for t in out if t in MODULES]


def _imports(mod: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    is_pkg = path.name == "__init__.py"
    top, late = set(), []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.ImportFrom):
            names = _resolve(mod, node, is_pkg)
            ext = "" if node.level or (node.module or "").startswith("analysis") else node.module
        else:
            names = [a.name for a in node.names if a.name in MODULES]
            ext = ",".join(a.name for a in node.names if not a.name.startswith("analysis"))
        at_top = node.col_offset == 0 and node in tree.body
        in_type_checking = any(isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
                               and node in ast.walk(n) for n in tree.body)
        if at_top or in_type_checking:
            if at_top:
                top.update(names)
            continue
        late.append((node.lineno, names, ext or "", lines[node.lineno - 1]))
    return top, late


def test_no_module_over_450_lines():
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycle():
    graph = {m: _imports(m, p)[0] - {m} for m, p in MODULES.items()}
    # A sub-package's __init__ re-exports its modules; a module importing a sibling through
    # the package is an edge to the package itself and counts.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycle = stack[stack.index(n):] + [n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if not state.get(n):
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            visit(m)


def test_late_imports_are_heavy_and_marked():
    bad = []
    for m, p in MODULES.items():
        for lineno, names, ext, line in _imports(m, p)[1]:
            where = f"{p.relative_to(PKG.parent)}:{lineno}"
            if "# late: heavy" not in line and "# late:" not in line:
                bad.append(f"{where}: late import without '# late: heavy': {line.strip()}")
            elif ext and not ext.split(".")[0] in HEAVY and not names:
                bad.append(f"{where}: {ext} is not a heavy library: {line.strip()}")
    # The command line loads a command's module in one place (its command table).
    assert not bad, "\n".join(bad)


def test_word_lists_are_read_through_lexicon():
    """Only analysis/lexicon.py opens package data files."""
    offenders = []
    for m, p in MODULES.items():
        if m in ("analysis.lexicon", "analysis.figures", "analysis.config"):
            # figures hashes the package files; config names the folders
            continue
        text = p.read_text(encoding="utf-8")
        if "resources.files" in text or "LEXICON_DIR" in text:
            offenders.append(m)
    assert not offenders, f"modules reading package files themselves: {offenders}"
