"""Notebook 05 (groups) draws fig17-fig21 from the tables `python -m analysis compare` writes,
and computes nothing itself. The compare command runs (in-process) on features tables this test
writes; the figure functions draw its tables as read back, so an edit of a table changes the
figure, fig17's sidecar lists groups.csv, and with a pairing column the adjusted table shown is
the CLI's adjusted.csv (events as fixed effects). The notebook runs under papermill at 1, 5 and
300 articles and without any group; at 20,000 articles in 40 groups the same analysis.compare
and analysis.plots calls make figures directly. Every PNG stays within 4,000 pixels. The
notebook keeps to the house anatomy and its 120 code lines."""

from __future__ import annotations

import io
import json
import struct

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import papermill as pm
import pytest
from pandas.testing import assert_frame_equal

from analysis import compare, plots
from analysis.cli import main as cli_main
from analysis.config import NOTEBOOKS_DIR
from analysis.figures import save_figure
from analysis.study import parse_study

NOTEBOOK = NOTEBOOKS_DIR / "05-groups.ipynb"
FIGURES = ["fig17-group-means", "fig18-contrasts", "fig19-timeline", "fig20-distinctive-words",
           "fig21-source-composition", "fig22-tone-toward", "fig23-women-quoted"]
MAX_PX = 4000
MEASURES = (["tone_mean", "tone_mean_adapted", "optimism", "caution", "net_optimism"]
            + [f"emph_{f}" for f in ("economics", "security", "human_cost")]
            + [f"emph_{f}_share" for f in ("economics", "security", "human_cost")]
            + ["src_n_attributions", "src_entropy", "src_official_share", "src_share_union"])
# An invented study: the sides whose voices the attributions are affiliated with.
STUDY = """actors:
  council: {label: City council, words: [council, councillor], colour: "#1B9E77"}
  union: {label: Dock workers' union, words: [union, strikers]}
"""
# What only the compare command may compute: no notebook parameter, no call in the notebook.
COMPUTING = ("pair_by", "time", "period", "reference", "alpha", "n_resamples", "n_permutations",
             "time_measures", "random_state", "corpus_dir")


def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def synthetic_tables(n: int, n_groups: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """features (with dates over ten months, events, groups that differ), attributions, terms."""
    rng = np.random.default_rng(seed)
    names = [f"Outlet {i:02d} with a rather long name" if i % 5 == 4 else f"outlet-{i:02d}"
             for i in range(n_groups)]
    g = np.arange(n) % n_groups
    ev = rng.integers(0, max(1, n // 6), n)
    f = pd.DataFrame({
        "article_id": [f"art{i:06d}" for i in range(n)],
        "outlet": np.array(names)[g],
        "event": [f"event-{e:04d}" for e in ev],
        "date": (np.datetime64("2016-01-04") + rng.integers(0, 300, n).astype("timedelta64[D]"))
        .astype(str),
        "genre": "news report",
        "n_words": rng.integers(200, 2000, n),
    })
    for k, c in enumerate(MEASURES):
        f[c] = rng.normal(0.2 * (g % 3) + k, 1.0, n)
    f["net_optimism_lo"] = f["net_optimism"] - 0.1
    f["net_optimism_hi"] = f["net_optimism"] + 0.1
    f.loc[rng.random(n) < 0.1, "src_entropy"] = np.nan
    k = rng.poisson(4, n)
    art = np.repeat(np.arange(n), k)
    att = pd.DataFrame({"article_id": f["article_id"].to_numpy()[art], "source": "someone",
                        "source_type": rng.choice(["government official", "expert/analyst",
                                                   "media", ""], len(art)),
                        "source_affiliation": rng.choice(["union", "council", "other",
                                                          "unknown"], len(art),
                                                         p=[0.4, 0.2, 0.2, 0.2])})
    vocab = np.array([f"word{i:04d}" for i in range(800)])
    p = 1.0 / np.arange(1, 801)
    t_art = np.repeat(np.arange(n), 40)
    terms = pd.DataFrame({"article_id": f["article_id"].to_numpy()[t_art],
                          "term": vocab[rng.choice(800, len(t_art), p=p / p.sum())],
                          "count": rng.integers(1, 4, len(t_art))})
    planted = pd.DataFrame({"article_id": f["article_id"],
                            "term": [f"planted{x}" for x in g], "count": 3})
    terms = (pd.concat([terms, planted]).groupby(["article_id", "term"], as_index=False)["count"]
             .sum())
    return {"features": f, "attributions": att, "terms": terms}


def write(tables, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    return folder


def compare_tables(processed, by="outlet", *options, study=None):
    """Run `python -m analysis compare` in-process on processed/features.csv; its tables."""
    study_file = processed / "study.yml"
    study_file.write_text(STUDY if study is None else study, encoding="utf-8")
    code = cli_main(["compare", str(processed / "features.csv"), "--by", by, "--study",
                     str(study_file), "--n-resamples", "100", "--n-permutations", "99",
                     *options])
    assert code == 0
    tables = compare.read_comparison(processed, by, features=processed / "features.csv")
    assert not tables.reason, tables.reason
    return tables


def png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    plt.close(fig)
    return buf.getvalue()


def run_notebook(tmp_path, processed, **params):
    figs = tmp_path / "figures"
    out = tmp_path / "run.ipynb"
    study = tmp_path / "study.yml"
    study.write_text(STUDY, encoding="utf-8")
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="framing-analysis",
                        cwd=str(NOTEBOOKS_DIR), progress_bar=False,
                        parameters={"processed_dir": str(processed), "figures_dir": str(figs),
                                    "study": str(study), **params})
    text = "\n".join("".join(o.get("text", "")) + json.dumps(o.get("data", {}))
                     for c in json.loads(out.read_text())["cells"] for o in c.get("outputs", []))
    sidecars = {fid: json.loads((figs / f"{fid}.json").read_text()) for fid in FIGURES}
    for fid in FIGURES:
        for ext in ("png", "pdf", "svg"):
            assert (figs / f"{fid}.{ext}").is_file(), f"{fid}.{ext}"
        w, h = png_size(figs / f"{fid}.png")
        assert w <= MAX_PX and h <= MAX_PX, (fid, w, h)
    return {fid: s["caption"] for fid, s in sidecars.items()}, text, sidecars


def test_notebook_follows_the_house_anatomy():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    src = "".join(tagged[0]["source"])
    for name in ("processed_dir", "figures_dir", "group_by", "max_groups", "min_n", "n_label"):
        assert f"\n{name}: " in "\n" + src, name
    body = "\n".join("".join(c["source"]) for c in code)
    assert "\ndef " not in body and "\nclass " not in body
    assert body.count("save_figure(") == len(FIGURES)
    assert all(f'"{fid}"' in body for fid in FIGURES)
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_notebook_draws_from_the_tables_and_computes_nothing():
    """Every number of fig17-fig21 comes from the compare command: the notebook has no
    parameter that changes a number and calls no computation of analysis.compare; it reads
    the tables and hands them to the figure functions."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = "".join(next(c for c in code if "parameters" in c["metadata"].get("tags", []))
                     ["source"])
    declared = {line.split(":")[0] for line in params.splitlines() if ":" in line
                and not line.startswith("#")}
    assert not declared & set(COMPUTING), declared & set(COMPUTING)
    body = "\n".join("".join(c["source"]) for c in code)
    for name in ("group_summary", "contrasts(", "adjusted_contrasts", "time_summary",
                 "group_timeline", "distinctive_terms", "source_shares(", "lemma_counts"):
        assert f"compare.{name}" not in body, name
    assert "compare.read_comparison(processed_dir, group_by" in body
    for fn in ("group_means_figure", "contrasts_figure", "timeline_figure",
               "distinctive_words_figure", "source_composition_figure"):
        assert f"plots.{fn}(tables, grouping" in body, fn
    assert 'tables.table("adjusted")' in body  # the adjusted table shown is adjusted.csv


def test_notebook_stays_within_the_code_line_budget():
    """House rule: at most 120 lines of code (non-blank, non-comment) per notebook; recurring
    code lives in analysis.plots."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    lines = [line for c in nb["cells"] if c["cell_type"] == "code"
             for line in "".join(c["source"]).splitlines()
             if line.strip() and not line.strip().startswith("#")]
    assert len(lines) <= 120, len(lines)


@pytest.mark.parametrize("by, reason", [
    ("", "no `group_by` is set"),
    ("nonexistent", "features.csv has no column `nonexistent`"),
    ("genre", "every article has the same `genre` (news report)"),
])
def test_figure_functions_say_why_nothing_is_compared(by, reason, tmp_path):
    processed = write({"features": synthetic_tables(5, n_groups=2)["features"]},
                      tmp_path / "processed")
    f = pd.read_csv(processed / "features.csv")
    tables = (compare_tables(processed, by) if by == "genre"
              else compare.read_comparison(processed, by, processed / "features.csv"))
    grouping = plots.group_articles(f, by)
    assert grouping.reason == reason and not grouping.can_compare
    assert f"**Nothing to compare:** {reason}." in grouping.describe(len(compare.measure_columns(f)))
    shown = {
        "Group means": plots.group_means_figure(tables, grouping),
        "Contrasts": plots.contrasts_figure(tables, grouping),
        "Timeline": plots.timeline_figure(tables, grouping),
        "Distinctive words": plots.distinctive_words_figure(tables, grouping),
        "Source composition": plots.source_composition_figure(tables, grouping),
    }
    for what, g in shown.items():
        if by == "genre" and what in ("Group means", "Timeline", "Source composition"):
            continue  # one group is enough for these
        assert g.caption.startswith(f"{what} not drawn: {reason}"), g.caption
        assert g.data is None and g.table is None
    assert shown["Timeline"].note == f"**No timeline:** {reason}" or by == "genre"
    if by == "genre":  # the compare run found no attributions.csv and said so in its record
        assert shown["Source composition"].caption == (
            f"Source composition not drawn: no attributions.csv in {processed}.")
        assert shown["Source composition"].inputs[0].name == "source_shares.csv"
    for g in shown.values():
        plt.close(g.fig)


def test_figures_without_the_tables_say_how_to_make_them(tmp_path):
    t = synthetic_tables(30, n_groups=3, seed=1)
    processed = write({"features": t["features"]}, tmp_path / "processed")
    grouping = plots.group_articles(t["features"], "outlet")
    missing = compare.read_comparison(processed, "outlet", processed / "features.csv")
    assert missing.reason.startswith(f"no comparison.manifest.json in {processed}; run "
                                     "`python -m analysis compare --by outlet`")
    means = plots.group_means_figure(missing, grouping)
    assert means.caption == f"Group means not drawn: {missing.reason}." and means.data is None
    plt.close(means.fig)
    compare_tables(processed)
    # tables of another grouping, or of another features table, are not drawn
    other = compare.read_comparison(processed, "event", processed / "features.csv")
    assert "compare `outlet`, not `event`" in other.reason
    t["features"].iloc[:29].to_csv(processed / "features.csv", index=False)
    stale = compare.read_comparison(processed, "outlet", processed / "features.csv")
    assert "computed from another features.csv" in stale.reason
    contrasts = plots.contrasts_figure(stale, grouping)
    assert contrasts.caption.startswith("Contrasts not drawn: the tables in")
    plt.close(contrasts.fig)


def test_figure_functions_draw_the_tables_and_list_them_as_inputs(tmp_path):
    t = synthetic_tables(60, n_groups=3, seed=4)
    processed = write({k: v for k, v in t.items() if k != "terms"}, tmp_path / "processed")
    f = t["features"]
    tables = compare_tables(processed, "outlet", "--pair-by", "event",
                            "--time-measures", "bogus")
    grouping = plots.group_articles(f, "outlet")
    assert grouping.groups == ["outlet-00", "outlet-01", "outlet-02"] and grouping.can_compare
    assert "Groups by `outlet`: 3 (outlet-00 20, outlet-01 20, outlet-02 20)." in \
        grouping.describe(17)
    assert "paired by `event`" in tables.describe()
    means = plots.group_means_figure(tables, grouping)
    assert list(means.table.columns) == grouping.groups and "n = 60 articles" in means.caption
    assert [p.name for p in means.inputs] == ["groups.csv", "groups_all.csv",
                                              "comparison.manifest.json"]
    assert "100 bootstrap resamples" in means.caption  # the compare run's, not a default
    contrasts = plots.contrasts_figure(tables, grouping)
    assert "Paired by event" in contrasts.caption and "contrasts are significant" in \
        contrasts.note and "99 permutations each" in contrasts.note
    assert contrasts.inputs[0].name == "contrasts.csv"
    timeline = plots.timeline_figure(tables, grouping)
    assert timeline.data["measure"].unique().tolist() == compare.measure_columns(f)[:4]
    assert [p.name for p in timeline.inputs][:2] == ["timeline.csv", "timeline_all.csv"]
    # no terms.csv and no texts: the compare run said so; terms.csv: counted, words drawn
    words = plots.distinctive_words_figure(tables, grouping)
    assert words.note == "**No distinctive words:** no terms.csv in " \
                         f"{processed} and no --corpus with the texts." and words.data is None
    plt.close(words.fig)
    t["terms"].to_csv(processed / "terms.csv", index=False)
    tables = compare_tables(processed, "outlet", "--pair-by", "event")
    assert tables.settings["word_counts"] == "terms.csv"
    words = plots.distinctive_words_figure(tables, grouping, n_label=2)
    assert words.inputs[0].name == "words.csv" and "a0 = " in words.caption
    assert len(words.table) == 2 * 3
    sources = plots.source_composition_figure(tables, grouping, study=parse_study(STUDY),
                                              max_rows=12)
    assert sources.inputs[0].name == "source_shares.csv"
    assert set(sources.table.columns) == set(grouping.groups)
    # the study's sides in study order (council first, though union is cited more), labelled
    titles = [t for ax in sources.fig.axes if (t := ax.get_title(loc="left")).startswith("aff")]
    assert titles == ["affiliation: City council", "affiliation: Dock workers' union",
                      "affiliation: other", "affiliation: unknown"]
    assert "study's sides (City council, Dock workers' union)" in sources.caption
    for g in (means, contrasts, timeline, words, sources):
        plt.close(g.fig)


def test_fig17_sidecar_lists_the_tables_it_was_drawn_from(tmp_path):
    t = synthetic_tables(40, n_groups=2, seed=3)
    processed = write({"features": t["features"]}, tmp_path / "processed")
    tables = compare_tables(processed)
    means = plots.group_means_figure(tables, plots.group_articles(t["features"], "outlet"))
    side = save_figure(means, "fig17-group-means", inputs=[processed / "features.csv"],
                       out_dir=tmp_path / "f")
    sidecar = json.loads((tmp_path / "f" / "fig17-group-means.json").read_text())
    assert sidecar["inputs"] == side["inputs"]
    assert {"groups.csv", "groups_all.csv", "comparison.manifest.json"} <= set(sidecar["inputs"])
    assert sidecar["inputs"]["groups.csv"] == compare.results.file_sha256(processed / "groups.csv")


def _edit(processed, name, rows, column, value):
    """Change one value of a written table, as a hand edit would."""
    table = pd.read_csv(processed / name, keep_default_na=False, na_values=[""])
    table.loc[rows(table), column] = value
    table.to_csv(processed / name, index=False)


@pytest.mark.parametrize("figure, name, rows, column, value", [
    ("group_means_figure", "groups.csv",
     lambda t: (t["group"] == "outlet-01") & (t["measure"] == "net_optimism"), "mean", 40.0),
    ("group_means_figure", "groups_all.csv", lambda t: t["measure"] == "net_optimism", "mean",
     -40.0),
    ("contrasts_figure", "contrasts.csv", lambda t: t.index == 0, "p_adjusted", 0.0),
    ("timeline_figure", "timeline.csv", lambda t: t.index == 0, "mean", 40.0),
    ("distinctive_words_figure", "words.csv", lambda t: t["group"] == "outlet-00", "z", 9.0),
    ("source_composition_figure", "source_shares.csv", lambda t: t.index == 0, "share", 0.99),
])
def test_a_figure_draws_what_its_table_says(figure, name, rows, column, value, tmp_path):
    """Edit one value of a table on disk: the figure function, given the tables as read, draws
    the edited value (its data holds it and its image changes)."""
    t = synthetic_tables(60, n_groups=2, seed=5)
    processed = write(t, tmp_path / "processed")
    compare_tables(processed)
    grouping = plots.group_articles(t["features"], "outlet")
    draw = getattr(plots, figure)
    read = lambda: compare.read_comparison(processed, "outlet")  # noqa: E731
    before = draw(read(), grouping)
    _edit(processed, name, rows, column, value)
    after = draw(read(), grouping)
    assert before.data is not None and after.data is not None
    if name.endswith("_all.csv"):
        assert before.data.equals(after.data)  # the reference line changed, not the groups
    else:
        assert (after.data[column] == value).any() and not (before.data[column] == value).any()
    assert png_bytes(before.fig) != png_bytes(after.fig)


def test_paired_adjusted_table_is_the_one_the_cli_wrote(tmp_path):
    """With a pairing column, adjusted.csv has the events as fixed effects (as notebook 05 used
    to compute it beside fig18), and the table the notebook shows is that file."""
    t = synthetic_tables(120, n_groups=3, seed=6)
    f = t["features"]
    # an agenda effect: events differ in mean, and groups cover them unevenly
    ev = f["event"].str[-4:].astype(int)
    f["net_optimism"] += 3.0 * (ev % 2) * (f["outlet"] == "outlet-00")
    processed = write({"features": f}, tmp_path / "processed")
    tables = compare_tables(processed, "outlet", "--pair-by", "event")
    shown = tables.table("adjusted")
    features = pd.read_csv(processed / "features.csv")
    within = compare.adjusted_contrasts(features, "outlet", cluster="event",
                                        fixed_effects="event")
    assert_frame_equal(shown, within, check_dtype=False)
    assert (processed / "adjusted.csv").read_text() == within.to_csv(index=False,
                                                                     lineterminator="\n")
    # what the command wrote before it took fixed effects is another table
    plain = compare.adjusted_contrasts(features, "outlet", cluster="event")
    assert not np.allclose(shown["coef"], plain["coef"])
    # unpaired, no fixed effects (and no clusters): the table of the bundled corpus
    unpaired = compare_tables(processed, "outlet").table("adjusted")
    assert_frame_equal(unpaired, compare.adjusted_contrasts(features, "outlet"),
                       check_dtype=False)


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 5, 300])
def test_notebook_figures_exist_and_fit_at_any_n(n, tmp_path):
    processed = write(synthetic_tables(n, n_groups=min(n, 4), seed=n), tmp_path / "processed")
    compare_tables(processed, "outlet", "--pair-by", "event", "--n-permutations", "199")
    captions, text, sidecars = run_notebook(tmp_path, processed, group_by="outlet")
    if n == 1:  # one group: means only
        assert "not drawn" in captions["fig18-contrasts"]
        assert "Nothing to compare" in text
    if n == 300:
        cap = captions["fig18-contrasts"]
        for words in ("Paired by event", "sign-flip permutation", "199 random sign flips",
                      "Benjamini–Hochberg", "events per contrast"):
            assert words in cap, words
        assert "not drawn" not in captions["fig19-timeline"] and "per month" in \
            captions["fig19-timeline"]
        assert "n = 300 articles in 4 groups" in captions["fig17-group-means"]
        assert "not drawn" not in captions["fig20-distinctive-words"]
        assert "planted" in text  # the planted words top the distinctive-word table
        assert {"groups.csv", "groups_all.csv"} <= set(sidecars["fig17-group-means"]["inputs"])
        assert "words.csv" in sidecars["fig20-distinctive-words"]["inputs"]


@pytest.mark.slow
def test_notebook_without_group_by_says_there_is_nothing_to_compare(tmp_path):
    processed = write(synthetic_tables(5, n_groups=2), tmp_path / "processed")
    captions, text, _ = run_notebook(tmp_path, processed, group_by="")
    assert "Nothing to compare" in text and "no `group_by` is set" in text
    assert all("not drawn" in captions[fid] for fid in FIGURES)


@pytest.mark.slow
def test_figures_fit_at_20000_articles_in_40_groups(tmp_path):
    t = synthetic_tables(20_000, n_groups=40, seed=2)
    f = t["features"]
    labels = compare.group_labels(f, "outlet")
    sizes = labels.value_counts().to_dict()
    colors = plots.group_colors(sizes, sizes)
    assert sum(c != plots.GREY for c in colors.values()) == 7  # the 7 largest keep a colour
    ms = compare.measure_columns(f)
    summary = compare.group_summary(f, "outlet", n_resamples=100)
    figs = {"fig17-group-means": plots.plot_group_means(
        summary, by="outlet", overall=compare.group_summary(f, None, n_resamples=50),
        sizes=sizes, colors=colors, n_resamples=100)}
    table = compare.contrasts(f, "outlet", pair_by="event", n_resamples=100, n_permutations=99)
    assert len(table) == 39 * len(ms)
    figs["fig18-contrasts"] = plots.plot_contrasts(table, by="outlet", pair_by="event",
                                                   colors=colors, sizes=sizes)
    lumped = f.assign(_g=compare.pool_largest(labels, 7))
    over_time = compare.time_summary(lumped, "_g", measures=ms[:4], n_resamples=50)
    assert over_time.attrs["period"] == "M" and over_time.attrs["n_periods"] == 10
    figs["fig19-timeline"] = plots.plot_timeline(
        over_time, by="outlet", measures=ms[:4], colors=colors,
        overall=compare.time_summary(f, None, measures=ms[:4], n_resamples=50))
    terms = compare.distinctive_terms(t["terms"], dict(zip(f["article_id"], labels)), top=None)
    figs["fig20-distinctive-words"] = plots.plot_distinctive_terms(terms, by="outlet",
                                                                   colors=colors, sizes=sizes)
    shares = [compare.source_shares(t["attributions"], f, "outlet", column=c, n_resamples=50)
              for c in ("source_type", "source_affiliation")]
    figs["fig21-source-composition"] = plots.plot_source_composition(
        *shares, by="outlet", colors=colors, sizes=sizes, study=parse_study(STUDY))
    for fid, plot in figs.items():
        assert isinstance(plot, plots.Plot) and plot.caption, fid
        assert "12 largest of 40 groups" in plot.caption or fid in ("fig18-contrasts",
                                                                    "fig19-timeline")
        save_figure(plot, fid, out_dir=tmp_path)
        w, h = png_size(tmp_path / f"{fid}.png")
        assert w <= MAX_PX and h <= MAX_PX, (fid, w, h)
    assert "12 of 39 contrasts are shown" in figs["fig18-contrasts"].caption
    assert "pooled as 'other groups'" in figs["fig19-timeline"].caption


def test_place_labels_never_overlaps_and_is_deterministic():
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    rng = np.random.default_rng(0)
    x, y = rng.uniform(1, 2, 12), rng.uniform(1, 2, 12)  # a tight cluster
    boxes = []
    for _ in range(2):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.scatter(x, y)
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 3)
        placed = plots.place_labels(ax, x, y, [f"label number {i}" for i in range(12)])
        renderer = fig.canvas.get_renderer()
        # the text's own box (an Annotation's box also holds its leader line)
        for t in ax.texts:
            t.update_positions(renderer)
        boxes.append([Text.get_window_extent(t, renderer).bounds for t in ax.texts])
        plt.close(fig)
    assert boxes[0] == boxes[1] and sum(placed) == len(boxes[0]) >= 6
    bb = [Bbox.from_bounds(*b) for b in boxes[0]]
    for i in range(len(bb)):
        for j in range(i + 1, len(bb)):
            assert not bb[i].overlaps(bb[j]), (i, j)


def test_captions_say_what_the_compare_run_left_out(tmp_path):
    """Articles without a group, ambiguous and partial dates and one-article groups are said
    in the captions of fig17-fig21; with none, the captions say nothing of them."""
    t = synthetic_tables(120, n_groups=3, seed=6)
    f = t["features"]
    plain = compare_tables(write(dict(t), tmp_path / "plain"), "outlet")
    grouping = plots.group_articles(f, "outlet")
    drawn = [plots.group_means_figure(plain, grouping), plots.timeline_figure(plain, grouping)]
    assert not any("left out" in d.caption or "one article" in d.caption for d in drawn)
    f.loc[:23, "outlet"] = ""
    f.loc[30:33, "date"] = ["09/11/2016", "10/11/2016", "2016", "2016-03"]
    f.loc[f.index[-1], "outlet"] = "a single article"
    processed = write(dict(t, features=f), tmp_path / "processed")
    tables = compare_tables(processed, "outlet")
    grouping = plots.group_articles(f, "outlet")
    drawn = {"fig17": plots.group_means_figure(tables, grouping),
             "fig18": plots.contrasts_figure(tables, grouping),
             "fig19": plots.timeline_figure(tables, grouping),
             "fig20": plots.distinctive_words_figure(tables, grouping),
             "fig21": plots.source_composition_figure(tables, grouping,
                                                      study=parse_study(STUDY))}
    for fid, d in drawn.items():
        assert d.caption.endswith(" 24 articles without a value of 'outlet' are left out."), fid
        plt.close(d.fig)
    assert "A group of one article has no interval" in drawn["fig17"].caption
    assert ("Left out, not placed in a period: 2 article(s) whose date could be day-first or "
            "month-first (no date of the column decides) and 2 with a partial date"
            in drawn["fig19"].caption)
    groups = tables.table("groups")
    assert groups.loc[groups["group"] == "a single article", ["lo", "hi"]].isna().all(axis=None)
