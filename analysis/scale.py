"""Featurise large corpora on ``dask.distributed``, with the same output as the local engine.

``dask_features(corpus, workers=N)`` starts a :class:`~distributed.LocalCluster` of ``N``
single-threaded worker processes (or connects to a running scheduler with
``scheduler="tcp://host:8786"``), loads one spaCy pipeline per worker process, and featurises the
corpus partition by partition:

* the client reads the input with :func:`analysis.corpus.iter_corpus_chunks` (Parquet record
  batches, JSONL/CSV chunks of ``chunk_rows`` rows), so input problems and duplicate IDs are found
  exactly as in the local engine, and keeps at most ``in_flight`` partitions submitted at a time:
  neither the client nor a worker ever holds the whole corpus text;
* each worker scores a partition with :func:`analysis.features.score_chunk` (the very function
  the local engine runs) and sends back a small :class:`~analysis.features.FeatureSet`;
* results are collected as they complete and concatenated in input order with
  :func:`analysis.features.concat_feature_sets`, so every table is byte-identical to the local
  engine's on the same input and ``chunk_rows``.

The output tables themselves (features, evidence, sentences, ...) are held by the client until
they are written, because they are sorted by ``article_id`` over the whole corpus.

With a remote scheduler, the workers must have this package (same version) installed and be
able to read the ``--dictionary``/``--registry`` files at the same paths.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from .config import N_RESAMPLES, RANDOM_STATE
from .corpus import MAX_BYTES, Problem, iter_corpus_chunks
from .errors import AnalysisError
from .features import FeatureSet, concat_feature_sets, make_scorers, score_chunk
from .measures import measure_names
from .progress import progress
from .study import Study, resolve_study
from .tracing import trace_articles

__all__ = ["EngineError", "FeatureSpec", "SchedulerError", "dask_client", "dask_features", "iter_dask_parts"]

PLUGIN_NAME = "analysis-warm-pipeline"
# A dask worker's statistical profiler samples the running task's stack every 10 ms and keeps
# one call tree per second for the last 1,000 seconds: with spaCy tasks, a worker's memory grew
# with the length of the run (about +100 MiB over 12 minutes) until that history was full. The
# profile only feeds the dashboard, so our LocalCluster's workers run without it; on a cluster
# of your own, set the same key (DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False).
#
# A nanny starts its worker with MALLOC_TRIM_THRESHOLD_=65536 (dask's default
# ``distributed.nanny.pre-spawn-environ``, meant to hand freed memory back to the OS). Setting
# that glibc option also switches off glibc's adaptive mmap threshold, so every large numpy
# temporary of the spaCy networks is mapped and unmapped afresh: the same partition took about
# 35% more CPU in a worker than in a plain process (4.1 vs 5.6 s per 100 articles, measured
# with and without the variable in one process). Our LocalCluster leaves it unset (None
# unsets a pre-spawn variable); worker memory stays flat without it (benchmarks/bench_memory.py).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


@dataclass(frozen=True)
class FeatureSpec:
    """What to compute: everything a worker needs besides the partition itself (hashable)."""

    groups: tuple[str, ...] | None = None  # None: every registered measure (in the worker)
    dictionaries: tuple[str, ...] = ()
    registry: str | None = None
    study: Study = Study()
    n_resamples: int = N_RESAMPLES
    random_state: int = RANDOM_STATE

    @classmethod
    def make(cls, groups: Sequence[str] | None = None, dictionaries=None, registry=None,
             n_resamples: int = N_RESAMPLES, random_state: int = RANDOM_STATE,
             study=None) -> "FeatureSpec":
        # Absolute paths: worker processes need not share the client's working directory.
        dicts = tuple(str(Path(d).resolve()) for d in (dictionaries or ()))
        reg = str(Path(registry).resolve()) if registry else None
        # The names are read here: a worker knows only the measures its own imports register.
        names = tuple(measure_names() if groups is None else groups)
        return cls(names, dicts, reg, resolve_study(study), int(n_resamples), int(random_state))


@lru_cache(maxsize=4)
def _scorers(groups: tuple[str, ...] | None, dictionaries: tuple[str, ...], registry: str | None,
             study: Study):
    """The scorers of one spec, built once per worker process (lexicons, registry, matchers).
    An exception in a scorer names its article, also when re-raised on the client."""
    return trace_articles(make_scorers(groups, dictionaries=list(dictionaries) or None,
                                       registry=registry, study=study))


def _warm(spec: FeatureSpec) -> None:
    from .text import get_nlp  # late: heavy (analysis.text loads spaCy)

    get_nlp()  # lru_cached: the one spaCy pipeline of this process
    _scorers(spec.groups, spec.dictionaries, spec.registry, spec.study)


def _score_partition(chunk: pd.DataFrame, spec: FeatureSpec) -> FeatureSet:
    """Runs on a worker: score one partition exactly as the local engine scores one chunk."""
    scorers = _scorers(spec.groups, spec.dictionaries, spec.registry, spec.study)
    return score_chunk(chunk, scorers, n_resamples=spec.n_resamples,
                       random_state=spec.random_state)


try:  # a worker plugin warms each worker once, including workers that join later
    from distributed.diagnostics.plugin import WorkerPlugin  # late: heavy
except ImportError:  # pragma: no cover - distributed is a dependency
    WorkerPlugin = object


class WarmPipeline(WorkerPlugin):
    """Load the spaCy pipeline and the scorers when a worker starts, not in its first task."""

    def __init__(self, spec: FeatureSpec):
        self.spec = spec

    def setup(self, worker) -> None:
        _warm(self.spec)


class EngineError(AnalysisError):
    """A bad dask option (``--workers``, ``--scheduler``): one line, exit code 2 in the CLI."""


class SchedulerError(EngineError):
    """The dask scheduler given with ``--scheduler`` cannot be reached."""


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None, *, timeout: float = 30):
    """A ``distributed.Client``: to ``scheduler`` if given (waiting at most ``timeout``
    seconds), else to a new LocalCluster of ``workers`` single-threaded processes (closed on
    exit)."""
    import dask  # late: heavy
    from distributed import Client, LocalCluster  # late: heavy

    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as err:
            first = (str(err).splitlines() or [type(err).__name__])[0]
            raise SchedulerError(f"cannot connect to the dask scheduler at {scheduler} "
                                 f"(--scheduler): {first}") from None
        try:
            yield client
        finally:
            client.close()
        return
    if workers < 1:
        raise EngineError(f"--workers must be at least 1 (got {workers})")
    # Each nanny copies the config when it is created and hands it to its worker process.
    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def iter_dask_parts(client, chunks: Iterable[pd.DataFrame], spec: FeatureSpec, *,
                    in_flight: int | None = None) -> Iterator[tuple[int, FeatureSet]]:
    """Submit partitions as they are read, keep at most ``in_flight`` of them on the cluster, and
    yield ``(partition_number, FeatureSet)`` in completion order."""
    from distributed import as_completed  # late: heavy

    n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
    in_flight = in_flight or 2 * n_workers  # one running + one queued per worker
    index: dict[str, int] = {}
    done = as_completed()

    def collect():
        fut = next(done)
        i = index.pop(fut.key)
        fs = fut.result()  # re-raises a worker's exception here
        fut.release()
        return i, fs

    for i, chunk in enumerate(c for c in chunks if len(c)):
        fut = client.submit(_score_partition, chunk, spec, pure=False)
        index[fut.key] = i
        done.add(fut)
        while done.count() >= in_flight:
            yield collect()
    while done.count():
        yield collect()


def dask_features(corpus: str | Path, *, workers: int = 2, scheduler: str | None = None,
                  chunk_rows: int = 500, strict: bool = False,
                  problems: list[Problem] | None = None, max_bytes: int = MAX_BYTES,
                  language: str = "en", groups: Sequence[str] | None = None, dictionaries=None, registry=None,
                  study=None, n_resamples: int = N_RESAMPLES,
                  random_state: int = RANDOM_STATE, in_flight: int | None = None) -> FeatureSet:
    """Featurise ``corpus`` (a path, as for ``load_corpus``) on dask; same result as
    ``build_features`` / ``python -m analysis features`` with the local engine.

    ``problems`` receives the input problems (as in ``load_corpus``); ``in_flight`` bounds the
    partitions submitted at once (default twice the number of workers).
    """
    spec = FeatureSpec.make(groups, dictionaries, registry, n_resamples, random_state, study)
    # Fail fast, on the client, with the file/line message of a bad dictionary or registry.
    _scorers(spec.groups, spec.dictionaries, spec.registry, spec.study)
    chunks = iter_corpus_chunks(corpus, chunk_rows=chunk_rows, strict=strict, problems=problems,
                                max_bytes=max_bytes, language=language)
    parts: dict[int, FeatureSet] = {}
    with dask_client(workers, scheduler) as client:
        client.register_plugin(WarmPipeline(spec), name=PLUGIN_NAME)
        for i, fs in progress(iter_dask_parts(client, chunks, spec, in_flight=in_flight),
                              unit="chunk", desc="features (dask)"):
            parts[i] = fs
    return concat_feature_sets([parts[i] for i in sorted(parts)])
