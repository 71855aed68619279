"""Dates of the timeline: one format per column, ambiguous and partial dates reported, never
placed; the period chosen so that most cells are estimable."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import compare, plots  # noqa: E402
from analysis.cli import main as cli_main  # noqa: E402
from analysis.compare.dates import parse_dates  # noqa: E402


def ymd(parsed) -> list:
    return [d.strftime("%Y-%m-%d") if pd.notna(d) else None for d in parsed.dates]


def test_iso_dates_are_read_exactly_as_pandas_reads_them():
    values = ["2016-03-09", "2016-03-09T23:30:00", "2016-03-09T23:30:00-05:00",
              "2016-03-09 08:00:00+01:00", "2015-11-11"]
    parsed = parse_dates(values)
    expected = pd.to_datetime(pd.Series(values), format="ISO8601", utc=True).dt.tz_convert(None)
    pd.testing.assert_series_equal(parsed.dates, expected, check_names=False)
    assert parsed.status.tolist() == ["ok"] * 5 and parsed.order == ""


def test_slash_dates_are_day_first_for_the_whole_column_when_one_value_says_so():
    """The issue's corpus: "09/11/2015" was read 11 September beside "16/11/2015" day-first."""
    parsed = parse_dates(["09/11/2015", "16/11/2015", "01/12/2015"])
    assert parsed.order == "day-first"
    assert ymd(parsed) == ["2015-11-09", "2015-11-16", "2015-12-01"]


def test_slash_dates_are_month_first_when_one_value_says_so():
    parsed = parse_dates(["09/11/2015", "11/16/2015", "12/01/15"])
    assert parsed.order == "month-first"
    assert ymd(parsed) == ["2015-09-11", "2015-11-16", "2015-12-01"]


def test_undecided_slash_dates_are_ambiguous_and_not_placed():
    parsed = parse_dates(["09/11/2015", "10/11/2015", "2016-01-04"])
    assert parsed.order == "ambiguous"
    assert parsed.status.tolist() == ["ambiguous", "ambiguous", "ok"]
    assert ymd(parsed) == [None, None, "2016-01-04"]
    # values that say both orders: the ones that decide nothing stay ambiguous
    mixed = parse_dates(["16/11/2015", "11/16/2015", "09/11/2015"])
    assert mixed.order == "mixed" and mixed.status.tolist() == ["ok", "ok", "ambiguous"]
    # a value no order reads is no evidence (31/31), and is unreadable
    assert parse_dates(["31/31/2015", "09/11/2015"]).status.tolist() == ["unreadable",
                                                                          "ambiguous"]


@pytest.mark.parametrize("value", ["2015", "2015-03", "March 2015", "Nov 2015"])
def test_partial_dates_are_reported_not_placed_on_the_first_day(value):
    parsed = parse_dates([value, "2015-06-01"])
    assert parsed.status.tolist() == ["partial", "ok"]
    assert ymd(parsed) == [None, "2015-06-01"]


def test_free_form_dates_with_a_day_and_a_declared_format():
    assert ymd(parse_dates(["Nov 9, 2015", "9 November 2015"])) == ["2015-11-09"] * 2
    declared = parse_dates(["09/11/2015", "2015-11-09", ""], date_format="%m/%d/%Y")
    assert declared.order == "declared" and ymd(declared) == ["2015-09-11", None, None]
    assert declared.status.tolist() == ["ok", "unreadable", "missing"]


def test_time_summary_counts_what_it_leaves_out_and_places_no_guess():
    dates = ["09/11/2015", "10/11/2015", "2015", "2015-03", "", "junk"] + ["2015-11-02"] * 6
    n = len(dates)
    df = pd.DataFrame({"article_id": [f"{i:02d}" for i in range(n)], "date": dates,
                       "outlet": ["x"] * (n - 1) + [""], "net_optimism": np.arange(n, 0.0, -1)})
    t = compare.time_summary(df, "outlet", period="M", n_resamples=50)
    assert t.attrs["n_ambiguous"] == 2 and t.attrs["n_partial"] == 2
    assert t.attrs["n_unparsed"] == 2 and t.attrs["date_order"] == "ambiguous"
    assert t["period"].tolist() == ["2015-11"] and t["n"].tolist() == [5]  # one has no group
    # declared day-first: the two slash dates are placed, in November; one format for the
    # column, so what it does not read (ISO dates too) is unreadable
    d = compare.time_summary(df, "outlet", period="M", n_resamples=50, date_format="%d/%m/%Y")
    assert d["n"].tolist() == [2] and d.attrs["n_ambiguous"] == 0
    assert d.attrs["n_unparsed"] == 9 and d.attrs["date_order"] == "declared"


# ---------------------------------------------------------------------------------------------
# the period
# ---------------------------------------------------------------------------------------------

def basil_like(seed=3):
    """Ten years, 4 outlets, ~240 articles: a few per outlet and quarter."""
    rng = np.random.default_rng(seed)
    n = 240
    days = rng.integers(0, 3650, n)
    return pd.DataFrame({"article_id": [f"{i:03d}" for i in range(n)],
                         "date": (np.datetime64("2006-01-01") + days.astype("timedelta64[D]"))
                         .astype(str), "outlet": rng.choice(list("abcd"), n),
                         "net_optimism": rng.normal(0, 1, n)})


def test_a_ten_year_corpus_gets_periods_whose_cells_are_estimable():
    df = basil_like()
    quarters = compare.time_summary(df, "outlet", period="Q", n_resamples=20)
    assert (quarters["n"] < 5).mean() > 0.5  # the zig-zag of hollow points of the issue
    t = compare.time_summary(df, "outlet", n_resamples=20)
    assert t.attrs["period"] == "Y" and (t["n"] >= 5).mean() > 0.5
    assert t["period"].iloc[0] == "2006" and t["period_start"].iloc[0] == "2006-01-01"


def test_the_finest_period_with_most_cells_estimable_is_kept():
    # 11 months, 2 groups, 8 articles per group and month: months are estimable
    dates = [f"2016-{m:02d}-{d:02d}" for m in range(1, 12) for d in range(1, 17)]
    groups = ["a", "b"] * (len(dates) // 2)
    assert compare.choose_period(pd.to_datetime(dates), groups, min_n=5) == "M"
    # never finer than the span allows (weeks over 11 months)
    assert compare.choose_period(pd.to_datetime(dates), groups, min_n=1) == "M"
    # too few articles anywhere: the finest the span allows, as before
    assert compare.choose_period(pd.to_datetime(["2016-01-01", "2016-06-01"])) == "M"


def test_the_group_timeline_uses_the_declared_format():
    df = basil_like().assign(date=lambda d: pd.to_datetime(d["date"]).dt.strftime("%d/%m/%Y"))
    by_group, overall = compare.group_timeline(df, "outlet", n_resamples=20,
                                               date_format="%d/%m/%Y")
    assert by_group.attrs["period"] == "Y" and overall["n"].sum() == len(df)


def test_fig19_draws_years_and_says_which_dates_it_left_out(tmp_path):
    df = basil_like()
    df.loc[:2, "date"] = ["09/11/2015", "10/11/2015", "2015"]
    df.to_csv(tmp_path / "features.csv", index=False)
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study",
                     "none", "--n-resamples", "100", "--n-permutations", "99"]) == 0
    tables = compare.read_comparison(tmp_path, "outlet", tmp_path / "features.csv")
    timeline = plots.timeline_figure(tables, plots.group_articles(df, "outlet"))
    assert "per year" in timeline.caption and "10 years" in timeline.caption
    assert ("2 article(s) whose date could be day-first or month-first (no date of the "
            "column decides) and 1 with a partial date" in timeline.caption)
    plt.close(timeline.fig)
