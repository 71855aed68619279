"""`make figures` wall time for the five articles: rebuild after touching an input, and no-op.

    python benchmarks/bench_make.py

Copies the working tree (without .venv, .git, build/ and derived tables) to a temporary folder,
so nothing in the checkout is touched, and runs make there with this checkout's .venv (as
``make check-reproducible`` does): first ``make figures`` once (setup; reported, not a target),
then edits one file of ``data/raw`` and times ``make figures`` (features + every notebook
rebuilt), then times ``make figures`` again with nothing changed (no-op). Ratios come from this
one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from common import ROOT, load_now, machine

TARGET_REBUILD, TARGET_NOOP = 30.0, 1.0  # seconds


def make(tree: Path, venv: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    env["PYTHONPATH"] = str(tree)  # the copy's own `analysis`, also in the notebook kernels
    cmd = ["make", "--no-print-directory", "-C", str(tree), f"VENV={venv}",
           "-o", str(venv / ".stamp"), "figures"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"make figures failed:\n{(res.stdout + res.stderr)[-4000:]}")
    return wall, res.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = ap.parse_args()
    venv = ROOT / ".venv"
    if not (venv / ".stamp").exists():
        raise SystemExit("run `make setup` first (no .venv/.stamp)")
    print(machine())
    tmp = Path(tempfile.mkdtemp(prefix="bench_make_"))
    tree = tmp / "repo"
    try:
        ignore = shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", "*.pyc",
                                        ".ipynb_checkpoints", ".pytest_cache")
        shutil.copytree(ROOT, tree, ignore=ignore, symlinks=True)
        for p in (tree / "data" / "processed").glob("*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        notebooks = sorted((tree / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        raw = sorted(p for p in (tree / "data" / "raw").iterdir() if p.suffix == ".txt")
        print(f"project copy: {len(raw)} articles in data/raw, {len(notebooks)} notebooks")
        first, _ = make(tree, venv)
        print(f"first `make figures` (setup, all from scratch): {first:.1f} s")
        time.sleep(1.1)  # a clearly newer mtime than the outputs, whatever the file system
        # An edit, not a touch: make decides by content ($(PROCESSED)/.make-inputs).
        with open(raw[0], "a", encoding="utf-8") as fh:
            fh.write("\n")
        rebuild, _ = make(tree, venv)
        noop, out = make(tree, venv)
        print(f"`make figures` after editing {raw[0].name}: {rebuild:.1f} s "
              f"(features + {len(notebooks)} notebooks)")
        print(f"`make figures` with nothing changed: {noop:.2f} s "
              f"({out.strip().splitlines()[-1] if out.strip() else 'no output'})")
        print("ratios (this run):")
        print(f"  ratio rebuild time / target {TARGET_REBUILD:.0f} s = "
              f"{rebuild / TARGET_REBUILD:.2f}  (target <= 1.00)")
        print(f"  ratio no-op time / target {TARGET_NOOP:.0f} s = {noop / TARGET_NOOP:.2f}  "
              "(target <= 1.00)")
        print(f"  ratio rebuild / no-op = {rebuild / noop:.0f}x")
        print(load_now())
    finally:
        if args.keep:
            print(f"kept {tree}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
