"""Progress bars (tqdm) on stderr for long runs; silent when stderr is not a terminal."""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress(iterable, *, total=None, unit="article", desc=None):
    return tqdm(iterable, total=total, unit=unit, desc=desc, file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)
