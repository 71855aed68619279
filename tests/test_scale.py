"""The dask engine and the streaming local engine give byte-identical tables.

A real LocalCluster of two worker processes is started once for the module; the fixture corpus
(written here, as Parquet and JSONL) has article IDs out of order across row groups, a duplicate
ID and an empty row, so sorting across partitions and problem reporting are exercised.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.progress import progress

from conftest import ARTICLES, ROOT

EXTRA = [
    "Analysts warned that the fragile ceasefire could collapse within weeks.",
    "The agreement is a historic step toward lasting peace, the spokesperson said.",
    "Markets rallied after the central bank cut interest rates by half a point.",
    "Critics argued that the new surveillance drones threaten civil liberties.",
    "According to police, the suspects were arrested near the border on Friday.",
]
N_RESAMPLES = "200"  # fewer resamples than the default: the tables, not the intervals, matter


def _corpus_frame() -> pd.DataFrame:
    bodies = list(ARTICLES.values())
    rows = []
    # IDs deliberately not in input order, so partitions interleave in the sorted output.
    for k, i in enumerate([7, 2, 11, 0, 9, 4, 1, 10, 5, 3, 8, 6]):
        rows.append({"article_id": f"art-{i:02d}",
                     "text": bodies[i % 3] + "\n" + EXTRA[i % len(EXTRA)] + "\n",
                     "outlet": f"Outlet {k % 4}", "date": f"2025-0{1 + k % 9}-1{k % 10}"})
    rows.insert(5, {"article_id": "art-02", "text": "A duplicate of an earlier ID.",
                    "outlet": "Outlet 9", "date": "2025-01-01"})
    rows.insert(8, {"article_id": "art-empty", "text": "   ", "outlet": "", "date": ""})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("scale")
    df = _corpus_frame()
    pq = base / "corpus.parquet"
    df.to_parquet(pq, index=False, row_group_size=4)
    jl = base / "corpus.jsonl"
    df.to_json(jl, orient="records", lines=True, force_ascii=False)
    return {"parquet": pq, "jsonl": jl}


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as lc:
        with Client(lc) as client:
            yield client


def _features(corpus: Path, out: Path, *extra: str) -> int:
    return main(["features", str(corpus), "-o", str(out), "--n-resamples", N_RESAMPLES, *extra])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _assert_same_tables(a: Path, b: Path, *, problem_order: bool = True) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        if name == "errors.csv" and not problem_order:
            # Problems are listed in the order they are found, which depends on the chunking
            # (row checks of a chunk come before its duplicate-ID checks): compare as sets.
            assert sorted(fa[name].splitlines()) == sorted(fb[name].splitlines())
            continue
        assert fa[name] == fb[name], f"{name} differs"


@pytest.fixture(scope="module")
def local_csv(corpus_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local_csv")
    assert _features(corpus_files["parquet"], out / "features.csv", "--chunk-rows", "4") == 1
    return out


@pytest.mark.slow
def test_fixture_output_is_not_trivial(local_csv):
    feats = pd.read_csv(local_csv / "features.csv", dtype={"article_id": str})
    assert feats["article_id"].tolist() == [f"art-{i:02d}" for i in range(12)]
    errors = pd.read_csv(local_csv / "errors.csv")
    assert sorted(errors["problem"]) == ["duplicate_id", "empty"]
    assert len(pd.read_csv(local_csv / "audit.csv")) > 0


@pytest.mark.slow
def test_dask_engine_on_running_scheduler_is_byte_identical(corpus_files, local_csv, cluster,
                                                             tmp_path):
    out = tmp_path / "dask"
    code = _features(corpus_files["parquet"], out / "features.csv", "--chunk-rows", "4",
                     "--engine", "dask", "--scheduler", cluster.scheduler.address)
    assert code == 1  # the two input problems, as with the local engine
    _assert_same_tables(local_csv, out)
    # two worker processes, each with its spaCy pipeline loaded once by the warm-up plugin
    loaded = cluster.run(_pipeline_loaded)
    assert len(loaded) == 2
    assert len({pid for pid, _ in loaded.values()}) == 2
    assert all(n == 1 for _, n in loaded.values())


def _pipeline_loaded():
    import os

    from analysis.text import get_nlp

    return os.getpid(), get_nlp.cache_info().currsize


@pytest.mark.slow
def test_dask_engine_local_cluster_parquet_output(corpus_files, tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert _features(corpus_files["parquet"], local / "features.parquet", "--chunk-rows", "5") == 1
    assert _features(corpus_files["parquet"], dask / "features.parquet", "--chunk-rows", "5",
                     "--engine", "dask", "--workers", "2") == 1
    _assert_same_tables(local, dask)
    assert len(pd.read_parquet(dask / "features.parquet")) == 12


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_streaming_chunks_match_one_chunk(corpus_files, fmt, tmp_path):
    small, whole = tmp_path / "small", tmp_path / "whole"
    assert _features(corpus_files[fmt], small / "features.csv", "--chunk-rows", "3") == 1
    assert _features(corpus_files[fmt], whole / "features.csv", "--chunk-rows", "1000") == 1
    _assert_same_tables(small, whole, problem_order=False)


@pytest.mark.slow
def test_progress_bar_silent_when_not_a_terminal(corpus_files, tmp_path, capsys):
    assert _features(corpus_files["parquet"], tmp_path / "features.csv", "--chunk-rows", "4") == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "\r" not in err and "chunk/s" not in err and "it/s" not in err
    assert all(ln.startswith(("problem:", "2 problem(s)", "12 articles ->")) for ln in lines)


def test_progress_bar_shown_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    fake = Tty()
    monkeypatch.setattr(sys, "stderr", fake)
    assert list(progress(range(3), unit="chunk")) == [0, 1, 2]
    assert "chunk" in fake.getvalue()


def test_unreachable_scheduler_is_a_one_line_error(corpus_files, tmp_path, capsys):
    from analysis import scale

    with pytest.raises(scale.SchedulerError, match="cannot connect to the dask scheduler"):
        with scale.dask_client(scheduler="tcp://127.0.0.1:9", timeout=1):
            pass


def _profiler_state(dask_worker):
    return "profile-cycle" in dask_worker.periodic_callbacks, len(dask_worker.profile_history)


def _malloc_env(dask_worker):
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


@pytest.mark.slow
def test_local_cluster_workers_keep_no_profile_history_and_no_malloc_trim(monkeypatch):
    """The dask profiler's per-second history made worker memory grow with the run's length;
    dask's MALLOC_TRIM_THRESHOLD_ made every task about a third slower."""
    import dask

    from analysis import scale

    # A nanny writes dask's pre-spawn variables into its own process's environment, and the
    # module's `cluster` fixture (default dask config: a cluster of the user's own) has done so
    # in this test process; a fresh process, as `python -m analysis features` runs, has none.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert dask.config.get("distributed.nanny.pre-spawn-environ")["MALLOC_TRIM_THRESHOLD_"]
    with scale.dask_client(workers=1) as client:
        state = client.run(_profiler_state)
        env = client.run(_malloc_env)
    assert list(state.values()) == [(False, 0)]
    assert list(env.values()) == [(None, "1")]  # unset; dask's other variables still set


def _chunk(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [f"t{i}" for i in range(len(texts))], "text": texts})


def test_score_chunk_frees_the_strings_of_new_words():
    """Each chunk is scored in a spaCy memory zone: the vocabulary does not grow per chunk."""
    from analysis.features import make_scorers, score_chunk
    from analysis.text import get_nlp

    strings = get_nlp().vocab.strings
    scorers = make_scorers()
    score_chunk(_chunk(list(ARTICLES.values())), scorers, n_resamples=20)  # warm: lazy setup
    before = len(strings)
    novel = "Qzvrakistan's envoy Bxumtey Olarquin said talks in Vellomar would resume."
    fs = score_chunk(_chunk([novel]), scorers, n_resamples=20)
    assert len(strings) == before
    assert "Bxumtey" not in strings and "Vellomar" not in strings
    assert "Bxumtey" in " ".join(fs.tables["attributions"].astype(str).agg(" ".join, axis=1))


@pytest.mark.slow
def test_score_chunk_output_does_not_depend_on_the_parse_batch():
    from analysis.features import make_scorers, score_chunk

    scorers = make_scorers()
    chunk = _chunk([t + "\n" + e for t in ARTICLES.values() for e in EXTRA])
    one, many = (score_chunk(chunk, scorers, n_resamples=50, batch_size=b) for b in (1, 32))
    for a, b in [(one.features, many.features), (one.evidence, many.evidence),
                 *((one.tables[k], many.tables[k]) for k in one.tables)]:
        assert a.to_csv(index=False) == b.to_csv(index=False)


@pytest.mark.slow
@pytest.mark.parametrize("script, extra", [("bench_features.py", [])])
def test_benchmark_smoke(script, extra):
    """The benchmark script runs end to end on a tiny corpus (no timing is checked). The
    cluster benchmarks start several LocalClusters, too slow for the test suite."""
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--articles", "12",
                          "--n-resamples", "50", *extra], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "machine:" in res.stdout and "ratio" in res.stdout
