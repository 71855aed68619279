"""Inputs read in bounded memory, and files the corpus may not reach.

A ``.txt`` or ``.jsonl`` path that is ``/dev/zero`` grew to 13.8 GB in 20 s, a 1 GB ``.txt``
was read whole before ``--max-bytes`` refused it, and a symbolic link in a corpus folder put
``/etc/passwd`` into ``audit.csv``. Memory is measured with tracemalloc (what Python
allocates while reading), never with a clock.
"""

from __future__ import annotations

import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from analysis.corpus import CorpusError, iter_corpus_chunks, load_corpus
from analysis.corpus.language import screen
from conftest import ARTICLES, run_cli

BIG = 64 * 1024 * 1024  # 64 MiB, written sparse: costs no disk and no time to make
LIMIT = 5_000  # --max-bytes in these tests
ALLOWED = 8 * 1024 * 1024  # peak Python memory while reading: far below BIG


def _sparse(path: Path, size: int = BIG, head: bytes = b"") -> Path:
    """A file of ``size`` bytes, ``head`` then NUL bytes, with no line break after ``head``."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _peak(fn):
    """(result, peak bytes Python allocated while ``fn`` ran). The language detector's model
    (read once per process, whatever the input) is read before measuring."""
    screen("Officials met in Islamabad on Tuesday to resume the talks.")
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _kinds(problems):
    return sorted((p.source, p.problem) for p in problems)


def test_a_large_txt_is_refused_without_being_read_whole(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLES["alpha.txt"], encoding="utf-8")
    _sparse(d / "huge.txt", head=b"Words " * 100)
    problems = []
    df, peak = _peak(lambda: load_corpus(d, problems=problems, max_bytes=LIMIT))
    assert df["article_id"].tolist() == ["good"]
    assert _kinds(problems) == [("huge.txt", "too_large")]
    assert f"file is {BIG:,} bytes, over the {LIMIT:,}-byte limit" in problems[0].message
    assert peak < ALLOWED, f"read {peak:,} bytes to refuse a {BIG:,}-byte file"


def test_a_single_large_txt_path_is_refused_in_bounded_memory(tmp_path):
    p = _sparse(tmp_path / "huge.txt", head=b"Words " * 100)
    problems = []
    df, peak = _peak(lambda: load_corpus(p, problems=problems, max_bytes=LIMIT))
    assert df.empty and _kinds(problems) == [("huge.txt", "too_large")]
    assert peak < ALLOWED


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
def test_an_endless_line_of_a_table_is_skipped_in_bounded_memory(tmp_path, suffix):
    """One 64 MiB line with no line break: skipped at its line, the records around it kept."""
    p = tmp_path / f"corpus{suffix}"
    if suffix == ".jsonl":
        first, last = b'{"article_id": "a", "text": "First."}\n', b'{"article_id": "b", "text": "Last."}\n'
    else:
        sep = b"," if suffix == ".csv" else b"\t"
        first = b"article_id" + sep + b"text\na" + sep + b"First.\n"
        last = b"b" + sep + b"Last.\n"
    with open(p, "wb") as fh:
        fh.write(first + b'{"text": "' + b"x" * 1000)
        fh.truncate(len(first) + BIG)
        fh.seek(0, os.SEEK_END)
        fh.write(b"\n" + last)
    problems = []
    chunks, peak = _peak(lambda: list(iter_corpus_chunks(p, problems=problems, max_bytes=LIMIT,
                                                         chunk_rows=10)))
    assert [aid for c in chunks for aid in c["article_id"]] == ["a", "b"]
    line = 2 if suffix == ".jsonl" else 3
    assert _kinds(problems) == [(f"{p.name}:{line}", "too_large")]
    assert "over the 1,020,000-byte limit for one record" in problems[0].message
    assert peak < ALLOWED, f"read {peak:,} bytes to skip a {BIG:,}-byte line"


def test_a_table_whose_header_is_endless_is_refused(tmp_path):
    p = _sparse(tmp_path / "corpus.csv", head=b"text,")
    with pytest.raises(CorpusError, match=r"corpus.csv:1: cannot read the header row \(line is "):
        load_corpus(p, max_bytes=LIMIT)


@pytest.mark.parametrize("name", ["zero.txt", "zero.jsonl", "zero.csv"])
def test_a_device_as_the_corpus_is_refused(tmp_path, name):
    """``/dev/zero`` under a corpus name never ends: refused before it is opened."""
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    with pytest.raises(CorpusError, match="not a regular file or folder"):
        load_corpus(link, max_bytes=LIMIT)
    with pytest.raises(CorpusError, match="not a regular file or folder"):
        list(iter_corpus_chunks(link, max_bytes=LIMIT))


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """A FIFO with no writer would block ``open`` for ever; it is never opened."""
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    d = tmp_path / "corpus"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    (d / "good.txt").write_text(ARTICLES["alpha.txt"], encoding="utf-8")
    result = {}

    def read():
        with pytest.raises(CorpusError, match="not a regular file"):
            load_corpus(fifo)
        problems = []
        result["ids"] = load_corpus(d, problems=problems)["article_id"].tolist()
        result["kinds"] = _kinds(problems)

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(120)  # a generous bound on a hang, not a timing assertion
    if t.is_alive():  # unblock the reader so that the test run can end
        for f in (fifo, d / "pipe.txt"):
            try:  # non-blocking: fails at once on a FIFO that no one is reading
                os.close(os.open(f, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        pytest.fail("reading a FIFO blocked")
    assert result == {"ids": ["good"], "kinds": [("pipe.txt", "other_file")]}


def test_a_symlink_to_a_file_outside_the_folder_is_not_followed(tmp_path):
    """``passwd.txt -> /etc/passwd`` put its lines into audit.csv; now a problem per link."""
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLES["alpha.txt"], encoding="utf-8")
    (d / "inside.txt").symlink_to(d / "good.txt")  # a link within the folder is read
    (d / "secret.txt").symlink_to(outside)
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "up.txt").symlink_to(Path("..") / "secret.txt")
    problems = []
    df = load_corpus(d, problems=problems)
    assert sorted(df["file"]) == ["good.txt", "inside.txt"]
    assert not df["text"].str.contains("root:x").any()
    assert _kinds(problems) == [("secret.txt", "outside_link"), ("up.txt", "outside_link"),
                                ("zero.txt", "outside_link")]
    assert "outside the corpus folder" in problems[0].message
    assert str(outside) not in problems[0].message  # the target's path is not written out


def test_the_cli_lists_outside_links_in_errors_csv_and_refuses_dev_zero(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLES["alpha.txt"], encoding="utf-8")
    (d / "passwd.txt").symlink_to("/etc/passwd")
    out = tmp_path / "out"
    res = run_cli("clean", str(d), "-o", str(out))
    assert res.returncode == 1, res.stderr
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    assert "passwd.txt,passwd,outside_link," in errors or "passwd.txt,,outside_link," in errors
    assert "root:" not in (out / "audit.csv").read_text(encoding="utf-8")
    assert not (out / "cleaned" / "passwd.txt").exists()
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    res = run_cli("clean", str(zero), "-o", str(tmp_path / "out2"), "--max-bytes", "1000")
    assert res.returncode == 2 and "not a regular file or folder" in res.stderr
