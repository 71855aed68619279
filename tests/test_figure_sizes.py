"""Every figure of notebooks 00-03 stays legible at any N: no PNG beyond 4,000 pixels a side, and
beyond a dozen articles colour is the group, not the article (analysis/article_plots.py).

Synthetic processed tables (the columns ``python -m analysis features`` writes) for 1, 5, 20, 300
and 20,000 articles. The notebooks themselves run: their code cells are executed in this process
with the parameters cell overridden as papermill overrides it (papermill's kernel start-up, about
5 s a notebook, would put the test far beyond a minute; tests/test_notebooks.py runs every
notebook under papermill on the fixture corpus). Each figure's colours are recorded before it is
saved, and only its PNG is written, cropped as ``save_figure`` crops it (tight box at 200 dpi);
the real ``save_figure`` (PDF and SVG too) is exercised on a strip of rasterised points.
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

from analysis import article_plots as ap  # noqa: E402
from analysis import figures as house  # noqa: E402
from analysis.config import NOTEBOOKS_DIR  # noqa: E402
from analysis.emphasis import FRAMES  # noqa: E402
from analysis.sources import AFFILIATIONS, ATTRIBUTION_COLUMNS, TYPES  # noqa: E402

NOTEBOOKS = [NOTEBOOKS_DIR / f"{n}.ipynb" for n in
             ("00-corpus", "01-tone", "02-emphasis", "03-sources")]
MAX_PX = 4000
GENRES = ["analysis", "news report", "opinion"]
CUES = {"optimism": ["progress", "cooperation", "breakthrough", "strengthen", "hope"],
        "caution": ["risk", "threat", "uncertain", "challenge", "concern"]}
TERMS = {f: [f"{f[:4]}{i}" for i in range(12)] for f in FRAMES}
RULES = ["breadcrumb", "follow_us", "read_also", "disclaimer"]


def synthetic_processed(folder, n: int, seed: int = 0):
    """features, sentences, evidence, attributions and audit tables for ``n`` articles."""
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
    for c in ("src_simpson", "src_official_share", "src_pk_share", "src_us_share",
              "src_other_share", "src_anonymous_share", "src_direct_quote_share"):
        f[c] = np.where(n_attr > 0, rng.uniform(0, 1, n), np.nan)
    order += ["frame_dominant", "src_n_attributions", "src_n_unique", "src_n_types",
              "src_entropy", "src_entropy_lo", "src_entropy_hi", "src_simpson",
              "src_official_share", "src_pk_share", "src_us_share", "src_other_share",
              "src_anonymous_share", "src_direct_quote_share"]
    f[order].to_csv(folder / "features.csv", index=False)

    art = np.repeat(np.array(ids), sent)
    sid = np.concatenate([np.arange(k) for k in sent])
    m = len(art)
    comp = rng.uniform(-1, 1, m).round(4)
    pd.DataFrame({"article_id": art, "sentence_id": sid, "is_heading": sid == 0,
                  "n_words": rng.integers(5, 40, m), "tone_compound": comp,
                  "tone_compound_adapted": (comp * 0.9).round(4),
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
                  "source_affiliation": np.array(AFFILIATIONS)[who % len(AFFILIATIONS)],
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


def run_in_process(nb_path, parameters: dict, record: dict):
    """Run the notebook's code cells here, its parameters cell overridden by ``parameters``;
    ``record[figure_id]`` gets the non-grey colours of each figure saved and how many of its
    tick labels name an article ("<article_id> · ...")."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    ns: dict = {"__name__": "__notebook__"}

    def recording_save(fig, figure_id, caption, *, out_dir, **_provenance):
        ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
        record[figure_id] = (drawn_colors(fig), sum(" · " in t for t in ticks))
        assert caption and figure_id[:5] in {f"fig{i:02d}" for i in range(13)}
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


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    return {n: synthetic_processed(tmp_path_factory.mktemp(f"n{n}"), n) for n, _ in CASES}


@pytest.mark.parametrize("n,group_by", CASES, ids=[f"n{n}" for n, _ in CASES])
def test_figures_bounded_and_coloured_by_group(n, group_by, corpora, tmp_path):
    processed = corpora[n]
    record: dict = {}
    for nb in NOTEBOOKS:
        run_in_process(nb, {"processed_dir": str(processed), "figures_dir": str(tmp_path),
                            "group_by": group_by}, record)
    pngs = assert_sizes(tmp_path)
    assert len(pngs) == 13 == len(record)
    features = pd.read_csv(processed / "features.csv", dtype=str, keep_default_na=False)
    groups = ap.article_groups(features, group_by)
    if n > ap.MAX_ARTICLE_COLORS:  # colour is the group: nothing in an article-only colour
        allowed = {c.upper() for c in groups.colors.values()}
        allowed |= {c.upper() for c in house.TYPE_COLORS.values()}
        stray = {fid: sorted(cs - allowed) for fid, (cs, _) in record.items() if cs - allowed}
        assert not stray, f"colours that are not groups ({sorted(allowed)}): {stray}"
        if len(groups.names) < len(ap.GROUP_COLORS):
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
    groups = ap.article_groups(features)
    fig, ax = plt.subplots(figsize=(5, 2))
    ap.draw_distributions(ax, features.set_index("article_id")["x"], groups)
    house.save_figure(fig, "fig99-strip", "test", out_dir=tmp_path)
    svg = (tmp_path / "fig99-strip.svg").read_text()
    assert "<image" in svg and svg.count("<use ") < 100  # one image, not 1,500 markers
    assert max(png_size(tmp_path / "fig99-strip.png")) <= MAX_PX


@pytest.mark.parametrize("n_values", [7, 8, 20])
def test_article_groups_pool_beyond_seven(n_values):
    features = pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(100)],
                             "outlet": [f"o{i % n_values}" if i % 9 else "" for i in range(100)]})
    groups = ap.article_groups(features, "outlet")
    assert len(groups.names) <= ap.MAX_GROUPS and len(set(groups.colors.values())) == len(
        groups.names)
    # 7 outlets + "unknown" are 8 values already: the 7 largest keep a colour, the rest pool
    assert groups.pooled and groups.names[-1] == "other groups"
    value_sizes = features["outlet"].replace("", "unknown").value_counts()
    kept = [g for g in groups.names if g != "other groups"]
    assert value_sizes[kept].min() >= value_sizes.drop(kept).max()
    assert groups.colors["other groups"] == ap.OTHER_COLOR
    assert sum(groups.sizes.values()) == 100
    assert set(groups.article_colors.values()) <= set(groups.colors.values())
    one = ap.article_groups(features.head(5))
    assert one.names == ("all",) and one.article_colors == house.article_colors(
        features.head(5)["article_id"])
    with pytest.raises(ValueError, match="not a column"):
        ap.article_groups(features, "genre")


def test_spread_labels_keeps_order_and_gap():
    y = np.array([0.5, 0.0, 0.1, 3.0, 0.15])
    pos = ap.spread_labels(y, 0.4, lower=-0.2)
    assert list(np.argsort(pos, kind="stable")) == list(np.argsort(y, kind="stable"))
    assert np.diff(np.sort(pos)).min() >= 0.4 - 1e-12
    assert pos.min() >= -0.2 - 1e-12 and pos[3] == 3.0  # a label with room stays where it is
