"""The code a figure ran, hashed as code: the package modules the process has imported.

A figure's sidecar records :func:`code_hashes` (``code_modules``: module name -> SHA-256 of its
code) and :func:`combined_hash` of that map (``code_sha256``). The modules are the ``analysis``
modules in ``sys.modules`` when the figure is saved: what its notebook imported, directly or
through other modules. A module's hash is that of its syntax tree without docstrings
(:func:`code_sha256_of_source`): comments, docstrings, blank lines and layout change no hash, so
they change no file under ``figures/``; a change to what the code does changes the hash of its
module, and a module the notebook never imported does not count at all.

Package data files (lexicons, rules) are not part of the code hash: their effect on a figure
reaches it through the input tables, whose hashes the sidecar records, and the sidecar lists every
shipped lexicon and rule file by content (``lexicon_versions``).
"""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path

__all__ = ["code_sha256_of_source", "code_hashes", "combined_hash"]

PACKAGE = "analysis"
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    """Drop the docstring (a string constant as the first statement) of the module and of every
    class and function, in place."""
    for node in ast.walk(tree):
        if isinstance(node, _DOCUMENTED) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                node.body = node.body[1:]
    return tree


def code_sha256_of_source(source: str | bytes) -> str:
    """SHA-256 of the code in a module's source text, without its comments and docstrings.

    The source is parsed with :mod:`ast`; the docstrings of the module, its classes and
    functions are dropped and the hash is taken of ``ast.dump`` of the tree (no line numbers or
    columns). Comments, docstrings, blank lines, line breaks and other layout therefore leave the
    hash unchanged; any change to a statement or expression changes it. The dump is Python's
    (3.11, as the project pins): another Python version may give other hashes.

    Parameters
    ----------
    source : str or bytes
        A module's source text (bytes are decoded as Python decodes a source file).

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> a = code_sha256_of_source("'Doc.'\\nx = 1  # one\\n")
    >>> a == code_sha256_of_source("'Other doc.'\\n\\nx = (1)\\n")
    True
    >>> a == code_sha256_of_source("x = 2\\n")
    False
    """
    tree = _strip_docstrings(ast.parse(source))
    return hashlib.sha256(ast.dump(tree).encode("utf-8")).hexdigest()


def _source_file(module) -> Path | None:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
    if not origin or not str(origin).endswith(".py"):
        return None
    path = Path(origin)
    return path if path.is_file() else None


def code_hashes(package: str = PACKAGE) -> dict[str, str]:
    """The code hash of every module of ``package`` this process has imported.

    Parameters
    ----------
    package : str, default "analysis"
        Top-level package: the package itself and its submodules (``analysis.*``) count.

    Returns
    -------
    dict
        Module name -> :func:`code_sha256_of_source` of its file as it is on disk now, sorted by
        name. Modules without a ``.py`` source file (namespace packages) are left out.
    """
    out = {}
    for name, module in list(sys.modules.items()):
        if module is None or (name != package and not name.startswith(package + ".")):
            continue
        path = _source_file(module)
        if path is not None:
            out[name] = code_sha256_of_source(path.read_bytes())
    return dict(sorted(out.items()))


def combined_hash(hashes: dict[str, str]) -> str:
    """One SHA-256 for a module -> hash map: of the lines ``<name> <hash>\\n`` in name order, so a
    reader can recompute it from a sidecar's ``code_modules``."""
    text = "".join(f"{name} {digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
