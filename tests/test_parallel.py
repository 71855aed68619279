"""The local engine on several worker processes writes the same bytes as one process."""

import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import parallel
from analysis.parallel import MIN_PIECE, POOL_ARTICLES, _pieces
from conftest import run_cli


def test_a_chunk_is_cut_into_consecutive_pieces_that_shrink_to_the_smallest():
    chunk = pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(500)], "text": "x"})
    sizes = [len(p) for p in _pieces(chunk, workers=2)]
    assert sizes[0] == 125  # a quarter of the chunk: 1 / (2 * workers)
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes) == MIN_PIECE and sizes[-1] == MIN_PIECE
    assert pd.concat(_pieces(chunk, workers=2)).equals(chunk)  # every row once, in order
    assert [len(p) for p in _pieces(chunk.iloc[:3], workers=2)] == [2, 1]
    assert [len(p) for p in _pieces(chunk.iloc[:1], workers=2)] == [1]


# chunk rows 3: the 5 articles come in chunks of 3 and 2, each cut into pieces whose tables are
# joined again
@pytest.mark.slow
@pytest.mark.parametrize("chunk_rows", ["1", "3"])
def test_two_workers_write_the_same_tables_as_one(tiny_corpus, tmp_path, chunk_rows):
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        res = run_cli("features", str(tiny_corpus), "-o", str(out / "features.csv"),
                      "--chunk-rows", chunk_rows, "--workers", workers, "--n-resamples", "200")
        assert res.returncode == 0, res.stderr
        outs[workers] = out
    names = sorted(p.name for p in outs["1"].iterdir())
    assert names == sorted(p.name for p in outs["2"].iterdir())
    assert {"features.csv", "evidence.csv", "sentences.csv", "attributions.csv",
            "terms.csv"} <= set(names)
    for name in names:
        assert (outs["1"] / name).read_bytes() == (outs["2"] / name).read_bytes(), name


@pytest.mark.slow
def test_the_forkserver_preload_loads_what_every_worker_needs():
    # What analysis.preload leaves loaded in the process that imports it (the forkserver the
    # workers are forked from): the pipeline, the learned tone model, the name table.
    code = ("import analysis.preload\n"
            "from analysis.nlp import get_nlp\n"
            "from analysis.measures.sources.gender import _classifier\n"
            "from analysis.measures.tone.learned import tone_model\n"
            "print(get_nlp.cache_info().currsize, tone_model.cache_info().currsize,\n"
            "      _classifier.cache_info().currsize)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["1", "1", "1"]


class _PoolCalled(Exception):
    pass


def _refuse_pool(workers, spec):
    raise _PoolCalled


@pytest.mark.parametrize("rows, pooled", [(POOL_ARTICLES - 1, False), (POOL_ARTICLES, True)])
def test_a_single_chunk_gets_the_workers_only_when_it_is_large(monkeypatch, rows, pooled):
    monkeypatch.setattr(parallel, "_pool", _refuse_pool)
    chunk = pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(rows)],
                          "text": "The minister said the talks went well."})
    run = parallel.iter_features_parallel([chunk], workers=2, groups=["tone"], n_resamples=20)
    if pooled:
        with pytest.raises(_PoolCalled):
            next(run)
    else:
        assert len(next(run).features) == rows


def test_read_ahead_yields_in_order_then_raises_the_readers_error():
    def chunks():
        yield "a"
        yield "b"
        raise ValueError("line 3: not JSON")

    got = []
    with pytest.raises(ValueError, match="line 3"):
        for item in parallel._ReadAhead(chunks()):
            got.append(item)
    assert got == ["a", "b"]


def test_read_ahead_reads_no_further_than_asked_once_stopped():
    pulled = []

    def chunks():
        for i in range(100):
            pulled.append(i)
            yield i

    ahead = parallel._ReadAhead(chunks(), ahead=1)
    assert next(iter(ahead)) == 0
    ahead.stop()
    ahead._thread.join(timeout=5)
    assert not ahead._thread.is_alive()
    assert len(pulled) <= 3  # the one taken, the one queued, the one the thread held


@pytest.mark.slow
def test_a_worker_runs_one_blas_thread_whatever_the_environment():
    # Left to their defaults, each worker's BLAS started a thread per core and the workers
    # fought over the cores (2.6 times the wall time on 2 cores).
    code = ("import numpy\n"
            "from threadpoolctl import threadpool_info\n"
            "from analysis import parallel\n"
            "from analysis.study import resolve_study\n"
            "print(sorted({p['num_threads'] for p in threadpool_info()}))\n"
            "spec = parallel._Spec(('tone',), (), None, resolve_study(None), 10, 0, None)\n"
            "parallel._init_worker(spec)\n"
            "print(sorted({p['num_threads'] for p in threadpool_info()}))\n")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, env={**env, "OPENBLAS_NUM_THREADS": "2"})
    assert res.returncode == 0, res.stderr
    before, after = res.stdout.splitlines()
    assert before == "[2]"  # what a worker would have run
    assert after == "[1]"


def test_the_command_starts_the_forkserver_early_only_for_a_corpus_that_looks_large(tmp_path):
    from analysis.cli.features import _looks_large

    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    line = '{"article_id": "a", "text": "' + "word " * 200 + '"}\n'
    small.write_text(line * 10, encoding="utf-8")
    large.write_text(line * 300, encoding="utf-8")  # about 300 KiB
    assert not _looks_large(small) and _looks_large(large)
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(POOL_ARTICLES - 1):
        (folder / f"{i:03d}.txt").write_text("Text.", encoding="utf-8")
    assert not _looks_large(folder)
    (folder / "last.txt").write_text("Text.", encoding="utf-8")
    assert _looks_large(folder)
    assert not _looks_large(tmp_path / "missing.jsonl")
