"""Every figure of notebooks 00-03 stays legible at any N: no PNG beyond 4,000 pixels a side, and
beyond a dozen articles colour is the group, not the article (analysis/plots/grouping.py).

Synthetic processed tables (the columns ``python -m analysis features`` writes) for 1, 5, 20, 300
and 20,000 articles. The notebooks themselves run: their code cells are executed in this process
with the parameters cell overridden as papermill overrides it (papermill's kernel start-up, about
5 s a notebook, would put the test far beyond a minute; tests/test_notebooks.py runs every
notebook under papermill on the fixture corpus). Each figure must come as a ``Plot`` with a
caption; its colours are recorded before it is saved, and only its PNG is written, cropped as
``save_figure`` crops it (tight box at 200 dpi); the real ``save_figure`` (PDF and SVG too) is
exercised on a strip of rasterised points.
"""

from __future__ import annotations

import json
import struct

import matplotlib

matplotlib.use("agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots import articles as ap  # noqa: E402
from analysis import compare, figures as house  # noqa: E402
from analysis.config import NOTEBOOKS_DIR  # noqa: E402
from analysis.measures.emphasis.scorer import FRAMES  # noqa: E402
from analysis.measures.sources import ATTRIBUTION_COLUMNS, TYPES  # noqa: E402
from analysis.study import load_study  # noqa: E402

# Every figure drawn at up to 20,000 articles, notebooks 04/05 under papermill.
pytestmark = pytest.mark.slow

NOTEBOOKS = [NOTEBOOKS_DIR / f"{n}.ipynb" for n in
             ("00-corpus", "01-tone", "02-emphasis", "03-sources")]
MAX_PX = 4000
GENRES = ["analysis", "news report", "opinion"]
CUES = {"optimism": ["progress", "cooperation", "breakthrough", "strengthen", "hope"],
        "caution": ["risk", "threat", "uncertain", "challenge", "concern"]}
TERMS = {f: [f"{f[:4]}{i}" for i in range(12)] for f in FRAMES}
RULES = ["breadcrumb", "follow_us", "read_also", "disclaimer"]
# An invented study: two sides, one with a colour of its own, one in the house palette.
STUDY = """actors:
  council: {label: City council, words: [council, councillor], colour: "#1B9E77"}
  union: {label: Dock workers' union, words: [union, strikers]}
"""
ACTOR_AFFILIATIONS = ["council", "union", "other", "multiple", "unknown"]
# A study without actors: the affiliations are the countries found (more than a figure names).
COUNTRY_AFFILIATIONS = ["kenya", "peru", "chile", "fiji", "norway", "nepal", "ghana", "oman",
                        "laos", "other", "multiple", "unknown"]


def study_file(folder, countries: bool = False) -> str:
    """The study the synthetic tables were made for: "none" (countries) or a written file."""
    if countries:
        return "none"
    path = folder / "study.yml"
    path.write_text(STUDY, encoding="utf-8")
    return str(path)


def study_colours(study: str) -> set[str]:
    """The colours the study gives its actors (drawn as categories, never as articles)."""
    return {a.colour.upper() for a in load_study(study).actors if a.colour}


def synthetic_processed(folder, n: int, seed: int = 0, countries: bool = False):
    """features, sentences, evidence, attributions and audit tables for ``n`` articles; the
    affiliations are the actors of :data:`STUDY`, or (``countries``) country keys."""
    affiliations = COUNTRY_AFFILIATIONS if countries else ACTOR_AFFILIATIONS
    rng = np.random.default_rng(seed)
    ids = [f"s{i:05d}" for i in range(n)]
    sent = rng.integers(4, 12, n)
    words = sent * rng.integers(15, 30, n)
    f = pd.DataFrame({"article_id": ids, "file": [f"{a}.txt" for a in ids],
                      "title": [f"Synthetic article {i}" for i in range(n)],
                      "outlet": [f"Outlet {i % 40:02d}" if i % 17 else "" for i in range(n)],
                      "date": "2025-08-14", "genre": [GENRES[i % 3] for i in range(n)], "url": "",
                      "n_words": words, "n_sentences": sent, "n_headings": rng.integers(0, 4, n),
                      "n_boilerplate_removed": rng.integers(0, 5, n)})

    def est(name, lo_=-1.0, hi_=1.0, scale=0.1, nan_every=0):
        x = rng.uniform(lo_, hi_, n)
        if nan_every:
            x[::nan_every] = np.nan
        f[name], f[f"{name}_lo"], f[f"{name}_hi"] = x, x - scale, x + scale

    est("tone_mean", -0.5, 0.5)
    f["tone_pos_share"] = rng.uniform(0, 0.6, n)
    f["tone_neg_share"] = rng.uniform(0, 0.4, n)
    est("tone_mean_adapted", -0.5, 0.5)
    for c in ("optimism", "caution", "hedging", "boosting"):
        f[c] = rng.uniform(0, 15, n)
    est("net_optimism", -0.3, 0.3, 0.05)
    for fr in FRAMES:
        est(f"emph_{fr}", 0, 80, 5)
        f[f"emph_{fr}_share"] = rng.uniform(0, 1, n)
        f[[f"emph_{fr}_lo"]] = f[[f"emph_{fr}_lo"]].clip(lower=0)
    order = ["article_id", "file", "title", "outlet", "date", "genre", "url", "n_words",
             "n_sentences", "n_headings", "n_boilerplate_removed", "tone_mean", "tone_mean_lo",
             "tone_mean_hi", "tone_pos_share", "tone_neg_share", "tone_mean_adapted",
             "tone_mean_adapted_lo", "tone_mean_adapted_hi", "optimism", "caution", "hedging",
             "boosting", "net_optimism", "net_optimism_lo", "net_optimism_hi"]
    order += [f"emph_{fr}{s}" for fr in FRAMES for s in ("", "_share", "_lo", "_hi")]
    f["frame_dominant"] = [FRAMES[i % len(FRAMES)] for i in range(n)]
    n_attr = rng.integers(0, 6, n)
    f["src_n_attributions"], f["src_n_unique"] = n_attr, np.minimum(n_attr, 3)
    f["src_n_types"] = np.minimum(n_attr, 2)
    est("src_entropy", 0, 2.5, 0.3)
    f.loc[n_attr == 0, ["src_entropy", "src_entropy_lo", "src_entropy_hi"]] = np.nan
    f["src_entropy_lo"] = f["src_entropy_lo"].clip(lower=0)
    for c in ("src_simpson", "src_official_share", "src_anonymous_share",
              "src_direct_quote_share"):
        f[c] = np.where(n_attr > 0, rng.uniform(0, 1, n), np.nan)
    weights = rng.dirichlet(np.ones(len(affiliations)), n)
    share_cols = [f"src_share_{a}" for a in affiliations]
    for j, c in enumerate(share_cols):
        f[c] = np.where(n_attr > 0, weights[:, j], np.nan)
    order += ["frame_dominant", "src_n_attributions", "src_n_unique", "src_n_types",
              "src_entropy", "src_entropy_lo", "src_entropy_hi", "src_simpson",
              "src_official_share", "src_anonymous_share", "src_direct_quote_share",
              *share_cols]
    f[order].to_csv(folder / "features.csv", index=False)

    art = np.repeat(np.array(ids), sent)
    sid = np.concatenate([np.arange(k) for k in sent])
    m = len(art)
    comp = rng.uniform(-1, 1, m).round(4)
    pd.DataFrame({"article_id": art, "sentence_id": sid, "is_heading": sid == 0,
                  "n_words": rng.integers(5, 40, m), "tone_compound": comp,
                  "tone_compound_adapted": (comp * 0.9).round(4),
                  "tone_learned": (comp * 0.6).round(4),
                  "optimism": rng.integers(0, 2, m), "caution": rng.integers(0, 2, m),
                  "hedging": 0, "boosting": 0, "sentence_net": (comp / 2).round(4)}
                 ).to_csv(folder / "sentences.csv", index=False)

    vocab = {**TERMS, **CUES, "tone_positive": ["good"]}
    feats = np.array(list(vocab))
    k = 6 * n
    ev_feat = rng.integers(0, len(feats), k)
    terms = np.array([[vocab[x][i % len(vocab[x])] for i in range(60)] for x in feats])
    pd.DataFrame({"article_id": np.array(ids)[rng.integers(0, n, k)], "sentence_id": 0,
                  "feature": feats[ev_feat], "term": terms[ev_feat, rng.integers(0, 60, k)],
                  "start": 0, "end": 4, "sentence": "A synthetic sentence."}
                 ).sort_values(["article_id", "feature"], kind="stable").to_csv(
        folder / "evidence.csv", index=False)

    at_art = np.repeat(np.array(ids), n_attr)
    a = len(at_art)
    who = rng.integers(0, 60, a)
    named = who % 3 != 0
    people = np.array([f"Person Number {w} of a Long Name List" for w in range(60)])
    pd.DataFrame({"article_id": at_art, "sentence_id": 1, "source": "Someone", "source_start": 0,
                  "source_end": 7, "cue": "said", "cue_start": 8, "cue_end": 12,
                  "content": "something", "kind": "indirect",
                  "mention": np.where(named, "name", "unnamed"),
                  "source_key": np.where(named, "person:", "np:") + people[who],
                  "canonical_source": people[who],
                  "source_type": np.array(TYPES)[who % len(TYPES)],
                  "source_affiliation": np.array(affiliations)[who % len(affiliations)],
                  "classified_by": "text"}, columns=ATTRIBUTION_COLUMNS
                 ).to_csv(folder / "attributions.csv", index=False)

    rm = rng.integers(0, n, n)
    pd.DataFrame({"article_id": np.array(ids)[rm], "line": 1, "text": "Follow us",
                  "rule": np.array(RULES)[rm % len(RULES)]}).sort_values(
        "article_id", kind="stable").to_csv(folder / "audit.csv", index=False)
    return folder


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def drawn_colors(fig) -> set[str]:
    """Hex colours (no alpha) of everything drawn that is not a grey: dots, bars, lines,
    bands and legend keys; colour-mapped collections (heatmaps, colour bars) are left out."""
    found = []
    for artist in fig.findobj(lambda a: a.get_visible()):
        if isinstance(artist, matplotlib.collections.Collection):
            if artist.get_array() is not None:
                continue
            found += list(artist.get_facecolors()) + list(artist.get_edgecolors())
        elif isinstance(artist, matplotlib.patches.Patch):
            found += [artist.get_facecolor(), artist.get_edgecolor()]
        elif isinstance(artist, matplotlib.lines.Line2D):
            marker = matplotlib.markers.MarkerStyle(artist.get_marker())
            if artist.get_linestyle() not in ("None", "none", ""):
                found.append(artist.get_color())
            if artist.get_marker() not in ("None", "none", ""):
                found.append(artist.get_markeredgecolor())
                if marker.is_filled():
                    found.append(artist.get_markerfacecolor())
    out = set()
    for c in found:
        if isinstance(c, str) and c == "none":
            continue
        r, g, b, a = mcolors.to_rgba(c)
        if a == 0 or (abs(r - g) < 1e-6 and abs(g - b) < 1e-6):
            continue
        out.add(mcolors.to_hex((r, g, b)).upper())
    return out


def run_in_process(nb_path, parameters: dict, record: dict, figures=range(13)):
    """Run the notebook's code cells here, its parameters cell overridden by ``parameters``;
    ``record[figure_id]`` gets the non-grey colours of each figure saved and how many of its
    tick labels name an article ("<article_id> · ..."); ``figures``: the figure numbers the
    notebook may save."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    ns: dict = {"__name__": "__notebook__"}

    def recording_save(plot, figure_id, caption=None, *, out_dir, **_provenance):
        assert isinstance(plot, ap.Plot) and caption is None, figure_id  # the one contract
        fig, caption = plot.fig, plot.caption
        ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
        record[figure_id] = (drawn_colors(fig), sum(" · " in t for t in ticks))
        record.setdefault("captions", {})[figure_id] = caption
        assert caption.strip() and figure_id[:5] in {f"fig{i:02d}" for i in figures}
        fig.savefig(f"{out_dir}/{figure_id}.png", dpi=house.DPI, bbox_inches="tight")
        plt.close(fig)

    with matplotlib.rc_context():
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                exec(src, ns)  # defaults first, then the overrides, as papermill does
                ns.update(parameters)
                continue
            exec(compile(src, f"{nb_path.name}", "exec"), ns)
            if "save_figure" in ns and ns["save_figure"] is not recording_save:
                ns["save_figure"] = recording_save
    plt.close("all")


def assert_sizes(folder):
    pngs = sorted(folder.glob("fig*.png"))
    assert pngs
    too_big = {p.name: png_size(p) for p in pngs if max(png_size(p)) > MAX_PX}
    assert not too_big, f"PNG over {MAX_PX} px: {too_big}"
    return pngs


CASES = [(1, ""), (5, "genre"), (20, "genre"), (300, "genre"), (20_000, "outlet")]
COUNTRY_CASES = {5, 20_000}  # made for a study without actors: the affiliations are countries


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    out = {}
    for n, _ in CASES:
        folder = tmp_path_factory.mktemp(f"n{n}")
        out[n] = (synthetic_processed(folder, n, countries=n in COUNTRY_CASES),
                  study_file(folder, countries=n in COUNTRY_CASES))
    return out


@pytest.mark.parametrize("n,group_by", CASES, ids=[f"n{n}" for n, _ in CASES])
def test_figures_bounded_and_coloured_by_group(n, group_by, corpora, tmp_path):
    processed, study = corpora[n]
    record: dict = {}
    for nb in NOTEBOOKS:
        run_in_process(nb, {"processed_dir": str(processed), "figures_dir": str(tmp_path),
                            "group_by": group_by, "study": study}, record)
    pngs = assert_sizes(tmp_path)
    captions = record.pop("captions")
    assert len(pngs) == 13 == len(record)
    fig10 = captions["fig10-source-affiliation"]
    if n in COUNTRY_CASES:  # beyond 7 countries, the 6 most cited named, the rest drawn as one
        cited = pd.read_csv(processed / "attributions.csv")["source_affiliation"]
        k = cited[~cited.isin(["other", "multiple", "unknown"])].nunique()
        assert (f"the other {k - 6} " in fig10) == (k > 7) == ("'other countries'" in fig10)
        assert k > 7 or n < 20_000, fig10
    else:
        assert "City council, Dock workers' union" in fig10 and "other countries" not in fig10
    features = pd.read_csv(processed / "features.csv", dtype=str, keep_default_na=False)
    groups = ap.group_articles(features, group_by, strict=True)
    if n > ap.MAX_ARTICLE_COLORS:  # colour is the group: nothing in an article-only colour
        allowed = {c.upper() for c in groups.shown_colors.values()}
        allowed |= {c.upper() for c in house.TYPE_COLORS.values()} | study_colours(study)
        stray = {fid: sorted(cs - allowed) for fid, (cs, _) in record.items() if cs - allowed}
        assert not stray, f"colours that are not groups ({sorted(allowed)}): {stray}"
        if len(groups.names) < len(ap.GROUP_PALETTE):
            unused = set(house.OKABE_ITO) - allowed
            assert not any(cs & unused for cs, _ in record.values())
    if n > ap.MAX_ARTICLE_ROWS:  # rows are groups; articles named only as the extremes
        assert 0 < len(groups.names) <= ap.MAX_GROUPS
        named = {fid: k for fid, (_, k) in record.items() if k}
        assert named == {"fig01-net-optimism": 10, "fig11-source-diversity": 10}
    else:
        assert record["fig01-net-optimism"][1] == n


def test_large_strips_are_rasterised_in_vector_files(tmp_path):
    n = ap.RASTERIZE_ABOVE + 500
    features = pd.DataFrame({"article_id": [f"a{i:05d}" for i in range(n)],
                             "x": np.linspace(0, 1, n)})
    groups = ap.group_articles(features)
    fig, ax = plt.subplots(figsize=(5, 2))
    ap.draw_distributions(ax, features.set_index("article_id")["x"], groups)
    house.save_figure(fig, "fig99-strip", "test", out_dir=tmp_path)
    svg = (tmp_path / "fig99-strip.svg").read_text()
    assert "<image" in svg and svg.count("<use ") < 100  # one image, not 1,500 markers
    assert max(png_size(tmp_path / "fig99-strip.png")) <= MAX_PX


@pytest.mark.parametrize("n_values", [7, 8, 20])
def test_groups_shown_pool_beyond_seven(n_values):
    features = pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(100)],
                             "outlet": [f"o{i % n_values}" if i % 9 else "" for i in range(100)]})
    groups = ap.group_articles(features, "outlet", strict=True)
    assert len(groups.names) <= ap.MAX_GROUPS and len(set(groups.shown_colors.values())) == len(
        groups.names)
    # 7 outlets + "unknown" are 8 values already: the 7 largest keep a colour, the rest pool
    assert groups.pooled and groups.names[-1] == "other groups"
    value_sizes = features["outlet"].replace("", "unknown").value_counts()
    kept = [g for g in groups.names if g != "other groups"]
    assert value_sizes[kept].min() >= value_sizes.drop(kept).max()
    assert groups.shown_colors["other groups"] == ap.GREY
    assert sum(groups.shown_sizes.values()) == 100
    assert set(groups.article_colors.values()) <= set(groups.shown_colors.values())
    # the groups compared leave the articles without an outlet out and pool nothing
    assert groups.groups == sorted(f"o{i}" for i in range(n_values))
    assert sum(groups.sizes.values()) == int((features["outlet"] != "").sum())
    one = ap.group_articles(features.head(5))
    assert one.names == ("all",) and one.article_colors == house.article_colors(
        features.head(5)["article_id"])
    with pytest.raises(ValueError, match="not a column"):
        ap.group_articles(features, "genre", strict=True)
    assert ap.group_articles(features, "genre").reason == "features.csv has no column `genre`"


def test_one_grouping_for_articles_and_for_groups():
    """A per-article corpus: every article its own colour, the groups in name order; a grouped
    one: the seven largest groups in Okabe-Ito order by name, the rest pooled in grey; and a
    group has the same colour in the figures of articles and in the group comparisons."""
    few = pd.DataFrame({"article_id": ["a3", "a1", "a2"], "genre": ["opinion", "news", "news"]})
    g = ap.group_articles(few, "genre", strict=True)
    assert g.by_article and g.per_article and g.names == ("news", "opinion")
    assert g.article_colors == dict(zip(["a1", "a2", "a3"], house.OKABE_ITO))
    assert g.shown_colors == dict(zip(g.names, ap.GROUP_PALETTE)) == {
        k: v for k, v in g.colors.items() if k != "other groups"}
    assert g.shown_sizes == g.sizes == {"news": 2, "opinion": 1} and g.can_compare
    assert g.rows({a: a.upper() for a in few["article_id"]}) == (["a1", "a2", "a3"],
                                                                 ["A1", "A2", "A3"])
    n = 600  # 10 outlets of decreasing size: o0 largest
    outlets = [f"o{k}" for k in range(10) for _ in range(10 - k) for _ in range(n // 55)]
    many = pd.DataFrame({"article_id": [f"a{i:04d}" for i in range(len(outlets))],
                         "outlet": outlets})
    g = ap.group_articles(many, "outlet", strict=True)
    largest = compare.largest_groups(outlets, 7)
    assert not g.per_article and g.pooled
    assert g.names == (*sorted(largest), "other groups")
    assert g.shown_colors == {**dict(zip(sorted(largest), ap.GROUP_PALETTE)),
                              "other groups": ap.GREY}
    assert g.colors == {**{o: g.shown_colors.get(o, ap.GREY) for o in sorted(set(outlets))},
                        "other groups": ap.GREY}  # the same colours in notebook 05
    assert g.shown_sizes["other groups"] == sum(o not in largest for o in outlets)
    assert g.sizes == pd.Series(outlets).value_counts().to_dict()
    assert set(g.of[g.of == "other groups"].index) == {
        a for a, o in zip(many["article_id"], outlets) if o not in largest}
    assert g.article_colors["a0000"] == g.shown_colors["o0"]
    assert g.row_of(pd.Series(["a0000"])).tolist() == ["o0"]


def test_spread_labels_keeps_order_and_gap():
    y = np.array([0.5, 0.0, 0.1, 3.0, 0.15])
    pos = ap.spread_labels(y, 0.4, lower=-0.2)
    assert list(np.argsort(pos, kind="stable")) == list(np.argsort(y, kind="stable"))
    assert np.diff(np.sort(pos)).min() >= 0.4 - 1e-12
    assert pos.min() >= -0.2 - 1e-12 and pos[3] == 3.0  # a label with room stays where it is


# --- notebook 04 (fig13-fig16: text similarity, framing map, distinctive terms, profile) -------

NOTEBOOK_04 = NOTEBOOKS_DIR / "04-comparison.ipynb"
# Letters only: the TF-IDF tokens are runs of two or more letters (no digits).
_SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu", "ba", "de"]
VOCABULARY = np.array([a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES[:4]])
CASES_04 = [(1, ""), (5, "genre"), (20, "genre"), (40, ""), (300, "genre"), (20_000, "outlet")]


def synthetic_texts(processed, group_by: str, seed: int = 0, terms_csv: bool = False):
    """``corpus.csv`` (article_id, text) for the articles of ``processed/features.csv``: short
    texts of words drawn from :data:`VOCABULARY`, each group using a few words of its own more
    often; ``terms_csv``: also ``terms.csv`` (word counts per article) in ``processed``."""
    features = pd.read_csv(processed / "features.csv", dtype=str, keep_default_na=False)
    n = len(features)
    rng = np.random.default_rng(seed)
    words = VOCABULARY[rng.integers(0, len(VOCABULARY), (n, 30))]
    key = features[group_by] if group_by else pd.Series([""] * n)
    code = pd.factorize(key)[0]
    own = VOCABULARY[(code[:, None] * 7 + rng.integers(0, 5, (n, 6))) % len(VOCABULARY)]
    texts = [" ".join(w) + ". " + " ".join(o) + "." for w, o in zip(words, own)]
    path = processed / f"corpus-{group_by or 'all'}.csv"
    pd.DataFrame({"article_id": features["article_id"], "text": texts}).to_csv(path, index=False)
    if terms_csv:
        long = pd.DataFrame({"article_id": np.repeat(features["article_id"].to_numpy(), 36),
                             "term": np.concatenate([words, own], axis=1).ravel()})
        (long.groupby(["article_id", "term"]).size().rename("count").reset_index()
         .to_csv(processed / "terms.csv", index=False))
    return path


@pytest.fixture(scope="module")
def corpora_04(tmp_path_factory):
    out = {}
    for n, group_by in CASES_04:
        folder = tmp_path_factory.mktemp(f"nb04-n{n}")
        synthetic_processed(folder, n, countries=n in COUNTRY_CASES)
        out[n] = (folder, synthetic_texts(folder, group_by, terms_csv=n == 300),
                  study_file(folder, countries=n in COUNTRY_CASES))
    return out


@pytest.mark.parametrize("n,group_by", CASES_04, ids=[f"nb04-n{n}" for n, _ in CASES_04])
def test_notebook_04_bounded_and_coloured_by_group(n, group_by, corpora_04, tmp_path,
                                                   monkeypatch):
    from analysis import compare

    processed, corpus, study = corpora_04[n]
    dense = compare.tfidf_similarity

    def small_only(texts):  # the articles x articles matrix is for small corpora only
        texts = list(texts)
        assert len(texts) <= ap.MAX_ARTICLE_ROWS, f"dense {len(texts)} x {len(texts)} similarity"
        return dense(texts)

    monkeypatch.setattr(compare, "tfidf_similarity", small_only)
    record: dict = {}
    run_in_process(NOTEBOOK_04, {"processed_dir": str(processed), "figures_dir": str(tmp_path),
                                 "corpus_dir": str(corpus), "group_by": group_by,
                                 "study": study}, record,
                   figures=range(13, 17))
    captions = record.pop("captions")
    pngs = assert_sizes(tmp_path)
    assert [p.stem for p in pngs] == ["fig13-similarity", "fig14-framing-map",
                                      "fig15-distinctive-terms", "fig16-framing-profile"]
    features = pd.read_csv(processed / "features.csv", dtype=str, keep_default_na=False)
    groups = ap.group_articles(features, group_by, strict=True)
    if n > ap.MAX_ARTICLE_COLORS:  # colour is the group: nothing in an article-only colour
        allowed = {c.upper() for c in groups.shown_colors.values()} | study_colours(study)
        stray = {fid: sorted(cs - allowed) for fid, (cs, _) in record.items() if cs - allowed}
        assert not stray, f"colours that are not groups ({sorted(allowed)}): {stray}"
        unused = set(house.OKABE_ITO) - allowed
        assert not any(cs & unused for cs, _ in record.values())
        assert "by group" in captions["fig15-distinctive-terms"]
    profile = captions["fig16-framing-profile"]
    if n in COUNTRY_CASES:
        assert "'other countries'" in profile, profile
    else:
        assert "City council, Dock workers' union" in profile, profile
    named = {fid: k for fid, (_, k) in record.items() if k}
    if n <= ap.MAX_ARTICLE_ROWS:  # one row per article in fig13 and fig16
        assert named.get("fig13-similarity") == named.get("fig16-framing-profile") == n
    elif len(groups.names) > 1:  # groups only, no article rows; the mean similarity, sparse
        assert not named
        assert "no articles × articles matrix" in captions["fig13-similarity"]
        assert "group centroids" in captions["fig14-framing-map"]
    else:  # one group: a deterministic sample of 30 articles in fig13
        assert named == {"fig13-similarity": ap.MAX_ARTICLE_ROWS}
        assert "sampled deterministically" in captions["fig13-similarity"]


def test_group_mean_similarity_is_the_mean_of_the_dense_blocks():
    from sklearn.metrics.pairwise import cosine_similarity

    from analysis import compare, plots

    rng = np.random.default_rng(1)
    texts = [" ".join(VOCABULARY[rng.integers(0, 60, 12)]) for _ in range(40)]
    texts[7] = "42 and the"  # no term at all: a zero row, cosine 0 with everything
    of = np.array(["a", "b", "c", "c"] * 10)
    of[3] = "d"  # a group of one article: no pair within it
    counts, terms, tfidf = compare.sparse_tfidf(texts)
    reference = compare.tfidf_similarity(texts)
    assert (abs(tfidf - reference.tfidf)).max() == 0 and list(terms) == list(reference.terms)
    got = compare.group_mean_similarity(tfidf, of, ["a", "b", "c", "d"])
    dense = cosine_similarity(tfidf)
    for g in "abcd":
        for h in "abcd":
            block = dense[np.ix_(of == g, of == h)]
            if g == h:
                block = block[~np.eye(len(block), dtype=bool)]
            want = block.mean() if block.size else np.nan
            assert np.isclose(got.at[g, h], want, atol=1e-9, equal_nan=True), (g, h)
