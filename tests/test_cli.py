"""The command line: clean, features, evidence, status, help; exit codes, option checks, the
one summary line, umask, one run = one set of tables, and make on bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from analysis.cli import UsageStop, build_parser, check_feature_set, main, write_feature_set
from analysis.cli import failures, tableset
from analysis.features import BASE_COLUMNS, read_table
from analysis.tracing import article_of, trace_articles
from conftest import ROOT, run_cli, write_corpus


@pytest.mark.slow
def test_clean_writes_texts_and_audit(tiny_corpus, tmp_path):
    out = tmp_path / "clean"
    res = run_cli("clean", str(tiny_corpus), "-o", str(out))
    assert res.returncode == 0, res.stderr
    alpha = (out / "cleaned" / "t-alpha.txt").read_text(encoding="utf-8")
    assert "Follow us" not in alpha and "HomeWorld" not in alpha and "Categories" not in alpha
    assert "Building Institutional Strength\nBoth delegations" in alpha
    beta = (out / "cleaned" / "t-beta.txt").read_text(encoding="utf-8")
    assert "£2 billion" in beta and "Disclaimer" not in beta
    audit = pd.read_csv(out / "audit.csv")
    assert list(audit.columns) == ["article_id", "line", "text", "rule"]
    rules = set(audit.loc[audit["article_id"] == "t-alpha", "rule"])
    assert {"breadcrumb", "date_banner", "category_banner", "read_also",
            "follow_us"} <= rules
    assert (out / "errors.csv").exists()


@pytest.mark.slow
def test_features_table_has_one_row_per_article(tiny_processed):
    feats = read_table(tiny_processed / "features.csv")
    assert feats["article_id"].tolist() == ["t-alpha", "t-beta", "t-gamma"]
    for col in ["article_id", *BASE_COLUMNS, "title", "outlet", "date", "genre", "url", "file"]:
        assert col in feats.columns
    alpha = feats.set_index("article_id").loc["t-alpha"]
    assert alpha["n_headings"] == 2  # title + "Building Institutional Strength"
    assert alpha["n_boilerplate_removed"] == 5  # breadcrumb, date, category, read, follow
    assert alpha["outlet"] == "Fixture Times"
    for name in ("evidence.csv", "audit.csv", "errors.csv"):
        assert (tiny_processed / name).exists()


@pytest.mark.slow
def test_features_are_byte_identical_across_runs(tiny_corpus, tmp_path):
    outs = []
    for run in ("a", "b"):
        res = run_cli("features", str(tiny_corpus), "-o", str(tmp_path / run / "features.csv"))
        assert res.returncode == 0, res.stderr
        outs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert outs[0] == outs[1]


@pytest.mark.slow
def test_evidence_command_prints_kwic_or_explains(tiny_processed):
    ev = read_table(tiny_processed / "evidence.csv")
    if ev.empty:
        pytest.fail("the fixture corpus produced no evidence at all")
    row = ev.iloc[0]
    res = run_cli("evidence", row["article_id"], "--feature", row["feature"],
                  "--evidence", str(tiny_processed / "evidence.csv"))
    assert res.returncode == 0, res.stderr
    assert f"[{row['sentence'][row['start']:row['end']]}]" in res.stdout
    res = run_cli("evidence", "no-such-article", "--evidence", str(tiny_processed / "evidence.csv"))
    assert res.returncode == 2 and "no evidence for article 'no-such-article'" in res.stderr


def test_every_option_is_documented():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {"features", "clean", "evidence", "attributions", "validate"} <= set(sub.choices)
    for name, p in sub.choices.items():
        for action in p._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"
        assert re.search(r"usage:", p.format_help())


@pytest.mark.slow
def test_missing_corpus_is_one_line_error(tmp_path):
    res = run_cli("features", str(tmp_path / "nope"), "-o", str(tmp_path / "f.csv"))
    assert res.returncode == 2 and "no such file or folder" in res.stderr
    assert "Traceback" not in res.stderr


# --------------------------------------------------------------------------- exit codes

def _one_bad_file(folder: Path) -> Path:
    """The tiny corpus plus an empty .txt file (no metadata row): one input skipped."""
    write_corpus(folder)
    (folder / "zz-empty.txt").write_bytes(b"")
    return folder


def test_exit_codes_are_documented_in_docstring_and_help():
    text = build_parser().format_help()
    for doc in (cli.__doc__, text):
        for code, words in [("0", "every input was used"), ("1", "some input was skipped"),
                            ("2", "usage error"), ("3", "internal error"),
                            ("130", "interrupted")]:
            assert re.search(rf"^\s+{code}\s+.*{words}", doc, re.M), (code, words)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert "internal error" in sub.choices["features"].format_help()


@pytest.mark.parametrize("argv, message", [
    (["features", "--chunk-rows", "0"], "argument --chunk-rows: must be at least 1 (got 0)"),
    (["features", "--n-resamples", "0"], "argument --n-resamples: must be at least 100 (got 0)"),
    (["features", "--n-resamples", "99"], "must be at least 100 (got 99)"),
    (["features", "--workers", "0"], "argument --workers: must be at least 1 (got 0)"),
    (["features", "--max-bytes", "0"], "argument --max-bytes: must be at least 1 (got 0)"),
    (["clean", "--max-bytes", "-3"], "argument --max-bytes: must be at least 1 (got -3)"),
    (["attributions", "--max-bytes", "lots"], "expected a whole number, got 'lots'"),
    (["features", "--random-state", "-1"], "argument --random-state: must be at least 0"),
    (["evidence", "t-alpha", "--width", "-5"], "argument --width: must be at least 0 (got -5)"),
    (["features", "--groups", "bogus"],
     "unknown feature group 'bogus'; valid feature groups: tone, emphasis, sources"),
    (["features", "--groups", "tone,Tone"], "unknown feature group 'Tone'"),
    (["features", "--groups", " , "], "no feature group given"),
    (["validate", "somewhere", "--only", "tone,colour"], "unknown check 'colour'"),
])
def test_bad_options_are_usage_errors_with_exit_code_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "usage:" in err and "Traceback" not in err


def test_option_bounds_are_inclusive():
    parser = build_parser()
    args = parser.parse_args(["features", "--chunk-rows", "1", "--n-resamples", "100",
                              "--workers", "1", "--max-bytes", "1", "--random-state", "0",
                              "--groups", "sources, tone,tone"])
    assert (args.chunk_rows, args.n_resamples, args.workers, args.max_bytes,
            args.random_state) == (1, 100, 1, 1, 0)
    assert args.groups == ("sources", "tone")
    assert parser.parse_args(["evidence", "a", "--width", "0"]).width == 0
    assert parser.parse_args(["validate", "d", "--only", "tone"]).only == ("tone",)


@pytest.mark.slow
def test_usage_error_exit_code_from_the_command_line(tmp_path):
    res = run_cli("features", str(tmp_path), "--chunk-rows", "0")
    assert res.returncode == 2
    assert "must be at least 1" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.slow
def test_strict_stop_and_no_readable_article_exit_2_and_replace_nothing(tiny_processed, tmp_path,
                                                                        capsys):
    out = tmp_path / "out"
    shutil.copytree(tiny_processed, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    corpus = _one_bad_file(tmp_path / "corpus")
    assert main(["features", str(corpus), "-o", str(out / "features.csv"), "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "zz-empty.txt" in err
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "a.txt").write_bytes(b"   \n")
    assert main(["features", str(only_bad), "-o", str(out / "features.csv")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("problem: a.txt: file is empty")
    assert lines[-1] == (f"error: no readable article in {only_bad} (problems above); "
                         "nothing written")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _break_tone(monkeypatch, article_id):
    from analysis.measures.tone.scorer import ToneScorer

    real = ToneScorer.score

    def score(self, article, idx):
        if article.article_id == article_id:
            raise ValueError("boom in the tone scorer\nsecond line")
        return real(self, article, idx)

    monkeypatch.setattr(ToneScorer, "score", score)


@pytest.mark.slow
def test_internal_error_exit_3_names_the_article_and_logs_the_traceback(
        tiny_processed, tiny_corpus, tmp_path, monkeypatch, capsys):
    _break_tone(monkeypatch, "t-beta")
    logs = tmp_path / "logs"
    monkeypatch.setenv(cli.LOG_DIR_ENV, str(logs))
    out = tmp_path / "out"
    shutil.copytree(tiny_processed, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    argv = ["features", str(tiny_corpus), "-o", str(out / "features.csv"), "--groups", "tone",
            "--n-resamples", "100"]
    assert main(argv) == 3
    err = capsys.readouterr().err
    [log] = logs.iterdir()
    assert err == ("error: internal error while scoring article t-beta: ValueError: boom in the "
                   f"tone scorer; traceback in {log}\n")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "second line" in text
    assert "while scoring article t-beta" in text and "--groups tone" in text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing replaced
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left

    assert main(["--debug", *argv]) == 3  # --debug: the traceback on stderr, no log
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)")
    assert err.splitlines()[-1] == ("error: internal error while scoring article t-beta: "
                                    "ValueError: boom in the tone scorer")
    assert len(list(logs.iterdir())) == 1
    assert main([*argv, "--debug"]) == 3 and capsys.readouterr().err.startswith("Traceback")


def test_traced_scorer_error_keeps_its_article_through_pickling():
    import pickle

    class Boom:
        name = "boom"
        table_columns = {"t": ["article_id"]}

        def columns(self):
            return ["x"]

        def score(self, art, idx):
            raise KeyError("x")

    class Art:
        article_id = "a-17"

    [traced] = trace_articles([Boom()])
    assert traced.name == "boom" and traced.columns() == ["x"] and traced.table_columns
    with pytest.raises(KeyError) as exc:
        traced.score(Art(), None)
    again = pickle.loads(pickle.dumps(exc.value))  # as dask sends a worker's error back
    assert article_of(again) == "a-17"
    assert article_of(RuntimeError("wrapped")) is None


# --------------------------------------------------------------------------- summary, umask


@pytest.mark.slow
def test_skipped_input_exit_1_problems_then_one_summary_line_and_umask(tmp_path):
    corpus = _one_bad_file(tmp_path / "corpus")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    res = subprocess.run([sys.executable, "-m", "analysis", "features", str(corpus), "-o",
                          str(out / "features.csv"), "--groups", "tone", "--n-resamples", "100"],
                         capture_output=True, text=True, env=env, timeout=600,
                         preexec_fn=lambda: os.umask(0o027))
    assert res.returncode == 1, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 3 and all(ln.startswith("problem: zz-empty.txt: ") for ln in lines[:2])
    assert lines[-1] == (f"3 articles -> {out / 'features.csv'} with no study (sources tied to "
                         f"countries); 1 input skipped (2 problems, listed in {out / 'errors.csv'})")
    assert len(pd.read_csv(out / "errors.csv")) == 2
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes and set(modes.values()) == {0o640}, modes  # 0666 less the umask, not 0600
    manifest = json.loads((out / "features.manifest.json").read_text())
    assert (manifest["articles"], manifest["inputs_skipped"], manifest["problems"]) == (3, 1, 2)
    res = run_cli("status", str(out / "features.csv"), "--verify", "--quiet")
    assert res.returncode == 0 and res.stderr == (
        f"{out / 'features.csv'}: 3 articles with no study (sources tied to countries); 1 input "
        f"skipped (2 problems, listed in {out / 'errors.csv'})\n")


@pytest.mark.slow
def test_status_of_a_clean_set_is_quiet_and_detects_a_changed_table(tiny_processed, tmp_path):
    res = run_cli("status", str(tiny_processed / "features.csv"), "--quiet", "--verify")
    assert (res.returncode, res.stderr) == (0, "")
    res = run_cli("status", str(tiny_processed / "features.csv"))
    assert (res.returncode, res.stderr) == (
        0, f"{tiny_processed / 'features.csv'}: 3 articles with study data/study.yml\n")
    out = tmp_path / "out"
    shutil.copytree(tiny_processed, out)
    with open(out / "evidence.csv", "a") as fh:
        fh.write("t-zeta,0,caution,x,0,1,x\n")
    res = run_cli("status", str(out / "features.csv"), "--quiet")
    assert res.returncode == 2 and "evidence.csv: changed since the run" in res.stderr
    (out / "features.csv").unlink()
    res = run_cli("status", str(out / "features.csv"))
    assert res.returncode == 2 and "features.csv: missing" in res.stderr


def test_write_table_respects_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        tableset.write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
        tableset.write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()} == {0o664}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- one run, one set


def _tables(ids):
    frame = pd.DataFrame({"article_id": ids})
    return {"features": frame, "evidence": frame, "audit": frame.iloc[:0],
            "errors": pd.DataFrame(columns=["source", "article_id", "problem", "message"])}


def test_tables_a_run_did_not_write_do_not_survive(tmp_path):
    out = tmp_path / "features.csv"
    write_feature_set({**_tables(["a"]), "attributions": pd.DataFrame({"article_id": ["a"]}),
                       "extra": pd.DataFrame({"article_id": ["a"]})}, out)
    assert (tmp_path / "attributions.csv").exists() and (tmp_path / "extra.csv").exists()
    (tmp_path / "notes.csv").write_text("mine\n")  # not part of any set: left alone
    write_feature_set(_tables(["b"]), out)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["audit.csv", "errors.csv", "evidence.csv", "features.csv",
                     "features.manifest.json", "notes.csv"]
    assert check_feature_set(out, verify=True)[0]
    # A table of the set's names that no manifest lists is the user's: never removed.
    (tmp_path / "sentences.csv").write_text("article_id\nold\n")
    with pytest.raises(UsageStop, match="sentences.csv: not written by this tool"):
        write_feature_set(_tables(["c"]), out)
    assert (tmp_path / "sentences.csv").read_text() == "article_id\nold\n"
    (tmp_path / "sentences.csv").unlink()
    write_feature_set(_tables(["c"]), out)
    # Another format of the features table replaces the whole set, the old table included.
    write_feature_set(_tables(["d"]), tmp_path / "features.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit.parquet", "errors.csv", "evidence.parquet", "features.manifest.json",
        "features.parquet", "notes.csv"]
    assert pd.read_parquet(tmp_path / "evidence.parquet")["article_id"].tolist() == ["d"]


@pytest.mark.slow
def test_groups_tone_run_removes_the_previous_attributions(tiny_processed, tiny_corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(tiny_processed, out)
    assert (out / "attributions.csv").exists()
    res = run_cli("features", str(tiny_corpus), "-o", str(out / "features.csv"), "--groups",
                  "tone", "--n-resamples", "100")
    assert res.returncode == 0, res.stderr
    assert not (out / "attributions.csv").exists()
    manifest = json.loads((out / "features.manifest.json").read_text())
    assert sorted(manifest["tables"]) == ["audit", "errors", "evidence", "features", "sentences"]
    assert manifest["parameters"]["groups"] == ["tone"]
    assert not any(c.startswith("src_") for c in read_table(out / "features.csv").columns)
    assert check_feature_set(out / "features.csv", verify=True)[0]


# --------------------------------------------------------------------------- make


def run_make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """make in the project with this checkout's .venv taken as up to date (no setup)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "-o", ".venv/.stamp",
                           *args], capture_output=True, text=True, env={**clean, **(env or {})},
                          timeout=900)


@pytest.mark.slow
def test_make_features_keeps_going_past_bad_input_and_keeps_the_table_on_a_stop(tmp_path):
    corpus = _one_bad_file(tmp_path / "corpus")
    out = tmp_path / "processed"
    where = [f"RAW={corpus}", f"PROCESSED={out}", "PKG_SRC="]  # not stale by package edits
    res = run_make("features", *where)
    assert res.returncode == 0, res.stdout + res.stderr
    feats = out / "features.csv"
    assert read_table(feats)["article_id"].tolist() == ["t-alpha", "t-beta", "t-gamma"]
    assert res.stderr.splitlines()[-1] == (f"3 articles -> {feats} with study data/study.yml; "
                                           f"1 input skipped (2 problems, listed in "
                                           f"{out / 'errors.csv'})")
    assert "problem: zz-empty.txt: file is empty" in res.stderr
    assert run_make("-q", "features", *where).returncode == 0  # up to date: nothing to do

    # A stop (here --strict) fails make, and make does not delete the good table.
    (corpus / "zz-binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    stamp = (feats.read_bytes(), feats.stat().st_mtime_ns)
    res = run_make("features", *where, "FEATURE_ARGS=--strict")
    assert res.returncode == 2
    assert "error: zz-binary.txt: " in res.stderr and "Traceback" not in res.stderr
    assert (feats.read_bytes(), feats.stat().st_mtime_ns) == stamp
    assert check_feature_set(feats, verify=True)[0]


# --------------------------------------------------------------------------- compare


@pytest.mark.slow
def test_features_writes_the_terms_table_of_lemma_counts(tiny_processed):
    terms = read_table(tiny_processed / "terms.csv")
    assert list(terms.columns) == ["article_id", "term", "count"]
    assert set(terms["article_id"]) == set(read_table(tiny_processed / "features.csv")["article_id"])
    gamma = terms[terms["article_id"] == "t-gamma"].set_index("term")["count"]
    assert gamma["drone"] == 1 and gamma["attack"] == 1  # "attacked", "attackers" -> lemmas
    assert "the" not in gamma.index and (terms["count"] >= 1).all()
    manifest = json.loads((tiny_processed / "features.manifest.json").read_text())
    assert "terms" in manifest["tables"]


@pytest.mark.slow
def test_compare_writes_groups_and_contrasts_beside_the_features(tiny_processed, tmp_path):
    out = tmp_path / "cmp"
    shutil.copytree(tiny_processed, out)
    res = run_cli("compare", str(out / "features.csv"), "--by", "genre", "--n-resamples", "200",
                  "--n-permutations", "99")
    assert res.returncode == 0, res.stderr
    contrasts = read_table(out / "contrasts.csv")
    for col in ("measure", "group", "reference", "paired", "n", "n_reference", "n_pairs",
                "difference", "lo", "hi", "p", "p_adjusted"):
        assert col in contrasts.columns
    feats = read_table(out / "features.csv")
    # Reference = the largest genre; difference = mean of group minus mean of reference.
    assert set(contrasts["reference"]) == {"news report"}
    row = contrasts[(contrasts["measure"] == "net_optimism") & (contrasts["group"] == "analysis")]
    by = feats.groupby("genre")["net_optimism"].mean()
    assert row["difference"].iloc[0] == pytest.approx(by["analysis"] - by["news report"], abs=1e-6)
    groups = read_table(out / "groups.csv")
    assert set(groups["group"]) == set(feats["genre"])
    assert (out / "adjusted.csv").exists()
    # every table of fig17-fig21, and their record, settings included
    for name in ("groups_all", "timeline", "timeline_all", "words", "source_shares"):
        assert (out / f"{name}.csv").is_file(), name
    record = json.loads((out / "comparison.manifest.json").read_text())
    assert record["settings"]["by"] == "genre" and record["settings"]["n_resamples"] == 200
    assert record["tables"]["contrasts"]["attrs"]["n_permutations"] == 99
    assert record["settings"]["word_counts"] == "terms.csv"
    assert set(read_table(out / "words.csv")["group"]) == set(feats["genre"])
    shares = read_table(out / "source_shares.csv")
    assert set(shares["variable"]) == {"source_type", "source_affiliation"}


@pytest.mark.parametrize("option, words", [
    (["--alpha", "1.5"], "--alpha: must be between 0 and 1"),
    (["--period", "D"], "--period: invalid choice: 'D'"),  # Y (year) is a period
    (["--n-resamples", "20"], "--n-resamples: must be at least 100"),
])
def test_compare_refuses_bad_settings(option, words, tiny_processed):
    res = run_cli("compare", str(tiny_processed / "features.csv"), "--by", "genre", *option)
    assert res.returncode == 2 and words in res.stderr, res.stderr


@pytest.mark.slow
def test_compare_names_a_missing_column(tiny_processed):
    res = run_cli("compare", str(tiny_processed / "features.csv"), "--by", "outlett")
    assert res.returncode == 2
    assert "--by outlett: no such column" in res.stderr and "genre" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.slow
def test_make_figures_with_three_broken_files_builds_every_figure_and_lists_them(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "latin1.txt").write_bytes("café au lait\n".encode("latin-1"))
    (corpus / "blob.txt").write_bytes(b"x\x00\x01\x02\x03binary")
    out, figures = tmp_path / "processed", tmp_path / "figures"
    res = run_make("figures", f"CORPUS={corpus}", f"PROCESSED={out}", f"FIGURES={figures}",
                   "GROUP_BY=genre", "PKG_SRC=")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    for name in ("empty.txt: file is empty", "latin1.txt: not valid UTF-8",
                 "blob.txt: file looks binary"):
        assert f"problem: {name}" in res.stderr
    assert res.stderr.splitlines()[-1].endswith(  # make passes the bundled study
        f"3 articles with study data/study.yml; 3 inputs skipped (6 problems, listed in "
        f"{out / 'errors.csv'})")
    made = {p.stem for p in figures.glob("fig*.png")}
    assert made == {p.stem for p in (ROOT / "figures").glob("fig*.png")}  # every figure
    assert len(read_table(out / "contrasts.csv")) > 0 and (out / "groups.csv").exists()
    errors = read_table(out / "errors.csv")
    assert {"empty.txt", "latin1.txt", "blob.txt"} <= set(errors["source"])
