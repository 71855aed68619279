"""Notebook 04: text similarity between articles (TF-IDF, cosine, clustered order; group means
of sparse TF-IDF rows for large corpora) and the framing map (PCA of the standardised framing
features): :func:`tfidf_similarity`, :func:`framing_map`.

scikit-learn and scipy are imported inside the functions that use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import clean_text
from ..corpus import load_corpus
from ..measures import column_of
from .summary import measure_families

@dataclass
class Similarity:
    """What :func:`tfidf_similarity` returns.

    Attributes
    ----------
    matrix : ndarray of shape (n, n)
        Cosine similarities in input order (clipped to [0, 1], rounded to 9 decimals,
        diagonal 1).
    order : list of int
        Input indices in the clustered order.
    tree : ndarray or None
        The scipy linkage matrix after optimal leaf ordering (None for fewer than two texts).
    counts : sparse matrix of shape (n, terms)
        Raw counts.
    terms : ndarray of str
        The vocabulary.
    tfidf : sparse matrix of shape (n, terms)
        The l2-normalised sublinear TF-IDF matrix.
    """

    matrix: np.ndarray
    order: list
    tree: np.ndarray | None
    counts: object
    terms: np.ndarray
    tfidf: object


def article_texts(corpus_dir, ids, features_path: str = "features.csv") -> tuple[list, list]:
    """The cleaned texts of the articles ``ids``, in that order, from the corpus at ``corpus_dir``.

    Texts are cleaned with :func:`analysis.clean.clean_text`, as the features were.

    Parameters
    ----------
    corpus_dir : str or Path
        The corpus ``features.csv`` was built from (a folder or a table file; see
        :func:`analysis.corpus.load_corpus`).
    ids : list of str
        Article IDs.
    features_path : str
        Named in the error message when an article has no text.

    Returns
    -------
    (list of str, list of Path)
        The texts, and the input files they came from (the article files and
        ``metadata.csv`` of a folder, or the table file) for the figure sidecars.
    """
    # The features run chose which articles to score (e.g. English only); their texts are read
    # whatever their language, so a run with --language any finds them too.
    corpus = load_corpus(corpus_dir, language="any")
    corpus = corpus[corpus["article_id"].isin(ids)].set_index("article_id")
    missing = sorted(set(ids) - set(corpus.index))
    if missing:
        raise ValueError(f"{corpus_dir}: no text for article(s) {', '.join(missing[:10])} of "
                         f"{features_path}; set corpus_dir to the corpus features.csv was built "
                         "from")
    texts = [clean_text(t).text for t in corpus.loc[ids, "text"]]
    path = Path(corpus_dir)
    if path.is_dir():
        inputs = [path / f for f in corpus.loc[ids, "file"]]
        inputs += [p for p in [path / "metadata.csv"] if p.is_file()]
    else:
        inputs = [path]
    return texts, inputs


def sparse_tfidf(texts):
    """Raw counts, vocabulary and TF-IDF rows of ``texts``, kept sparse.

    The settings are those of :func:`tfidf_similarity` (words and two-word phrases, English
    stop words and numbers removed, sublinear term frequency, rows l2-normalised), without its
    articles × articles similarity matrix: what a large corpus can afford.

    Parameters
    ----------
    texts : iterable of str
        Cleaned article texts.

    Returns
    -------
    (sparse matrix, ndarray, sparse matrix)
        ``counts`` (articles × terms), ``terms``, ``tfidf`` (articles × terms, unit rows).
    """
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer  # late: heavy

    counter = CountVectorizer(lowercase=True, stop_words="english", ngram_range=(1, 2),
                              token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    counts = counter.fit_transform(list(texts))
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return counts, counter.get_feature_names_out(), tfidf


def group_membership(of, names):
    """Sparse groups × articles 0/1 matrix: row ``i`` marks the articles in ``names[i]``.

    Parameters
    ----------
    of : sequence of str
        The group of every article; each must be one of ``names``.
    names : sequence of str
        The groups, in the order of the rows.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (len(names), len(of))
    """
    from scipy import sparse  # late: heavy

    code = {g: i for i, g in enumerate(names)}
    rows = np.array([code[g] for g in of], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                             shape=(len(names), len(rows)))


def group_mean_similarity(tfidf, of, names) -> pd.DataFrame:
    """Mean cosine similarity between the articles of every two groups, from sparse TF-IDF rows.

    No articles × articles matrix is built.

    With unit rows, the cosine of two articles is their dot product, so the sum of the cosines
    over all pairs (one article from group A, one from B) is ``s_A · s_B``, ``s_A`` the sum of
    A's rows. Between groups the mean is ``s_A · s_B / (n_A n_B)``; within a group, the pairs of
    distinct articles: ``(s_A · s_A - sum of |row|²) / (n_A (n_A - 1))`` (NaN for one article).

    Parameters
    ----------
    tfidf : sparse matrix
        Articles × terms, l2-normalised rows (:func:`sparse_tfidf`).
    of : sequence of str
        The group of every row.
    names : sequence of str
        The groups, in the order of the result.

    Returns
    -------
    DataFrame
        Groups × groups, clipped to [0, 1] and rounded to 9 decimals (same bytes on every CPU).

    Examples
    --------
    >>> from scipy import sparse
    >>> rows = sparse.csr_matrix([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> group_mean_similarity(rows, ["a", "a", "b"], ["a", "b"]).round(2).values.tolist()
    [[0.6, 0.4], [0.4, nan]]
    """
    member = group_membership(of, names)
    sums = member @ tfidf
    dots = np.asarray((sums @ sums.T).todense(), dtype=float)
    self_dots = member @ np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel()
    n = np.asarray(member.sum(axis=1)).ravel()
    pairs = np.outer(n, n)
    np.fill_diagonal(dots, dots.diagonal() - self_dots)
    np.fill_diagonal(pairs, n * (n - 1))
    mean = np.divide(dots, pairs, out=np.full(dots.shape, np.nan), where=pairs > 0)
    return pd.DataFrame(np.clip(mean, 0.0, 1.0).round(9), index=list(names), columns=list(names))


def tfidf_similarity(texts) -> Similarity:
    """TF-IDF cosine similarity between texts, ordered by hierarchical clustering.

    What notebook 04 draws as fig13.

    Words and two-word phrases (scikit-learn ``CountVectorizer``: lower-cased, English stop
    words removed, tokens of two or more letters, so no numbers), sublinear term frequency
    (``TfidfTransformer(sublinear_tf=True)``, rows l2-normalised), cosine similarity; the order
    is scipy's average-linkage clustering of ``1 - cosine`` with optimal leaf ordering.

    Parameters
    ----------
    texts : sequence of str
        Cleaned article texts.

    Returns
    -------
    Similarity

    Examples
    --------
    >>> s = tfidf_similarity(["tax cuts for the rich", "war and peace", "tax cuts again"])
    >>> s.order, float(s.matrix[0, 1])
    ([1, 2, 0], 0.0)
    """
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering  # late: heavy
    from scipy.spatial.distance import squareform  # late: heavy
    from sklearn.metrics.pairwise import cosine_similarity  # late: heavy

    texts = list(texts)
    n = len(texts)
    counts, terms, tfidf = sparse_tfidf(texts)
    # Rounded far below what any figure shows: the last bits of BLAS results differ between
    # CPUs, and figures must come out byte-identical on every machine.
    similarity = np.clip(cosine_similarity(tfidf), 0.0, 1.0).round(9)
    np.fill_diagonal(similarity, 1.0)
    if n >= 2:
        condensed = squareform(1.0 - similarity, checks=False)
        tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
        order = leaves_list(tree).tolist()
    else:
        tree, order = None, list(range(n))
    return Similarity(matrix=similarity, order=order, tree=tree, counts=counts, terms=terms,
                      tfidf=tfidf)


@dataclass
class FramingMap:
    """What :func:`framing_map` returns.

    Attributes
    ----------
    families : dict
        The candidate columns by family (tone, emphasis, sources).
    columns : list of str
        Those used (no missing value, varying).
    drawable : bool
        At least 3 articles and 2 columns.
    scores : DataFrame of shape (n, 2) or None
        ``PC1``, ``PC2`` indexed by article_id.
    loadings : DataFrame of shape (columns, 2) or None
        Correlations between each standardised column and each component.
    explained : ndarray or None
        Explained variance ratios. ``scores``, ``loadings`` and ``explained`` are None when
        not drawable.
    """

    families: dict
    columns: list
    drawable: bool
    scores: pd.DataFrame | None = None
    loadings: pd.DataFrame | None = None
    explained: np.ndarray | None = None


def framing_map(features: pd.DataFrame) -> FramingMap:
    """PCA of the standardised framing features (notebook 04, fig14).

    Columns: the point estimates of every measure family (:func:`measure_families`) whose
    declaration is ``in_map`` (:class:`analysis.measures.Column`): the tone columns, the
    emphasis rates (not their ``_share`` twins), the source indices and shares (not the
    ``src_n_*`` counts) and those of measures registered from Python; raw ``tone_mean`` is
    dropped when ``tone_mean_adapted`` is there. Only columns
    with no missing value and non-zero variance are used. Each is standardised (scikit-learn
    ``StandardScaler``), two components are fitted (``PCA(svd_solver="full")``); loadings are
    correlations between a standardised column and a component's scores; each component is
    oriented so that its strongest loading is positive; scores and loadings are rounded to 9
    decimals (same bytes on every CPU).

    Parameters
    ----------
    features : DataFrame
        With ``article_id``.

    Returns
    -------
    FramingMap

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"article_id": list("abcd"), "net_optimism": rng.normal(size=4),
    ...                    "emph_economics": rng.normal(size=4), "src_entropy": rng.normal(size=4)})
    >>> m = framing_map(df)
    >>> m.drawable, m.columns, m.scores.shape
    (True, ['net_optimism', 'emph_economics', 'src_entropy'], (4, 2))
    """
    families = {f: [c for c in cols if column_of(c).in_map]
                for f, cols in measure_families(features).items()}
    if "tone_mean_adapted" in families.get("tone", ()):
        families["tone"] = [c for c in families["tone"] if c != "tone_mean"]
    cols = [c for v in families.values() for c in v]
    framing = features[cols].astype(float)
    usable = [c for c in cols if framing[c].notna().all() and framing[c].std(ddof=0) > 1e-12]
    drawable = len(features) >= 3 and len(usable) >= 2
    if not drawable:
        return FramingMap(families=families, columns=usable, drawable=False)
    from sklearn.decomposition import PCA  # late: heavy
    from sklearn.preprocessing import StandardScaler  # late: heavy

    z = StandardScaler().fit_transform(framing[usable])
    pca = PCA(n_components=2, svd_solver="full").fit(z)
    scores = pca.transform(z)
    loadings = np.array([[np.corrcoef(z[:, j], scores[:, k])[0, 1] if scores[:, k].std() > 0
                          else 0.0 for k in range(2)] for j in range(len(usable))])
    for k in range(2):  # a component's sign is arbitrary: strongest loading positive
        if loadings[np.argmax(np.abs(loadings[:, k])), k] < 0:
            loadings[:, k] *= -1
            scores[:, k] *= -1
    scores, loadings = scores.round(9), loadings.round(9)
    ids = (features["article_id"].astype(str).tolist() if "article_id" in features
           else list(range(len(features))))
    return FramingMap(
        families=families, columns=usable, drawable=True,
        scores=pd.DataFrame(scores, index=ids, columns=["PC1", "PC2"]),
        loadings=pd.DataFrame(loadings, index=usable, columns=["PC1", "PC2"]),
        explained=pca.explained_variance_ratio_.round(9))
