"""Run notebooks with papermill: ``python -m analysis.notebooks NOTEBOOK... -o build/notebooks``.

What ``make figures`` runs for each stale notebook (two at a time). Each notebook runs in the
project kernel with its own folder as working directory; its executed copy (papermill's log of
the run) is written as ``.tmp-<name>`` in the output folder and renamed to ``<name>`` only when
every cell ran, so a failed run leaves the ``.tmp-`` copy with the error in it and never a
complete-looking log. This is ``papermill --cwd <folder> <notebook> <tmp> && mv <tmp> <log>``,
with papermill imported in 0.5 s instead of 2 s (see ``_papermill``). ``-p NAME VALUE`` sets a
parameter in every notebook whose parameters cell declares it (``make figures PROCESSED=...``);
``-P NAME PATH`` sets a path, made absolute first (the notebook runs in its own folder).

Through make, a failure is one line: the notebook, the cell, the error (``ValueError: ...``)
and the executed copy that holds the whole traceback. Ctrl-C stops with one line and exit code
130 (the kernel is shut down; no ZMQ or asyncio traceback). The kernel's channels are encrypted
(CurveZMQ keys from the kernel manager, the kernelspec declares support), which also ends
ipykernel's "Kernel is running over TCP without encryption" warning on every run.

Exit codes: 0 every notebook ran; 1 a cell failed or the kernel died (the error is printed;
later notebooks are not run); 2 bad arguments; 130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from traitlets.config import Config

KERNEL = "framing-analysis"
# The kernel manager provisions CurveZMQ keys when the kernelspec declares support ("auto",
# not "required": a kernel without it still runs, with ipykernel's warning).
ENCRYPTION = {"KernelManager": {"transport_encryption": "auto"}}
# The kernel is killed once the last cell ran (shutdown_kernel="immediate"): a graceful
# shutdown that runs late on a busy machine interrupts the idle kernel, which then logs
# "KeyboardInterrupt caught in kernel".


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
                        cwd=str(notebook.parent), progress_bar=False,
                        config=Config(ENCRYPTION), shutdown_kernel="immediate")
    os.replace(tmp, target)
    return target


def failure_line(nb: Path, exc, log: Path) -> str:
    """One line for a failed cell: notebook, cell, error and the copy with the traceback.

    Parameters
    ----------
    nb : Path
        The notebook.
    exc : papermill.PapermillExecutionError
        Its ``exec_count``, ``ename`` and ``evalue`` are used; the traceback (100-400 lines
        through make) stays in the executed copy.
    log : Path
        The executed copy (``.tmp-<name>``).

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> failure_line(Path("n/01.ipynb"), NS(exec_count=3, ename="KeyError", evalue="'x'\\nmore"),
    ...              Path("b/.tmp-01.ipynb"))
    "n/01.ipynb failed in cell [3]: KeyError: 'x' (traceback in b/.tmp-01.ipynb)"
    """
    first = (str(exc.evalue).strip().splitlines() or [""])[0]
    return (f"{nb} failed in cell [{exc.exec_count}]: {exc.ename}: {first} "
            f"(traceback in {log})")


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
    ap.add_argument("-P", "--path-parameter", nargs=2, action="append", default=[],
                    metavar=("NAME", "PATH"),
                    help="as -p, for a path: made absolute from the current folder; "
                         "repeatable")
    args = ap.parse_args(argv)
    params = dict(args.parameter)
    params.update((k, os.path.abspath(v)) for k, v in args.path_parameter)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        ap.error(f"no such notebook: {', '.join(missing)}")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        return _run_all(args.notebooks, args.out_dir, args.kernel, params)
    except KeyboardInterrupt:
        # The kernel is gone (_on_interrupt); papermill's clean-up may still print from its
        # threads: silence what follows, say it once.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("interrupted: no executed copy of the notebook that was running",
              file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)  # no atexit: ZMQ and asyncio shutdown tracebacks would follow


def _on_interrupt(signum, frame) -> None:
    """Ctrl-C: kill the kernel first, so that papermill's clean-up finds it gone instead of
    shutting down one busy in a cell (which prints ZMQ tracebacks), then stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)  # "Kernel died while waiting": we killed it
    _kill_kernels()
    raise KeyboardInterrupt


def _kill_kernels() -> None:
    """Kill the running kernel and its children at once: a kernel left to notice that its
    parent is gone prints ZMQ errors on the way out. The kernel is a child of this process
    leading its own session (jupyter_client starts it so); found in /proc (Linux; elsewhere
    the kernel exits on its own)."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if fields[1] == me and os.getpgid(pid) == pid:  # ppid; a process group of its own
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass


def _run_all(notebooks, out_dir: Path, kernel: str, params: dict) -> int:
    """Run notebooks in order until one fails; the exit code of :func:`main`."""
    pm = _papermill()
    for nb in notebooks:
        try:
            execute(nb, out_dir, kernel, params)
        except pm.PapermillExecutionError as exc:
            print(failure_line(nb, exc, Path(out_dir) / f".tmp-{nb.name}"), file=sys.stderr)
            return 1
        except Exception as exc:  # the kernel died or could not start: no cell output to show
            first = (str(exc).strip().splitlines() or [""])[0]
            print(f"{nb} failed: {type(exc).__name__}: {first}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
