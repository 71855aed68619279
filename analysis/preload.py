"""What every worker of :mod:`analysis.parallel` loads, loaded once before the workers start.

Imported, never called: the pool's forkserver imports this module (``set_forkserver_preload``,
the documented use: "their already imported state is inherited by the forked processes") and
then forks each worker from itself, so the workers start with

* the spaCy pipeline (:func:`analysis.text.get_nlp`, about 1.2 CPU-seconds with its imports);
* the shipped learned tone model (:func:`analysis.measures.tone.learned.tone_model`, 0.6 s of
  YAML) and the built-in frames of the default frame set
  (:func:`analysis.measures.emphasis.scorer.builtin_frames`, 0.3 s);
* ``nomquamgender``'s name table (:func:`analysis.measures.sources.gender.name_gender`, 22 MB
  of JSON: 1.7 s and about 300 MB);

instead of loading each of them once per worker. Memory stays about the same: the pages are
shared copy-on-write, but Python writes reference counts into most of what a worker reads, and
the forkserver keeps its own copy (``docs/performance.md``). :mod:`analysis.parallel` names
this module only when the sources are scored (the name table would be wasted otherwise).

Nothing here may fail the pool: whatever does not load is loaded by the worker that needs it,
as without this module, and an error is raised there, with the article it was raised on.
"""

from __future__ import annotations

import warnings

from .measures import measure_names
from .measures.emphasis.scorer import builtin_frames, sense_anchored
from .measures.sources.gender import name_gender
from .measures.tone.learned import tone_model
from .text import get_nlp


def _load() -> None:
    measure_names()  # imports every built-in measure's room
    get_nlp()
    tone_model()
    builtin_frames()
    sense_anchored()
    name_gender("ana")  # the first lookup loads the table


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        _load()
    except Exception:  # noqa: BLE001, S110  (the worker loads it again and reports the error)
        pass
