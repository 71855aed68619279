"""Adjusted contrasts: group differences from OLS regressions with controls, optional fixed
effects and cluster- or heteroscedasticity-robust standard errors (statsmodels,
:func:`adjusted_contrasts`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .resampling import LEVEL, bh_adjust
from .summary import (group_labels, is_measure_dtype, largest_groups, round_floats,
                      select_measures)

ADJUSTED_COLUMNS = ["measure", "group", "reference", "coef", "se", "lo", "hi", "p", "p_adjusted",
                    "n", "n_clusters", "cov_type", "controls"]


def adjusted_contrasts(features: pd.DataFrame, by: str, cluster: str | None = None,
                       controls=("log_n_words",), reference: str | None = None,
                       measures=None, fixed_effects: str | None = None) -> pd.DataFrame:
    """Group differences adjusted for controls, from one OLS regression per measure.

    Each measure is regressed as ``measure ~ C(group, Treatment(reference)) + controls``
    (statsmodels): one coefficient per non-reference group, with robust standard errors.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str
        The group column.
    cluster : str, optional
        Column whose values are clusters for cluster-robust (CR1) standard errors, usually the
        event column (``pair_by``): articles on the same event are not independent (fewer than
        two clusters: no estimate, NaN). None:
        heteroscedasticity-robust (HC1) errors, articles independent. Clustering by ``by``
        itself is allowed, but with few groups (under ~30 clusters) its errors are unreliable.
    controls : sequence of str, default ("log_n_words",)
        Numeric columns added as covariates. ``log_n_words`` is the natural log of ``n_words``
        (computed when the table has ``n_words`` and no ``log_n_words``). Controls the table
        does not have are left out; the ``controls`` column says which ones were used.
    reference : str, optional
        The baseline group; default the largest group (ties by name), as in
        :func:`~analysis.compare.contrasts`.
    measures : list of str, optional
        Default :func:`~analysis.compare.measure_columns` of ``features``.
    fixed_effects : str, optional
        Column added as a categorical covariate (e.g. the event column: within-event
        comparison, the regression analogue of the paired contrast).

    Returns
    -------
    DataFrame
        Columns ``measure, group, reference, coef, se, lo, hi, p, p_adjusted, n, n_clusters,
        cov_type, controls``: ``coef`` is the adjusted difference group minus reference, ``lo``
        and ``hi`` its 95% confidence interval, ``p`` the two-sided Wald p-value and
        ``p_adjusted`` its Benjamini–Hochberg adjustment over the table; ``n`` articles in the
        fit (rows with a missing value are left out per measure). Rows by measure, then group
        name.

    Notes
    -----
    The design matrix is built explicitly (intercept, one 0/1 column per non-reference group,
    the controls) and fitted with ``statsmodels.api.OLS``; this is the model the formula above
    describes. ``fixed_effects`` are absorbed by subtracting each level's mean from the outcome
    and the covariates (Frisch–Waugh–Lovell): the coefficients are those of the regression with
    one dummy per level, but the small-sample factor of the robust errors does not count the
    absorbed levels (as Stata's ``xtreg, fe`` with clustered errors).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"outlet": np.repeat(["a", "b"], 50),
    ...                    "n_words": rng.integers(200, 900, 100),
    ...                    "net_optimism": np.repeat([0.0, 1.0], 50) + rng.normal(0, .1, 100)})
    >>> t = adjusted_contrasts(df, "outlet")
    >>> t[["group", "reference", "controls"]].values.tolist()
    [['b', 'a', 'log_n_words']]
    >>> bool(abs(t["coef"].iloc[0] - 1) < 0.1)
    True
    """
    import statsmodels.api as sm  # late: heavy

    cols = select_measures(features, measures)
    labels = group_labels(features, by)
    keep = (labels != "").to_numpy().copy()
    if cluster is not None:
        clusters = group_labels(features, cluster)
        keep &= (clusters != "").to_numpy()
    data = features.loc[keep]
    labels = labels.to_numpy()[keep]
    groups = sorted(set(labels.tolist()))
    if len(groups) < 2:
        return pd.DataFrame(columns=ADJUSTED_COLUMNS)
    ref = largest_groups(labels, 1)[0] if reference is None else str(reference)
    if ref not in groups:
        raise ValueError(f"reference group '{ref}' is not one of the groups")
    others = [g for g in groups if g != ref]
    used, ctrl = [], []
    for c in (controls or ()):
        if c in data.columns and is_measure_dtype(data[c]):
            ctrl.append(pd.to_numeric(data[c], errors="coerce").to_numpy(float))
            used.append(c)
        elif c == "log_n_words" and "n_words" in data.columns:
            w = pd.to_numeric(data["n_words"], errors="coerce").to_numpy(float)
            ctrl.append(np.log(np.where(w > 0, w, np.nan)))
            used.append(c)
    names = ["const", *(f"group:{g}" for g in others), *used]
    x_all = np.column_stack([np.ones(len(data)), *[(labels == g).astype(float) for g in others],
                             *ctrl])
    fe_codes = (pd.factorize(group_labels(data, fixed_effects).to_numpy(), sort=True)[0]
                if fixed_effects is not None else None)
    cl_codes = (pd.factorize(clusters.to_numpy()[keep], sort=True)[0] if cluster is not None
                else None)
    rows = []
    for c in cols:
        y = pd.to_numeric(data[c], errors="coerce").to_numpy(float)
        ok = ~np.isnan(y) & ~np.isnan(x_all).any(axis=1)
        x, yy, cols_x = x_all[ok], y[ok], names
        if fe_codes is not None and ok.any():
            # Fixed effects absorbed by demeaning within each level (Frisch-Waugh-Lovell):
            # the same coefficients as one dummy per level, without a dense dummy matrix.
            codes = pd.factorize(fe_codes[ok])[0]
            n_level = np.bincount(codes).astype(float)

            def within(v, codes=codes, n_level=n_level):
                return v - (np.bincount(codes, weights=v) / n_level)[codes]

            yy = within(yy)
            x = np.column_stack([within(x[:, k]) for k in range(1, x.shape[1])])
            cols_x = names[1:]
        # Columns with no variation left (a group without data, a group nested in the fixed
        # effects) are dropped; their coefficients are missing.
        spread = x.std(axis=0) if len(x) else np.zeros(x.shape[1])
        varying = spread > 1e-10 * (1.0 + np.abs(x).max(axis=0, initial=0.0))
        if cols_x[0] == "const":
            varying[0] = True
        kept = [n for n, v in zip(cols_x, varying) if v]
        base = {"measure": c, "reference": ref, "n": int(ok.sum()), "controls": ",".join(used)}
        too_few_clusters = cl_codes is not None and len(np.unique(cl_codes[ok])) < 2
        if ok.sum() <= len(kept) or not kept or too_few_clusters:
            rows += [{**base, "group": g, "coef": np.nan, "se": np.nan, "lo": np.nan,
                      "hi": np.nan, "p": np.nan, "n_clusters": pd.NA, "cov_type": ""}
                     for g in others]
            continue
        model = sm.OLS(yy, x[:, varying])
        if cl_codes is not None:
            groups_ok = pd.factorize(cl_codes[ok], sort=True)[0]
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups_ok})
            n_cl, cov = int(groups_ok.max() + 1), "cluster"
        else:
            fit = model.fit(cov_type="HC1")
            n_cl, cov = pd.NA, "HC1"
        params, bse, pv = np.asarray(fit.params), np.asarray(fit.bse), np.asarray(fit.pvalues)
        ci = np.asarray(fit.conf_int(alpha=1 - LEVEL))
        for g in others:
            if f"group:{g}" not in kept:
                rows.append({**base, "group": g, "coef": np.nan, "se": np.nan, "lo": np.nan,
                             "hi": np.nan, "p": np.nan, "n_clusters": n_cl, "cov_type": cov})
                continue
            i = kept.index(f"group:{g}")
            rows.append({**base, "group": g, "coef": params[i], "se": bse[i], "lo": ci[i, 0],
                         "hi": ci[i, 1], "p": pv[i], "n_clusters": n_cl, "cov_type": cov})
    out = pd.DataFrame(rows, columns=[c for c in ADJUSTED_COLUMNS if c != "p_adjusted"])
    out["p_adjusted"] = bh_adjust(out["p"].to_numpy(dtype=float))
    out = out[ADJUSTED_COLUMNS]
    out["n_clusters"] = out["n_clusters"].astype("Int64")
    return round_floats(out.reset_index(drop=True))
