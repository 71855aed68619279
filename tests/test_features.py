"""build_features and the scikit-learn featurizer contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.corpus import load_corpus
from analysis.features import BASE_COLUMNS, build_features
from analysis.featurizer import FramingFeaturizer


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from conftest import write_corpus

    return load_corpus(write_corpus(tmp_path_factory.mktemp("c") / "corpus"))


def test_init_only_stores_parameters_and_clone_works():
    f = FramingFeaturizer(groups=("tone",), n_resamples=50, random_state=3)
    assert f.get_params()["n_resamples"] == 50 and f.get_params()["groups"] == ("tone",)
    assert not [k for k in vars(f) if k.endswith("_")]
    g = clone(f)
    assert g.get_params() == f.get_params()


def test_fit_returns_self_and_names_features(corpus):
    f = FramingFeaturizer(groups=("tone",), n_resamples=50)
    with pytest.raises(NotFittedError):
        f.get_feature_names_out()
    assert f.fit(corpus) is f
    names = list(f.get_feature_names_out())
    assert names[: len(BASE_COLUMNS)] == BASE_COLUMNS and len(names) > len(BASE_COLUMNS)


def test_set_output_pandas_keeps_article_index(corpus):
    X = corpus.set_index("article_id", drop=False).iloc[::-1]  # any order in, same order out
    f = FramingFeaturizer(groups=("tone",), n_resamples=50).set_output(transform="pandas")
    out = f.fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert out.index.tolist() == X.index.tolist()
    assert list(out.columns) == list(f.get_feature_names_out())
    arr = FramingFeaturizer(groups=("tone",), n_resamples=50).fit_transform(X)
    assert isinstance(arr, np.ndarray) and np.allclose(arr, out.to_numpy(), equal_nan=True)


def test_random_state_is_the_only_randomness(corpus):
    a = build_features(corpus, n_resamples=200, random_state=7).features
    b = build_features(corpus, n_resamples=200, random_state=7).features
    c = build_features(corpus, n_resamples=200, random_state=8).features
    pd.testing.assert_frame_equal(a, b)
    lo = [col for col in a.columns if col.endswith("_lo")]
    assert lo and not a[lo].equals(c[lo])
    point = [col for col in a.columns if col in BASE_COLUMNS]
    pd.testing.assert_frame_equal(a[point], c[point])


def test_an_article_does_not_depend_on_its_neighbours(corpus):
    whole = build_features(corpus, n_resamples=200).features.set_index("article_id")
    alone = build_features(corpus.iloc[[1]], n_resamples=200).features.set_index("article_id")
    pd.testing.assert_frame_equal(whole.loc[alone.index], alone, check_dtype=False)


def test_unknown_group_is_an_error(corpus):
    with pytest.raises(ValueError, match="unknown feature group"):
        build_features(corpus, groups=("tone", "vibes"))
