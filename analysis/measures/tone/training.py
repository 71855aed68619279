"""Training of the learned sentence tone (``tone_learned``, :mod:`analysis.measures.tone.learned`).

``make train-tone VALIDATION_DIR=...`` runs :func:`main`, which rebuilds
``analysis/lexicons/tone_learned.yml`` from the files named in :data:`SOURCES`, byte for byte:
the files are read in a fixed order, features are sorted by name, the fit has no randomness,
the folds are fixed (``GroupKFold``) and every number written is rounded.

Training data: openly licensed human ratings (MIT), each source on one scale
----------------------------------------------------------------------------
The common scale is the raters' -4..+4 divided by 4, so -1 (very negative) .. +1 (very
positive).

* ``nyt_editorials_dev.tsv`` (VADER ground truth, Hutto & Gilbert 2014): NYT editorial sentences,
  the mean of 20 raters on -4..+4 -> rating / 4. Weight :data:`SOURCES` 3: news, and the
  domain of the article-level target; fewest items.
* ``newsmtsc_train.jsonl`` (NewsMTSC, Hamborg & Donnay 2021): news sentences whose named
  persons were rated 2 (negative), 4 (neutral) or 6 (positive); the sentence's rating is the
  mean over its persons, mapped by (mean - 4) / 4 to -0.5 .. +0.5. A three-level label gives the
  direction, not the strength: a clearly but not extremely toned sentence sits near +-2 of the
  raters' -4..+4 (the mean absolute rating of the rated snippets is 0.34 to 0.45 on our scale),
  not at +-4. Weight 1.
* ``vader_ratings/`` (VADER ground truth): movie-review, product-review and tweet snippets,
  mean of 20 raters on -4..+4 -> rating / 4. Other domains than news: weight 0.3 each.

Recipe: each rated text is one item, parsed with the shared pipeline (``analysis.nlp``) and
featurised as one sentence by :data:`SPEC` (the learned-measure featurisation); terms and
phrases found in at least :data:`MIN_DF` items are kept; the numeric features (VADER's
compound, pos and neg) are standardised by their mean and standard deviation over the items,
rounded; a ridge regression (scikit-learn, L2 penalty :data:`ALPHA`, weighted by source) is
fitted to the ratings. Cross-validation (:func:`cross_validate`): :data:`N_FOLDS` folds of the
NYT editorials (grouped by editorial) and of the NewsMTSC sentences (grouped by article); the
snippets are always in the training part; each fold is refitted with the whole recipe.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import AnalysisError
from ...nlp import get_nlp, shared_disable
from ..learned.featurise import featurise, item_values
from ..learned.model import Featurise, LearnedModel, Weights, dump_model
from .learned import as_sentence, linear_scores

__all__ = ["SOURCES", "SPEC", "ALPHA", "MIN_DF", "N_FOLDS", "Source", "Items", "TrainingError",
           "read_sources", "source_weights", "featurise_texts", "fit", "cross_validate",
           "cv_metrics", "train", "main"]

NUMERIC = ("vader_compound", "vader_pos", "vader_neg")
# Every setting spelt out (the format's defaults may change). negation 10: to the end of the
# clause in practice; no idf: a sentence's few words are weighed by the ridge alone.
SPEC = Featurise(words="lemma", stop_words="keep", negation=10, phrases=2, value="binary",
                 idf=False, norm="l2")
# Chosen with the cross-validation below (alpha among 1, 2, 3, 10; MIN_DF among 2, 3, 5, 10,
# 20): MIN_DF 10 keeps about 9,000 terms and phrases instead of 63,000 (a file read in about
# a second, not seven) for a loss of 0.004 in the NYT Spearman and in the NewsMTSC AUC.
ALPHA = 2.0  # ridge penalty
MIN_DF = 10  # a term or phrase must occur in this many training items
N_FOLDS = 5
DECIMALS = 4


class TrainingError(AnalysisError):
    """Training data that cannot be read: names the file and line."""


@dataclass(frozen=True)
class Source:
    """One training source: its file under the validation folder, licence, weight, scale."""

    key: str
    path: str
    licence: str
    weight: float
    scale: str


_VADER_GT = "MIT; VADER ground truth, Hutto & Gilbert, ICWSM 2014"
SOURCES = (
    Source("nyt_editorials", "nyt_editorials_dev.tsv", _VADER_GT, 3.0, "rating / 4"),
    Source("newsmtsc", "newsmtsc_train.jsonl",
           "MIT; NewsMTSC repository, Hamborg & Donnay, EACL 2021", 1.0,
           "(mean polarity of the sentence's targets - 4) / 4"),
    Source("movie_reviews", "vader_ratings/movieReviewSnippets_GroundTruth.txt", _VADER_GT, 0.3,
           "rating / 4"),
    Source("product_reviews", "vader_ratings/amazonReviewSnippets_GroundTruth.txt", _VADER_GT,
           0.3, "rating / 4"),
    Source("tweets", "vader_ratings/tweets_GroundTruth.txt", _VADER_GT, 0.3, "rating / 4"),
)
EVALUATED = ("nyt_editorials", "newsmtsc")  # the sources cross-validated


@dataclass
class Items:
    """The rated texts of every source, in :data:`SOURCES` order then file order."""

    texts: list[str] = field(default_factory=list)
    y: list[float] = field(default_factory=list)  # on the common scale, -1..+1
    source: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)  # the editorial / article / item
    sha256: dict[str, str] = field(default_factory=dict)

    def add(self, text: str, y: float, source: str, group: str) -> None:
        self.texts.append(text)
        self.y.append(y)
        self.source.append(source)
        self.group.append(f"{source}:{group}")


def _number(value, where: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TrainingError(f"{where}: the rating {value!r} is not a number") from None
    if not np.isfinite(x):
        raise TrainingError(f"{where}: the rating {value!r} is not a finite number")
    return x


def _rows(text: str, quoted: bool):
    """(line, fields) of a tab-separated text: CSV quoting (the NYT file, written with it) or
    plain lines (VADER's snippet files, whose quotation marks are text)."""
    if quoted:
        reader = csv.reader(io.StringIO(text), delimiter="\t")
        return ((reader.line_num, row) for row in reader)
    return ((ln, line.split("\t")) for ln, line in enumerate(text.splitlines(), 1))


def _read_tsv(text: str, label: str, key: str, items: Items, header: bool) -> None:
    for ln, parts in _rows(text, quoted=header):
        if (header and ln == 1) or not "".join(parts).strip():
            continue
        if len(parts) < 3 or not parts[2].strip():
            raise TrainingError(f"{label}, line {ln}: expected id, rating and text, tab-separated")
        rating = _number(parts[1], f"{label}, line {ln}")
        group = parts[0].rsplit("_", 1)[0] if key == "nyt_editorials" else parts[0]
        items.add("\t".join(parts[2:]).strip(), rating / 4.0, key, group)


def _read_newsmtsc(text: str, label: str, items: Items) -> None:
    for ln, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            sentence = str(rec["sentence_normalized"])
            polarity = [_number(t["polarity"], f"{label}, line {ln}") for t in rec["targets"]]
            gid = str(rec["primary_gid"])
        except (ValueError, KeyError, TypeError) as err:
            raise TrainingError(f"{label}, line {ln}: not a NewsMTSC record ({err})") from None
        if not polarity or not sentence.strip():
            raise TrainingError(f"{label}, line {ln}: no targets or no sentence")
        # primary_gid = <corpus>_<article>_<...>: the first three parts name the article.
        items.add(sentence, (float(np.mean(polarity)) - 4.0) / 4.0, "newsmtsc",
                  "_".join(gid.split("_")[:3]))


def read_sources(validation_dir: Path) -> Items:
    """The rated texts of :data:`SOURCES` under ``validation_dir``, on the common scale.

    Raises
    ------
    FileNotFoundError
        A source file is missing.
    TrainingError
        A line that cannot be read (file and line named).
    """
    items = Items()
    for src in SOURCES:
        path = Path(validation_dir) / src.path
        if not path.is_file():
            raise FileNotFoundError(2, "no such file", str(path))
        data = path.read_bytes()
        items.sha256[src.key] = hashlib.sha256(data).hexdigest()
        text = data.decode("utf-8", errors="replace")  # the review snippets hold stray bytes
        if src.key == "newsmtsc":
            _read_newsmtsc(text, str(path), items)
        else:
            _read_tsv(text, str(path), src.key, items, header=src.key == "nyt_editorials")
    return items


def featurise_texts(texts: list[str], spec: Featurise = SPEC) -> tuple[list[dict], np.ndarray]:
    """Each text as one sentence of the shared parse: its feature values and raw numerics.

    Returns
    -------
    values : list of dict
        Per text: feature -> value (:func:`~analysis.measures.learned.featurise.item_values`).
    numeric : numpy.ndarray, shape (n_texts, len(NUMERIC))
    """
    nlp = get_nlp()
    spec = replace(spec, numeric=tuple((n, 0.0, 1.0) for n in NUMERIC))
    values, numeric = [], []
    for doc in nlp.pipe([str(t) for t in texts], disable=shared_disable(nlp), batch_size=256):
        item = featurise(as_sentence(doc), spec)
        values.append(item_values(item.counts[0], spec))
        numeric.append([item.numeric[n][0] for n in NUMERIC])
    return values, np.array(numeric, dtype=float).reshape(len(values), len(NUMERIC))


def _r(x: float) -> float:
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v


def fit(values: list[dict], numeric: np.ndarray, y, weight, alpha: float = ALPHA
        ) -> LearnedModel:
    """Fit the ridge regression of :data:`SPEC` features on ratings (the recipe above).

    Parameters
    ----------
    values : list of dict
        Per item: feature -> value.
    numeric : numpy.ndarray, shape (n_items, len(NUMERIC))
        Raw VADER compound, pos, neg of each item.
    y, weight : array-like
        Ratings on the common scale; sample weights.

    Returns
    -------
    LearnedModel
        Weights rounded as the file stores them; ``training`` empty (see :func:`train`).
    """
    from scipy.sparse import csr_matrix, hstack  # late: heavy
    from sklearn.feature_extraction import DictVectorizer  # late: heavy
    from sklearn.linear_model import Ridge  # late: heavy

    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(values)
    keep = np.flatnonzero(np.asarray((X > 0).sum(axis=0)).ravel() >= MIN_DF)
    names = vec.get_feature_names_out()[keep]
    center = np.array([_r(c) for c in numeric.mean(axis=0)])
    scale = np.array([_r(s) for s in numeric.std(axis=0)])
    Z = (numeric - center) / scale
    A = hstack([X[:, keep], csr_matrix(Z)], format="csr")
    ridge = Ridge(alpha=alpha, solver="sparse_cg", tol=1e-10, max_iter=100_000)
    ridge.fit(A, np.asarray(y, dtype=float), sample_weight=np.asarray(weight, dtype=float))
    coef = ridge.coef_
    # Rounded as the file stores them (zeros dropped), so cross-validation scores what ships.
    kept = [(str(f), _r(c)) for f, c in zip(names, coef) if _r(c) != 0]
    terms = {f: c for f, c in kept if " " not in f}
    phrases = {f: c for f, c in kept if " " in f}
    num = {n: _r(c) for n, c in zip(NUMERIC, coef[len(names):])}
    spec = replace(SPEC, numeric=tuple((n, float(c), float(s))
                                       for n, c, s in zip(NUMERIC, center, scale)))
    return LearnedModel(name="tone", kind="rating", label="tone", categories=(),
                        unit="sentence", link="identity", featurise=spec,
                        weights={"value": Weights(_r(ridge.intercept_), terms, phrases, num)})


def source_weights(items: Items) -> np.ndarray:
    """The weight of each item: its source's (:data:`SOURCES`)."""
    by_key = {s.key: s.weight for s in SOURCES}
    return np.array([by_key[s] for s in items.source])


def cross_validate(items: Items, values: list[dict], numeric: np.ndarray,
                   n_folds: int = N_FOLDS, fitter=None) -> np.ndarray:
    """Out-of-fold scores of the items of :data:`EVALUATED` (NaN for the other items).

    The folds split the NYT editorials and the NewsMTSC articles (``GroupKFold``, no
    randomness); the items of the other sources are always in the training part. ``fitter``
    (default the recipe: :func:`fit` then :func:`linear_scores`) is called as ``fitter(train,
    test)`` with index arrays and returns the scores of ``test``.
    """
    from sklearn.model_selection import GroupKFold  # late: heavy

    y, w = np.asarray(items.y, dtype=float), source_weights(items)
    if fitter is None:
        def fitter(tr, te):
            model = fit([values[i] for i in tr], numeric[tr], y[tr], w[tr])
            return linear_scores(model, [values[i] for i in te], numeric[te])
    groups = np.array(items.group)
    ev = np.flatnonzero(np.isin(items.source, EVALUATED))
    pred = np.full(len(y), np.nan)
    for _, test in GroupKFold(n_splits=n_folds).split(ev, groups=groups[ev]):
        te = ev[test]
        tr = np.setdiff1d(np.arange(len(y)), te)
        pred[te] = fitter(tr, te)
    return pred


def cv_metrics(items: Items, pred: np.ndarray) -> dict:
    """NYT: Spearman of the editorials' mean score with their mean rating; NewsMTSC: ROC AUC of
    the score for positive (rating > 0) vs negative (< 0) sentences."""
    from scipy.stats import spearmanr  # late: heavy
    from sklearn.metrics import roc_auc_score  # late: heavy

    src, y = np.array(items.source), np.asarray(items.y, dtype=float)
    nyt = src == "nyt_editorials"
    arts = pd.DataFrame({"g": np.array(items.group)[nyt], "p": pred[nyt], "y": y[nyt]}
                        ).groupby("g", sort=True).mean()
    mt = (src == "newsmtsc") & (y != 0)
    rho = (float(spearmanr(arts["p"], arts["y"]).statistic)
           if np.ptp(arts["p"]) > 0 and np.ptp(arts["y"]) > 0 else float("nan"))
    return {"nyt_editorials_article_spearman": rho,
            "nyt_editorials_n": int(len(arts)),
            "newsmtsc_auc_positive_vs_negative": float(roc_auc_score(y[mt] > 0, pred[mt])),
            "newsmtsc_n": int(mt.sum())}


def train(validation_dir: Path) -> LearnedModel:
    """The shipped model: fitted on every item, with its recipe, sources and CV figures."""
    import sklearn  # late: heavy

    items = read_sources(validation_dir)
    values, numeric = featurise_texts(items.texts)
    y, w = np.asarray(items.y, dtype=float), source_weights(items)
    cv = cv_metrics(items, cross_validate(items, values, numeric))
    model = fit(values, numeric, y, w)
    src = np.array(items.source)
    training = {
        "recipe": ("each rated text is one item, featurised as one sentence (featurise); terms "
                   f"and phrases in at least {MIN_DF} items; numeric features standardised; "
                   f"ridge regression (scikit-learn {sklearn.__version__}, alpha {ALPHA}, "
                   "solver sparse_cg) weighted by source; scores clipped to -1..+1; rebuilt "
                   "by make train-tone VALIDATION_DIR=... (analysis/measures/tone/training.py)"),
        "scale": "-1 (very negative) .. +1 (very positive): the raters' -4..+4 divided by 4",
        "sources": [{"key": s.key, "file": s.path, "licence": s.licence, "weight": s.weight,
                     "scale": s.scale, "n": int((src == s.key).sum()),
                     "sha256": items.sha256[s.key]} for s in SOURCES],
        "n_items": len(items.texts),
        "n_features": len(model.weights["value"].features()),
        "cross_validation": {
            "folds": f"{N_FOLDS} GroupKFold folds of the NYT editorials (by editorial) and "
                     "NewsMTSC (by article); the snippets always in training",
            **{k: (_r(v) if isinstance(v, float) else v) for k, v in cv.items()}},
    }
    return replace(model, training=training)


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.measures.tone.training VALIDATION_DIR OUT.yml``: train, write."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m analysis.measures.tone.training VALIDATION_DIR OUT.yml",
              file=sys.stderr)
        return 2
    try:
        model = train(Path(argv[0]))
    except FileNotFoundError as err:
        print(f"error: missing training data {err.filename} (set VALIDATION_DIR=...)",
              file=sys.stderr)
        return 2
    except TrainingError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(argv[1])
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(dump_model(model), encoding="utf-8")
    os.replace(tmp, out)  # whole or not at all
    print(f"wrote {out}: {model.training['n_features']} terms and phrases, "
          f"cross-validated {model.training['cross_validation']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
