"""Bad input, record by record: each broken record is reported where it is (file and line or
row) and why, and every other article is still loaded. Every fixture is written here."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.corpus import (CorpusError, id_problem, is_feature_column,
                             iter_corpus_chunks, load_corpus, metadata_renames, stable_id)
from analysis.corpus import folder
from conftest import run_cli

GOOD = [f"Good article number {i} about the talks in Islamabad." for i in range(6)]


def _kinds(problems) -> list[tuple[str, str]]:
    return [(p.source, p.problem) for p in problems]


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- JSONL


def test_malformed_jsonl_line_is_reported_by_line_and_the_rest_loads(tmp_path):
    path = _write_jsonl(tmp_path / "c.jsonl", [
        json.dumps({"article_id": "g0", "text": GOOD[0]}),
        json.dumps({"article_id": "g1", "text": GOOD[1]}),
        '{"article_id": "broken", "text": "no closing brace"',
        "",  # a blank line is not a record
        '["a", "list", "not", "an", "object"]',
        json.dumps({"article_id": "g2", "text": GOOD[2]}),
    ])
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1", "g2"]
    assert _kinds(problems) == [("c.jsonl:3", "bad_json"), ("c.jsonl:5", "bad_json")]
    broken = '{"article_id": "broken", "text": "no closing brace"'
    assert f"at column {len(broken) + 1})" in problems[0].message
    assert "not a JSON object" in problems[1].message


def test_jsonl_line_with_invalid_utf8_names_its_line(tmp_path):
    path = tmp_path / "c.jsonl"
    good = (json.dumps({"text": GOOD[0]}) + "\n").encode()
    bad = b'{"text": "Caf\xe9 talks"}\n'
    path.write_bytes(good + bad + (json.dumps({"text": GOOD[1]}) + "\n").encode())
    problems = []
    df = load_corpus(path, problems=problems)
    assert set(df["text"]) == {GOOD[0], GOOD[1]}
    assert _kinds(problems) == [("c.jsonl:2", "not_utf8")]
    assert "0xe9" in problems[0].message
    assert f"file offset {len(good) + 13:,}" in problems[0].message


@pytest.mark.parametrize("value, kind, words", [
    (None, "empty", "null"),
    ("", "empty", "empty"),
    ("   \n ", "empty", "empty"),
    (42, "bad_text", "number"),
    (3.5, "bad_text", "number"),
    (["a", "b"], "bad_text", "list"),
    ({"body": "x"}, "bad_text", "object"),
    (True, "bad_text", "boolean"),
])
def test_jsonl_text_that_is_not_a_nonempty_string_is_a_problem_row(tmp_path, value, kind, words):
    path = _write_jsonl(tmp_path / "c.jsonl", [
        json.dumps({"article_id": "g0", "text": GOOD[0]}),
        json.dumps({"article_id": "bad", "text": value}),
        json.dumps({"article_id": "g1", "text": GOOD[1]}),
    ])
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1"]  # never stringified and kept
    assert _kinds(problems) == [("c.jsonl:2", kind)]
    assert problems[0].article_id == "bad" and words in problems[0].message


def test_jsonl_record_without_text_field(tmp_path):
    path = _write_jsonl(tmp_path / "c.jsonl", [
        json.dumps({"text": GOOD[0]}), json.dumps({"body": "elsewhere"})])
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["text"].tolist() == [GOOD[0]]
    assert _kinds(problems) == [("c.jsonl:2", "empty")]
    assert "no 'text' field" in problems[0].message
    none = _write_jsonl(tmp_path / "none.jsonl", [json.dumps({"body": "x"})])
    with pytest.raises(CorpusError, match="no record has a 'text' field"):
        load_corpus(none, problems=[])


def test_strict_stops_at_the_first_bad_record_with_its_line(tmp_path):
    path = _write_jsonl(tmp_path / "c.jsonl", [
        json.dumps({"text": GOOD[0]}), "{oops", json.dumps({"text": 7})])
    with pytest.raises(CorpusError, match=r"^c\.jsonl:2: not valid JSON"):
        load_corpus(path, strict=True)


# --------------------------------------------------------------------------- CSV / TSV


def _csv_lines(n: int) -> list[str]:
    return [f"g{i},Good article {i} about the talks in Islamabad and trade ties." for i in range(n)]


def test_invalid_utf8_byte_deep_in_a_csv_row_names_its_line(tmp_path):
    lines = ["article_id,text", *_csv_lines(60)]
    head = ("\n".join(lines) + "\n").encode()
    bad = "bad,Caf".encode() + b"\xe9" + " talks resumed.\n".encode()
    tail = "\n".join(_csv_lines(70)[60:]) + "\n"
    path = tmp_path / "c.csv"
    path.write_bytes(head + bad + tail.encode())
    problems = []
    df = load_corpus(path, problems=problems)
    assert len(df) == 70 and "bad" not in set(df["article_id"])
    assert _kinds(problems) == [("c.csv:62", "not_utf8")]
    offset = len(head) + len("bad,Caf")
    assert offset > 3000
    assert "0xe9" in problems[0].message and f"file offset {offset:,}" in problems[0].message
    assert "column 8" in problems[0].message


def test_invalid_byte_inside_a_multiline_text_names_the_line_holding_it(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b'article_id,text\ng0,"First paragraph.\nSecond paragraph."\n'
                     b'bad,"Fine first line.\nCaf\xe9 second line."\ng1,Last one.\n')
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1"]
    assert df["text"][0] == "First paragraph.\nSecond paragraph."
    assert _kinds(problems) == [("c.csv:5", "not_utf8")]


def test_unbalanced_quote_is_reported_where_it_opens_and_later_rows_are_kept(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "article_id,text,outlet\n"
        'g0,"A quoted text, with a comma.",Dawn\n'
        'broken,"The quote never closes,The News\n'
        "g1,Plain text without quotes.,Dawn\n"
        'g2,"Multi-line text,\nsecond line.",Geo\n'
        'g3,"Another quoted, text.",Dawn\n', encoding="utf-8")
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1", "g2", "g3"]
    assert df.set_index("article_id").loc["g2", "text"] == "Multi-line text,\nsecond line."
    assert df.set_index("article_id").loc["g3", "outlet"] == "Dawn"
    assert _kinds(problems) == [("c.csv:3", "bad_quote")]
    assert "opens on line 3" in problems[0].message
    assert "resumes at line 4" in problems[0].message


def test_unbalanced_quote_that_is_never_closed(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("article_id,text\n" + "\n".join(_csv_lines(2)) + "\n"
                    'broken,"Opened here and never closed\n' + "\n".join(_csv_lines(5)[2:]) + "\n",
                    encoding="utf-8")
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1", "g2", "g3", "g4"]
    assert _kinds(problems) == [("c.csv:4", "bad_quote")]
    assert "never closed" in problems[0].message


def test_unbalanced_quote_on_the_last_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("article_id,text\ng0,Fine.\nbroken,\"Open", encoding="utf-8")
    problems = []
    assert load_corpus(path, problems=problems)["article_id"].tolist() == ["g0"]
    assert _kinds(problems) == [("c.csv:3", "bad_quote")]


def test_csv_row_with_wrong_number_of_fields(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("article_id\ttext\toutlet\n"
                    "g0\tFine text.\tDawn\n"
                    "long\tText\twith a tab\tToo many\n"
                    "short\tOnly two fields\n"
                    "g1\tAlso fine.\tGeo\n", encoding="utf-8")
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["article_id"].tolist() == ["g0", "g1"]
    assert _kinds(problems) == [("c.tsv:3", "bad_row"), ("c.tsv:4", "bad_row")]
    assert "4 fields but the header has 3" in problems[0].message


def test_csv_multiline_texts_and_quotes_inside_fields_are_kept(tmp_path):
    texts = ['He said "we agree".\n\nSecond paragraph, with commas.', 'A 5" screen, quoted.',
             "Plain."]
    path = tmp_path / "c.csv"
    pd.DataFrame({"article_id": ["a", "b", "c"], "text": texts}).to_csv(path, index=False)
    problems = []
    df = load_corpus(path, problems=problems)
    assert df["text"].tolist() == texts and problems == []


def test_csv_article_longer_than_the_csv_module_default_field_limit(tmp_path):
    text = "word " * 60_000  # 300,000 characters; csv's default limit is 131,072
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": [text, GOOD[0]]}).to_csv(path, index=False)
    problems = []
    df = load_corpus(path, problems=problems)
    assert len(df) == 2 and problems == []


def test_streaming_chunks_keep_every_good_row_and_read_lazily(tmp_path):
    path = tmp_path / "c.csv"
    lines = ["article_id,text", *_csv_lines(5), 'broken,"never closed', *_csv_lines(9)[5:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = []
    chunks = list(iter_corpus_chunks(path, chunk_rows=2, problems=problems))
    assert [len(c) for c in chunks] == [2, 2, 2, 2, 1]
    assert sorted(i for c in chunks for i in c["article_id"]) == [f"g{i}" for i in range(9)]
    assert _kinds(problems) == [("c.csv:7", "bad_quote")]
    # Chunks are produced while reading: with strict, the rows before the bad one come out
    # before the error is raised (the third chunk needs the row after g4).
    it = iter_corpus_chunks(path, chunk_rows=2, strict=True)
    assert next(it)["article_id"].tolist() == ["g0", "g1"]
    assert next(it)["article_id"].tolist() == ["g2", "g3"]
    with pytest.raises(CorpusError, match=r"^c\.csv:7: unbalanced quote"):
        next(it)


def test_jsonl_streaming_reports_bad_lines_across_chunks(tmp_path):
    lines = [json.dumps({"article_id": f"g{i}", "text": GOOD[i]}) for i in range(5)]
    lines.insert(3, "{not json")
    path = _write_jsonl(tmp_path / "c.jsonl", lines)
    problems = []
    chunks = list(iter_corpus_chunks(path, chunk_rows=2, problems=problems))
    assert [c["article_id"].tolist() for c in chunks] == [["g0", "g1"], ["g2", "g3"], ["g4"]]
    assert _kinds(problems) == [("c.jsonl:4", "bad_json")]


def test_utf16_csv_is_a_clear_whole_file_error(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("text\nHello.\n".encode("utf-16"))
    with pytest.raises(CorpusError, match="c.csv: the file is UTF-16"):
        load_corpus(path)


# --------------------------------------------------------------------------- Parquet


@pytest.mark.parametrize("column, kind, words", [
    (pa.array([1, 2, 3], pa.int64()), "bad_text", "number (2)"),
    (pa.array([["x"], ["a", "b"], []], pa.list_(pa.string())), "bad_text", "list of 2"),
])
def test_parquet_text_column_of_another_type_is_a_problem_per_row(tmp_path, column, kind, words):
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"article_id": ["a", "b", "c"], "text": column}), path)
    problems = []
    df = load_corpus(path, problems=problems)
    assert df.empty and list(df.columns[:2]) == ["article_id", "text"]
    assert _kinds(problems) == [(f"c.parquet[row {i}]", kind) for i in (1, 2, 3)]
    assert words in problems[1].message and problems[1].article_id == "b"


def test_parquet_null_and_empty_text_rows_are_named_by_row(tmp_path):
    path = tmp_path / "c.parquet"
    texts = [GOOD[0], None, GOOD[1], "", GOOD[2], GOOD[3], GOOD[4]]
    pq.write_table(pa.table({"text": texts, "n": list(range(7))}), path, row_group_size=3)
    problems = []
    chunks = list(iter_corpus_chunks(path, chunk_rows=2, problems=problems))
    assert sorted(t for c in chunks for t in c["text"]) == sorted(GOOD[:5])
    assert _kinds(problems) == [("c.parquet[row 2]", "empty"), ("c.parquet[row 4]", "empty")]
    loaded = load_corpus(path, problems=[])
    assert loaded.set_index("article_id").loc[stable_id(GOOD[2]), "n"] == 4  # row 5


# --------------------------------------------------------------------------- folders


def _utf_bom_bytes(text: str, codec: str) -> bytes:
    return {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
            "utf-32-be": b"\x00\x00\xfe\xff"}[codec] + text.encode(codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_bom_are_decoded(tmp_path, codec):
    text = "Caf\u00e9 talks in Islamabad \u2014 \u201cprogress\u201d, officials said."
    (tmp_path / "a.txt").write_bytes(_utf_bom_bytes(text, codec))
    problems = []
    df = load_corpus(tmp_path, problems=problems)
    assert df["text"].tolist() == [text] and problems == []


def test_file_claiming_utf16_but_broken_is_reported(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xff\xfe" + "Hello".encode("utf-16-le") + b"\x00\xd8")
    problems = []
    assert load_corpus(tmp_path, problems=problems).empty
    assert _kinds(problems) == [("a.txt", "bad_encoding")]
    assert "UTF-16" in problems[0].message


def test_file_names_with_spaces_become_ids(tmp_path):
    (tmp_path / "my article.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / " padded .txt").write_text(GOOD[1], encoding="utf-8")
    problems = []
    df = load_corpus(tmp_path, problems=problems)
    assert df["article_id"].tolist() == ["my article", "padded"] and problems == []
    assert df["file"].tolist() == ["my article.txt", " padded .txt"]


def test_every_skipped_folder_entry_is_listed_with_its_reason(tmp_path, monkeypatch):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(GOOD[0], encoding="utf-8")
    (d / "locked.txt").write_text(GOOD[1], encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "inner.txt").write_text(GOOD[2], encoding="utf-8")
    (d / "notes.md").write_text("# notes", encoding="utf-8")
    (d / "gone.txt").symlink_to(d / "does-not-exist.txt")
    (d / "metadata.csv").write_text("file\ngood.txt\nlocked.txt\ngone.txt\n", encoding="utf-8")
    real = folder.read_bounded

    def read_bounded(p, max_bytes):  # tests run as root here: chmod cannot lock a file
        if p.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(p))
        return real(p, max_bytes)

    monkeypatch.setattr(folder, "read_bounded", read_bounded)
    problems = []
    df = load_corpus(d, problems=problems)
    assert df["article_id"].tolist() == ["good"]
    assert sorted(_kinds(problems)) == [("gone.txt", "broken_link"), ("locked.txt", "unreadable"),
                                        ("notes.md", "other_file"), ("sub", "subfolder")]
    assert "Permission denied" in next(p.message for p in problems if p.problem == "unreadable")
    assert not any(p.source.startswith("metadata.csv") for p in problems)


# --------------------------------------------------------------------------- article IDs


@pytest.mark.parametrize("aid, ok", [
    ("a001", True), ("my article", True), ("Dawn: 2025-08-14", True), ("caf\u00e9", True),
    ("../escape", False), ("a/b", False), ("a\\b", False), ("tab\there", False),
    ("new\nline", False), ("..", False), ("x" * 201, False),
])
def test_id_rule(aid, ok):
    assert (id_problem(aid) == "") is ok


@pytest.mark.slow
def test_clean_never_writes_outside_its_folder(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"article_id": ["../escape", "ok id", "/abs/path"],
                  "text": [GOOD[0], GOOD[1], GOOD[2]]}).to_csv(path, index=False)
    out = tmp_path / "out"
    res = run_cli("clean", str(path), "-o", str(out))
    assert res.returncode == 1, res.stderr
    assert sorted(p.name for p in (out / "cleaned").iterdir()) == ["ok id.txt"]
    assert not (tmp_path / "escape.txt").exists() and not (out / "escape.txt").exists()
    errors = pd.read_csv(out / "errors.csv")
    assert sorted(errors["problem"]) == ["bad_id", "bad_id"]
    assert sorted(errors["source"]) == ["c.csv:2", "c.csv:4"]


# --------------------------------------------------------------------------- metadata.csv


def _folder(tmp_path: Path, metadata: bytes, n: int = 4) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for i in range(n):
        (d / f"f{i}.txt").write_text(GOOD[i], encoding="utf-8")
    (d / "metadata.csv").write_bytes(metadata)
    return d


def test_metadata_unbalanced_quote_is_caught_and_later_rows_still_apply(tmp_path):
    d = _folder(tmp_path, (
        "article_id,file,title\n"
        "a0,f0.txt,First\n"
        'a1,f1.txt,"Unclosed title\n'
        "a2,f2.txt,Third\n"
        'a3,f3.txt,"Closed, quoted"\n').encode())
    problems = []
    df = load_corpus(d, problems=problems).set_index("file")
    assert df.loc["f2.txt", "article_id"] == "a2" and df.loc["f2.txt", "title"] == "Third"
    assert df.loc["f3.txt", "title"] == "Closed, quoted"
    assert df.loc["f1.txt", "article_id"] == "f1"  # its row was broken: loaded without metadata
    assert _kinds(problems) == [("metadata.csv:3", "bad_quote"), ("f1.txt", "missing_metadata")]
    assert "resumes at line 4" in problems[0].message


def test_metadata_rows_with_wrong_field_count_or_bad_bytes_name_their_line(tmp_path):
    d = _folder(tmp_path, (
        b"article_id,file,title\n"
        b"a0,f0.txt,Talks, resumed\n"
        b"a1,f1.txt,Caf\xe9\n"
        b"a2,f2.txt,Fine\n"
        b"a3,f3.txt,Also fine\n"))
    problems = []
    df = load_corpus(d, problems=problems)
    assert df["article_id"].tolist() == ["a2", "a3", "f0", "f1"]
    assert _kinds(problems) == [("metadata.csv:2", "bad_row"), ("metadata.csv:3", "not_utf8"),
                                ("f0.txt", "missing_metadata"), ("f1.txt", "missing_metadata")]


# --------------------------------------------------------------------------- column clashes


@pytest.mark.slow
def test_feature_column_list_matches_the_scorers():
    from analysis.features import BASE_COLUMNS, make_scorers

    produced = [*BASE_COLUMNS, *[c for s in make_scorers() for c in s.columns()]]
    assert all(is_feature_column(c) for c in produced)
    assert is_feature_column("emph_my_key") and is_feature_column("src_share_council")
    assert not is_feature_column("title") and not is_feature_column("meta_n_words")


def test_metadata_renames_avoid_taken_names():
    assert metadata_renames(["title", "n_words", "meta_n_words", "emph_user"]) == {
        "n_words": "meta_meta_n_words", "emph_user": "meta_emph_user"}


def test_clashing_csv_column_is_renamed_and_reported(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": GOOD[:2], "n_words": ["10", "20"], "tone_mean": ["x", "y"],
                  "outlet": ["A", "B"]}).to_csv(path, index=False)
    problems = []
    df = load_corpus(path, problems=problems)
    assert list(df.columns) == ["article_id", "text", "meta_n_words", "meta_tone_mean", "outlet"]
    assert _kinds(problems) == [("c.csv:1", "renamed_column"), ("c.csv:1", "renamed_column")]
    assert "'n_words'" in problems[0].message and "'meta_n_words'" in problems[0].message


def test_clashing_jsonl_and_parquet_columns_are_renamed(tmp_path):
    jl = _write_jsonl(tmp_path / "c.jsonl", [
        json.dumps({"text": GOOD[0]}), json.dumps({"text": GOOD[1], "src_entropy": 1.5})])
    problems = []
    df = load_corpus(jl, problems=problems)
    assert "meta_src_entropy" in df.columns and "src_entropy" not in df.columns
    assert _kinds(problems) == [("c.jsonl:2", "renamed_column")]
    pqf = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": GOOD[:2], "n_sentences": [1, 2]}), pqf)
    problems = []
    assert "meta_n_sentences" in load_corpus(pqf, problems=problems).columns
    assert _kinds(problems) == [("c.parquet", "renamed_column")]


def test_clashing_metadata_csv_column_is_renamed(tmp_path):
    d = _folder(tmp_path, b"file,n_words,title,text\nf0.txt,99,T0,x\nf1.txt,98,T1,y\n", n=2)
    problems = []
    df = load_corpus(d, problems=problems)
    assert df["meta_n_words"].tolist() == ["99", "98"] and "n_words" not in df.columns
    assert df["text"].tolist() == GOOD[:2] and df["meta_text"].tolist() == ["x", "y"]
    assert _kinds(problems) == [("metadata.csv:1", "renamed_column")] * 2


def test_features_never_get_x_y_suffixes(tmp_path):
    from analysis.features import build_features

    path = tmp_path / "c.csv"
    pd.DataFrame({"article_id": ["a", "b"], "text": GOOD[:2],
                  "n_words": ["10", "20"]}).to_csv(path, index=False)
    corpus = load_corpus(path, problems=[])
    fs = build_features(corpus, groups=("tone",), n_resamples=100)
    cols = list(fs.features.columns)
    assert not [c for c in cols if c.endswith(("_x", "_y"))]
    assert fs.features["meta_n_words"].tolist() == ["10", "20"]
    assert fs.features["n_words"].tolist() == [9, 9]
    # A frame that did not come through load_corpus is renamed by the merge, with a warning.
    raw = pd.DataFrame({"article_id": ["a"], "text": [GOOD[0]], "tone_mean": ["given"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fs = build_features(raw, groups=("tone",), n_resamples=100)
    assert fs.features["meta_tone_mean"].tolist() == ["given"]
    assert fs.features["tone_mean"].dtype.kind == "f"
    assert any("'tone_mean'" in str(w.message) for w in caught)
