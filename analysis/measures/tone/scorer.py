"""Optimism vs caution: sentence-level tone, stance cues and a net-optimism index.

Every number is computed per sentence of the shared parse (``analysis.text``) and aggregated
per article; intervals are 95% percentile intervals over the article's shared sentence
bootstrap (``idx``). VADER is called once per sentence, never on a whole article (one call on
a whole article saturates near +-1).

Columns (fixed order, :data:`TONE_COLUMNS`) and their scales
------------------------------------------------------------
``tone_mean``            mean VADER compound over the article's sentences; -1 (negative) .. +1.
``tone_mean_lo/_hi``     95% sentence-bootstrap interval of ``tone_mean``.
``tone_pos_share``       share of sentences with compound >= +0.05 (VADER's threshold); 0 .. 1.
``tone_neg_share``       share of sentences with compound <= -0.05; 0 .. 1 (neutral = the rest).
``tone_mean_adapted``    mean compound with the study's topic terms (``ToneScorer(topic_terms=
                         ...)``, a study's ``topic_terms``) neutralised (removed from a copy of
                         VADER's lexicon) and words inside proper names (spaCy PROPN: "Liberty
                         Bank") given no valence; -1 .. +1. Without topic terms the copy is
                         VADER's lexicon unchanged: only the proper-name rule differs.
``tone_mean_adapted_lo/_hi``  its 95% interval.
``tone_learned``         mean learned sentence tone over the body sentences, -1 .. +1
                         (:mod:`analysis.measures.tone.learned`); ``_lo/_hi`` its interval.
``optimism``             optimism cues per 1,000 words (``lexicons/optimism.txt``); >= 0.
``caution``              caution cues per 1,000 words (``lexicons/caution.txt``); >= 0.
``hedging``              hedges per 1,000 words (``lexicons/hedging.txt``); >= 0.
``boosting``             boosters per 1,000 words (``lexicons/boosting.txt``); >= 0.
``net_optimism``         -1 (cautious) .. +1 (optimistic): the mean over sentences of
                         ``sentence_net`` (below).
``net_optimism_lo/_hi``  its 95% interval.

Per sentence (``tables["sentences"]``, written as ``sentences.csv``): ``article_id,
sentence_id, is_heading, n_words, tone_compound, tone_compound_adapted, tone_learned, optimism,
caution, hedging, boosting`` (the four are raw counts in the sentence) and ``sentence_net``.

``sentence_net`` = (learned tone + stance) / 2, where the learned tone is the sentence's
``tone_learned`` (the tone measure that agrees best with human raters, ``docs/validation.md``;
it replaced the adapted compound here) and stance = (optimism - caution) / (optimism + caution
+ 1): the stance cues pull each sentence toward the writer's expressed outlook, the +1 keeps a single cue from dominating, and both halves lie in [-1, 1], so
``sentence_net`` and ``net_optimism`` do too. Hedging and boosting are reported beside it, not
mixed in: they measure certainty, a separate dimension from valence (a hedged claim can still
be optimistic: "the talks may strengthen cooperation").

Cue matching: lexicon entries (one or several words) match tokens by lemma or lower-case form;
proper nouns never match ("May", "Hope"). A cue preceded within three tokens (same clause: no
punctuation in between) by a negator (``lexicons/negators.txt``, includes "n't") is negated:
a negated optimism cue counts as caution and a negated caution cue as optimism ("no progress",
"not difficult"), a negated booster counts as a hedge ("not clear"), a negated hedge is dropped.

VADER is run through :func:`analysis.measures.tone.vader.vader_scores` and :func:`analysis.measures.tone.vader.vader_tokens`
(re-exported here, with the analysers :func:`analysis.measures.tone.vader.analyzers` and
:func:`analysis.measures.tone.vader.adapted_analyzer`, built once per set of topic terms): vaderSentiment's
own ``polarity_scores`` costs time quadratic in the sentence, these give the same scores in
linear time (tested equal). Sentences longer than 500
words are cut into 500-word pieces before scoring (``analysis.text``): the compound of each
piece is ``polarity_scores`` of its text, and ``tone_mean`` averages the pieces.

Evidence features: ``optimism``, ``caution``, ``hedging``, ``boosting`` (the cue words;
negated cues show the negator too) and ``tone_positive`` / ``tone_negative`` (the VADER lexicon
words that gave the sentence's adapted compound, the one in ``net_optimism``, its positive or
negative valence, after VADER's own negation and booster rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from ...lexicon import LexiconError, read_entries
from ...stats import mean_interval, rate_per_1000
from ...tables import Scored
from .learned import learned_tone, span_tone, tone_model
from .targets import doc_forms
from .vader import (adapted_analyzer, analyzers, neutralised_words, plain_analyzer,
                    topic_key, vader_scores, vader_tokens)

__all__ = ["ToneScorer", "TONE_COLUMNS", "SENTENCE_COLUMNS", "CUE_LISTS", "LexiconError",
           "load_lexicon", "adapted_analyzer", "analyzers", "vader_tokens", "vader_scores",
           "score_span", "SentenceTone", "sentence_net", "VADER_THRESHOLD"]

VADER_THRESHOLD = 0.05  # VADER's documented neutral band for the compound score
CUE_LISTS = ("optimism", "caution", "hedging", "boosting")
NEGATION_WINDOW = 3  # tokens before a cue searched for a negator
TONE_COLUMNS = [
    "tone_mean", "tone_mean_lo", "tone_mean_hi", "tone_pos_share", "tone_neg_share",
    "tone_mean_adapted", "tone_mean_adapted_lo", "tone_mean_adapted_hi",
    "tone_learned", "tone_learned_lo", "tone_learned_hi", "optimism", "caution", "hedging", "boosting",
    "net_optimism", "net_optimism_lo", "net_optimism_hi",
]
SENTENCE_COLUMNS = ["article_id", "sentence_id", "is_heading", "n_words", "tone_compound",
                    "tone_compound_adapted", "tone_learned", *CUE_LISTS, "sentence_net"]
# Negation flips a cue to the list it implies (None: the cue is dropped).
NEGATED_AS = {"optimism": "caution", "caution": "optimism", "boosting": "hedging",
              "hedging": None}
_WORD = re.compile(r"^[a-z][a-z' -]*[a-z]$|^[a-z]$")


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of one tone word list, each split into its words.

    Parameters
    ----------
    name : str
        The list's name: ``lexicons/<name>.txt`` (``optimism``, ``caution``, ``hedging``,
        ``boosting``, ``negators``).

    Returns
    -------
    tuple of tuple of str
        The entries in file order, read through :func:`analysis.lexicon.read_entries` (which
        raises :class:`LexiconError` naming the line of a malformed entry).
    """
    return tuple(tuple(e.split()) for e in read_entries(
        f"{name}.txt", _WORD, "letters, spaces, hyphens and apostrophes"))


@lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    return frozenset(" ".join(e) for e in load_lexicon("negators"))


# ---------------------------------------------------------------------------------------------
# Where VADER's words are in the sentence


def _locate(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character spans of VADER's words in ``text`` (searched left to right)."""
    spans, pos = [], 0
    for w in words:
        i = text.find(w, pos)
        if i < 0:
            spans.append((-1, -1))
            continue
        spans.append((i, i + len(w)))
        pos = i + len(w)
    return spans


# ---------------------------------------------------------------------------------------------
# Stance cues on lemmas


def _tok_forms(span):
    return [(t.lower_, t.lemma_.lower(), t.pos_ == "PROPN", t.is_punct) for t in span]


def _match_at(forms, i, entry) -> bool:
    if i + len(entry) > len(forms):
        return False
    for k, w in enumerate(entry):
        low, lem, propn, *_ = forms[i + k]
        if propn or (w != low and w != lem):
            return False
    return True


def _negator_before(forms, i) -> int | None:
    """Index of a negator within NEGATION_WINDOW tokens before token ``i`` (same clause)."""
    neg = _negators()
    for j in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
        low, lem, _, punct, *_ = forms[j]
        if punct:
            return None
        if low in neg or lem in neg:
            return j
    return None


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[int, str, list[tuple[str, ...]]]]]:
    """First word -> [(list rank, list name, its entries with that first word, longest first)]."""
    out: dict[str, list] = {}
    for rank, name in enumerate(CUE_LISTS):
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for e in sorted(load_lexicon(name), key=lambda e: (-len(e), e)):
            by_first.setdefault(e[0], []).append(e)
        for first, entries in by_first.items():
            out.setdefault(first, []).append((rank, name, entries))
    return out


def _find_cues(forms):
    """(list, token_start, token_end, negator_index, entry) for every cue; longest match first, and
    one token belongs to at most one cue of a given list. One pass over the tokens for all lists;
    rows come out list by list, in text order within a list."""
    by_first = _by_first_word()
    free = [0] * len(CUE_LISTS)  # per list: the first token not inside one of its cues
    found = []
    for i, (low, lem, *_) in enumerate(forms):
        hits: dict[int, tuple] = {}
        for first in ((low,) if low == lem else (low, lem)):
            for rank, name, entries in by_first.get(first, ()):
                if rank in hits or free[rank] > i:
                    continue
                for entry in entries:
                    if _match_at(forms, i, entry):
                        hits[rank] = (name, entry)
                        break
        for rank, (name, entry) in hits.items():
            found.append((rank, name, i, i + len(entry), _negator_before(forms, i), entry))
            free[rank] = i + len(entry)
    found.sort(key=lambda f: (f[0], f[2]))
    return [f[1:] for f in found]


@dataclass
class SentenceTone:
    """The tone of one sentence, as :func:`score_span` returns it.

    Attributes
    ----------
    compound, compound_adapted : float
        VADER's compound (-1..1) as shipped, and with the adapted lexicon and proper names.
    learned : float
        The learned tone (-1..1, :mod:`analysis.measures.tone.learned`).
    counts : dict of str to int
        Cues of each of :data:`CUE_LISTS` in the sentence, after negation.
    net : float
        :func:`sentence_net` of the sentence, in [-1, 1].
    evidence : list of dict
        One row per cue or VADER word: ``feature``, ``term``, ``start``, ``end``.
    vader : dict
        VADER's scores of the sentence as shipped (``neg``, ``neu``, ``pos``, ``compound``):
        the learned tone's numeric features read them instead of calling VADER again.
    """

    compound: float
    compound_adapted: float
    learned: float
    counts: dict[str, int]
    net: float
    evidence: list[dict] = field(default_factory=list)  # feature, term, start, end
    vader: dict = field(default_factory=dict)


def sentence_net(tone: float, optimism: int, caution: int) -> float:
    """The net optimism of one sentence: the mean of its tone and its stance.

    Parameters
    ----------
    tone : float
        The sentence's learned tone, in [-1, 1].
    optimism, caution : int
        Its optimism and caution cue counts.

    Returns
    -------
    float
        ``(tone + (optimism - caution) / (optimism + caution + 1)) / 2``, in
        [-1, 1].

    Examples
    --------
    >>> sentence_net(0.5, 2, 0)
    0.5833333333333333
    """
    stance = (optimism - caution) / (optimism + caution + 1.0)
    return (tone + stance) / 2.0


def score_span(span, text: str | None = None, topic_terms=(), learned: float | None = None,
               forms: list | None = None) -> SentenceTone:
    """Score the tone, stance cues and net optimism of one sentence.

    The one code path of the features and of the validation.

    Parameters
    ----------
    span : spacy.tokens.Span or spacy.tokens.Doc
        The sentence, from the shared parse (tokens with lemmas and part-of-speech tags).
    text : str, optional
        The sentence's text; default ``span.text``.
    topic_terms : iterable of str
        Words neutral in the adapted compound (:func:`adapted_analyzer`); none by default.
    learned : float, optional
        The sentence's learned tone when already known (the scorer scores an article's
        sentences at once); default :func:`~analysis.measures.tone.learned.span_tone`.
    forms : list, optional
        The span's slice of :func:`doc_forms` of its doc, when already computed.

    Returns
    -------
    SentenceTone
        Its compounds, cue counts, ``sentence_net`` and evidence rows, whose ``start`` and
        ``end`` index ``text``.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> art = parse_text("The talks made real progress.")
    >>> st = score_span(art.span(art.sentences[0]), art.sentences[0].text)
    >>> st.counts["optimism"], st.net > 0
    (1, True)
    """
    text = span.text if text is None else text
    base = span[0].idx if len(span) else 0
    terms = topic_key(topic_terms)
    raw, adapted = plain_analyzer(), adapted_analyzer(terms)
    # Adapted: topic terms are absent from the adapted lexicon, and words inside proper
    # names ("Liberty Bank", "Peace Corps") carry no stance, so their valence is zeroed.
    words, vals, scores = vader_tokens(adapted, text)
    # VADER as shipped: the same walk gives the same scores when no word is a neutralised
    # topic term (VADER looks up only the sentence's own words), so it is run again only then.
    if words and neutralised_words(terms).isdisjoint(w.lower() for w in words):
        raw_scores = scores
    else:
        raw_scores = vader_scores(raw, text)
    compound = float(raw_scores["compound"])
    if forms is None:
        forms = [(*f, t.idx) for f, t in zip(_tok_forms(span), span)]
    propn = {f[4] - base for f in forms if f[2]}
    spans = _locate(text, words)
    vals = [0.0 if s in propn else v for (s, _), v in zip(spans, vals)]
    compound_adapted = float(adapted.score_valence(vals, text.strip())["compound"]
                             if words else scores["compound"])
    evidence = []
    for (s, e), w, v in zip(spans, words, vals):
        if v != 0 and s >= 0:
            evidence.append({"feature": "tone_positive" if v > 0 else "tone_negative",
                             "term": w.lower(), "start": s, "end": e})
    counts = dict.fromkeys(CUE_LISTS, 0)
    for name, i, j, neg, entry in _find_cues(forms):
        target = name if neg is None else NEGATED_AS[name]
        if target is None:
            continue
        counts[target] += 1
        first = span[i if neg is None else neg]
        last = span[j - 1]
        start, end = first.idx - base, last.idx + len(last) - base
        # The term is the lexicon entry (so "challenge" and "challenges" count as one cue),
        # prefixed by the negator when negated ("not + breakthrough"); start/end cover both.
        term = " ".join(entry) if neg is None else f"{span[neg].lower_} + {' '.join(entry)}"
        evidence.append({"feature": target, "term": term, "start": start, "end": end})
    learned = span_tone(span) if learned is None else float(learned)
    net = sentence_net(learned, counts["optimism"], counts["caution"])
    return SentenceTone(compound, compound_adapted, learned, counts, net, evidence, raw_scores)


# ---------------------------------------------------------------------------------------------
# The scorer


class ToneScorer:
    """The tone feature group: sentence-level tone and optimism vs caution.

    Columns, scales and rules are described in the module docstring; the per-sentence rows go
    to the ``sentences`` table.

    Parameters
    ----------
    topic_terms : iterable of str
        The study's topic terms: words VADER reads as sentiment that name the subject here
        (``tone_mean_adapted`` neutralises exactly these). None by default: the adapted
        lexicon is then VADER's own, and ``tone_mean_adapted`` differs from ``tone_mean``
        only by the proper-name rule.

    Examples
    --------
    >>> import numpy as np
    >>> from analysis.text import parse_text
    >>> art = parse_text("The talks made real progress. Officials warned of risks.")
    >>> scored = ToneScorer().score(art, np.zeros((0, 2), dtype=int))
    >>> list(scored.columns) == TONE_COLUMNS, len(scored.tables["sentences"])
    (True, 2)
    """

    table_columns = {"sentences": SENTENCE_COLUMNS}

    name = "tone"

    def __init__(self, topic_terms=()):
        self._terms = topic_key(topic_terms)
        self.topic_terms = tuple(sorted(self._terms))
        tone_model()  # the learned tone's model, read once per process with the scorer

    def columns(self) -> list[str]:
        """The feature columns, in table order (:data:`TONE_COLUMNS`)."""
        return list(TONE_COLUMNS)

    def score(self, article, idx: np.ndarray) -> Scored:
        """Score one article.

        Parameters
        ----------
        article : analysis.text.ParsedArticle
            The cleaned and parsed article.
        idx : numpy.ndarray of int, shape (n_resamples, n_sentences)
            The article's shared sentence bootstrap, for the 95% intervals.

        Returns
        -------
        analysis.tables.Scored
            The :data:`TONE_COLUMNS`, the evidence rows and the ``sentences`` table.
        """
        sents = article.sentences
        rows, evidence = [], []
        # VADER once per sentence: its scores serve the compounds and the learned tone's
        # numeric features; the learned tone (one featurisation of the article) is set after.
        forms = doc_forms(article.doc) if sents else []
        spans = [score_span(article.span(s), s.text, self._terms, learned=0.0,
                            forms=forms[s.tok_start:s.tok_end]) for s in sents]
        learned = learned_tone(article, idx, vader=[st.vader for st in spans])
        for s, st, tl in zip(sents, spans, learned.sentences):
            tl = float(tl)
            st = replace(st, learned=tl,
                         net=sentence_net(tl, st.counts["optimism"], st.counts["caution"]))
            rows.append({"article_id": article.article_id, "sentence_id": s.sentence_id,
                         "is_heading": bool(s.is_heading), "n_words": int(s.n_words),
                         "tone_compound": st.compound,
                         "tone_compound_adapted": st.compound_adapted,
                         "tone_learned": st.learned, **st.counts, "sentence_net": st.net})
            evidence += [{"article_id": article.article_id, "sentence_id": s.sentence_id,
                          **ev, "sentence": s.text} for ev in st.evidence]
        words = np.array([r["n_words"] for r in rows], dtype=float)
        comp = np.array([r["tone_compound"] for r in rows], dtype=float)
        adap = np.array([r["tone_compound_adapted"] for r in rows], dtype=float)
        net = np.array([r["sentence_net"] for r in rows], dtype=float)
        cols: dict = {}
        cols["tone_mean"] = _mean(comp)
        cols["tone_mean_lo"], cols["tone_mean_hi"] = mean_interval(comp, idx)
        cols["tone_pos_share"] = _mean(comp >= VADER_THRESHOLD)
        cols["tone_neg_share"] = _mean(comp <= -VADER_THRESHOLD)
        cols["tone_mean_adapted"] = _mean(adap)
        cols["tone_mean_adapted_lo"], cols["tone_mean_adapted_hi"] = mean_interval(adap, idx)
        cols["tone_learned"] = learned.value
        cols["tone_learned_lo"], cols["tone_learned_hi"] = learned.lo, learned.hi
        evidence += learned.evidence
        for name in CUE_LISTS:
            cols[name] = rate_per_1000([r[name] for r in rows], words)
        cols["net_optimism"] = _mean(net)
        cols["net_optimism_lo"], cols["net_optimism_hi"] = mean_interval(net, idx)
        return Scored(columns=cols, evidence=evidence, tables={"sentences": rows})


def _mean(values) -> float:
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size else float("nan")
