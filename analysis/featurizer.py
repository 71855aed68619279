"""The framing features in the scikit-learn transformer contract: :class:`FramingFeaturizer`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError

from .config import N_RESAMPLES, RANDOM_STATE
from .features import (BASE_COLUMNS, FeatureSet, build_features, fill_found_shares,
                       make_scorers, with_found_columns)
from .measures import measures
from .measures.sources.indices import side_share
from .study import resolve_study

__all__ = ["FramingFeaturizer"]


def _as_corpus(X) -> pd.DataFrame:
    if isinstance(X, pd.Series):  # texts indexed by article ID
        ids, texts = X.index, X.to_numpy()
    elif "text" not in X.columns:
        raise ValueError("X needs a 'text' column (or pass a Series of texts)")
    else:
        ids = X["article_id"] if "article_id" in X.columns else X.index
        texts = X["text"].to_numpy()
    return pd.DataFrame({"article_id": [str(i) for i in ids], "text": texts})


class FramingFeaturizer(TransformerMixin, BaseEstimator):
    """The framing features as a scikit-learn transformer.

    ``transform`` scores a corpus exactly as :func:`~analysis.features.build_features` does
    and returns the feature columns as a float array (``set_output(transform="pandas")`` gives
    a DataFrame named by ``get_feature_names_out()``), so the features can feed a Pipeline.

    The output columns are fixed by ``fit``. With a study that declares actors they follow
    from the study alone. Without actors, the sources' countries are found in the data:
    ``fit`` scores ``X`` and keeps one ``src_share_<country>`` column per country found there
    (as a vectoriser keeps its vocabulary); ``transform`` gives 0 for those countries in an
    article with attributions and drops countries ``fit`` did not see (their attributions
    still count in ``src_n_attributions``).

    Parameters
    ----------
    groups : sequence of str, optional
        Feature groups to compute (registered measures); default every registered measure that
        writes feature columns (built in: tone, emphasis, sources).
    dictionaries : list of path, optional
        User dictionaries adding ``emph_<key>`` columns.
    study : Study, path or None
        The study (:mod:`analysis.study`), or a study file; None or ``"none"``: no study.
    n_resamples : int, default 2000
        Sentence-bootstrap resamples per interval.
    random_state : int, default 0
        Seed of the bootstrap.

    Attributes
    ----------
    feature_names_out_ : ndarray of str
        The output columns, set by ``fit``.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import FramingFeaturizer
    >>> X = pd.Series({"a1": "Officials said the talks were a success."})
    >>> FramingFeaturizer(groups=["tone"]).fit(X).get_feature_names_out()[:3]
    array(['n_words', 'n_sentences', 'n_headings'], dtype=object)
    """

    def __init__(self, groups=None, dictionaries=None, study=None,
                 n_resamples=N_RESAMPLES, random_state=RANDOM_STATE):
        self.groups = groups
        self.dictionaries = dictionaries
        self.study = study
        self.n_resamples = n_resamples
        self.random_state = random_state

    def _groups(self) -> tuple[str, ...]:
        if self.groups is None:  # read when fitting: measures registered after __init__ count
            return tuple(m.name for m in measures() if m.columns)
        return tuple(self.groups)

    def _build(self, data: pd.DataFrame) -> FeatureSet:
        return build_features(data, groups=self._groups(), dictionaries=self.dictionaries,
                              study=self.study, n_resamples=self.n_resamples,
                              random_state=self.random_state)

    def _names(self, scored: pd.DataFrame | None) -> np.ndarray:
        scorers = make_scorers(self._groups(), dictionaries=self.dictionaries,
                               study=self.study)
        names = [*BASE_COLUMNS, *[c for s in scorers for c in s.columns()]]
        if scored is not None:
            found = {c for c in scored.columns if side_share(c)} - set(names)
            names = with_found_columns(names, found)
        return np.array(names, dtype=object)

    def _finds_columns(self) -> bool:
        return "sources" in self._groups() and not resolve_study(self.study).actors

    def fit(self, X, y=None):
        """Fix the output columns (scoring ``X`` only when the countries are found in it)."""
        scored = self._build(_as_corpus(X)).features if self._finds_columns() else None
        self.feature_names_out_ = self._names(scored)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """``fit(X).transform(X)``, scoring ``X`` once."""
        data = _as_corpus(X)
        if not self._finds_columns():
            return self.fit(X).transform(X)
        features = self._build(data).features
        self.feature_names_out_ = self._names(features)
        return self._output(features, data)

    def get_feature_names_out(self, input_features=None):
        if not hasattr(self, "feature_names_out_"):
            raise NotFittedError("call fit before get_feature_names_out")
        return self.feature_names_out_.copy()

    def transform(self, X):
        """The feature columns of ``X`` as a float array (one row per article, in X's order)."""
        if not hasattr(self, "feature_names_out_"):
            raise NotFittedError("FramingFeaturizer is not fitted yet; call fit first")
        data = _as_corpus(X)
        return self._output(self._build(data).features, data)

    def _output(self, features: pd.DataFrame, data: pd.DataFrame) -> np.ndarray:
        out = features.set_index("article_id").loc[data["article_id"]]
        names = list(self.feature_names_out_)
        out = fill_found_shares(out.reindex(columns=names),
                                [c for c in names if side_share(c)])
        # A plain array; set_output(transform="pandas") wraps it with X's index and
        # get_feature_names_out() (scikit-learn's own mechanism).
        return out.to_numpy(dtype=float)
