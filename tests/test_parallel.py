"""The local engine on several worker processes writes the same bytes as one process."""

import subprocess
import sys

import pandas as pd
import pytest

from analysis.parallel import PIECES_PER_WORKER, _pieces
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
