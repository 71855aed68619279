"""The package layout holds: small modules, no import cycle, late imports only for heavy
libraries (each marked ``# late: heavy``), every word list read through ``analysis.lexicon``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "analysis"
MAX_LINES = 450
HEAVY = ("spacy", "ipywidgets", "IPython", "sklearn", "scipy", "statsmodels", "dask", "distributed", "matplotlib",
         "pyarrow", "papermill", "empath", "thinc", "nomquamgender")


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


@dataclass(frozen=True)
class Import:
    """One import statement of a module."""

    line: int
    targets: tuple[str, ...]  # the analysis modules it names
    ext: str  # the outside libraries it names, comma-separated ("" for none)
    kind: str  # "top": runs on import; "late": in a function; "type": under TYPE_CHECKING
    text: str  # its source line
    plain: bool  # a statement of the module body itself (not in a try, an if or a function)


def _imports(mod: str, path: Path) -> list[Import]:
    """Every import statement of a module, wherever it is (the whole tree, not only the top)."""
    text = path.read_text(encoding="utf-8")
    tree, lines = ast.parse(text), text.splitlines()
    is_pkg = path.name == "__init__.py"
    out: list[Import] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            here = kind
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                here = "late" if kind == "top" else kind
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                here = "type"
            if isinstance(child, ast.ImportFrom):
                local = bool(child.level) or (child.module or "").startswith("analysis")
                out.append(Import(child.lineno, tuple(_resolve(mod, child, is_pkg)),
                                  "" if local else child.module or "", here,
                                  lines[child.lineno - 1], child in tree.body))
            elif isinstance(child, ast.Import):
                out.append(Import(child.lineno,
                                  tuple(a.name for a in child.names if a.name in MODULES),
                                  ",".join(a.name for a in child.names
                                           if not a.name.startswith("analysis")),
                                  here, lines[child.lineno - 1], child in tree.body))
            visit(child, here)

    visit(tree, "top")
    return out


IMPORTS = {m: _imports(m, p) for m, p in MODULES.items()}


def _is_heavy(ext: str) -> bool:
    return any(name.split(".")[0] in HEAVY for name in ext.split(",") if name)


def _heavy_modules() -> set[str]:
    """The analysis modules whose import loads a heavy library: themselves, or through the
    package modules they import when they are imported."""
    heavy = {m for m, imps in IMPORTS.items()
             if any(i.kind == "top" and _is_heavy(i.ext) for i in imps)}
    while more := {m for m, imps in IMPORTS.items() if m not in heavy
                   and any(i.kind == "top" and set(i.targets) & heavy for i in imps)}:
        heavy |= more
    return heavy


def test_no_module_over_450_lines():
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycle():
    # Every import of a package module is an edge: at the module top, in a function (a late
    # import hides no arrow) and under TYPE_CHECKING (a type a module needs is a dependency
    # too, even if only the type checker follows it). A sub-package's __init__ re-exports its
    # modules; a module importing a sibling through the package is an edge to the package
    # itself and counts. Names loaded through importlib (the command table of analysis.cli,
    # the PEP 562 tables of analysis and analysis.measures.sources) are not seen.
    graph = {m: {t for i in imps for t in i.targets} - {m} for m, imps in IMPORTS.items()}
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


def test_the_import_graph_sees_late_and_type_checking_imports():
    """The cycle test is only as good as what it sees: a package module imported in a
    function, or under TYPE_CHECKING, is an edge; a module importing spaCy is heavy."""
    seen = {(m, i.kind): set(i.targets) for m, imps in IMPORTS.items() for i in imps}
    assert "analysis.text" in seen[("analysis.parallel", "late")]
    assert "analysis.text" in seen[("analysis.measures.emphasis.scorer", "type")]
    heavy = _heavy_modules()
    assert {"analysis.nlp", "analysis.text", "analysis.figures"} <= heavy
    assert not {"analysis.study", "analysis.cli", "analysis.tracing"} & heavy


def test_the_library_does_not_import_the_command_line():
    """Arrows run from the command line into the library, never back up."""
    up = [f"{MODULES[m].relative_to(PKG.parent)}:{i.line}: {i.text.strip()}"
          for m, imps in IMPORTS.items()
          if not (m.startswith("analysis.cli") or m == "analysis.__main__")
          for i in imps if any(t.startswith("analysis.cli") for t in i.targets)]
    assert not up, "library modules importing analysis.cli:\n" + "\n".join(up)


def test_late_imports_are_heavy_and_marked():
    # A late import (in a function, or in a try or if at module level) keeps a heavy library
    # out of a light module's import: it names a heavy library, or package modules whose import
    # loads one, and says so (`# late: heavy`). Any other import belongs at the module top.
    # TYPE_CHECKING imports never run and need no mark (they are edges all the same).
    heavy = _heavy_modules()
    bad = []
    for m, imps in IMPORTS.items():
        for i in imps:
            if i.kind == "type" or (i.kind == "top" and i.plain):
                continue
            where = f"{MODULES[m].relative_to(PKG.parent)}:{i.line}"
            if "# late: heavy" not in i.text:
                bad.append(f"{where}: late import without '# late: heavy': {i.text.strip()}")
            elif i.ext and not _is_heavy(i.ext):
                bad.append(f"{where}: {i.ext} is not a heavy library: {i.text.strip()}")
            elif not i.ext and not (i.targets and set(i.targets) <= heavy):
                light = ", ".join(sorted(set(i.targets) - heavy)) or "it"
                bad.append(f"{where}: {light} loads no heavy library, so import it at the "
                           f"module top: {i.text.strip()}")
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
