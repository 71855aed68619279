"""analysis.compare: planted effects are recovered, null data gives ~5% false positives, the
paired design removes an agenda confound, and every number matches an independent computation
written here."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from analysis import compare
from analysis.cli import main as cli_main
from analysis.tables import read_table


def two_groups(rng, n_a, n_b, shift, sd=1.0):
    return pd.DataFrame({
        "article_id": [f"a{i:05d}" for i in range(n_a + n_b)],
        "outlet": ["alpha"] * n_a + ["beta"] * n_b,
        "net_optimism": np.r_[rng.normal(0.0, sd, n_a), rng.normal(shift, sd, n_b)],
    })


def csv_bytes(df) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue().encode()


# ---------------------------------------------------------------------------------------------
# measures and groups
# ---------------------------------------------------------------------------------------------

def test_measures_are_the_framing_point_estimates_in_family_order():
    df = pd.DataFrame({
        "article_id": ["1"], "outlet": ["x"], "date": ["2020-01-01"], "n_words": [100],
        "src_entropy": [1.0], "src_entropy_lo": [0.5], "src_entropy_hi": [1.5],
        "emph_economics": [2.0], "emph_economics_share": [0.2], "emph_economics_lo": [1.0],
        "tone_mean": [0.1], "net_optimism": [0.3], "hedging": [1.0], "src_n_unique": [3],
        "src_flag": [True], "frame_dominant": ["economics"], "year": [2020],
    })
    assert compare.measure_columns(df) == ["tone_mean", "net_optimism", "hedging", "emph_economics",
                              "emph_economics_share", "src_entropy", "src_n_unique"]
    fam = compare.measure_families(df)
    assert fam["sources"] == ["src_entropy", "src_n_unique"]


def test_largest_groups_ties_by_name_and_empty_labels_are_no_group():
    assert compare.largest_groups(["b", "c", "c", "b", "a", "", ""]) == ["b", "c", "a"]
    labels = compare.group_labels(pd.DataFrame({"g": ["x", None, " y ", np.nan]}), "g")
    assert labels.tolist() == ["x", "", "y", ""]


# ---------------------------------------------------------------------------------------------
# planted effects and error rates
# ---------------------------------------------------------------------------------------------

def test_planted_difference_is_recovered():
    rng = np.random.default_rng(11)
    df = two_groups(rng, 150, 100, shift=0.6)
    t = compare.contrasts(df, "outlet", n_resamples=1000, n_permutations=999)
    assert len(t) == 1
    row = t.iloc[0]
    # default reference: the larger group
    assert (row["group"], row["reference"], row["n"], row["n_reference"]) == ("beta", "alpha",
                                                                              100, 150)
    assert row["lo"] < 0.6 < row["hi"] and row["lo"] > 0
    assert row["p"] == pytest.approx(1 / 1000)
    s = compare.group_summary(df, "outlet", n_resamples=1000)
    beta = s[s["group"] == "beta"].iloc[0]
    assert beta["lo"] < 0.6 < beta["hi"] and beta["n"] == 100
    alpha = s[s["group"] == "alpha"].iloc[0]
    assert alpha["lo"] < 0.0 < alpha["hi"]


@pytest.mark.slow
def test_null_false_positive_rate_is_near_five_percent():
    runs, hits_p, hits_ci, hits_flip = 200, 0, 0, 0
    for run in range(runs):
        rng = np.random.default_rng(1000 + run)
        df = two_groups(rng, 25, 20, shift=0.0)
        t = compare.contrasts(df, "outlet", n_resamples=199, n_permutations=199, random_state=run)
        hits_p += t["p"].iloc[0] <= 0.05
        hits_ci += not (t["lo"].iloc[0] <= 0 <= t["hi"].iloc[0])
        # paired null: 12 events, both groups cover each, no group effect within events
        ev = np.repeat(np.arange(12), 4)
        level = rng.normal(0, 2, 12)[ev]
        dp = pd.DataFrame({"article_id": [f"p{i:03d}" for i in range(48)],
                           "outlet": np.tile(["alpha", "alpha", "beta", "beta"], 12),
                           "event": ev.astype(str),
                           "net_optimism": level + rng.normal(0, 1, 48)})
        tp = compare.contrasts(dp, "outlet", pair_by="event", n_resamples=10, n_permutations=199,
                         random_state=run)
        hits_flip += tp["p"].iloc[0] <= 0.05
    # 99.9% binomial band around 5% of 200 runs: [2, 21]
    lo, hi = binom.ppf(0.0005, runs, 0.05), binom.ppf(0.9995, runs, 0.05)
    assert lo <= hits_p <= hi, hits_p
    assert lo <= hits_flip <= hi, hits_flip
    # percentile bootstrap intervals at n = 20-25 are a little narrow: allow up to 10%
    assert lo <= hits_ci <= binom.ppf(0.9995, runs, 0.10), hits_ci


def agenda_confounded(seed=5, effect=0.5):
    """Outlet A frames every event 0.5 higher than B, but A's own agenda is full of low-level
    events (-1) and B's of neutral ones (0): unpaired, the two cancel."""
    rng = np.random.default_rng(seed)
    rows = []
    shared_level = rng.normal(0, 1, 40)
    for e in range(40):  # shared events: 3 articles each
        for outlet, shift in (("A", effect), ("B", 0.0)):
            for _ in range(3):
                rows.append((outlet, f"s{e:02d}", shared_level[e] + shift))
    for e in range(40):  # each outlet's own events
        for _ in range(3):
            rows.append(("A", f"a{e:02d}", -1.0 + effect))
            rows.append(("B", f"b{e:02d}", 0.0))
    df = pd.DataFrame(rows, columns=["outlet", "event", "level"])
    df["net_optimism"] = df["level"] + rng.normal(0, 0.5, len(df))
    df["n_words"] = rng.integers(200, 1500, len(df))
    df["article_id"] = [f"x{i:04d}" for i in range(len(df))]
    return df.drop(columns="level")


def test_paired_design_recovers_effect_hidden_by_agenda():
    df = agenda_confounded()
    un = compare.contrasts(df, "outlet", reference="B", n_resamples=1000,
                           n_permutations=999).iloc[0]
    assert un["lo"] <= 0 <= un["hi"] and abs(un["difference"]) < 0.2
    pr = compare.contrasts(df, "outlet", reference="B", pair_by="event", n_resamples=1000,
                     n_permutations=999).iloc[0]
    assert bool(pr["paired"]) and pr["n_pairs"] == 40 and pr["n"] == 120 == pr["n_reference"]
    assert pr["lo"] < 0.5 < pr["hi"] and pr["lo"] > 0 and pr["p"] == pytest.approx(1 / 1000)
    # the regression analogue: event fixed effects recover it, plain OLS does not
    fe = compare.adjusted_contrasts(df, "outlet", reference="B", fixed_effects="event",
                              cluster="event").iloc[0]
    assert fe["lo"] < 0.5 < fe["hi"] and fe["lo"] > 0 and fe["cov_type"] == "cluster"
    plain = compare.adjusted_contrasts(df, "outlet", reference="B", cluster="event").iloc[0]
    assert plain["lo"] <= 0 <= plain["hi"]


# ---------------------------------------------------------------------------------------------
# against independent computations
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def three_groups():
    rng = np.random.default_rng(3)
    n = 90
    df = pd.DataFrame({
        "article_id": [f"id{i:03d}" for i in range(n)],
        "outlet": rng.choice(["n1", "n2", "n3"], n, p=[0.45, 0.3, 0.25]),
        "event": rng.choice([f"e{k}" for k in range(15)], n),
        "net_optimism": rng.normal(0, 1, n),
        "src_entropy": rng.normal(1, 0.5, n),
    })
    df.loc[df["outlet"] == "n2", "net_optimism"] += 0.4
    df.loc[rng.random(n) < 0.15, "src_entropy"] = np.nan
    return df


def independent_perm_p(a, b, m, seed):
    rng = np.random.default_rng(seed)
    pooled = np.r_[a, b]
    obs = abs(a.mean() - b.mean())
    hits = 0
    for _ in range(m):
        perm = rng.permutation(pooled)
        hits += abs(perm[:len(a)].mean() - perm[len(a):].mean()) >= obs - 1e-12
    return (hits + 1) / (m + 1)


def bh_by_hand(p):
    p = np.asarray(p, float)
    k = len(p)
    order = np.argsort(p)
    adj = np.empty(k)
    running = 1.0
    for rank in range(k, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * k / rank)
        adj[i] = running
    return adj


def test_contrasts_match_independent_unpaired_computation(three_groups):
    df = three_groups
    m = 2000
    t = compare.contrasts(df, "outlet", reference="all-pairs", n_resamples=2000, n_permutations=m)
    assert list(t.columns[:14]) == ["measure", "group", "reference", "paired", "n", "n_reference",
                                    "n_pairs", "mean", "mean_reference", "difference", "lo", "hi",
                                    "p", "p_adjusted"]
    assert t[["measure", "group", "reference"]].values.tolist() == [
        [meas, g, r] for meas in ("net_optimism", "src_entropy")
        for g, r in (("n1", "n2"), ("n1", "n3"), ("n2", "n3"))]
    assert t["n_pairs"].isna().all() and not t["paired"].any()
    for _, row in t.iterrows():
        a = df.loc[df["outlet"] == row["group"], row["measure"]].dropna().to_numpy()
        b = df.loc[df["outlet"] == row["reference"], row["measure"]].dropna().to_numpy()
        assert (row["n"], row["n_reference"]) == (len(a), len(b))
        assert row["difference"] == pytest.approx(round(a.mean() - b.mean(), 6), abs=1e-6)
        p_ind = independent_perm_p(a, b, 4000, seed=7)
        tol = 4 * np.sqrt(max(p_ind * (1 - p_ind), 1e-3) * (1 / m + 1 / 4000)) + 1e-3
        assert abs(row["p"] - p_ind) <= tol, (row["measure"], row["group"], row["p"], p_ind)
        # independent article bootstrap (loop), within Monte Carlo tolerance
        rng = np.random.default_rng(9)
        boot = np.array([rng.choice(a, len(a)).mean() - rng.choice(b, len(b)).mean()
                         for _ in range(2000)])
        se = boot.std()
        lo, hi = np.quantile(boot, [0.025, 0.975])
        assert abs(row["lo"] - lo) < 0.15 * se and abs(row["hi"] - hi) < 0.15 * se
    assert np.allclose(t["p_adjusted"], bh_by_hand(t["p"]), atol=2e-6)


def test_default_reference_is_largest_group_and_named_reference_works(three_groups):
    t = compare.contrasts(three_groups, "outlet", measures=["net_optimism"], n_resamples=50,
                    n_permutations=99)
    largest = three_groups["outlet"].value_counts().index[0]
    assert set(t["reference"]) == {largest} and len(t) == 2
    t2 = compare.contrasts(three_groups, "outlet", reference="n3", measures="net_optimism",
                     n_resamples=50, n_permutations=99)
    assert t2["group"].tolist() == ["n1", "n2"] and set(t2["reference"]) == {"n3"}
    with pytest.raises(ValueError):
        compare.contrasts(three_groups, "outlet", reference="nope", n_resamples=10,
                          n_permutations=9)


def test_paired_contrasts_match_independent_computation(three_groups):
    df = three_groups
    m = 2000
    t = compare.contrasts(df, "outlet", reference="n1", pair_by="event", n_resamples=500,
                    n_permutations=m)
    assert t["paired"].all()
    for _, row in t.iterrows():
        sub = df.dropna(subset=[row["measure"]])
        cell = sub.groupby(["event", "outlet"])[row["measure"]].agg(["mean", "size"]).unstack()
        both = cell["mean"][[row["group"], row["reference"]]].dropna()
        d = (both[row["group"]] - both[row["reference"]]).to_numpy()
        assert row["n_pairs"] == len(d)
        assert row["n"] == cell["size"].loc[both.index, row["group"]].sum()
        assert row["n_reference"] == cell["size"].loc[both.index, row["reference"]].sum()
        assert row["difference"] == pytest.approx(d.mean(), abs=2e-6)
        assert row["mean"] - row["mean_reference"] == pytest.approx(d.mean(), abs=3e-6)
        rng = np.random.default_rng(4)
        flips = np.array([np.mean(d * rng.choice([-1, 1], len(d))) for _ in range(4000)])
        p_ind = (np.sum(np.abs(flips) >= abs(d.mean()) - 1e-12) + 1) / 4001
        tol = 4 * np.sqrt(max(p_ind * (1 - p_ind), 1e-3) * (1 / m + 1 / 4000)) + 1e-3
        assert abs(row["p"] - p_ind) <= tol
    assert np.allclose(t["p_adjusted"], bh_by_hand(t["p"]), atol=2e-6)


def test_adjusted_contrasts_match_statsmodels_formula():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(2)
    n = 200
    df = pd.DataFrame({"article_id": [f"{i:04d}" for i in range(n)],
                       "outlet": rng.choice(["big", "mid", "small"], n, p=[0.5, 0.3, 0.2]),
                       "event": rng.choice(list("abcdefghijklmnopqrst"), n),
                       "n_words": rng.integers(100, 3000, n)})
    df["net_optimism"] = (0.3 * (df["outlet"] == "mid") + 0.1 * np.log(df["n_words"])
                          + rng.normal(0, 1, n))
    t = compare.adjusted_contrasts(df, "outlet", cluster="event", measures=["net_optimism"])
    fit = smf.ols("net_optimism ~ C(outlet, Treatment('big')) + np.log(n_words)", df).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df["event"])[0]})
    assert t["group"].tolist() == ["mid", "small"] and set(t["reference"]) == {"big"}
    for _, row in t.iterrows():
        name = f"C(outlet, Treatment('big'))[T.{row['group']}]"
        assert row["coef"] == pytest.approx(fit.params[name], abs=2e-6)
        assert row["se"] == pytest.approx(fit.bse[name], abs=2e-6)
        assert row["p"] == pytest.approx(fit.pvalues[name], abs=2e-6)
    assert (t["n"] == n).all() and (t["n_clusters"] == 20).all()
    assert set(t["controls"]) == {"log_n_words"}
    # event fixed effects (absorbed by demeaning) give the dummy regression's coefficients
    fe = compare.adjusted_contrasts(df, "outlet", cluster="event", measures=["net_optimism"],
                                    fixed_effects="event")
    dummies = smf.ols("net_optimism ~ C(outlet, Treatment('big')) + np.log(n_words) + C(event)",
                      df).fit()
    for _, row in fe.iterrows():
        name = f"C(outlet, Treatment('big'))[T.{row['group']}]"
        assert row["coef"] == pytest.approx(dummies.params[name], abs=2e-6)
    assert not np.allclose(fe["coef"], t["coef"], atol=1e-3)
    hc = compare.adjusted_contrasts(df.drop(columns="n_words"), "outlet", measures=["net_optimism"])
    assert set(hc["controls"]) == {""} and set(hc["cov_type"]) == {"HC1"}
    one_cluster = compare.adjusted_contrasts(df.assign(event="same"), "outlet", cluster="event",
                                             measures=["net_optimism"])
    assert one_cluster["coef"].isna().all()  # cluster-robust errors need two clusters


def test_source_shares_match_hand_counts_and_intervals_cover_them():
    features = pd.DataFrame({"article_id": ["1", "2", "3", "4"],
                             "outlet": ["a", "a", "b", "b"]})
    att = pd.DataFrame({"article_id": ["1", "1", "1", "2", "3", "9"],
                        "source_type": ["media", "expert/analyst", "media", "", "media", "media"]})
    t = compare.source_shares(att, features, "outlet", n_resamples=300)
    a = t[t["group"] == "a"].set_index("category")
    assert a.loc["media", "share"] == 0.5 and a.loc["unknown", "count"] == 1
    assert a["n_attributions"].iloc[0] == 4 and a["n_articles"].iloc[0] == 2
    assert a["share"].sum() == pytest.approx(1.0)
    assert (t["lo"] <= t["share"] + 1e-9).all() and (t["share"] <= t["hi"] + 1e-9).all()
    # categories by total count (the unknown article 9 is not counted), ties by name
    assert t["category"].tolist()[:3] == ["media", "expert/analyst", "unknown"]


# ---------------------------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, expected", [(0, "W"), (83, "W"), (84, "M"), (1095, "M"),
                                            (1096, "Q")])
def test_period_is_chosen_from_the_span(days, expected):
    start = pd.Timestamp("2015-03-02")
    assert compare.choose_period(pd.Series([start, start + pd.Timedelta(days=days)])) == expected


def test_time_summary_cells_flags_and_unparsed_dates():
    dates = (["2016-01-05"] * 6 + ["2016-02-10"] * 3 + ["2016-04-01"] * 7
             + ["not a date", "", "2016-13-45"])
    n = len(dates)
    df = pd.DataFrame({"article_id": [f"{i:02d}" for i in range(n)], "date": dates,
                       "outlet": ["x"] * n, "net_optimism": np.arange(n, dtype=float)})
    t = compare.time_summary(df, "outlet", min_n=5, n_resamples=200)
    assert t.attrs["period"] == "M" and t.attrs["n_unparsed"] == 3 and t.attrs["n_periods"] == 3
    assert t["period"].tolist() == ["2016-01", "2016-02", "2016-04"]
    assert t["period_start"].tolist() == ["2016-01-01", "2016-02-01", "2016-04-01"]
    assert t["n"].tolist() == [6, 3, 7]
    assert t["below_min_n"].tolist() == [False, True, False]
    assert t["mean"].tolist() == [2.5, 7.0, 12.0]
    assert ((t["lo"] <= t["mean"]) & (t["mean"] <= t["hi"])).all()
    w = compare.time_summary(df.iloc[:9], None, period="W", n_resamples=50)
    assert w["period"].tolist() == ["2016-W01", "2016-W06"] and set(w["group"]) == {"all"}
    assert w["period_start"].tolist() == ["2016-01-04", "2016-02-08"]  # Mondays
    q = compare.time_summary(df, "outlet", period="Q", n_resamples=50)
    assert q["period"].tolist() == ["2016Q1", "2016Q2"] and q["n"].tolist() == [9, 7]


def test_group_timeline_pools_the_smaller_groups_and_shares_the_periods():
    rng = np.random.default_rng(11)
    sizes = {f"g{i}": 20 - i for i in range(10)}  # g0 largest ... g9 smallest
    labels = [g for g, k in sizes.items() for _ in range(k)]
    n = len(labels)
    df = pd.DataFrame({"article_id": [f"{i:03d}" for i in range(n)], "outlet": labels,
                       "date": (np.datetime64("2016-01-04")
                                + rng.integers(0, 200, n).astype("timedelta64[D]")).astype(str),
                       "net_optimism": rng.normal(0, 1, n), "src_entropy": rng.random(n)})
    by_group, overall = compare.group_timeline(df, "outlet", measures="src_entropy,bogus",
                                               n_resamples=100)
    kept = [f"g{i}" for i in range(7)]
    assert sorted(set(by_group["group"])) == sorted(kept + [compare.OTHER])
    pooled = by_group[by_group["group"] == compare.OTHER]
    assert pooled["n"].sum() == sizes["g7"] + sizes["g8"] + sizes["g9"]
    # the pooled cells are the time summary of the three smallest groups together
    small = df[df["outlet"].isin(["g7", "g8", "g9"])].assign(outlet="x")
    alone = compare.time_summary(small, "outlet", measures=["src_entropy"], period="Q",
                                 n_resamples=100)
    assert pooled["mean"].tolist() == alone["mean"].tolist()
    assert set(by_group["measure"]) == {"src_entropy"} and "below_min_n" not in by_group
    # 200 days allow months, but most group x month cells would hold under 5 articles
    assert by_group.attrs["period"] == "Q" and "min_n" not in by_group.attrs
    assert set(overall["group"]) == {"all"} and overall["n"].sum() == n
    assert set(overall["period"]) == set(by_group["period"])
    # no measure asked for is there: the first four measures
    fallback, _ = compare.group_timeline(df, "outlet", measures="bogus", n_resamples=100)
    assert list(dict.fromkeys(fallback["measure"])) == ["net_optimism", "src_entropy"]


# ---------------------------------------------------------------------------------------------
# distinctive words
# ---------------------------------------------------------------------------------------------

def test_planted_distinctive_words_are_found():
    rng = np.random.default_rng(8)
    vocab = [f"w{i:03d}" for i in range(300)]
    probs = 1.0 / np.arange(1, 301)
    probs /= probs.sum()
    rows, groups = [], {}
    for g in ("east", "north", "west"):
        for k in range(30):
            aid = f"{g}{k:02d}"
            groups[aid] = g
            words = list(rng.choice(vocab, 300, p=probs))
            words += {"east": ["zebra"] * 4, "north": ["yacht"] * 4, "west": []}[g]
            for term, c in pd.Series(words).value_counts().items():
                rows.append((aid, term, int(c)))
    counts = pd.DataFrame(rows, columns=["article_id", "term", "count"])
    t = compare.distinctive_terms(counts, groups, top=5)
    top = t.groupby("group")["term"].first()
    assert top["east"] == "zebra" and top["north"] == "yacht"
    z = t.set_index(["group", "term"])["z"]
    assert z["east", "zebra"] > 8 and z["north", "yacht"] > 8
    assert t[t["group"] == "west"]["z"].max() < 4  # nothing planted: no large z
    assert list(t.columns) == ["group", "term", "count", "log_odds", "z", "count_total"]
    assert t.loc[(t["group"] == "east") & (t["term"] == "zebra"), "count"].item() == 120
    full = compare.distinctive_terms(counts, groups, top=None)
    assert full.loc[(full["group"] == "west") & (full["term"] == "zebra"), "z"].item() < 0


def test_log_odds_formula_by_hand():
    counts = pd.DataFrame({"article_id": ["1", "1", "2", "2"], "term": ["a", "b", "a", "b"],
                           "count": [8, 2, 3, 7]})
    t = compare.distinctive_terms(counts, {"1": "g1", "2": "g2"}, prior=4.0, top=None)
    # prior: a0 = 4, corpus shares a: 11/20, b: 9/20
    al = {"a": 4 * 11 / 20, "b": 4 * 9 / 20}
    yi, yj, ni, nj = 8, 3, 10, 10
    delta = (np.log((yi + al["a"]) / (ni + 4 - yi - al["a"]))
             - np.log((yj + al["a"]) / (nj + 4 - yj - al["a"])))
    z = delta / np.sqrt(1 / (yi + al["a"]) + 1 / (yj + al["a"]))
    row = t[(t["group"] == "g1") & (t["term"] == "a")].iloc[0]
    assert row["log_odds"] == pytest.approx(delta, abs=1e-6)
    assert row["z"] == pytest.approx(z, abs=1e-6)
    mirror = t[(t["group"] == "g2") & (t["term"] == "a")].iloc[0]
    assert mirror["z"] == pytest.approx(-z, abs=1e-6)
    assert compare.distinctive_terms(counts, {"1": "g1", "2": "g1"}).empty


def test_lemma_counts_from_the_shared_parse():
    from analysis.text import parse_text

    rows = compare.lemma_counts_from_parsed(parse_text(
        "Voters voted. The voters were voting in 2016, and they'd vote again!", "v1"))
    got = {r["term"]: r["count"] for r in rows}
    assert got == {"voter": 2, "vote": 3}
    assert [r["term"] for r in rows] == sorted(got) and {r["article_id"] for r in rows} == {"v1"}


# ---------------------------------------------------------------------------------------------
# notebook 04's computations
# ---------------------------------------------------------------------------------------------

def test_tfidf_similarity_orders_similar_texts_together():
    texts = ["tax cuts for families and tax credits", "war in the north, troops advance",
             "families get tax credits and cuts", "troops advance in the war zone"]
    s = compare.tfidf_similarity(texts)
    assert np.allclose(s.matrix, s.matrix.T) and np.all(np.diag(s.matrix) == 1.0)
    assert sorted(s.order) == [0, 1, 2, 3]
    pos = {i: s.order.index(i) for i in range(4)}
    assert abs(pos[0] - pos[2]) == 1 and abs(pos[1] - pos[3]) == 1
    assert s.matrix[0, 1] == 0.0 and s.matrix[0, 2] > 0.3
    assert compare.tfidf_similarity(["one text here"]).order == [0]


def test_framing_map_loadings_are_correlations_and_oriented():
    rng = np.random.default_rng(0)
    n = 40
    f = rng.normal(size=n)
    df = pd.DataFrame({"article_id": [f"{i:02d}" for i in range(n)],
                       "net_optimism": f + rng.normal(0, 0.3, n),
                       "tone_mean": rng.normal(size=n), "tone_mean_adapted": -f,
                       "emph_economics": rng.normal(size=n), "emph_economics_share": f,
                       "src_n_unique": f, "src_entropy": rng.normal(size=n),
                       "src_constant": np.ones(n)})
    m = compare.framing_map(df)
    assert m.drawable
    assert m.columns == ["net_optimism", "tone_mean_adapted", "emph_economics", "src_entropy"]
    z = (df[m.columns] - df[m.columns].mean()) / df[m.columns].std(ddof=0)
    for col in m.columns:
        for k in ("PC1", "PC2"):
            r = np.corrcoef(z[col], m.scores[k])[0, 1]
            assert m.loadings.loc[col, k] == pytest.approx(r, abs=1e-8)
    for k in ("PC1", "PC2"):
        strongest = m.loadings[k].abs().idxmax()
        assert m.loadings.loc[strongest, k] > 0
    assert not compare.framing_map(df.iloc[:2]).drawable


# ---------------------------------------------------------------------------------------------
# determinism
# ---------------------------------------------------------------------------------------------

def test_same_input_same_bytes_and_row_order_does_not_matter(three_groups):
    df = three_groups.assign(date=pd.date_range("2016-01-01", periods=len(three_groups),
                                                freq="3D").strftime("%Y-%m-%d"))
    shuffled = df.sample(frac=1.0, random_state=1)
    calls = [
        lambda d: compare.group_summary(d, "outlet", n_resamples=300),
        lambda d: compare.contrasts(d, "outlet", n_resamples=300, n_permutations=299),
        lambda d: compare.contrasts(d, "outlet", pair_by="event", n_resamples=300,
                                    n_permutations=299),
        lambda d: compare.time_summary(d, "outlet", n_resamples=300),
    ]
    for call in calls:
        first = csv_bytes(call(df))
        assert first == csv_bytes(call(df)) == csv_bytes(call(shuffled))
    other_seed = csv_bytes(compare.group_summary(df, "outlet", n_resamples=300, random_state=1))
    assert other_seed != csv_bytes(compare.group_summary(df, "outlet", n_resamples=300))
    # a group's interval does not depend on the other groups in the table
    alone = compare.group_summary(df[df["outlet"] == "n2"], "outlet", n_resamples=300)
    together = compare.group_summary(df, "outlet", n_resamples=300)
    assert csv_bytes(alone) == csv_bytes(together[together["group"] == "n2"])


def test_no_interval_from_a_single_article_or_event():
    df = pd.DataFrame({"g": ["a", "b", "b", "b"], "ev": ["e1", "e1", "e1", "e2"],
                       "net_optimism": [0.1, 0.3, 0.5, 0.2]})
    t = compare.contrasts(df, "g", reference="b", n_resamples=200, n_permutations=99)
    assert t["n"].tolist() == [1] and t[["lo", "hi"]].isna().all(axis=None)
    assert t["difference"].iloc[0] == pytest.approx(0.1 - (0.3 + 0.5 + 0.2) / 3, abs=1e-6)
    paired = compare.contrasts(df, "g", reference="b", pair_by="ev", n_resamples=200,
                               n_permutations=99)
    assert paired["n_pairs"].tolist() == [1] and paired[["lo", "hi"]].isna().all(axis=None)
    two = pd.concat([df, pd.DataFrame({"g": ["a"], "ev": ["e2"], "net_optimism": [0.0]})])
    t2 = compare.contrasts(two, "g", reference="b", n_resamples=200, n_permutations=99)
    assert t2[["lo", "hi"]].notna().all(axis=None)


# ---------------------------------------------------------------------------------------------
# the tables, written and read back
# ---------------------------------------------------------------------------------------------

def test_the_tables_read_back_as_the_compare_command_computed_them(tmp_path):
    """read_comparison gives the frames the compare command computed: names that look like
    numbers stay text, floats to the bit, counts as counts, the .attrs restored."""
    rng = np.random.default_rng(12)
    n = 40
    df = pd.DataFrame({"article_id": [f"{i:03d}" for i in range(n)],
                       "year": rng.choice(["2016", "2017", "1999"], n),
                       "event": rng.choice(["e1", "e2", "e3"], n),
                       "date": "2016-05-01", "n_words": rng.integers(100, 900, n),
                       "net_optimism": rng.normal(0, 1, n) / 3,
                       "src_entropy": rng.random(n) * np.pi})
    df.to_csv(tmp_path / "features.csv", index=False)
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "year", "--study", "none",
                 "--pair-by", "event", "--n-resamples", "100", "--n-permutations", "99"]) == 0
    tables = compare.read_comparison(tmp_path, "year", tmp_path / "features.csv")
    assert not tables.reason and set(tables.tables) == set(compare.TABLES)
    features = read_table(tmp_path / "features.csv")
    groups = tables.table("groups")
    assert groups["group"].tolist()[:3] == ["1999", "2016", "2017"]  # text, as written
    pd.testing.assert_frame_equal(groups, compare.group_summary(features, "year",
                                                                n_resamples=100))
    assert groups.attrs == {"n_resamples": 100, "n_without_group": 0}
    contrasts = tables.table("contrasts")
    expected = compare.contrasts(features, "year", pair_by="event", n_resamples=100,
                                 n_permutations=99)
    pd.testing.assert_frame_equal(contrasts, expected, check_dtype=False)
    assert pd.api.types.is_integer_dtype(contrasts["n_pairs"]) and contrasts.attrs["paired"]
    assert contrasts.attrs["n_permutations"] == 99
    assert tables.settings["pair_by"] == "event" and tables.settings["n_resamples"] == 100
    # the command wrote no timeline periods to speak of, and said why there are no words
    assert tables.table("timeline").attrs["n_periods"] == 1
    assert tables.why_empty("words").startswith("no terms.csv in ")
    assert tables.table("words").empty
    # a table is a copy: drawing cannot change what the next figure reads
    drawn = tables.table("groups")
    drawn.loc[0, "mean"] = 99.0
    assert tables.table("groups").loc[0, "mean"] != 99.0


# ---------------------------------------------------------------------------------------------
# the package
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_import_loads_no_heavy_library_and_every_public_name_resolves():
    code = ("import sys, analysis.compare as c; [getattr(c, n) for n in c.__all__]; "
            "print(','.join(m for m in ('spacy', 'sklearn', 'scipy', 'statsmodels', "
            "'matplotlib') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""


# ---------------------------------------------------------------------------------------------
# what the compare command leaves out, and refuses
# ---------------------------------------------------------------------------------------------

def test_a_one_article_group_or_cell_has_no_interval():
    df = pd.DataFrame({"article_id": list("abcd"), "g": ["x", "y", "y", "y"],
                       "date": ["2016-01-04", "2016-01-05", "2016-01-06", "2016-03-01"],
                       "net_optimism": [0.1, 0.3, 0.5, 0.2]})
    t = compare.group_summary(df, "g", n_resamples=200)
    one = t[t["group"] == "x"]
    assert one["n"].tolist() == [1] and one[["lo", "hi"]].isna().all(axis=None)
    assert t.loc[t["group"] == "y", ["lo", "hi"]].notna().all(axis=None)
    cells = compare.time_summary(df, "g", period="M", n_resamples=200)
    assert cells.loc[cells["n"] == 1, ["lo", "hi"]].isna().all(axis=None)
    assert cells.loc[cells["n"] == 2, ["lo", "hi"]].notna().all(axis=None)


def outlets_table(path, n=40, seed=13, **columns):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"article_id": [f"{i:03d}" for i in range(n)],
                       "outlet": rng.choice(["a", "b", "c"], n),
                       "date": "2016-05-01", "n_words": rng.integers(100, 900, n),
                       "net_optimism": rng.normal(0, 1, n), **columns})
    df.to_csv(path, index=False)
    return df


def test_articles_without_a_group_are_said_in_the_summary_line_and_record(tmp_path, capsys):
    df = outlets_table(tmp_path / "features.csv")
    df.loc[:9, "outlet"] = ""
    df.to_csv(tmp_path / "features.csv", index=False)
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study",
                     "none", "--n-resamples", "100", "--n-permutations", "99"]) == 0
    line = capsys.readouterr().err
    assert "40 articles in 3 groups of 'outlet', 10 without a value of 'outlet' left out" in line
    tables = compare.read_comparison(tmp_path, "outlet")
    assert tables.record["left_out"]["without_group"] == 10
    assert tables.table("groups").attrs["n_without_group"] == 10


def test_ambiguous_and_partial_dates_are_said_in_the_summary_line_and_record(tmp_path, capsys):
    dates = ["09/11/2015", "10/11/2015", "2015", "2015-03"] + ["2015-11-02"] * 36
    outlets_table(tmp_path / "features.csv", date=dates)
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study",
                     "none", "--n-resamples", "100", "--n-permutations", "99"]) == 0
    line = capsys.readouterr().err
    assert ("`date` left out of the timeline: 2 ambiguous (day-first or month-first: no value "
            "decides), 2 partial (no day)") in line
    record = compare.read_comparison(tmp_path, "outlet").record
    assert record["left_out"] == {"without_group": 0, "dates_ambiguous": 2, "dates_partial": 2,
                                  "dates_unreadable": 0, "date_order": "ambiguous"}
    # declared, they are read
    assert cli_main(["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study",
                     "none", "--n-resamples", "100", "--n-permutations", "99",
                     "--date-format", "%d/%m/%Y"]) == 0
    record = compare.read_comparison(tmp_path, "outlet").record
    assert record["settings"]["date_format"] == "%d/%m/%Y"
    assert record["left_out"]["dates_ambiguous"] == 0


def test_a_pairing_column_that_pairs_no_event_is_refused(tmp_path, capsys):
    df = outlets_table(tmp_path / "features.csv")
    df["event"] = "only-" + df["outlet"]  # every event covered by one outlet
    df.to_csv(tmp_path / "features.csv", index=False)
    args = ["compare", str(tmp_path / "features.csv"), "--by", "outlet", "--study", "none",
            "--n-resamples", "100", "--n-permutations", "99", "--pair-by", "event"]
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert "--pair-by event: no event is covered by two groups of 'outlet'" in err
    assert not (tmp_path / compare.RECORD).exists()  # nothing written
    df.loc[:5, "event"] = "shared"  # one shared event is enough to pair
    df.to_csv(tmp_path / "features.csv", index=False)
    assert cli_main(args) == 0
