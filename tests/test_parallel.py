"""The local engine on several worker processes writes the same bytes as one process."""

import subprocess
import sys

import pandas as pd
import pytest

from analysis import parallel
from analysis.parallel import PIECES_PER_WORKER, POOL_ARTICLES, _pieces
from conftest import run_cli


def test_a_chunk_is_cut_into_consecutive_pieces_of_about_equal_size():
    chunk = pd.DataFrame({"article_id": [f"a{i:02d}" for i in range(21)], "text": "x"})
    pieces = _pieces(chunk, workers=2)
    assert len(pieces) == 2 * PIECES_PER_WORKER
    assert {len(p) for p in pieces} == {2, 3}
    assert pd.concat(pieces).equals(chunk)  # every row once, in order
    assert [len(p) for p in _pieces(chunk.iloc[:3], workers=2)] == [1, 1, 1]


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
