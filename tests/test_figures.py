"""save_figure: byte-identical, one set of four files, umask modes, a provenance sidecar, the
caption and inputs of a Plot; the styles and columns of source affiliations come from the study;
one palette, one name per figure function."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import stat
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import compare, plots  # noqa: E402
from analysis.cli import main as cli_main  # noqa: E402
from analysis.figures import (AFFILIATION_PALETTE, FOLDED, NEUTRAL_AFFILIATIONS,  # noqa: E402
                              OKABE_ITO, affiliation_style, apply_style, article_colors,
                              article_labels, maths_tick_labels, save_figure)
from analysis.plots import Plot  # noqa: E402
from analysis.plots.sources import plot_affiliation_shares  # noqa: E402
from analysis.provenance import combined_hash  # noqa: E402
from analysis.study import Study, parse_study  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2], color=["#E69F00", "#56B4E9"])
    ax.set_xlabel("article")
    ax.set_ylabel("value (per 1,000 words)")
    return fig


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_two_saves_are_byte_identical(tmp_path):
    inp = tmp_path / "input.csv"
    inp.write_text("article_id,x\na,1\n")
    runs = []
    out = tmp_path / "figs"
    for _ in range(2):
        save_figure(_figure(), "fig99-test-figure", caption="A test.", notebook="99-test.ipynb",
                    parameters={"figures_dir": str(out)}, inputs=[inp], out_dir=out)
        runs.append(_hashes(out))
    assert runs[0] == runs[1]
    assert set(runs[0]) == {f"fig99-test-figure.{x}" for x in ("png", "pdf", "svg", "json")}


def test_stamps_are_stripped(tmp_path):
    save_figure(_figure(), "fig99-stamps", caption="x", out_dir=tmp_path)
    pdf = (tmp_path / "fig99-stamps.pdf").read_bytes()
    svg = (tmp_path / "fig99-stamps.svg").read_text()
    png = (tmp_path / "fig99-stamps.png").read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf
    assert "<dc:date>" not in svg
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_sidecar_has_provenance(tmp_path):
    inp = tmp_path / "features.csv"
    inp.write_text("article_id\na\n")
    side = save_figure(_figure(), "fig98-sidecar", caption="Caption with n = 2.",
                       notebook="01-tone.ipynb", parameters={"n_resamples": 2000},
                       inputs=[inp], out_dir=tmp_path)
    on_disk = json.loads((tmp_path / "fig98-sidecar.json").read_text())
    assert on_disk == side
    assert side["caption"] == "Caption with n = 2."
    assert side["notebook"] == "notebooks/01-tone.ipynb"
    assert side["parameters"] == {"n_resamples": 2000}
    assert side["inputs"] == {"features.csv": hashlib.sha256(inp.read_bytes()).hexdigest()}
    assert side["package_version"] and len(side["code_sha256"]) == 64
    # the code: each imported package module's hash, and one hash of them (test_provenance.py)
    assert side["code_sha256"] == combined_hash(side["code_modules"])
    assert {"analysis", "analysis.figures", "analysis.provenance"} <= set(side["code_modules"])
    assert list(side["code_modules"]) == sorted(side["code_modules"])
    assert all(len(v) == 12 for v in side["lexicon_versions"].values())
    assert "rules/boilerplate.tsv" in side["lexicon_versions"]


def test_no_temporary_files_left_and_failed_save_leaves_nothing(tmp_path):
    save_figure(_figure(), "fig97-clean", caption="x", out_dir=tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    fig = _figure()

    def boom(*a, **k):
        raise RuntimeError("interrupted")

    fig.savefig = boom
    with pytest.raises(RuntimeError):
        save_figure(fig, "fig96-broken", caption="x", out_dir=tmp_path)
    assert not list(tmp_path.glob("fig96-broken*")) and not list(tmp_path.glob(".*"))


def test_a_plot_brings_its_caption_and_inputs(tmp_path):
    own, given = tmp_path / "terms.csv", tmp_path / "features.csv"
    own.write_text("article_id,term,count\na,x,1\n")
    given.write_text("article_id\na\n")
    plot = Plot(_figure(), "Caption of the plot; n = 2.", inputs=[own])
    side = save_figure(plot, "fig91-plot", inputs=[given], out_dir=tmp_path / "figs")
    assert side["caption"] == "Caption of the plot; n = 2."
    assert set(side["inputs"]) == {"terms.csv", "features.csv"}
    assert side["inputs"]["terms.csv"] == hashlib.sha256(own.read_bytes()).hexdigest()
    # the same figure saved bare, with the caption given: the same images
    fig = _figure()
    save_figure(fig, "fig91-plot", caption=plot.caption, out_dir=tmp_path / "bare")
    images = {k: v for k, v in _hashes(tmp_path / "figs").items() if not k.endswith(".json")}
    assert images == {k: v for k, v in _hashes(tmp_path / "bare").items()
                      if not k.endswith(".json")}
    with pytest.raises(ValueError, match="caption comes from the Plot"):
        save_figure(Plot(_figure(), "x"), "fig91-plot", caption="y", out_dir=tmp_path)
    with pytest.raises(ValueError, match="needs a caption"):
        save_figure(_figure(), "fig91-plot", out_dir=tmp_path)
    plt.close("all")


def test_not_drawn_is_a_plot_that_says_why():
    shown = plots.not_drawn("Timeline", "the dates fall in 2 months.", prefix="Nothing: ",
                            note="**No timeline.**")
    assert isinstance(shown, Plot) and shown.data is None and shown.table is None
    assert shown.caption == "Timeline not drawn: the dates fall in 2 months."
    texts = [t.get_text() for t in shown.fig.texts]
    assert texts == ["Timeline not drawn", "Nothing: the dates fall in 2 months."]
    plt.close(shown.fig)


PKG = Path(__file__).resolve().parents[1] / "analysis"


def _constants(path):
    """Every string constant of a module that is not a docstring, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.value, n.lineno) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_the_okabe_ito_palette_is_written_once():
    found = [f"{p.relative_to(PKG)}:{line}" for p in sorted(PKG.rglob("*.py"))
             for value, line in _constants(p) if value.upper() == OKABE_ITO[0]]
    assert len(found) == 1 and found[0].startswith("figures.py:"), found  # OKABE_ITO
    assert plots.GROUP_PALETTE == OKABE_ITO[:7]  # the groups: Okabe-Ito without yellow


def test_no_two_functions_of_the_plots_package_share_a_name():
    seen: dict[str, list[str]] = {}
    for path in sorted((PKG / "plots").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(path.name)
    twice = {name: where for name, where in seen.items() if len(where) > 1}
    assert not twice, twice


@pytest.mark.parametrize("bad", ["Fig01-x", "fig1-x", "fig01_x", "fig01-"])
def test_figure_ids_are_checked(tmp_path, bad):
    with pytest.raises(ValueError, match="figure_id"):
        save_figure(_figure(), bad, caption="x", out_dir=tmp_path)


def test_article_colours_are_stable_and_labels_short():
    ids = ["b", "a", "c"]
    assert article_colors(ids) == article_colors(sorted(ids))
    assert len(set(article_colors(ids).values())) == 3
    meta = pd.DataFrame({"article_id": ["a", "b"], "title": ["A very long title " * 5, ""],
                         "outlet": ["", ""], "date": ["2025-08-20", ""]})
    labels = article_labels(meta)
    assert labels["b"] == "b"
    assert labels["a"].startswith("a · A very long") and labels["a"].endswith("(2025-08-20)")
    assert len(labels["a"]) < 50


def _box_inches(folder, stem):
    """(width, height) in inches of the saved PNG, PDF page and SVG canvas."""
    from PIL import Image

    w, h = Image.open(folder / f"{stem}.png").size
    pdf = (folder / f"{stem}.pdf").read_bytes()
    media = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf).groups()
    svg = (folder / f"{stem}.svg").read_text()
    canvas = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    return {"png": (w / 200, h / 200), "pdf": tuple(float(v) / 72 for v in media),
            "svg": tuple(float(v) / 72 for v in canvas)}


def test_png_is_matplotlibs_tight_png_and_all_formats_share_its_box(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))  # long text: Agg and vector text widths differ
    ax.barh(["a long label for an article (2025-08-14)", "b · Fixture Times"], [1, 2])
    ax.set_xlabel("matches per 1,000 words in the article, all frames together")
    save_figure(fig, "fig95-box", caption="x", out_dir=tmp_path, close=False)
    reference = tmp_path / "reference.png"
    fig.savefig(reference, format="png", dpi=200, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)
    assert (tmp_path / "fig95-box.png").read_bytes() == reference.read_bytes()
    box = _box_inches(tmp_path, "fig95-box")
    for fmt in ("pdf", "svg"):  # the same box; the PNG rounds it to whole pixels
        assert box[fmt] == pytest.approx(box["png"], abs=1 / 200), fmt


def test_constrained_layout_figure_is_byte_stable_and_keeps_its_layout_engine(tmp_path):
    runs = []
    for run in ("first", "second"):
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
        for ax in axes:
            ax.barh(["a long label", "b"], [1, 2])
            ax.set_title("A title")
        engine = fig.get_layout_engine()
        save_figure(fig, "fig94-constrained", caption="x", out_dir=tmp_path / run, close=False)
        assert fig.get_layout_engine() is engine
        plt.close(fig)
        runs.append({k: v for k, v in _hashes(tmp_path / run).items() if not k.endswith("json")})
    assert runs[0] == runs[1] and len(runs[0]) == 3


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_mode_of_a_plain_open(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        save_figure(_figure(), "fig93-mode", caption="x", out_dir=tmp_path)
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert len(modes) == 4 and set(modes.values()) == {mode}, modes


@pytest.mark.slow
def test_sidecar_is_removed_first_and_written_last(tmp_path, monkeypatch):
    """A save that stops while the files are swapped leaves images without a sidecar, never
    the old sidecar beside new images."""
    save_figure(_figure(), "fig92-swap", caption="old", out_dir=tmp_path)
    import analysis.figures as figures

    real = os.replace

    def replace(src, dst):
        if str(dst).endswith(".pdf"):
            raise OSError("disk gone")
        real(src, dst)

    monkeypatch.setattr(figures.os, "replace", replace)
    with pytest.raises(OSError, match="disk gone"):
        save_figure(_figure(), "fig92-swap", caption="new", out_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["fig92-swap.pdf", "fig92-swap.png", "fig92-swap.svg"]  # no sidecar, no temp
    monkeypatch.setattr(figures.os, "replace", real)
    save_figure(_figure(), "fig92-swap", caption="new", out_dir=tmp_path)
    assert json.loads((tmp_path / "fig92-swap.json").read_text())["caption"] == "new"


# --- source affiliations: labels, colours and columns come from the study ---------------------

STUDY = """actors:
  council: {label: City council, words: [council, councillor], colour: "#1B9E77"}
  union: {label: Dock workers' union, words: [union, strikers]}
"""
NEUTRAL = ["other", "multiple", "unknown"]


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_affiliation_style_takes_the_study_labels_and_colours():
    study = parse_study(STUDY)
    style = affiliation_style(["union", "council", *NEUTRAL], study)
    assert style["council"] == ("City council", "#1B9E77", "")
    assert style["union"] == ("Dock workers' union", *AFFILIATION_PALETTE[1])  # 2nd actor
    assert {k: style[k] for k in NEUTRAL} == {k: NEUTRAL_AFFILIATIONS[k] for k in NEUTRAL}
    assert len({(c, h) for _, c, h in style.values()}) == len(style)  # no two look alike
    # the same keys give the same styles, in whatever order and company they come
    assert affiliation_style(["council"], study) == {"council": style["council"]}
    assert affiliation_style(["union", "council", *NEUTRAL], study) == style
    # a study that colours its first actor with the palette's first entry: the other moves on
    clash = parse_study(STUDY.replace("#1B9E77", AFFILIATION_PALETTE[0][0]))
    assert affiliation_style(["union"], clash)["union"][1:] != AFFILIATION_PALETTE[0]


def test_affiliation_style_without_actors_labels_countries_in_the_order_given():
    style = affiliation_style(["new_zealand", "kenya", "atlantis", "other"], Study())
    assert [v[0] for v in style.values()] == ["New Zealand", "Kenya", "atlantis", "other"]
    assert [v[1:] for v in style.values()][:3] == list(AFFILIATION_PALETTE[:3])
    flipped = affiliation_style(["kenya", "new_zealand"], Study())
    assert flipped["kenya"][1:] == AFFILIATION_PALETTE[0]


def _attributions():
    return pd.DataFrame({"article_id": ["a1"] * 4 + ["a2"] * 3,
                         "source_affiliation": ["union", "union", "council", "unknown",
                                                "council", "other", ""]})


def _articles(*ids):
    features = pd.DataFrame({"article_id": list(ids)})
    return features, plots.group_articles(features), {a: a.upper() for a in ids}


def test_fig10_draws_the_study_actors_with_their_labels_and_colours():
    att = _attributions()
    fig10 = plot_affiliation_shares(att, *_articles("a1", "a2", "a3"), parse_study(STUDY))
    fig, note = fig10.fig, fig10.caption
    ax = fig.axes[0]
    assert _legend(ax) == ["City council", "Dock workers' union", *NEUTRAL]
    bars = {c.get_label(): [round(p.get_width(), 3) for p in c] for c in ax.containers}
    assert bars["City council"] == [0.25, 0.333, 0.0]  # a3 has no attributions
    assert bars["Dock workers' union"] == [0.5, 0.0, 0.0]
    assert bars["unknown"] == [0.25, 0.333, 0.0]  # an empty affiliation counts as unknown
    assert mcolors.to_hex(ax.containers[0][0].get_facecolor()).upper() == "#1B9E77"
    assert "study's sides (City council, Dock workers' union)" in note
    assert "other countries" not in note
    plt.close(fig)


def test_fig10_labels_say_what_each_n_counts():
    fig10 = plot_affiliation_shares(_attributions(), *_articles("a1", "a2"), Study())
    assert [t.get_text() for t in fig10.fig.axes[0].get_yticklabels()] == \
        ["A1 (n = 4 attributions)", "A2 (n = 3 attributions)"]
    plt.close(fig10.fig)
    # beyond one row per article: a group's articles and its attributions, each said once
    ids = [f"a{i}" for i in range(1, 41)]
    features = pd.DataFrame({"article_id": ids, "outlet": ["north"] * 25 + ["south"] * 15})
    groups = plots.group_articles(features, "outlet")
    fig10 = plot_affiliation_shares(_attributions(), features, groups, {}, Study())
    assert [t.get_text() for t in fig10.fig.axes[0].get_yticklabels()] == \
        ["north (n = 25 articles, 7 attributions)", "south (n = 15 articles, 0 attributions)"]
    assert "n in the labels: the group's articles and attributions" in fig10.caption
    plt.close(fig10.fig)


def test_fig10_without_actors_names_the_most_cited_countries_and_folds_the_rest():
    countries = ["kenya", "peru", "chile", "fiji", "norway", "nepal", "ghana", "oman", "laos"]
    values = [c for i, c in enumerate(countries) for _ in range(len(countries) - i)]  # 9, 8, ...
    att = pd.DataFrame({"article_id": "a1", "source_affiliation": values + ["other"]})
    fig10 = plot_affiliation_shares(att, *_articles("a1"), Study())
    fig, note = fig10.fig, fig10.caption
    assert _legend(fig.axes[0]) == ["Kenya", "Peru", "Chile", "Fiji", "Norway", "Nepal",
                                    FOLDED, *NEUTRAL]
    assert "the other 3 (Ghana, Oman, Laos" in note and f"'{FOLDED}'" in note
    plt.close(fig)


def test_fig16_draws_the_src_share_columns_of_the_study():
    f = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "net_optimism": [0.1, -0.2, 0.0],
                      "src_entropy": [1.0, 0.5, float("nan")],
                      "src_share_union": [0.5, 0.0, float("nan")],
                      "src_share_council": [0.25, 1.0, float("nan")],
                      "src_share_other": [0.0, 0.0, float("nan")],
                      "src_share_multiple": [0.0, 0.0, float("nan")],
                      "src_share_unknown": [0.25, 0.0, float("nan")]})
    groups = plots.group_articles(f)
    fig16 = plots.plot_framing_profile(f, [], groups, {a: a for a in f["article_id"]},
                                       study=parse_study(STUDY))
    fig, caption = fig16.fig, fig16.caption
    assert _legend(fig.axes[2]) == ["City council", "Dock workers' union", *NEUTRAL]
    assert "(City council, Dock workers' union; 'other' dotted" in caption
    plt.close(fig)


def test_fig21_without_actors_folds_the_countries_beyond_the_limit(tmp_path):
    countries = ["kenya", "peru", "chile", "fiji", "norway", "nepal", "ghana", "oman", "laos"]
    values = [c for i, c in enumerate(countries) for _ in range(len(countries) - i)] + ["other"]
    ids = [f"a{i:02d}" for i in range(len(values))]
    f = pd.DataFrame({"article_id": ids, "outlet": ["x", "y"] * (len(ids) // 2) + ["x"] * (
        len(ids) % 2)})
    pd.DataFrame({"article_id": ids, "source_type": "media", "source_affiliation": values}
                 ).to_csv(tmp_path / "attributions.csv", index=False)
    f.to_csv(tmp_path / "features.csv", index=False)
    # the compare command folds the countries (ranked by attributions) into source_shares.csv
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study",
                     "none", "--n-resamples", "100"]) == 0
    tables = compare.read_comparison(tmp_path, "outlet")
    grouping = plots.group_articles(f, "outlet")
    shown = plots.source_composition_figure(tables, grouping, study=Study())
    titles = [t for ax in shown.fig.axes if (t := ax.get_title(loc="left")).startswith("aff")]
    assert titles == [f"affiliation: {c}" for c in ("Kenya", "Peru", "Chile", "Fiji", "Norway",
                                                    "Nepal", FOLDED, "other")]
    assert "the other 3 (Ghana, Oman, Laos)" in shown.caption
    plt.close(shown.fig)


def _dollar_figure():
    """A bar chart labelled by titles with dollars and fig17 of a group named "$x^$"."""
    meta = pd.DataFrame({"article_id": ["a1", "a2", "a3"],
                         "title": ["$5 or $10?", "$$", "plain"], "date": ["", "", ""]})
    labels = list(article_labels(meta).values())
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.barh(labels, [1, 2, 3])
    ax.set_title("$5 or $10?")
    summary = pd.DataFrame({"measure": "net_optimism", "group": ["$x^$", "b"], "n": [3, 3],
                            "mean": [0.1, 0.2], "median": [0.1, 0.2], "lo": [0.0, 0.1],
                            "hi": [0.2, 0.3]})
    return fig, plots.plot_group_means(summary, by="$outlet$")


def _texts(fig):
    return [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]


def test_labels_with_dollars_are_text_never_maths(tmp_path):
    """Titles and groups are data: "$5 or $10?" and "$x^$" are drawn as written (the house
    style sets text.parse_math off, in apply_style and in the repo's matplotlibrc)."""
    rc = matplotlib.rc_params_from_file(str(Path(__file__).parents[1] / "matplotlibrc"),
                                        use_default_template=False)
    assert rc["text.parse_math"] is False
    with matplotlib.rc_context():
        matplotlib.rcParams["text.parse_math"] = True  # matplotlib's default: maths
        fig, means = _dollar_figure()
        with pytest.raises(ValueError):  # "$x^$" is no valid maths: the crash of the issue
            means.fig.savefig(tmp_path / "crash.png")
        plt.close("all")
    with matplotlib.rc_context():
        apply_style()
        fig, means = _dollar_figure()
        fig.canvas.draw()  # the tick labels are made when drawn
        shown = {t.get_text() for f in (fig, means.fig) for t in _texts(f)}
        assert {"$5 or $10?", "a2 · $$", "$x^$"} <= shown
        assert all(t._preprocess_math(t.get_text()) == (t.get_text(), False)
                   for f in (fig, means.fig) for t in _texts(f))
        save_figure(means, "fig17-group-means", out_dir=tmp_path)
        save_figure(Plot(fig, "titles with dollars"), "fig00-corpus-overview", out_dir=tmp_path)
    assert (tmp_path / "fig17-group-means.png").is_file()
    assert (tmp_path / "fig00-corpus-overview.svg").is_file()


def test_log_tick_labels_stay_maths_in_the_house_style(tmp_path):
    """10^{-1} on a log axis (fig20) is drawn as before, as maths; the words beside it not."""
    def draw(parse_math):
        with matplotlib.rc_context():
            apply_style()
            matplotlib.rcParams["text.parse_math"] = parse_math
            fig, ax = plt.subplots(figsize=(3, 2))
            ax.scatter([0.8, 30, 4000], [1, 2, 3])
            ax.set_xscale("log")
            ax.set_xlim(0.7, 10000)
            ax.tick_params(labelsize=7)
            maths_tick_labels(ax.xaxis)
            ax.annotate("$x^$", (30, 2))
            save_figure(Plot(fig, "log axis"), "fig00-log-axis",
                        out_dir=tmp_path / str(parse_math))
            return [t for t in ax.xaxis.get_ticklabels() if t.get_visible() and t.get_text()]
    texts = draw(False)
    assert texts and all(t.get_text().startswith("$\\mathdefault") for t in texts)
    assert all(t._preprocess_math(t.get_text())[1] for t in texts)  # parsed as maths
    with pytest.raises(ValueError):  # with maths on, "$x^$" cannot be drawn at all
        draw(True)
