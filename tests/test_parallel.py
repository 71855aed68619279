"""The local engine on several worker processes writes the same bytes as one process."""

import pytest

from conftest import run_cli


@pytest.mark.slow
def test_two_workers_write_the_same_tables_as_one(tiny_corpus, tmp_path):
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        res = run_cli("features", str(tiny_corpus), "-o", str(out / "features.csv"),
                      "--chunk-rows", "1", "--workers", workers, "--n-resamples", "200")
        assert res.returncode == 0, res.stderr
        outs[workers] = out
    names = sorted(p.name for p in outs["1"].iterdir())
    assert names == sorted(p.name for p in outs["2"].iterdir())
    assert {"features.csv", "evidence.csv", "sentences.csv", "attributions.csv",
            "terms.csv"} <= set(names)
    for name in names:
        assert (outs["1"] / name).read_bytes() == (outs["2"] / name).read_bytes(), name
