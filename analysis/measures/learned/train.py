"""Learning a model from coded items with scikit-learn, cross-validated.

The items are parsed once (the shared parse, :mod:`analysis.text`) and featurised as the model
will be applied (:mod:`analysis.measures.learned.featurise`); features in fewer than
``min_df`` items are left out. Then:

* **binary**: ``LogisticRegression`` (liblinear, L2, ``C`` = 16);
* **categories**: multinomial ``LogisticRegression`` (lbfgs, L2, ``C`` = 16);
* **rating**: ``Ridge``, its ``alpha`` chosen by ``RidgeCV`` (leave-one-out).

``C`` is fixed: chosen once on the development frames (gun-violence headlines, climate
articles), where choosing it again for each frame by an inner cross-validation on AUC was
noisier (a few dozen positives per fold) and ranked worse than any fixed value from 4 to 16.

Validity is an outer 5-fold cross-validation (``StratifiedKFold``; ``GroupKFold`` with a group
column, e.g. the article of each coded sentence), each training fold making its own
vocabulary and idf: AUC (binary), macro-F1 (categories) or Spearman (rating) of the out-of-fold predictions,
each with a 95% bootstrap interval over the items (:func:`analysis.stats.unit_bootstrap_interval`)
and beside a majority baseline (binary: AUC 0.5 and the majority's accuracy; categories: the
majority's macro-F1; rating: the RMSE of predicting the mean). The final model is fitted on
every item; its weights become the model file (:mod:`analysis.measures.learned.model`).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

from ... import __version__
from ...stats import unit_bootstrap_interval
from .coded import CodedError
from .featurise import featurise, item_values
from .model import KINDS, Featurise, LearnedModel, Weights

__all__ = ["design", "fit", "cross_validate", "oof_predictions", "learn_items", "learning_curve", "FOLDS", "C",
           "ALPHAS", "file_sha256", "featurise_texts"]

FOLDS = 5
C = 16.0  # inverse regularisation of the logistic regressions (see the module docstring)
ALPHAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)  # ridge penalties tried
N_BOOT = 1000  # bootstrap resamples of the cross-validated metrics


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (a folder: of its files, in name order)."""
    p = Path(path)
    h = hashlib.sha256()
    for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()


def featurise_texts(texts, spec: Featurise, ids=None):
    """Parse texts with the shared parse and featurise each as one item."""
    from ...text import parse_articles  # late: heavy (spaCy)

    ids = ids if ids is not None else [str(i) for i in range(len(texts))]
    return [featurise(a, spec) for a in parse_articles(zip(ids, texts))]


def design(items, spec: Featurise, min_df: int = 1, fitted: tuple | None = None):
    """The item x feature matrix (sparse), the feature names, the idf table and the idf of
    unseen features.

    The vocabulary (features in ``min_df`` items or more) and the idf (``ln((1 + n) / (1 +
    items with it)) + 1``; unseen: ``ln(1 + n) + 1``) come from ``items``, or from ``fitted``
    (``(names, idf, unseen)`` of the training items, for held-out items). Each item's values
    are normed over all its features before the vocabulary is applied, as the model file will
    apply them. Numeric features (``spec.numeric``) are appended as ``numeric:<name>``: the
    mean over the item's sentences."""
    totals = [it.total() for it in items]
    if fitted is None:
        df: dict[str, int] = {}
        for c in totals:
            for k in c:
                df[k] = df.get(k, 0) + 1
        vocabulary = sorted(k for k, n in df.items() if n >= min_df)
        n = len(totals)
        unseen = float(np.log(1 + n) + 1)
        idf = {k: float(np.log((1 + n) / (1 + df[k])) + 1) for k in vocabulary} if spec.idf \
            else {}
    else:
        vocabulary, idf, unseen = fitted
        vocabulary = [v for v in vocabulary if not v.startswith("numeric:")]
    spec = replace(spec, idf_unseen=unseen)
    values = [item_values(c, spec, idf) for c in totals]
    vec = DictVectorizer(sort=True)
    vec.fit([{k: 1.0 for k in vocabulary}])
    X = vec.transform(values).tocsr()
    names = list(vec.get_feature_names_out())
    if spec.numeric:
        from scipy.sparse import hstack  # late: heavy

        num = np.array([[float(np.mean(it.numeric[n])) if len(it.numeric[n]) else 0.0
                         for n, _, _ in spec.numeric] for it in items])
        X = hstack([X, num]).tocsr()
        names += [f"numeric:{n}" for n, _, _ in spec.numeric]
    return X, names, idf, unseen


def _inner(y, groups, kind, rs):
    if groups is not None:
        k = min(FOLDS, len(set(groups)))
        return list(GroupKFold(n_splits=k).split(np.zeros(len(y)), y, groups))
    if kind == "rating":
        return list(KFold(FOLDS, shuffle=True, random_state=rs).split(np.zeros(len(y))))
    return list(StratifiedKFold(FOLDS, shuffle=True, random_state=rs).split(np.zeros(len(y)), y))


def _scale_numeric(X, names, train):
    """Centre and scale the numeric columns on the training rows: (X, [(center, scale)])."""
    cols = [j for j, n in enumerate(names) if n.startswith("numeric:")]
    if not cols:
        return X, []
    X = X.tolil(copy=True)
    out = []
    for j in cols:
        v = X[:, j].toarray().ravel()
        c, s = float(v[train].mean()), float(v[train].std()) or 1.0
        X[:, j] = ((v - c) / s)[:, None]
        out.append((c, s))
    return X.tocsr(), out


def fit(X, y, kind: str, groups=None, random_state: int = 0):
    """The fitted estimator: logistic regression with ``C`` = :data:`C`, or a ridge whose
    ``alpha`` an inner cross-validation chooses (efficient leave-one-out; grouped folds with
    ``groups``)."""
    X = X.tocsr()
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)  # liblinear
    if kind == "rating":
        cv = _inner(y, groups, kind, random_state) if groups is not None else None
        est = RidgeCV(alphas=ALPHAS, cv=cv).fit(X, y)
        return Ridge(alpha=est.alpha_).fit(X, y)
    if kind == "binary":
        return LogisticRegression(C=C, solver="liblinear", max_iter=1000,
                                  random_state=random_state).fit(X, y)
    return LogisticRegression(C=C, solver="lbfgs", max_iter=2000).fit(X, y)


def _metric(kind, y, pred, classes):
    if kind == "binary":
        return lambda i: roc_auc_score(y[i], pred[i]) if len(set(y[i])) > 1 else np.nan
    if kind == "categories":
        lab = np.asarray(classes)[pred.argmax(axis=1)]
        return lambda i: f1_score(y[i], lab[i], average="macro", labels=list(classes))
    return lambda i: spearmanr(y[i], pred[i]).statistic


def cross_validate(items, y, kind: str, spec: Featurise, groups=None, min_df: int = 1,
                   random_state: int = 0) -> dict:
    """Out-of-fold metrics with 95% bootstrap intervals, beside the majority baseline.

    Each training fold makes its own vocabulary, idf and numeric scaling, as ``learn`` would
    on those items alone."""
    y = np.asarray(y)
    pred, classes, outer = oof_predictions(items, y, kind, spec, groups, min_df, random_state)
    return _metrics(kind, y, pred, classes, len(outer), groups is not None, random_state)


def oof_predictions(items, y, kind: str, spec: Featurise, groups=None, min_df: int = 1,
                    random_state: int = 0):
    """Out-of-fold predictions (probability of ``'1'``, category probabilities in ``classes``
    order, or ratings), the classes and the folds."""
    y = np.asarray(y)
    groups = None if groups is None else np.asarray(groups)
    outer = _inner(y, groups, kind, random_state)
    classes = sorted(set(y.tolist())) if kind != "rating" else []
    pred = np.zeros(len(y)) if kind != "categories" else np.zeros((len(y), len(classes)))
    for train, test in outer:
        Xtr, names, idf, unseen = design([items[i] for i in train], spec, min_df)
        Xte, _, _, _ = design([items[i] for i in test], spec, min_df, (names, idf, unseen))
        Xs, _ = _scale_numeric(_stack(Xtr, Xte), names, np.arange(len(train)))
        Xtr, Xte = Xs[:len(train)], Xs[len(train):]
        est = fit(Xtr, y[train], kind, None if groups is None else groups[train],
                  random_state)
        if kind == "rating":
            pred[test] = est.predict(Xte)
        elif kind == "binary":
            pred[test] = est.predict_proba(Xte)[:, list(est.classes_).index("1")]
        else:
            p = est.predict_proba(Xte)
            pred[test] = p[:, [list(est.classes_).index(c) for c in classes]]
    return pred, classes, outer


def _metrics(kind, y, pred, classes, folds, grouped, random_state):
    stat = _metric(kind, y, pred, classes)
    everything = np.arange(len(y))
    strata = y if kind == "binary" else None
    value = float(stat(everything))
    lo, hi = unit_bootstrap_interval(stat, len(y), strata=strata, n_resamples=N_BOOT,
                                     seed=random_state)
    name = {"binary": "auc", "categories": "macro_f1", "rating": "spearman"}[kind]
    out = {"folds": folds, "grouped": grouped,
           name: _round3(value), f"{name}_ci95": [_round3(lo), _round3(hi)]}
    if kind == "rating":
        out["rmse"] = _round3(float(np.sqrt(np.mean((pred - y) ** 2))))
        out["baseline"] = {"what": "the mean rating", "spearman": None,
                           "rmse": _round3(float(np.std(y)))}
    else:
        values, counts = np.unique(y, return_counts=True)
        major = values[counts.argmax()]
        acc = float((y == major).mean())
        if kind == "binary":
            out["accuracy"] = _round3(float(((pred >= 0.5).astype(int).astype(str) == y).mean()))
            out["baseline"] = {"what": f"the majority class {major!r}", "auc": 0.5,
                               "accuracy": _round3(acc)}
        else:
            out["accuracy"] = _round3(float((np.asarray(classes)[pred.argmax(1)] == y).mean()))
            f1 = f1_score(y, np.full(len(y), major), average="macro", labels=classes)
            out["baseline"] = {"what": f"the majority class {major!r}",
                               "macro_f1": _round3(float(f1)), "accuracy": _round3(acc)}
    return out


def _stack(a, b):
    from scipy.sparse import vstack  # late: heavy

    return vstack([a, b]).tocsr()


def _round3(x: float):
    return None if x is None or not np.isfinite(x) else round(float(x), 3)


def learn_items(items, y, *, kind: str, categories, name: str, label: str,
                spec: Featurise = Featurise(), unit: str = "article", groups=None,
                min_df: int = 1, random_state: int = 0, provenance: dict | None = None,
                validate: bool = True) -> LearnedModel:
    """Learn a model from featurised items (:func:`featurise_texts`) and their labels.

    Parameters
    ----------
    items : list of ItemFeatures
    y : array
        Labels: ``'0'``/``'1'`` (binary), category text, or floats (rating).
    kind, categories, name, label, unit
        As in the model file.
    spec : Featurise
        The featurisation (numeric features: their names; center and scale are learned).
    groups : array, optional
        Group of each item for GroupKFold (items of one group never split across folds).
    provenance : dict, optional
        Merged into ``training`` (data file, SHA-256, recipe).
    validate : bool, default True
        Cross-validate (the metrics go into ``training: cv``).

    Returns
    -------
    LearnedModel
    """
    y = np.asarray(y)
    if groups is not None and len(set(groups)) < FOLDS:
        raise CodedError(f"--group-by: {len(set(groups))} groups; grouped cross-validation "
                         f"needs at least {FOLDS}")
    X, names, idf, unseen = design(items, spec, min_df)
    if X.shape[1] == 0:
        raise CodedError(f"no word occurs in {min_df} items or more: nothing to learn from")
    training: dict = {"n": int(len(y))}
    if kind == "rating":
        training["label_mean"] = round(float(y.mean()), 4)
        training["label_sd"] = round(float(y.std()), 4)
    else:
        training["label_counts"] = {str(c): int((y == c).sum()) for c in sorted(set(y))}
    training.update(provenance or {})
    if validate:
        training["cv"] = cross_validate(items, y, kind, spec, groups, min_df, random_state)
    Xs, scaling = _scale_numeric(X, names, np.arange(len(y)))
    est = fit(Xs, y, kind, groups, random_state)
    training["hyperparameter"] = ({"alpha": float(est.alpha)} if kind == "rating"
                                  else {"C": C})
    training["recipe"] = {"estimator": {"binary": "LogisticRegression (liblinear, L2)",
                                        "categories": "LogisticRegression (multinomial, L2)",
                                        "rating": "Ridge"}[kind],
                          "min_df": min_df, "folds": FOLDS, "random_state": random_state}
    training["package"] = f"analysis {__version__}"
    numeric = tuple((n, c, s) for (n, _, _), (c, s) in zip(spec.numeric, scaling))
    spec = replace(spec, numeric=numeric, idf_unseen=round(unseen, 4))
    coef = np.atleast_2d(est.coef_)
    inter = np.atleast_1d(est.intercept_)
    outputs = [categories[1]] if kind == "binary" else \
        list(categories) if kind == "categories" else ["value"]
    rows = {c: i for i, c in enumerate(getattr(est, "classes_", []))}
    weights = {}
    for o in outputs:
        r = 0 if kind != "categories" else rows[o]
        w = coef[r]
        terms = {n: float(v) for n, v in zip(names, w) if not n.startswith("numeric:")}
        num = {n.split(":", 1)[1]: float(v) for n, v in zip(names, w) if n.startswith("numeric:")}
        weights[o] = Weights(intercept=float(inter[r]),
                             terms={k: v for k, v in terms.items() if " " not in k},
                             phrases={k: v for k, v in terms.items() if " " in k},
                             numeric=num)
    return LearnedModel(name=name, kind=kind, label=label, categories=tuple(categories),
                        unit=unit, link=KINDS[kind], featurise=spec, weights=weights,
                        idf=idf, training=training)


def learning_curve(items, y, *, kind: str, sizes, spec: Featurise = Featurise(),
                   min_df: int = 1, random_state: int = 0) -> list[dict]:
    """Cross-validated validity on random subsets of the coded items, one per size: how many
    coded items the measure needs. Each subset is stratified (binary, categories)."""
    y = np.asarray(y)
    rng = np.random.default_rng(random_state)
    out = []
    for n in sizes:
        if n >= len(y):
            idx = np.arange(len(y))
        elif kind == "rating":
            idx = np.sort(rng.choice(len(y), size=n, replace=False))
        else:
            _, idx = next(StratifiedKFold(n_splits=max(2, round(len(y) / n)), shuffle=True,
                                          random_state=random_state).split(np.zeros(len(y)), y))
        res = cross_validate([items[i] for i in idx], y[idx], kind, spec, None, min_df,
                             random_state)
        key = {"binary": "auc", "categories": "macro_f1", "rating": "spearman"}[kind]
        out.append({"n": int(len(idx)), key: res[key], "lo": res[f"{key}_ci95"][0],
                    "hi": res[f"{key}_ci95"][1]})
    return out
