"""Articles the measures cannot read (other languages, URLs or markup only) are left out and
listed, or kept with ``--language any``; Chinese and Japanese count a character a word.

An Arabic article used to score 0 on every measure with zero-width intervals, like a neutral
English one, and a Chinese clause was one "word"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.corpus import CorpusError, load_corpus
from analysis.corpus.language import detect, screen
from analysis.tables import read_table
from analysis.text import parse_text
from conftest import ARTICLES, ROOT, run_cli

ARABIC = ("أعلنت الحكومة اليوم عن خطة جديدة لمكافحة الإرهاب في المنطقة بعد اجتماع مطول مع "
          "المسؤولين في العاصمة، وقال الوزير إن التعاون سيستمر.")
CHINESE = "政府今天宣布了一项新的反恐计划，此前与官员进行了长时间的会议。部长说合作将继续。"
GERMAN = ("Die Regierung hat heute einen neuen Plan zur Bekämpfung des Terrorismus angekündigt. "
          "Der Minister sagte, die Zusammenarbeit werde fortgesetzt.")
ENGLISH = ARTICLES["alpha.txt"]


@pytest.mark.parametrize("text, kind, code", [
    (ARABIC, "language", "ar"),
    (CHINESE, "language", "zh"),
    (GERMAN, "language", "de"),
    ("https://example.com/news/2025/08/12/talks https://t.co/abc", "not_prose", ""),
    ("<div><p></p><br/><img src='a.png'/></div>", "not_prose", ""),
    ("<html><head><script>var a = 'long javascript text here';</script></head><body><div>"
     "<span>Hi</span><a href='https://x.org/a/very/long/path/of/link/text'></a></div></body>"
     "</html>", "not_prose", ""),
    ("&nbsp; 12,345 -- 67.8% &amp; ###", "not_prose", ""),
    (ENGLISH, "", "en"),
    ("First.", "", None),  # too short to tell: kept
    ("Talks resume in Islamabad.", "", None),
])
def test_screen_says_what_the_measures_cannot_read(text, kind, code):
    got_kind, message, got_code = screen(text)
    assert got_kind == kind, message
    if code is not None:
        assert got_code == code
    if kind == "language":
        assert f"({code})" in message and "not English" in message


def test_english_with_embedded_markup_or_foreign_clauses_is_kept():
    """The 2016 corpus embeds tweets as <tweet> tags in its prose; a mixed text stays."""
    tweet = '<tweet author="x" tweet_id="1">Enough is enough https://t.co/Sk</tweet>.\n\n'
    text = "Candidates reacted to the shooting on Wednesday.\n\n" + tweet * 8 + ENGLISH
    assert screen(text)[0] == ""
    mixed = ENGLISH + " 政府今天宣布了一项新的反恐计划。"
    assert screen(mixed)[:1] == ("",) and screen(mixed)[2] == "en"


FRENCH = ("Le gouvernement a annoncé aujourd'hui un nouveau plan pour réduire les impôts des "
          "petites entreprises. Le ministre a déclaré que l'économie devrait croître cette année, "
          "et l'opposition a critiqué le projet. On a vu des manifestations à Paris et dans "
          "d'autres villes, où les syndicats ont appelé à la grève.")


def test_plainly_english_prose_skips_the_detector_and_other_prose_does_not(monkeypatch):
    from analysis.corpus import language

    asked = []
    real = language.detect
    monkeypatch.setattr(language, "detect", lambda text: asked.append(text) or real(text))
    assert screen(ENGLISH) == ("", "", "en") and not asked
    for text, code in ((FRENCH, "fr"), (GERMAN * 3, "de")):
        kind, _, got = screen(text)
        assert (kind, got) == ("language", code) and asked
        asked.clear()
    # A creole that shares English function words but not the article still goes to the
    # detector, which names it
    pidgin = ("Di goment don announce say dem go reduce tax for small business wey dey for di "
              "kontri. Di minister talk say di economy go grow dis year, and di opposition no "
              "gree with am. Plenty people for Lagos and other cities don waka comot for road "
              "because di price of fuel don go up well well, and dem say dem no go stop.")
    assert screen(pidgin)[::2] == ("language", "pcm") and asked
    # English words in a French text do not make it English
    quoted = FRENCH + ' Il a dit : "We will keep working with our partners."'
    assert screen(quoted)[:1] == ("language",)


def test_the_bundled_articles_are_all_english_prose():
    problems = []
    df = load_corpus(ROOT / "data" / "raw", problems=problems)
    assert len(df) == 5 and problems == []
    assert "language" not in df.columns  # features.csv keeps its columns


def _mixed_corpus(tmp_path: Path) -> Path:
    rows = [{"article_id": "en", "text": ENGLISH}, {"article_id": "ar", "text": ARABIC},
            {"article_id": "zh", "text": CHINESE},
            {"article_id": "url", "text": "https://example.com/a/b/c"}]
    p = tmp_path / "mixed.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                 encoding="utf-8")
    return p


def test_other_languages_and_non_prose_are_problems_by_line(tmp_path):
    p = _mixed_corpus(tmp_path)
    problems = []
    df = load_corpus(p, problems=problems)
    assert df["article_id"].tolist() == ["en"]
    got = sorted((x.source, x.article_id, x.problem) for x in problems)
    assert got == [("mixed.jsonl:2", "ar", "language"), ("mixed.jsonl:3", "zh", "language"),
                   ("mixed.jsonl:4", "url", "not_prose")]
    assert "Arabic (ar)" in problems[0].message and "--language any keeps it" in \
        problems[0].message
    with pytest.raises(CorpusError, match="mixed.jsonl:2: .*not English"):
        load_corpus(p, strict=True)


def test_language_any_keeps_them_with_a_language_column(tmp_path):
    problems = []
    df = load_corpus(_mixed_corpus(tmp_path), problems=problems, language="any")
    assert problems == []
    assert dict(zip(df["article_id"], df["language"])) == {"ar": "ar", "en": "en", "url":
                                                           "not_prose", "zh": "zh"}
    d = tmp_path / "folder"
    d.mkdir()
    (d / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (d / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (d / "metadata.csv").write_text("file,language\nar.txt,arabic\nen.txt,english\n",
                                    encoding="utf-8")
    df = load_corpus(d, language="any")
    assert df["language"].tolist() == ["arabic", "english"]  # the researcher's own column
    assert df["detected_language"].tolist() == ["ar", "en"]
    with pytest.raises(ValueError, match="language 'fr'"):
        load_corpus(d, language="fr")


def test_features_cli_lists_them_in_errors_csv_and_language_any_scores_them(tmp_path):
    corpus = _mixed_corpus(tmp_path)
    out = tmp_path / "out" / "features.csv"
    res = run_cli("features", str(corpus), "-o", str(out), "--groups", "tone", "--workers", "1")
    assert res.returncode == 1, res.stderr
    assert "3 inputs skipped" in res.stderr.splitlines()[-1]
    errors = read_table(out.with_name("errors.csv"))
    assert sorted(errors["problem"]) == ["language", "language", "not_prose"]
    assert errors.loc[errors["article_id"] == "ar", "message"].str.contains("Arabic").all()
    features = read_table(out)
    assert features["article_id"].tolist() == ["en"] and "language" not in features.columns
    res = run_cli("features", str(corpus), "-o", str(out), "--groups", "tone", "--workers", "1",
                  "--language", "any")
    assert res.returncode == 0, res.stderr
    features = read_table(out)
    assert dict(zip(features["article_id"], features["language"])) == {
        "ar": "ar", "en": "en", "url": "not_prose", "zh": "zh"}
    res = run_cli("features", str(corpus), "-o", str(out), "--language", "fr")
    assert res.returncode == 2 and "--language" in res.stderr


def test_the_detector_reads_its_model_from_the_package_and_never_the_network():
    """py3langid ships its model inside the package; with every socket refused it still
    detects, and the model file is a file of the installed package."""
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise RuntimeError('network use')\n"
        "socket.socket = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "import py3langid.langid as L\n"
        "from pathlib import Path\n"
        "assert (Path(L.__file__).parent / L.MODEL_FILE).is_file()\n"
        "from analysis.corpus.language import detect\n"
        "print(detect('Die Regierung hat heute einen neuen Plan angekuendigt.')[0])\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "de"


def test_detection_is_deterministic():
    assert detect(GERMAN) == detect(GERMAN) and isinstance(detect(GERMAN)[1], float)


def test_chinese_and_japanese_count_a_character_a_word():
    english = "Officials met in Islamabad on Tuesday. The minister spoke."
    base = parse_text(english).n_words
    assert base == 9  # English is counted token by token, as before
    mixed = parse_text("Officials met in Islamabad on Tuesday. "
                       "政府今天宣布了一项新的反恐计划，此前与官员进行了长时间的会议。 "
                       "The minister spoke.")
    assert [s.n_words for s in mixed.sentences] == [6, 15 + 14, 3]
    assert parse_text("東京でG7サミットが開かれた。").n_words == 12 + 1  # 12 kanji and kana; G7
    assert parse_text("서울에서 회담이 열렸다.").n_words == 3  # Korean is written with spaces
