"""Distinctive words: lemma counts of the articles (from the shared spaCy parse) and the
log-odds ratios with an informative Dirichlet prior that set each group apart
(:func:`distinctive_terms`, :func:`lemma_counts`, :func:`word_counts`).

spaCy is imported only inside :func:`lemma_counts_from_parsed` and :func:`lemma_counts`, and
the corpus reader (pyarrow) only inside :func:`word_counts`, so ``import analysis.compare``
does not load them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import load_corpus
from ..tables import DECIMALS, read_table
from .summary import as_text, round_floats

TERM_COLUMNS = ["group", "term", "count", "log_odds", "z", "count_total"]


def distinctive_terms(counts: pd.DataFrame, groups, prior: float | None = None,
                      top: int | None = 20) -> pd.DataFrame:
    """Words that set each group apart from all the others, with their log-odds z-scores.

    Log-odds ratios with an informative Dirichlet prior and their z-scores (Monroe, Colaresi
    and Quinn 2008, "Fightin' Words", section 3.5).

    For group ``i`` against the rest ``j`` (all other groups pooled), with ``y_w`` the count of
    term ``w``, ``n`` the total count, and prior pseudo-counts ``a_w = a0 * pi_w`` (``pi_w`` the
    term's share of the whole corpus, ``a0`` = ``prior``)::

        delta_w = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w))
                - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
        var_w   ~ 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
        z_w     = delta_w / sqrt(var_w)

    Positive ``z``: the term is more frequent in the group than in the rest, beyond what its
    frequency makes likely by chance; the prior shrinks the log-odds of rare terms toward 0.

    Parameters
    ----------
    counts : DataFrame
        Long table ``article_id, term, count`` (e.g. :func:`lemma_counts`).
    groups : mapping or Series
        article_id -> group. Articles without a (non-empty) group are left out.
    prior : float, optional
        ``a0``, the total pseudo-count of the prior. Default: the mean number of counted
        tokens per group, so the prior weighs as much as one more average group.
    top : int or None, default 20
        Terms kept per group, highest ``z`` first; None keeps every term.

    Returns
    -------
    DataFrame
        Columns ``group, term, count, log_odds, z, count_total`` (``count``: in the group;
        ``count_total``: in all groups). Rows by group name, then ``z`` descending, then term.
        Empty when there are fewer than two groups.

    Examples
    --------
    >>> c = pd.DataFrame({"article_id": ["1", "1", "2", "2"], "term": ["tax", "vote", "tax", "war"],
    ...                   "count": [1, 5, 1, 5]})
    >>> t = distinctive_terms(c, {"1": "a", "2": "b"}, top=1)
    >>> t[["group", "term"]].values.tolist()
    [['a', 'vote'], ['b', 'war']]
    """
    gmap = pd.Series(groups) if not isinstance(groups, pd.Series) else groups
    gmap = pd.Series(as_text(gmap.to_numpy()).to_numpy(), index=as_text(gmap.index.to_numpy()))
    gmap = gmap[gmap != ""]
    gmap = gmap[~gmap.index.duplicated(keep="first")]
    aid = as_text(counts["article_id"].to_numpy())
    grp = aid.map(gmap)
    ok = grp.notna().to_numpy()
    grp = grp.to_numpy()[ok]
    terms = as_text(counts["term"].to_numpy()).to_numpy()[ok]
    cnt = pd.to_numeric(counts["count"], errors="coerce").fillna(0).to_numpy(float)[ok]
    names = sorted(set(grp.tolist()))
    if len(names) < 2:
        return pd.DataFrame(columns=TERM_COLUMNS)
    g_code = pd.Series(range(len(names)), index=names)[grp].to_numpy()
    t_code, vocab = pd.factorize(terms)
    vocab = np.asarray(vocab, dtype=object)
    order = np.argsort(vocab.astype(str), kind="stable")  # vocabulary in sorted order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    vocab, t_code = vocab[order], rank[t_code]
    y = np.zeros((len(names), len(vocab)))
    np.add.at(y, (g_code, t_code), cnt)
    total = y.sum(axis=0)
    n_all = total.sum()
    a0 = float(prior) if prior is not None else n_all / len(names)
    alpha = a0 * total / n_all if n_all > 0 else np.zeros_like(total)
    rows = []
    for i, g in enumerate(names):
        yi, yj = y[i], total - y[i]
        ni, nj = yi.sum(), yj.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = (np.log((yi + alpha) / (ni + a0 - yi - alpha))
                     - np.log((yj + alpha) / (nj + a0 - yj - alpha)))
            z = delta / np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        keep = total > 0
        idx = np.flatnonzero(keep)
        zr = np.round(z[idx], DECIMALS)
        order = idx[np.lexsort((vocab[idx], -zr))]
        if top is not None:
            order = order[:top]
        rows.append(pd.DataFrame({"group": g, "term": vocab[order], "count": yi[order].astype(int),
                                  "log_odds": delta[order], "z": z[order],
                                  "count_total": total[order].astype(int)}))
    return round_floats(pd.concat(rows, ignore_index=True)[TERM_COLUMNS])


def lemma_counts_from_parsed(art) -> list[dict]:
    """Lemma counts of one parsed article (:class:`analysis.text.ParsedArticle`).

    Counts the lower-cased lemmas of its alphabetic tokens that are not stop words (spaCy's
    ``is_alpha``, ``is_stop``; a lemma that is itself a stop word, not alphabetic or a single
    letter is left out too).

    Parameters
    ----------
    art : ParsedArticle

    Returns
    -------
    list of dict
        ``{"article_id", "term", "count"}`` rows, sorted by term.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> rows = lemma_counts_from_parsed(parse_text("Talks resumed. The talks were long.", "x"))
    >>> [(r["term"], r["count"]) for r in rows]
    [('long', 1), ('resume', 1), ('talk', 2)]
    """
    from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA  # late: heavy
    from spacy.util import get_lang_class  # late: heavy

    doc = art.doc
    if not len(doc):
        return []
    stop = get_lang_class(doc.lang_).Defaults.stop_words
    arr = doc.to_array([IS_ALPHA, IS_STOP, LEMMA])
    sel = (arr[:, 0] == 1) & (arr[:, 1] == 0)
    hashes, n = np.unique(arr[sel, 2], return_counts=True)
    counts: Counter = Counter()
    strings = doc.vocab.strings
    for h, k in zip(hashes.tolist(), n.tolist()):
        lemma = strings[h].lower()
        if len(lemma) > 1 and lemma.isalpha() and lemma not in stop:
            counts[lemma] += k
    aid = str(art.article_id)
    return [{"article_id": aid, "term": t, "count": int(counts[t])} for t in sorted(counts)]


def lemma_counts(corpus: pd.DataFrame, batch_size: int = 32) -> pd.DataFrame:
    """Lemma counts of every article of a corpus, from the project's shared spaCy parse.

    The parse uses the same cleaning and model as the features; what is counted is described
    in :func:`lemma_counts_from_parsed`.

    Parameters
    ----------
    corpus : DataFrame
        ``article_id`` and ``text`` (e.g. :func:`analysis.corpus.load_corpus`).
    batch_size : int, default 32
        spaCy batch size.

    Returns
    -------
    DataFrame
        Columns ``article_id, term, count``; rows by article_id, then term.

    Examples
    --------
    >>> lemma_counts(pd.DataFrame({"article_id": ["1"], "text": ["Voters voted."]}))
      article_id   term  count
    0          1   vote      1
    1          1  voter      1
    """
    from ..text import parse_articles  # late: heavy (analysis.text loads spaCy at import)

    rows: list[dict] = []
    items = zip(as_text(corpus["article_id"].to_numpy()), corpus["text"].astype(str))
    for art in parse_articles(items, batch_size=batch_size):
        rows += lemma_counts_from_parsed(art)
    out = pd.DataFrame(rows, columns=["article_id", "term", "count"])
    out = out.sort_values(["article_id", "term"], kind="stable").reset_index(drop=True)
    out["count"] = out["count"].astype(np.int64)
    return out


def word_counts(features: pd.DataFrame, terms, corpus_dir="") -> tuple:
    """Lemma counts per article, for the distinctive words.

    The ``terms`` table (``terms.csv``, written by ``python -m analysis features``) when there
    is one, else :func:`lemma_counts` of the texts in ``corpus_dir`` (the articles of
    ``features`` only).

    Parameters
    ----------
    features : DataFrame
    terms : str or Path
        The terms table; it need not exist.
    corpus_dir : str or Path
        The corpus (folder or file); "" : no texts to fall back on.

    Returns
    -------
    (DataFrame or None, list of Path)
        The counts (``article_id``, ``term``, ``count``; None when there is neither) and the
        files they came from.
    """
    terms = Path(terms)
    if terms.is_file():
        return read_table(terms), [terms]
    if not corpus_dir or not Path(corpus_dir).exists():
        return None, []
    # The articles of the features table, whatever their language (the features run chose them).
    corpus = load_corpus(corpus_dir, problems=[], language="any")
    corpus = corpus[corpus["article_id"].isin(set(features["article_id"]))]
    files = ([Path(corpus_dir) / f for f in corpus["file"]]
             if Path(corpus_dir).is_dir() and "file" in corpus else [Path(corpus_dir)])
    return lemma_counts(corpus), files
