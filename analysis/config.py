"""Project paths, absolute and derived from the package location (never from the cwd)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_DIR = ROOT / "figures"
BUILD_DIR = ROOT / "build"
NOTEBOOKS_DIR = ROOT / "notebooks"
LEXICON_DIR = PACKAGE_DIR / "lexicons"
SOURCES_REGISTRY = DATA_DIR / "sources.csv"

N_RESAMPLES = 2000  # sentence-bootstrap resamples for every 95% interval
RANDOM_STATE = 0  # seed of every bootstrap


def display_path(path: str | Path) -> str:
    """A path as written into provenance: relative to the project root when inside it (so it
    is the same in every clone), else just the file name."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.name
