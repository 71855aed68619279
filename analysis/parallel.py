"""Score corpus chunks on several local processes, with the single-process engine's output.

``iter_features_parallel(chunks, workers=2)`` is :func:`analysis.features.iter_features` on a
pool of worker processes (``concurrent.futures.ProcessPoolExecutor``, ``forkserver`` start
method where the platform has it, else ``spawn``; never ``fork``, which copies a parent's
threads and locks mid-state):

* each worker loads the spaCy pipeline and builds the scorers once, when it starts (an
  initializer), then scores whole chunks with :func:`analysis.features.score_chunk`, the very
  function the single-process engine runs. When the sources are scored, the forkserver loads
  the pipeline, the learned tone model and the name table first (:mod:`analysis.preload`) and
  the workers are forked from it with them loaded: loaded once, not once per worker;
* each chunk is cut into consecutive pieces of decreasing size (:func:`_pieces`), scored as
  separate tasks and joined again (:func:`analysis.features.concat_feature_sets`), so the
  workers finish within a small piece of each other instead of one waiting while the other
  scores a larger chunk;
* each worker runs one BLAS/OpenMP thread (``threadpoolctl``), whatever ``OMP_NUM_THREADS``
  says: the workers already fill the cores;
* the parent only reads chunks and collects results. At most ``in_flight`` chunks (default twice
  the workers; all the pieces of each) are submitted and not yet yielded, so
  memory stays bounded by the chunk size, as in the single-process engine;
* FeatureSets come back in input order, one per non-empty input chunk. Every article's bootstrap
  is seeded from its own ID (:mod:`analysis.stats`), so the tables are byte-identical to the
  single-process engine's on the same input and chunk size.

The pool starts once the first chunk is read, and its pieces are submitted at once: the
workers score them while this process reads and screens the next chunk. A corpus of a single
chunk of fewer than ``POOL_ARTICLES`` articles is scored in this process: starting the workers
(importing spaCy and loading the model, about 4 CPU-seconds and 400 MiB) would only add time.
``workers=1`` also scores in this process.

An exception raised while scoring is re-raised here with the worker's traceback attached (as
``concurrent.futures`` does). Workers ignore SIGINT: on Ctrl-C, or when the consumer stops
early, the parent stops the workers instead of waiting for their current chunk.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from .config import N_RESAMPLES, RANDOM_STATE
from .features import FeatureSet, concat_feature_sets, make_scorers, score_chunk
from .measures import measure_names
from .study import Study, resolve_study

__all__ = ["default_workers", "iter_features_parallel"]


def default_workers() -> int:
    """The cores this process may run on (CPU affinity), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class _Spec:
    """What a worker computes, besides the chunk (picklable)."""

    groups: tuple[str, ...]
    dictionaries: tuple[str, ...]
    registry: str | None
    study: Study
    n_resamples: int
    random_state: int
    wrap_scorers: Callable | None  # e.g. analysis.tracing.trace_articles (by reference)

    def scorers(self) -> list:
        scorers = make_scorers(self.groups, dictionaries=list(self.dictionaries) or None,
                               registry=self.registry, study=self.study)
        return self.wrap_scorers(scorers) if self.wrap_scorers else scorers


MIN_PIECE = 2  # the fewest articles in a piece of a chunk (see _pieces)
# A corpus of fewer articles, in one chunk, is scored in this process: the workers would load
# the pipeline (about 4 CPU-seconds before the first article) for a few seconds of scoring.
POOL_ARTICLES = 50

_worker: dict = {}  # this worker process's scorers, or the error building them raised


def _init_worker(spec: _Spec) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # One BLAS/OpenMP thread per worker: the workers already use the cores. Left to their
    # defaults (a thread per core in each worker) they fought over the cores: the 2016 corpus
    # took 111 s instead of 43 s on 2 cores when OMP_NUM_THREADS was not set.
    threadpool_limits(limits=1)
    from .text import get_nlp  # late: heavy (analysis.text loads spaCy)

    get_nlp()
    try:
        _worker["scorers"] = spec.scorers()
    except Exception as err:  # noqa: BLE001  (a bad dictionary or registry: raised later)
        _worker["error"] = err


def _score(chunk: pd.DataFrame, spec: _Spec) -> FeatureSet:
    try:
        if "error" in _worker:
            raise _worker["error"]
        return score_chunk(chunk, _worker["scorers"], n_resamples=spec.n_resamples,
                           random_state=spec.random_state)
    except Exception as err:
        portable = _portable(err)
        if portable is err:
            raise
        raise portable from err  # the worker's traceback text still shows the original


class _Portable(Exception):
    """Carries an exception to the parent process as the same class, message and attributes,
    for classes that pickle cannot rebuild from their ``args`` (an ``__init__`` with other
    parameters, such as ``DictionaryError(source, line, problem)``)."""

    def __init__(self, err: BaseException):
        super().__init__(*err.args)
        self.err = err

    def __reduce__(self):
        return _rebuild, (type(self.err), self.err.args, dict(vars(self.err)))


def _rebuild(cls, args, state):
    err = cls.__new__(cls, *args)
    err.args = args
    err.__dict__.update(state)
    return err


def _portable(err: BaseException) -> BaseException:
    """``err`` if it survives pickling, else a carrier that does, else a RuntimeError with its
    message."""
    for candidate in (err, _Portable(err)):
        try:
            pickle.loads(pickle.dumps(candidate))
            return candidate
        except Exception:  # noqa: BLE001, S112  (not picklable: try the next form)
            continue
    return RuntimeError(f"{type(err).__name__}: {err}")


def _context(spec: _Spec):
    """The start method's context; for the forkserver, with :mod:`analysis.preload` set to load
    first when the sources are scored (the name table would be wasted otherwise)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver" and "sources" in spec.groups:
        # "__main__" is the forkserver's own default.
        ctx.set_forkserver_preload(["__main__", "analysis.preload"])
    return ctx


def _stop(pool) -> None:
    """Stop the workers now: queued chunks are cancelled, running ones abandoned."""
    # The worker processes are a private attribute, which shutdown() clears: take them first.
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        proc.join(timeout=5)


def iter_features_parallel(chunks: Iterable[pd.DataFrame], workers: int = 2, *,
                           groups: Sequence[str] | None = None, dictionaries=None,
                           registry=None, study=None, n_resamples: int = N_RESAMPLES,
                           random_state: int = RANDOM_STATE, in_flight: int | None = None,
                           wrap_scorers: Callable | None = None,
                           start_early: bool = False) -> Iterator[FeatureSet]:
    """Stream FeatureSets chunk by chunk, in input order, scored on ``workers`` processes.

    Same arguments and output as :func:`analysis.features.iter_features`, plus ``workers``
    (processes; 1 scores in this process), ``in_flight`` (chunks submitted and not yet yielded;
    default ``2 * workers``) and ``wrap_scorers``, a module-level function applied to the
    scorers in each worker (for example ``analysis.tracing.trace_articles``). With
    ``start_early`` (the caller expects a corpus worth the workers), the forkserver starts
    loading what the workers need before the first chunk is read, while this process reads it;
    the pool is still used only for a corpus worth it (``POOL_ARTICLES``).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    # Absolute paths: a worker must read the same files whatever its working directory.
    # The names are read here: a worker knows only the measures its own imports register.
    names = tuple(measure_names() if groups is None else groups)
    spec = _Spec(names, tuple(str(Path(d).resolve()) for d in (dictionaries or ())),
                 str(Path(registry).resolve()) if registry else None, resolve_study(study),
                 int(n_resamples), int(random_state), wrap_scorers)
    if start_early and workers > 1 and _context(spec).get_start_method() == "forkserver":
        forkserver.ensure_running()  # it loads analysis.preload in its own process, from now
    chunks = iter(c for c in chunks if len(c))
    first = next(chunks, None)
    if first is None:
        return
    # The pool starts as soon as the corpus is known to be worth it, so the workers score the
    # first chunk while this process reads the next one.
    second = next(chunks, None) if len(first) < POOL_ARTICLES else None
    if workers == 1 or (second is None and len(first) < POOL_ARTICLES):
        scorers = spec.scorers()
        for chunk in _chain(first, second, chunks):
            yield score_chunk(chunk, scorers, n_resamples=spec.n_resamples,
                              random_state=spec.random_state)
        return
    in_flight = max(in_flight or 2 * workers, 1)
    # The next chunk is read on a thread while this one waits for the forkserver to load
    # (about 4 s) and then for the workers.
    rest = _ReadAhead(chunks)
    pool = _pool(workers, spec)
    pending: deque = deque()  # the futures of each chunk's pieces, one list per chunk
    finished = False
    try:
        for chunk in _chain(first, second, rest):
            pending.append([pool.submit(_score, piece, spec)
                            for piece in _pieces(chunk, workers)])
            while len(pending) >= in_flight:
                yield _joined(pending.popleft())
        while pending:
            yield _joined(pending.popleft())
        finished = True
    finally:
        rest.stop()
        if finished:
            pool.shutdown(wait=True)
        else:  # an error, Ctrl-C, or the consumer stopped: do not wait for running chunks
            _stop(pool)


class _ReadAhead:
    """The items of an iterator, read ``ahead`` items in advance on a daemon thread.

    Iterating yields them in order; an exception the iterator raises is raised here, after the
    items before it, with its own traceback. Only the thread advances the iterator. ``stop()``
    lets the thread end after the item it is reading (it is not waited for: Ctrl-C must not
    wait for a chunk to be read)."""

    _ITEM, _ERROR, _END = range(3)

    def __init__(self, iterator: Iterator, ahead: int = 1):
        self._queue: queue.Queue = queue.Queue(maxsize=ahead)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(iterator,), daemon=True,
                                        name="analysis-read-ahead")
        self._thread.start()

    def _read(self, iterator: Iterator) -> None:
        try:
            for item in iterator:
                if not self._put((self._ITEM, item)):
                    return
        except BaseException as err:  # noqa: BLE001  (raised again in the consumer's thread)
            self._put((self._ERROR, err))
            return
        self._put((self._END, None))

    def _put(self, message) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator:
        while True:
            kind, value = self._queue.get()
            if kind == self._END:
                return
            if kind == self._ERROR:
                raise value
            yield value

    def stop(self) -> None:
        self._stopped.set()


def _pieces(chunk: pd.DataFrame, workers: int) -> list[pd.DataFrame]:
    """``chunk`` cut into consecutive pieces of decreasing size, scored as separate tasks: each
    piece takes ``1 / (2 * workers)`` of the articles not yet cut, and at least
    :data:`MIN_PIECE` (guided self-scheduling, Polychronopoulos and Kuck 1987). The workers
    take the large pieces first and the small ones last, so they finish within a small piece of
    each other: equal pieces of 42 articles, about 3.7 s each, left a worker idle for up to
    that long at the end of the 2016 corpus, and whole chunks left one worker idle while the
    other scored the rest of a larger chunk."""
    bounds = [0]
    while bounds[-1] < len(chunk):
        left = len(chunk) - bounds[-1]
        bounds.append(bounds[-1] + min(left, max(-(-left // (2 * workers)), MIN_PIECE)))
    return [chunk.iloc[a:b] for a, b in zip(bounds, bounds[1:])]


def _joined(futures: list) -> FeatureSet:
    """The FeatureSet of one chunk from those of its pieces (tables sorted as
    :func:`analysis.features.score_chunk` sorts them)."""
    parts = [f.result() for f in futures]
    return parts[0] if len(parts) == 1 else concat_feature_sets(parts)


def _pool(workers: int, spec: _Spec):
    # The forkserver loads the pipeline and the name table once and forks the workers from
    # itself (analysis.preload).
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(spec),
                               initializer=_init_worker, initargs=(spec,))


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
    yield from rest
