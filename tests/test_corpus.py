"""Loading and validating corpora: every format, every kind of bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.corpus import CorpusError, iter_corpus_chunks, load_corpus, stable_id
from conftest import ARTICLES, run_cli


def test_folder_with_metadata_is_sorted_and_carries_columns(tiny_corpus):
    df = load_corpus(tiny_corpus)
    assert df["article_id"].tolist() == ["t-alpha", "t-beta", "t-gamma"]
    assert list(df.columns[:2]) == ["article_id", "text"]
    for col in ("file", "title", "outlet", "date", "genre", "url"):
        assert col in df.columns
    alpha = df.set_index("article_id").loc["t-alpha"]
    assert alpha["outlet"] == "Fixture Times" and alpha["file"] == "alpha.txt"
    assert alpha["text"] == ARTICLES["alpha.txt"]


def test_folder_without_metadata_uses_file_names(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems = []
    df = load_corpus(tmp_path, problems=problems)
    assert df["article_id"].tolist() == ["alpha", "beta", "gamma"]
    assert problems == []


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_tabular_formats_generate_stable_ids_and_keep_columns(tmp_path, fmt):
    texts = list(ARTICLES.values())
    df = pd.DataFrame({"text": texts[::-1], "source_site": ["x", "y", "z"]})
    path = tmp_path / f"corpus.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "tsv":
        df.to_csv(path, index=False, sep="\t")
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path, index=False)
    out = load_corpus(path)
    assert sorted(out["article_id"]) == out["article_id"].tolist()
    assert set(out["article_id"]) == {stable_id(t) for t in texts}
    assert "source_site" in out.columns
    assert out.set_index("article_id").loc[stable_id(texts[0]), "source_site"] == "z"
    # The same texts in another order get the same IDs.
    again = load_corpus(path)
    assert again.equals(out)


def test_given_article_ids_are_used(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [{"article_id": "b", "text": "Second."}, {"article_id": "a", "text": "First."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert load_corpus(path)["article_id"].tolist() == ["a", "b"]


def _bad_folder(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "good.txt").write_text("A perfectly fine article about talks.", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "latin1.txt").write_bytes("Caf\xe9 talks in Islamabad.".encode("latin-1"))
    (d / "huge.txt").write_text("word " * 400, encoding="utf-8")  # over max_bytes below
    (d / "dup.txt").write_text("Another article.", encoding="utf-8")
    (d / "nometa.txt").write_text("An article nobody described.", encoding="utf-8")
    (d / "metadata.csv").write_text(
        "article_id,file,title\n"
        "g,good.txt,Good\n"
        "e,empty.txt,\n"
        "bl,blank.txt,\n"
        "bi,binary.txt,\n"
        "l1,latin1.txt,\n"
        "h,huge.txt,\n"
        "g,dup.txt,Duplicate ID\n"
        "m,missing.txt,Not there\n", encoding="utf-8")
    return d


def test_bad_input_is_reported_per_file_and_good_articles_survive(tmp_path):
    d = _bad_folder(tmp_path)
    problems = []
    df = load_corpus(d, problems=problems, max_bytes=1000)
    assert df["article_id"].tolist() == ["g", "nometa"]
    kinds = {(p.source, p.problem) for p in problems}
    assert kinds == {
        ("empty.txt", "empty"), ("blank.txt", "empty"), ("binary.txt", "binary"),
        ("latin1.txt", "not_utf8"), ("huge.txt", "too_large"), ("dup.txt", "duplicate_id"),
        ("metadata.csv", "missing_file"), ("nometa.txt", "missing_metadata"),
    }
    for p in problems:
        assert "\n" not in p.message and p.message
    assert "0xe9" in next(p.message for p in problems if p.problem == "not_utf8")


def test_strict_stops_at_first_problem(tmp_path):
    d = _bad_folder(tmp_path)
    with pytest.raises(CorpusError, match=r"^metadata.csv: metadata row for 'missing.txt'"):
        load_corpus(d, strict=True)


def test_problems_warn_when_no_list_is_given(tmp_path):
    d = tmp_path / "w"
    d.mkdir()
    (d / "a.txt").write_text("Fine.", encoding="utf-8")
    (d / "b.txt").write_bytes(b"")
    with pytest.warns(UserWarning, match="b.txt: file is empty"):
        df = load_corpus(d)
    assert df["article_id"].tolist() == ["a"]


def test_tabular_bad_rows_and_duplicates(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"article_id": ["x", "y", "x", "z"],
                  "text": ["One article.", "", "Same ID again.", "Third."]}).to_csv(path, index=False)
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["x", "z"]
    assert [(p.source, p.problem) for p in problems] == [("c.csv:3", "empty"),
                                                         ("c.csv:4", "duplicate_id")]


def test_missing_text_column_and_unknown_format(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"body": ["x"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="no 'text' column"):
        load_corpus(path)
    other = tmp_path / "c.docx"
    other.write_bytes(b"PK")
    with pytest.raises(CorpusError, match="unsupported corpus format"):
        load_corpus(other)


def test_chunks_detect_duplicates_across_chunks(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"article_id": ["a", "b", "c", "a"],
                  "text": ["One.", "Two.", "Three.", "Four."]}).to_parquet(path, row_group_size=2)
    problems = []
    chunks = list(iter_corpus_chunks(path, chunk_rows=2, problems=problems))
    assert [c["article_id"].tolist() for c in chunks] == [["a", "b"], ["c"]]
    assert [p.problem for p in problems] == ["duplicate_id"]


@pytest.mark.slow
def test_cli_reports_problems_keeps_going_and_exits_nonzero(tmp_path):
    d = _bad_folder(tmp_path)
    out = tmp_path / "out"
    res = run_cli("features", str(d), "-o", str(out / "features.csv"), "--max-bytes", "1000",
                  "--groups", "tone")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("problem: ")]
    assert len(lines) == 8
    assert any(ln.startswith("problem: binary.txt: file looks binary") for ln in lines)
    feats = pd.read_csv(out / "features.csv", dtype=str)
    assert feats["article_id"].tolist() == ["g", "nometa"]
    errors = pd.read_csv(out / "errors.csv")
    assert len(errors) == 8 and list(errors.columns) == ["source", "article_id", "problem", "message"]


@pytest.mark.slow
def test_cli_strict_exits_2_with_one_line(tmp_path):
    d = _bad_folder(tmp_path)
    res = run_cli("features", str(d), "-o", str(tmp_path / "o" / "f.csv"), "--strict")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and res.stderr.startswith("error: ")
