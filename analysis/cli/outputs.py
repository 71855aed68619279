"""Where a command may write: checked before any article is read, so that a run never destroys
what it reads or what the user keeps beside its tables.

* :func:`table_output`: the ``-o`` of a table (``features``, ``attributions``): a suffix this
  tool writes (``.csv``, ``.parquet``, ``.pq``); without ``-o``, the project's
  ``data/processed/`` only when the command runs inside the project.
* :func:`refuse_inputs`: no output is an input (corpus, study and the files it names,
  dictionaries, registry) or lies inside a folder corpus.

Which existing files of a set are the user's is :mod:`analysis.cli.manifest`; the lock that
keeps two runs out of one folder is :func:`analysis.atomic.folder_lock`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config import PROCESSED_DIR, ROOT
from .failures import UsageStop
from .manifest import TABLE_SUFFIXES

__all__ = ["default_output", "in_project", "refuse_inputs", "table_output"]


def in_project(cwd: Path | None = None) -> bool:
    """Tell whether the current folder is the project's folder or inside it.

    Parameters
    ----------
    cwd : Path, optional
        The folder to test; default the current folder.

    Returns
    -------
    bool
    """
    cwd = (cwd or Path.cwd()).resolve()
    return cwd == ROOT or ROOT in cwd.parents


def default_output(name: str) -> Path:
    """The default ``-o``: ``data/processed/<name>`` of the project, inside the project only.

    Run from another folder, a command without ``-o`` would write into the project's
    ``data/processed/``, far from where the researcher works (and over the project's tables):
    it is refused instead.

    Parameters
    ----------
    name : str
        The file name, e.g. ``features.csv``.

    Returns
    -------
    Path

    Raises
    ------
    UsageStop
        The current folder is outside the project.
    """
    if in_project():
        return PROCESSED_DIR / name
    raise UsageStop(f"give -o FILE (e.g. -o out/{name}): without -o the tables go to the "
                    f"project's data/processed/, only when run inside the project ({ROOT})")


def table_output(output: str | None, name: str) -> Path:
    """The table ``-o`` names (or the default), checked: a suffix this tool writes.

    Parameters
    ----------
    output : str or None
        The ``-o`` given; None for the default (:func:`default_output`).
    name : str
        The default file name.

    Returns
    -------
    Path

    Raises
    ------
    UsageStop
        A suffix the tool cannot write (``-o x.xlsx`` would get CSV text), or no ``-o``
        outside the project.
    """
    path = default_output(name) if output is None else Path(output)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        got = f"a '{path.suffix}' file" if path.suffix else "a name without a suffix"
        raise UsageStop(f"-o {path}: {got} cannot be written; the tables are written as "
                        f"{', '.join(TABLE_SUFFIXES)} (e.g. -o {path.with_suffix('.csv')})")
    return path


def _same(a: Path, b: Path) -> bool:
    """Same file: the same resolved path, or the same inode (a hard link)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def refuse_inputs(outputs, inputs: dict[str, list]) -> None:
    """Stop when an output is an input, or lies inside a folder that is read.

    Parameters
    ----------
    outputs : iterable of Path
        Every file the run may write, replace or remove.
    inputs : dict of str to list
        What each input is (``"corpus"``, ``"study"``, ...) -> its paths (None entries and
        empty strings are ignored).

    Raises
    ------
    UsageStop
        Naming the output and the input it would destroy.
    """
    outputs = [Path(o) for o in outputs]
    for what, paths in inputs.items():
        for p in (Path(p) for p in paths if p):
            if p.is_dir():
                folder = p.resolve()
                for o in outputs:
                    if folder == o.resolve().parent or folder in o.resolve().parents:
                        raise UsageStop(f"{o}: inside the {what} folder {p}, whose files the "
                                        "run reads; give -o a file outside it")
                continue
            for o in outputs:
                if _same(o, p):
                    raise UsageStop(f"{o}: is the {what}; the run would replace it: give "
                                    "another -o")
