"""The command line: clean, features, evidence, help."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.cli import build_parser
from analysis.features import BASE_COLUMNS, read_table
from conftest import run_cli


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


def test_features_are_byte_identical_across_runs(tiny_corpus, tmp_path):
    outs = []
    for run in ("a", "b"):
        res = run_cli("features", str(tiny_corpus), "-o", str(tmp_path / run / "features.csv"))
        assert res.returncode == 0, res.stderr
        outs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert outs[0] == outs[1]


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


def test_missing_corpus_is_one_line_error(tmp_path):
    res = run_cli("features", str(tmp_path / "nope"), "-o", str(tmp_path / "f.csv"))
    assert res.returncode == 2 and "no such file or folder" in res.stderr
    assert "Traceback" not in res.stderr
