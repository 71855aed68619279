"""The registry of measures: a measure added from Python is one scorer class and one
registration, and it reaches the features table, the comparison tables and the group figure."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import compare, plots  # noqa: E402
from analysis.cli import build_parser, main  # noqa: E402
from analysis.cli.tableset import write_table  # noqa: E402
from analysis.features import build_features, make_scorers  # noqa: E402
from analysis.measures import (BUILTIN, Column, Measure, MeasureError, column_of,  # noqa: E402
                               measure_names, measure_of, measures, register, unregister)
from analysis.plots.layout import measure_unit  # noqa: E402
from analysis.tables import Scored, read_table  # noqa: E402

# Invented articles: two outlets, a known number of exclamation marks in each.
ARTICLES = [
    ("x1", "Daily Shout", "The mayor opened the new bridge on Monday! Crowds cheered loudly! "
                          "Traffic resumed in the afternoon."),
    ("x2", "Daily Shout", "What a result! The council approved the budget after a long debate."),
    ("x3", "Daily Shout", "Prices rose again this month! Shoppers complained! Retailers "
                          "blamed the cost of energy! Economists expect a slowdown."),
    ("x4", "Quiet Gazette", "The council approved the budget after a long debate. "
                            "Officials said the vote was expected."),
    ("x5", "Quiet Gazette", "Prices rose again this month. Economists expect a slowdown "
                            "next year."),
    ("x6", "Quiet Gazette", "The mayor opened the new bridge on Monday! Traffic resumed in "
                            "the afternoon."),
]
EXPECTED = {aid: text.count("!") for aid, _, text in ARTICLES}  # 2, 1, 3, 0, 0, 1


class ExclamationCount:
    """The toy measure: exclamation marks in the cleaned text of an article."""

    name = "exclaim"

    def columns(self) -> list[str]:
        return ["style_exclaim"]

    def score(self, article, idx: np.ndarray) -> Scored:
        return Scored(columns={"style_exclaim": article.text.count("!")})


def _toy() -> Measure:
    return Measure(name="exclaim", family="style", scorer=lambda study, **kw: ExclamationCount(),
                   description="exclamation marks",
                   columns=[Column("style_exclaim", scale="count per article",
                                   description="exclamation marks in the article")])


@pytest.fixture(scope="module")
def exclaim():
    """The toy measure, registered for this module's tests and removed after them."""
    measure = register(_toy())
    yield measure
    unregister("exclaim")


@pytest.fixture(scope="module")
def features(exclaim):
    corpus = pd.DataFrame({"article_id": [a for a, _, _ in ARTICLES],
                           "outlet": [o for _, o, _ in ARTICLES],
                           "text": [t for _, _, t in ARTICLES]})
    return build_features(corpus, study="none", n_resamples=200).features  # default groups


def _expected_means() -> dict[str, float]:
    by: dict[str, list[int]] = {}
    for aid, outlet, _ in ARTICLES:
        by.setdefault(outlet, []).append(EXPECTED[aid])
    return {g: float(np.mean(v)) for g, v in by.items()}


# ---------------------------------------------------------------------------------------------
# the registry itself
# ---------------------------------------------------------------------------------------------

def test_builtin_measures_come_first_in_their_fixed_order():
    assert list(BUILTIN) == ["tone", "emphasis", "sources", "terms", "learned"]
    assert measure_names()[:5] == ["tone", "emphasis", "sources", "terms", "learned"]
    assert measures("terms")[0].columns == ()  # terms writes a table, no column


def test_a_builtin_scorer_writes_exactly_the_columns_its_measure_declares(tmp_path):
    dic = tmp_path / "extra.yml"
    dic.write_text("gardens:\n  - tulip\n  - rose*\n", encoding="utf-8")
    for study in ("none", "data/study.yml"):
        for m, scorer in zip(measures(BUILTIN), make_scorers(list(BUILTIN), study=study,
                                                              dictionaries=[dic])):
            cols = scorer.columns()
            assert [measure_of(c) for c in cols] == [m] * len(cols), (m.name, cols)
            fixed = [t for c in m.columns if not c.dynamic for t in c.templates()]
            assert not set(fixed) - set(cols), m.name
            assert m.tables == {k: tuple(v)
                                for k, v in getattr(scorer, "table_columns", {}).items()}
    assert column_of("emph_gardens_share").name == "emph_<key>_share"


def test_every_builtin_column_declares_a_scale_and_a_description():
    # Captions print the declared scale (plots.layout.measure_unit reads the registry).
    for m in measures(BUILTIN):
        for c in m.columns:
            assert c.scale and c.description, (m.name, c.name)
            name = c.name.replace("<key>", "economics").replace("<side>", "council")
            assert measure_unit(name) == c.scale, c.name
    assert measure_unit("title") == ""


def test_builtin_families_are_those_of_the_columns_prefixes():
    df = pd.DataFrame({"tone_mean": [0.1], "tone_mean_lo": [0.0], "optimism": [1.0],
                       "emph_gardens": [2.0], "emph_gardens_share": [0.5], "frame_dominant": ["x"],
                       "src_share_council": [0.5], "src_n_unique": [2], "n_words": [80]})
    fam = compare.measure_families(df)
    assert {k: fam[k] for k in ("tone", "emphasis", "sources")} == {
        "tone": ["tone_mean", "optimism"], "emphasis": ["emph_gardens", "emph_gardens_share"],
        "sources": ["src_share_council", "src_n_unique"]}


def test_a_duplicate_name_is_refused():
    before = measure_names()
    with pytest.raises(MeasureError, match="'tone' is already registered"):
        register(Measure(name="tone", scorer=lambda study, **kw: None))
    assert measure_names() == before


@pytest.mark.parametrize("column, owner", [
    ("net_optimism", "tone"),             # an exact name
    ("net_optimism_lo", "tone"),          # an interval twin
    ("emph_exclaim", "emphasis"),         # a name another measure's pattern matches
    ("src_<anything>", "sources"),        # a pattern that matches another's names
])
def test_a_column_already_declared_is_refused(column, owner):
    before = measure_names()
    toy = Measure(name="clash", scorer=lambda study, **kw: None, columns=[Column(column)])
    with pytest.raises(MeasureError, match=f"already declared by measure {owner}"):
        register(toy)
    assert measure_names() == before


def test_a_bad_declaration_is_refused():
    with pytest.raises(MeasureError, match="measure name"):
        Measure(name="Ex claim", scorer=lambda study, **kw: None)
    with pytest.raises(MeasureError, match="twice"):
        Measure(name="twice", scorer=lambda study, **kw: None,
                columns=[Column("a_b"), Column("a_b")])
    with pytest.raises(MeasureError, match="cannot be unregistered"):
        unregister("tone")


def test_an_unknown_group_is_refused_with_the_registered_names(capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["features", "--groups", "tone,vibes"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unknown feature group 'vibes'" in err
    assert f"valid feature groups: {', '.join(measure_names())}" in err
    with pytest.raises(MeasureError, match="unknown feature group.*vibes.*registered measures: "
                                           "tone, emphasis, sources, terms"):
        make_scorers(["vibes"])


def test_the_registry_loads_no_heavy_library():
    code = ("import sys; from analysis.measures import measure_names; "
            "from analysis.compare import measure_families; n = measure_names(); "
            "print(','.join(m for m in ('spacy', 'sklearn', 'scipy', 'statsmodels', "
            "'matplotlib') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""


# ---------------------------------------------------------------------------------------------
# a toy measure from Python, through features, comparison tables and the group figure
# ---------------------------------------------------------------------------------------------

def test_the_toy_measure_is_registered_after_the_builtins(exclaim):
    assert measure_names()[-1] == "exclaim"
    assert build_parser().parse_args(["features", "--groups", "exclaim,tone"]).groups == (
        "exclaim", "tone")
    assert "exclaim" in build_parser().parse_args(["features"]).groups


def test_the_toy_column_is_in_the_features_table(features):
    assert list(features.columns)[-1] == "style_exclaim"  # after every built-in column
    got = dict(zip(features["article_id"], features["style_exclaim"]))
    assert got == EXPECTED
    assert {"tone_mean", "emph_economics", "src_n_attributions"} <= set(features.columns)


def test_the_toy_column_is_a_measure_of_its_family(features):
    fam = compare.measure_families(features)
    assert list(fam)[:3] == ["tone", "emphasis", "sources"] and fam["style"] == ["style_exclaim"]
    assert compare.measure_columns(features)[-1] == "style_exclaim"


def test_the_toy_measure_reaches_groups_and_contrasts(features, tmp_path):
    summary = compare.group_summary(features, "outlet", n_resamples=200)
    rows = summary[summary["measure"] == "style_exclaim"].set_index("group")
    assert rows["mean"].to_dict() == pytest.approx(_expected_means())
    path = tmp_path / "features.csv"
    write_table(features, path)
    assert main(["compare", str(path), "--by", "outlet", "--n-resamples", "200",
                 "--random-state", "1"]) == 0
    groups = read_table(tmp_path / "groups.csv")
    assert groups.loc[groups["measure"] == "style_exclaim", "mean"].tolist() == pytest.approx(
        [_expected_means()[g] for g in sorted(_expected_means())])
    contrasts = read_table(tmp_path / "contrasts.csv")
    row = contrasts[contrasts["measure"] == "style_exclaim"]
    assert len(row) == 1
    means = _expected_means()
    g, ref = row["group"].iloc[0], row["reference"].iloc[0]
    assert row["difference"].iloc[0] == pytest.approx(means[g] - means[ref])


def test_the_toy_measure_has_a_panel_in_fig17_drawn_from_the_tables(features, tmp_path):
    # As notebook 05 does: the compare command writes the tables, fig17 is drawn from them.
    path = tmp_path / "features.csv"
    write_table(features, path)
    assert main(["compare", str(path), "--by", "outlet", "--n-resamples", "200"]) == 0
    tables = compare.read_comparison(tmp_path, "outlet", features=path)
    fig17 = plots.group_means_figure(tables, plots.group_articles(features, "outlet"))
    try:
        titles = [ax.get_title(loc="left") for ax in fig17.fig.axes]
        assert any(t.startswith("style_exclaim") for t in titles), titles
        assert "The first" not in fig17.caption  # every measure is drawn
        assert "style_exclaim" in fig17.data["measure"].tolist()
    finally:
        plt.close(fig17.fig)


def test_an_unregistered_measure_is_gone():
    shout = Measure(name="shout", family="volume", scorer=lambda study, **kw: None,
                    columns=[Column("volume_caps", scale="count per article")])
    register(shout)
    try:
        assert measure_names()[-1] == "shout" and measure_of("volume_caps") is shout
    finally:
        assert unregister("shout") is shout
    assert "shout" not in measure_names() and measure_of("volume_caps") is None
    assert "volume" not in compare.measure_families(pd.DataFrame({"volume_caps": [1.0]}))
