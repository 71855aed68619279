"""Emphasis scorer: columns, normalisation, history rules, intervals, determinism, CLI,
Python API and the validation code (on a fixture written here)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.cli import main
from analysis.dictionaries import DictionaryError, load_dictionary, parse_table
from analysis.measures.emphasis.scorer import (FRAMES, EmphasisScorer, builtin_frames, check_anchored,
                               published_year, rate_intervals, sense_anchored, temporal_matches)
from analysis.features import build_features
from analysis.stats import article_rng, bootstrap_indices, rate_interval, resample_weights
from analysis.config import DATA_DIR
from analysis.study import load_study
from analysis.measures.emphasis.temporal import _DECADE_RE, _YEAR_HINT, _YEAR_RE, _decade_starts, _finditer
from analysis.text import parse_text

BUNDLED_STUDY = DATA_DIR / "study.yml"  # the five bundled articles' study

TEXT = (
    "Officials discussed drones, cyber threats and emerging technologies in Northport in 2025.\n"
    "The economy, trade and investment were also on the agenda.\n"
    "Since 2001 the partners have fought the war on terror; in the 1990s ties were cold.\n"
    "Civilian casualties remain a painful cost.\n"
)


def _idx(art, n=500):
    return bootstrap_indices(len(art.sentences), n, article_rng(0, art.article_id))


def _score(text, dictionaries=None, n=500):
    art = parse_text(text)
    return art, EmphasisScorer(dictionaries=dictionaries).score(art, _idx(art, n))


def test_columns_fixed_and_complete():
    sc = EmphasisScorer()
    cols = sc.columns()
    assert cols[:4] == ["emph_technology", "emph_technology_share", "emph_technology_lo",
                        "emph_technology_hi"]
    assert cols[-1] == "frame_dominant"
    assert len(cols) == 4 * len(FRAMES) + 1
    _art, res = _score(TEXT)
    assert list(res.columns) == cols


def test_per_1000_words_and_share(tmp_path):
    d = tmp_path / "d.tsv"
    d.write_text("kw\talpha\n", encoding="utf-8")
    art, res = _score("Alpha beta gamma delta.\nAlpha beta.\nNothing here at all.", [d])
    assert art.n_words == 10
    assert res.columns["emph_kw"] == pytest.approx(2 * 1000 / 10)
    assert res.columns["emph_kw_share"] == pytest.approx(2 / 3)


def test_lemma_matching_counts_drone_and_drones_as_one_term():
    _art, res = _score("A drone was seen. Drones attacked. Two drones fell.")
    tech = [e for e in res.evidence if e["feature"] == "technology"]
    assert [e["term"] for e in tech] == ["drone", "drone", "drone"]


def test_evidence_offsets_point_at_the_match():
    art, res = _score(TEXT)
    assert res.evidence
    for e in res.evidence:
        assert set(e) == {"article_id", "sentence_id", "feature", "term", "start", "end",
                          "sentence"}
        assert 0 <= e["start"] < e["end"] <= len(e["sentence"])
        assert e["sentence"] == art.sentences[e["sentence_id"]].text
    hits = {(e["feature"], e["sentence"][e["start"]:e["end"]]) for e in res.evidence}
    assert ("technology", "emerging technologies") in hits
    assert ("history", "war on terror") in hits
    assert ("history", "2001") in hits and ("history", "1990s") in hits
    assert ("history", "2025") not in hits  # the reference year itself is not the past
    assert ("human_cost", "Civilian casualties") in hits
    # every match counted once in its frame column
    counts = pd.DataFrame(res.evidence)["feature"].value_counts()
    for f in FRAMES:
        assert res.columns[f"emph_{f}"] == pytest.approx(counts.get(f, 0) * 1000 / art.n_words)


def test_past_years_need_a_reference_year():
    # reference year 1998: the 1990s had not ended, 1998 is the reference itself
    art = parse_text("Ties date from 1990s talks and 1998 visits.")
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    assert temporal_matches(art.doc, spans) == []
    art = parse_text("Ties date from the 1980s and the '90s; they met in 2004.")
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    assert [m.term for m in temporal_matches(art.doc, spans)] == ["1980s", "'90s"]
    art = parse_text("It cost $2019 and 2017 percent. In 2018 they met; in 2020 again.")
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    assert [m.term for m in temporal_matches(art.doc, spans)] == ["2018"]
    art = parse_text("No years here.")
    assert temporal_matches(art.doc, [(s.tok_start, s.tok_end) for s in art.sentences]) == []


@pytest.mark.parametrize("date,year", [("2025-08-12", 2025), ("12 August 2025", 2025),
                                       ("08/12/2025", 2025), ("2019-01-31T10:00:00", 2019),
                                       (2024, 2024), (2024.0, 2024), ("unknown", None),
                                       ("", None), (None, None), (float("nan"), None),
                                       ("12/08/25", None)])
def test_published_year_from_metadata_dates(date, year):
    assert published_year(date) == year


def test_publication_year_is_the_reference_year():
    text = "Talks held in 2025 follow the 2024 round; the next is in 2026, after the 2010s."
    art = parse_text(text)
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    # no date: the latest year mentioned (2026) is the reference, so 2025 looks past
    assert [m.term for m in temporal_matches(art.doc, spans)] == ["2025", "2024", "2010s"]
    # published in 2025: the meeting's own year and the next one are not the past
    assert [m.term for m in temporal_matches(art.doc, spans, published=2025)] == [
        "2024", "2010s"]
    # published in 2015: the 2010s had not ended, and every year mentioned is later
    assert temporal_matches(art.doc, spans, published=2015) == []
    # an article without any year gets one when the publication year is known
    art = parse_text("Relations soured in the 1990s.")
    spans = [(s.tok_start, s.tok_end) for s in art.sentences]
    assert temporal_matches(art.doc, spans) == []
    assert [m.term for m in temporal_matches(art.doc, spans, published=2025)] == ["1990s"]


def test_features_take_the_reference_year_from_the_date_column():
    text = "Talks held in 2025 follow the 2024 round; the next is in 2026."
    corpus = pd.DataFrame({"article_id": ["dated", "unknown", "missing"], "text": [text] * 3,
                           "date": ["2025-08-12", "unknown", None]})
    fs = build_features(corpus, groups=("emphasis",))
    hist = fs.evidence[fs.evidence["feature"] == "history"]
    assert hist.groupby("article_id")["term"].apply(list).to_dict() == {
        "dated": ["2024"], "missing": ["2025", "2024"], "unknown": ["2025", "2024"]}
    rate = fs.features.set_index("article_id")["emph_history"]
    n_words = fs.features.set_index("article_id")["n_words"]
    assert rate["dated"] == pytest.approx(1000 / n_words["dated"])
    assert rate["unknown"] == pytest.approx(2000 / n_words["unknown"])


def test_interval_contains_estimate_and_matches_stats():
    art, res = _score(TEXT * 3)
    for f in FRAMES:
        c = res.columns
        assert c[f"emph_{f}_lo"] <= c[f"emph_{f}"] + 1e-9
        assert c[f"emph_{f}"] <= c[f"emph_{f}_hi"] + 1e-9
    rng = np.random.default_rng(3)
    counts = rng.poisson(0.7, size=(30, 4))
    words = rng.integers(3, 40, size=30)
    idx = rng.integers(0, 30, size=(800, 30))
    lo, hi = rate_intervals(counts, words, idx)
    for j in range(4):
        assert (lo[j], hi[j]) == rate_interval(counts[:, j], words, idx)  # bit for bit


@pytest.mark.parametrize("n_sent,n_res", [(1, 1), (2, 3), (7, 10), (25, 999), (40, 2000)])
def test_resample_weight_matrix_gives_exactly_the_stats_intervals(n_sent, n_res):
    rng = np.random.default_rng(n_sent * 1000 + n_res)
    counts = rng.poisson(0.5, size=(n_sent, 6)) * (rng.random((n_sent, 6)) < 0.5)
    counts[:, 0] = 0  # a category without any match
    words = rng.integers(0, 30, size=n_sent)
    words[0] = 0  # a sentence without words (resamples of only such sentences: rate 0)
    idx = rng.integers(0, n_sent, size=(n_res, n_sent))
    W = resample_weights(idx, n_sent)
    x = np.column_stack([words, counts])
    assert np.array_equal(W @ x, x[idx].sum(axis=1))
    assert W.sum(axis=1).tolist() == [n_sent] * n_res
    lo, hi = rate_intervals(counts, words, idx)
    for j in range(counts.shape[1]):
        assert (lo[j], hi[j]) == rate_interval(counts[:, j], words, idx)
    assert (lo[0], hi[0]) == (0.0, 0.0)
    empty = np.zeros((n_res, 0), dtype=np.int64)
    assert rate_intervals(counts, words, empty)[0].tolist() == \
        [rate_interval(counts[:, j], words, empty)[0] for j in range(6)]


def test_year_and_decade_scan_finds_what_the_full_regex_finds():
    rng = np.random.default_rng(0)
    alphabet = list("0123456789012345678901289s s'’$.,-%a\n") + [" per", " percent", "pc "]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(1, 25))))
        hints = (h.start() for h in _YEAR_HINT.finditer(text))
        assert [m.span() for m in _finditer(_YEAR_RE, text, hints)] == \
            [m.span() for m in _YEAR_RE.finditer(text)], text
        assert [m.span() for m in _finditer(_DECADE_RE, text, _decade_starts(text))] == \
            [m.span() for m in _DECADE_RE.finditer(text)], text


def test_matches_do_not_depend_on_what_the_matcher_saw_before():
    from analysis.measures.emphasis.scorer import _compiled

    art = parse_text(TEXT)
    _compiled.cache_clear()  # a fresh matcher: no word type seen yet
    cold = EmphasisScorer().match(art)
    _compiled.cache_clear()
    warm = EmphasisScorer()
    warm.match(parse_text("Drones, the economy and the war on terror in 1990. " * 3))
    assert warm.match(art) == cold
    terms = [m.term for _i, m in cold]
    assert {"drone", "cyber*", "emerging technology", "economy", "war on terror"} <= set(terms)
    _compiled.cache_clear()


def test_builtin_frames_lowercase_and_no_repeated_pattern():
    # parse_yaml silently drops a repeated pattern, so read the file's own lists here
    raw = yaml.safe_load(resources.files("analysis").joinpath("lexicons", "frames.yml")
                         .read_text("utf-8"))
    assert tuple(raw) == FRAMES

    def flat(v):
        return [x for w in v.values() for x in flat(w)] if isinstance(v, dict) else list(v)

    for frame, groups in raw.items():
        pats = [str(p) for p in flat(groups)]
        assert pats and all(p == p.lower() == " ".join(p.split()) for p in pats), frame
        assert len(pats) == len(set(pats)), (frame, [p for p in pats if pats.count(p) > 1])


def _tech(art):
    return [(m.term, art.doc[m.tok_start:m.tok_end].text)
            for _i, m in EmphasisScorer().match(art) if m.category == "technology"]


AMBIGUOUS = ("A man was hacked to death. A mobile clinic opened. The player won the game on "
             "screen. He phoned from the network's server. A virus spread. An explosive device "
             "was found by a camera. A chip shot. Military hardware.")


def test_technology_ambiguous_words_count_only_in_phrases_that_fix_the_sense():
    art = parse_text("Hackers hacked into computers. Sales of games consoles and mobile phones "
                     "rose. Set-top boxes, Blu-ray discs and self-driving cars.")
    assert _tech(art) == [("hacker", "Hackers"), ("hack into", "hacked into"),
                          ("computer", "computers"), ("games console", "games consoles"),
                          ("mobile phone", "mobile phones"), ("set top box", "Set-top boxes"),
                          ("blu ray", "Blu-ray"), ("self driving", "self-driving")]
    assert _tech(parse_text(AMBIGUOUS)) == []  # no phrase fixes their sense in this article


def test_a_phrase_fixes_the_sense_of_its_words_in_the_whole_article():
    # One sense per discourse: once "video games" and "mobile phones" matched, the bare words
    # "game" and "mobile" count anywhere in the article (before the phrase too); "player" and
    # "virus" do not, as no phrase of theirs matched; a word inside a phrase counts once.
    text = ("The player won the game. Mobile clinics opened.\n"
            "Sales of video games and mobile phones rose. The games sold well; a mobile "
            "version follows. A virus spread.")
    art, res = _score(text)
    assert _tech(art) == [("game", "game"), ("mobile", "Mobile"), ("video game*", "video games"),
                          ("mobile phone", "mobile phones"), ("game", "games"),
                          ("mobile", "mobile")]
    assert res.columns["emph_technology"] == pytest.approx(6 * 1000 / art.n_words)
    ev = [(e["term"], e["sentence_id"]) for e in res.evidence if e["feature"] == "technology"]
    assert ev == [("game", 0), ("mobile", 1), ("video game*", 2), ("mobile phone", 2),
                  ("game", 3), ("mobile", 3)]
    # the same bare words in an article without such a phrase do not count
    assert _tech(parse_text("The game was long. A mobile clinic.")) == []


def test_user_dictionaries_have_no_sense_anchoring(tmp_path):
    d = tmp_path / "games.tsv"
    d.write_text("category\tpattern\nplay\tboard game\n", encoding="utf-8")
    art = parse_text("A board game night. The game lasted hours.")
    found = [(m.category, m.term) for _i, m in EmphasisScorer([d]).match(art)]
    assert found == [("play", "board game")]


def test_sense_anchored_list_is_checked_and_each_word_is_in_a_phrase_of_its_frame():
    anchored = sense_anchored()
    assert set(anchored.categories) <= set(FRAMES) and anchored.categories["technology"]
    phrases = {f: [p.text.split() for p in pats if len(p.text.split()) > 1]
               for f, pats in builtin_frames().categories.items()}
    for frame, pats in anchored.categories.items():
        for p in pats:  # "game" is in "video game*", "games console", ...
            assert any(any(w.rstrip("*") in (p.text, p.text + "s") for w in words)
                       for words in phrases[frame]), (frame, p.text)
    with pytest.raises(DictionaryError, match=r"x\.tsv:3: 'weather' is not a built-in frame"):
        check_anchored(parse_table("category\tpattern\ntechnology\tgame\nweather\train\n",
                                   "x.tsv"))
    with pytest.raises(DictionaryError, match=r"x\.tsv:2: 'video game': a sense-anchored entry "
                                              r"is one word"):
        check_anchored(parse_table("technology\tgame\ntechnology\tvideo game\n", "x.tsv"))
    with pytest.raises(DictionaryError, match=r"x\.tsv:1: 'gam\*'"):
        check_anchored(parse_table("technology\tgam*\n", "x.tsv"))


def test_frame_dominant():
    _art, res = _score("The economy, markets, trade and tariffs. Banks and investment.")
    assert res.columns["frame_dominant"] == "economics"
    _art, res = _score("Nothing to see.")
    assert res.columns["frame_dominant"] == "none"
    assert all(res.columns[f"emph_{f}"] == 0 for f in FRAMES)


def test_deterministic():
    corpus = pd.DataFrame({"article_id": ["b", "a"], "text": [TEXT, TEXT[::-1]]})
    one = build_features(corpus, groups=("emphasis",), n_resamples=200)
    two = build_features(corpus.iloc[::-1], groups=("emphasis",), n_resamples=200)
    assert one.features.to_csv() == two.features.to_csv()
    assert one.evidence.to_csv() == two.evidence.to_csv()


def test_user_dictionary_from_python_and_clash(tmp_path):
    d = tmp_path / "d.yml"
    d.write_text("risk words:\n  - threat*\n  - cyber threat\n", encoding="utf-8")
    corpus = pd.DataFrame({"article_id": ["x"], "text": [TEXT]})
    fs = build_features(corpus, groups=("emphasis",), dictionaries=[str(d)], n_resamples=100)
    assert {"emph_risk_words", "emph_risk_words_share", "emph_risk_words_lo",
            "emph_risk_words_hi"} <= set(fs.features.columns)
    assert fs.features["emph_risk_words"].iloc[0] > 0
    assert "risk_words" in set(fs.evidence["feature"])
    bad = tmp_path / "bad.yml"
    bad.write_text("x: [a]\ntechnology: [b]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="bad.yml:2: .*already defined"):
        EmphasisScorer(dictionaries=[bad])


def test_cli_dictionary_end_to_end(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "two.txt").write_text("Markets fell as tariffs rose.\nInvestors fled.\n",
                                    encoding="utf-8")
    dic = tmp_path / "mine.dic"
    dic.write_text("%\n1\tmarkets\n%\nmarket*\t1\ninvestor\t1\n", encoding="utf-8")
    out = tmp_path / "out" / "features.csv"
    rc = main(["features", str(corpus), "-o", str(out), "--groups", "emphasis",
               "--dictionary", str(dic), "--n-resamples", "100"])
    assert rc == 0
    feats = pd.read_csv(out)
    assert feats["emph_markets"].tolist()[1] > 0 and feats["emph_markets"].tolist()[0] == 0
    ev = pd.read_csv(out.with_name("evidence.csv"))
    assert set(ev.loc[ev["feature"] == "markets", "term"]) == {"market*", "investor"}
    rc = main(["evidence", str(feats["article_id"][1]), "--feature", "markets",
               "--evidence", str(out.with_name("evidence.csv"))])
    assert rc == 0 and "[Markets]" in capsys.readouterr().out
    broken = tmp_path / "broken.dic"
    broken.write_text("%\n1\tmarkets\n%\nmarket*\t7\n", encoding="utf-8")
    rc = main(["features", str(corpus), "-o", str(out), "--groups", "emphasis",
               "--dictionary", str(broken)])
    err = capsys.readouterr().err
    assert rc == 2 and "broken.dic:4:" in err and "not in the header" in err


@pytest.mark.slow
def test_validation_on_a_fixture(tmp_path):
    from analysis.validation import emphasis as val

    rows = [
        ("Software, computers, the internet and broadband: new gadgets and mobile phones.",
         "tech"),
        ("Online users download apps to smartphones; the website and the chip maker grew.",
         "tech"),
        ("Shares rose as profits beat forecasts; the bank cut interest rates. Â£5bn deal.",
         "business"),
        ("The economy grew; inflation and the trade deficit fell, investors said.",
         "business"),
        ("The striker scored twice and the team won the cup final.", "sport"),
        ("The actor won an award for the film at the festival.", "entertainment"),
    ]
    pd.DataFrame(rows, columns=["text", "category"]).to_csv(tmp_path / "bbc_dev.csv",
                                                            index=False)
    out = tmp_path / "report"
    out.mkdir()
    metrics = val.run(tmp_path, out)
    names = [m.name for m in metrics]
    assert len(metrics) == 6 and all(m.n == 6 for m in metrics)
    ours = {m.name: m.value for m in metrics if m.target}
    assert set(ours) == {n for n in names if "Empath" not in n}
    assert all(v == 1.0 for v in ours.values())  # the fixture is cleanly separable
    diffs = [m for m in metrics if "difference" in m.name]
    assert len(diffs) == 2
    for m in metrics:
        lo, hi = m.ci
        assert lo <= m.value <= hi
        assert (-1.0 if m in diffs else 0.0) <= lo and hi <= 1.0
    for m in diffs:  # the paired difference is ours minus Empath's on the same articles
        aucs = [x.value for x in metrics if x.name.split(",")[-1] == m.name.split(",")[-1]
                and x not in diffs]
        assert m.value == pytest.approx(aucs[0] - aucs[1])
    assert {m.ci for m in metrics if m.target} == {(1.0, 1.0)}  # separable in every resample
    assert (out / "emphasis_roc.png").exists()
    with pytest.raises(FileNotFoundError):
        val.run(tmp_path / "nowhere", out)


def test_top_articles_report_names_the_leader_with_evidence(tmp_path):
    from analysis.validation import emphasis as val

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "tech.txt").write_text("Drones and cyber tools and emerging technologies were "
                                     "discussed at length by the engineers.", encoding="utf-8")
    (corpus / "econ.txt").write_text("Trade, tariffs and investment in the energy sector grew "
                                     "while inflation fell.", encoding="utf-8")
    md = val.top_articles(corpus)
    rows = {line.split("|")[1].strip(): line for line in md.splitlines() if line.startswith("| ")}
    assert rows["technology"].split("|")[2].strip() == "tech"
    assert "drone" in rows["technology"]
    assert rows["economics"].split("|")[2].strip() == "econ"
    val.write_top_articles(corpus, tmp_path)
    assert (tmp_path / "emphasis_top_articles.section.md").read_text(encoding="utf-8") == md


# --- a study's frame additions ----------------------------------------------------------------

ADDED = "The Northern Front shelled the valley. The Front withdrew; a flood followed the raid.\n"


def test_frame_additions_extend_a_builtin_frame(tmp_path):
    add = tmp_path / "frames.yml"
    add.write_text("security:\n  groups: [northern front, shell]\n  again: [raid]\n",
                   encoding="utf-8")
    art = parse_text(ADDED)
    idx = _idx(art, 200)
    plain, extended = EmphasisScorer(), EmphasisScorer(frame_additions=[add])
    assert extended.columns() == plain.columns()  # no new column: the frame grows
    assert extended.frame_additions == (str(add),)
    sec = [(m.term, art.doc[m.tok_start:m.tok_end].text)
           for _i, m in extended.match(art) if m.category == "security"]
    # "raid" is a built-in pattern already: it still counts once
    assert sec == [("northern front", "Northern Front"), ("shell", "shelled"), ("raid", "raid")]
    assert [m.term for _i, m in plain.match(art) if m.category == "security"] == ["raid"]
    res = extended.score(art, idx)
    assert res.columns["emph_security"] == pytest.approx(3 * 1000 / art.n_words)
    assert res.columns["emph_security"] > plain.score(art, idx).columns["emph_security"]
    ev = {(e["feature"], e["term"]) for e in res.evidence}
    assert {("security", "northern front"), ("security", "shell")} <= ev
    # the other frames are untouched
    for f in FRAMES:
        if f != "security":
            assert res.columns[f"emph_{f}"] == plain.score(art, idx).columns[f"emph_{f}"]


def test_frame_additions_with_a_new_key_add_columns(tmp_path):
    add = tmp_path / "study.tsv"
    add.write_text("category\tpattern\nweather\tflood*\nsecurity\tnorthern front\n",
                   encoding="utf-8")
    user = tmp_path / "user.yml"
    user.write_text("places: [valley]\n", encoding="utf-8")
    sc = EmphasisScorer(dictionaries=[user], frame_additions=[add])
    cols = sc.columns()
    n = 4 * len(FRAMES)
    assert cols[:n] == EmphasisScorer().columns()[:n]
    assert cols[n:] == [f"emph_{k}{s}" for k in ("weather", "places")
                        for s in ("", "_share", "_lo", "_hi")] + ["frame_dominant"]
    art = parse_text(ADDED)
    res = sc.score(art, _idx(art, 200))
    assert list(res.columns) == cols
    assert res.columns["emph_weather"] == pytest.approx(1000 / art.n_words)
    assert res.columns["emph_places"] == pytest.approx(1000 / art.n_words)
    assert res.columns["frame_dominant"] == "security"  # only built-in frames compete
    assert ("weather", "flood*") in {(e["feature"], e["term"]) for e in res.evidence}


def test_user_dictionary_clashing_with_a_frame_errors_also_with_additions(tmp_path):
    add = tmp_path / "add.yml"
    add.write_text("security: [northern front]\nweather: [flood*]\n", encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text("x: [a]\nsecurity: [b]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="bad.yml:2: .*'security' is already defined"):
        EmphasisScorer(dictionaries=[bad], frame_additions=[add])
    clash = tmp_path / "clash.yml"
    clash.write_text("weather: [rain]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="clash.yml:1: .*'weather' is already defined "
                                              ".*add.yml"):
        EmphasisScorer(dictionaries=[clash], frame_additions=[add])
    twice = tmp_path / "twice.yml"
    twice.write_text("weather: [storm]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="twice.yml:1: .*'weather' is already defined"):
        EmphasisScorer(frame_additions=[add, twice])  # a new key in two study files


def test_default_study_frames_extend_the_builtin_frames_only():
    study = load_study(BUNDLED_STUDY)
    assert study.dictionaries
    builtin = {f: {p.text for p in pats} for f, pats in builtin_frames().categories.items()}
    for path in study.dictionaries:
        d = load_dictionary(path)
        assert set(d.categories) <= set(FRAMES), path  # extends frames, adds no column
        for f, pats in d.categories.items():
            assert not {p.text for p in pats} & builtin[f], (path, f)  # moved, not copied
    assert EmphasisScorer(frame_additions=study.dictionaries).columns() == \
        EmphasisScorer().columns()
