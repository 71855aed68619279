"""Run notebooks with papermill: ``python -m analysis.notebooks NOTEBOOK... -o build/notebooks``.

What ``make figures`` runs for each stale notebook (two at a time). Each notebook runs in the
project kernel with its own folder as working directory; its executed copy (papermill's log of
the run) is written as ``.tmp-<name>`` in the output folder and renamed to ``<name>`` only when
every cell ran, so a failed run leaves the ``.tmp-`` copy with the error in it and never a
complete-looking log. This is ``papermill --cwd <folder> <notebook> <tmp> && mv <tmp> <log>``,
with papermill imported in 0.5 s instead of 2 s (see ``_papermill``). ``-p NAME VALUE`` sets a
parameter in every notebook whose parameters cell declares it (``make figures PROCESSED=...``).

Exit codes: 0 every notebook ran; 1 a cell failed or the kernel died (the error is printed;
later notebooks are not run); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

KERNEL = "framing-analysis"


def _papermill():
    # nbformat imports jsonschema, which imports rfc3987_syntax (installed with Jupyter) only for
    # its optional "iri" format checks; that import compiles a grammar: 1.3 s of the 2 s that
    # `import papermill` takes, in every notebook's process. No notebook schema uses "format", so
    # the checks are never needed: None in sys.modules makes that import fail, and jsonschema
    # leaves them out.
    sys.modules.setdefault("rfc3987_syntax", None)
    import papermill  # late: heavy

    return papermill


def execute(notebook: str | Path, out_dir: str | Path, kernel: str = KERNEL,
            parameters: dict | None = None) -> Path:
    """Run ``notebook`` with papermill; returns its executed copy in ``out_dir``.

    ``parameters`` the notebook does not declare in its parameters cell are left out.
    """
    pm = _papermill()
    notebook = Path(notebook)
    target = Path(out_dir) / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{target.name}")
    declared = pm.inspect_notebook(str(notebook)) if parameters else {}
    pm.execute_notebook(str(notebook), str(tmp), kernel_name=kernel,
                        parameters={k: v for k, v in (parameters or {}).items() if k in declared},
                        cwd=str(notebook.parent), progress_bar=False)
    os.replace(tmp, target)
    return target


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.notebooks",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="+", type=Path, help="notebooks to run, in this order")
    ap.add_argument("-o", "--out-dir", type=Path, required=True,
                    help="folder for the executed copies")
    ap.add_argument("-k", "--kernel", default=KERNEL, help=f"Jupyter kernel (default {KERNEL})")
    ap.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                    metavar=("NAME", "VALUE"),
                    help="set a parameter (as a string) in the notebooks that declare it; "
                         "repeatable")
    args = ap.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        ap.error(f"no such notebook: {', '.join(missing)}")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    pm = _papermill()
    for nb in args.notebooks:
        try:
            execute(nb, args.out_dir, args.kernel, dict(args.parameter))
        except pm.PapermillExecutionError as exc:
            print(f"{nb} failed (executed copy with the error: "
                  f"{Path(args.out_dir) / f'.tmp-{nb.name}'}):\n{exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # the kernel died or could not start: no cell output to show
            first = (str(exc).strip().splitlines() or [""])[0]
            print(f"{nb} failed: {type(exc).__name__}: {first}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
