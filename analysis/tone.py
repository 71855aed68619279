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
``tone_mean_adapted``    mean compound with the topical terms of ``lexicons/topical_terms.txt``
                         neutralised (removed from a copy of VADER's lexicon) and words inside
                         proper names (spaCy PROPN: "United States") given no valence; -1 .. +1.
``tone_mean_adapted_lo/_hi``  its 95% interval.
``optimism``             optimism cues per 1,000 words (``lexicons/optimism.txt``); >= 0.
``caution``              caution cues per 1,000 words (``lexicons/caution.txt``); >= 0.
``hedging``              hedges per 1,000 words (``lexicons/hedging.txt``); >= 0.
``boosting``             boosters per 1,000 words (``lexicons/boosting.txt``); >= 0.
``net_optimism``         -1 (cautious) .. +1 (optimistic): the mean over sentences of
                         ``sentence_net`` (below).
``net_optimism_lo/_hi``  its 95% interval.

Per sentence (``tables["sentences"]``, written as ``sentences.csv``): ``article_id,
sentence_id, is_heading, n_words, tone_compound, tone_compound_adapted, optimism, caution,
hedging, boosting`` (the four are raw counts in the sentence) and ``sentence_net``.

``sentence_net`` = (adapted compound + stance) / 2, where stance = (optimism - caution) /
(optimism + caution + 1): the stance cues pull each sentence toward the writer's expressed
outlook, the +1 keeps a single cue from dominating, and both halves lie in [-1, 1], so
``sentence_net`` and ``net_optimism`` do too. Hedging and boosting are reported beside it, not
mixed in: they measure certainty, a separate dimension from valence (a hedged claim can still
be optimistic: "the talks may strengthen cooperation").

Cue matching: lexicon entries (one or several words) match tokens by lemma or lower-case form;
proper nouns never match ("May", "Hope"). A cue preceded within three tokens (same clause: no
punctuation in between) by a negator (``lexicons/negators.txt``, includes "n't") is negated:
a negated optimism cue counts as caution and a negated caution cue as optimism ("no progress",
"not difficult"), a negated booster counts as a hedge ("not clear"), a negated hedge is dropped.

Cost linear in the sentence: VADER's rules read at most three words before a word and two
after it, but vaderSentiment's code lower-cases the whole sentence again for every rule applied
to every sentiment word and looks values up from the start of the sentence in its "but" rule,
so a sentence of n words costs n^2 (a 20,000-word sentence without punctuation: 5.5 s a
call, four times that for twice the words). :func:`vader_tokens` and :func:`vader_scores`
apply the same rules to words lower-cased once, with the same arithmetic in the same order,
and replay the "but" rule exactly: the scores are ``polarity_scores``'s own for every sentence
(tested on VADER's reference sentences and on randomised ones), with no window and no
approximation (0.03 s for those 20,000 words). Sentences longer than 500 words are cut into
500-word pieces before scoring (``analysis.text``): the compound of each piece is
``polarity_scores`` of its text, and ``tone_mean`` averages the pieces.

Evidence features: ``optimism``, ``caution``, ``hedging``, ``boosting`` (the cue words;
negated cues show the negator too) and ``tone_positive`` / ``tone_negative`` (the VADER lexicon
words that gave the sentence's adapted compound, the one in ``net_optimism``, its positive or
negative valence, after VADER's own negation and booster rules).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from vaderSentiment.vaderSentiment import (BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE,
                                          SPECIAL_CASES, SentimentIntensityAnalyzer,
                                          SentiText, scalar_inc_dec)

from .tables import Scored
from .lexicon import LexiconError, read_entries
from .stats import mean_interval, rate_per_1000

__all__ = ["ToneScorer", "TONE_COLUMNS", "SENTENCE_COLUMNS", "CUE_LISTS", "LexiconError",
           "load_lexicon", "topical_terms", "analyzers", "vader_tokens", "vader_scores",
           "score_span", "SentenceTone", "sentence_net", "VADER_THRESHOLD"]

VADER_THRESHOLD = 0.05  # VADER's documented neutral band for the compound score
CUE_LISTS = ("optimism", "caution", "hedging", "boosting")
NEGATION_WINDOW = 3  # tokens before a cue searched for a negator
TONE_COLUMNS = [
    "tone_mean", "tone_mean_lo", "tone_mean_hi", "tone_pos_share", "tone_neg_share",
    "tone_mean_adapted", "tone_mean_adapted_lo", "tone_mean_adapted_hi",
    "optimism", "caution", "hedging", "boosting",
    "net_optimism", "net_optimism_lo", "net_optimism_hi",
]
SENTENCE_COLUMNS = ["article_id", "sentence_id", "is_heading", "n_words", "tone_compound",
                    "tone_compound_adapted", *CUE_LISTS, "sentence_net"]
# Negation flips a cue to the list it implies (None: the cue is dropped).
NEGATED_AS = {"optimism": "caution", "caution": "optimism", "boosting": "hedging",
              "hedging": None}
_WORD = re.compile(r"^[a-z][a-z' -]*[a-z]$|^[a-z]$")


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[tuple[str, ...], ...]:
    """Entries of ``lexicons/<name>.txt`` as word tuples, in file order (format and errors:
    :func:`analysis.lexicon.read_entries`)."""
    return tuple(tuple(e.split()) for e in read_entries(
        f"{name}.txt", _WORD, "letters, spaces, hyphens and apostrophes"))


def topical_terms() -> frozenset[str]:
    """Topical counterterrorism words neutralised in the adapted tone (VADER word forms)."""
    return frozenset(" ".join(e) for e in load_lexicon("topical_terms"))


@lru_cache(maxsize=1)
def analyzers() -> tuple[SentimentIntensityAnalyzer, SentimentIntensityAnalyzer]:
    """(raw, adapted) VADER analysers. The adapted one has its own copy of the lexicon without
    the topical terms; the raw one is VADER as shipped."""
    raw = SentimentIntensityAnalyzer()
    adapted = SentimentIntensityAnalyzer()
    drop = topical_terms()
    adapted.lexicon = {w: v for w, v in raw.lexicon.items() if w not in drop}
    return raw, adapted


@lru_cache(maxsize=1)
def _neutralised() -> frozenset[str]:
    """The words VADER's lexicon has and the adapted copy lacks."""
    raw, adapted = analyzers()
    return frozenset(raw.lexicon.keys() - adapted.lexicon.keys())


@lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    return frozenset(" ".join(e) for e in load_lexicon("negators"))


# ---------------------------------------------------------------------------------------------
# VADER, one sentence at a time


def vader_tokens(analyzer: SentimentIntensityAnalyzer, text: str):
    """VADER's words of ``text``, the valence VADER gives each (after its negation, booster and
    "but" rules) and VADER's scores dict. The scores equal ``analyzer.polarity_scores(text)``
    (checked in the tests) and cost time linear in the text (see :func:`_valences`); texts with
    emoji are scored as ``polarity_scores`` scores them (emoji replaced by their descriptions)
    and return no per-word valences."""
    if any(ch in analyzer.emojis for ch in text):
        return [], [], vader_scores(analyzer, text)
    text = text.strip()
    st = SentiText(text)
    words = st.words_and_emoticons
    vals = _valences(analyzer, words, st.is_cap_diff)
    return words, vals, analyzer.score_valence(vals, text)


def vader_scores(analyzer: SentimentIntensityAnalyzer, text: str) -> dict:
    """``analyzer.polarity_scores(text)``: the same dict, in time linear in the text."""
    if any(ch in analyzer.emojis for ch in text):
        text = _describe_emoji(analyzer, text)
    text = text.strip()
    st = SentiText(text)
    return analyzer.score_valence(_valences(analyzer, st.words_and_emoticons, st.is_cap_diff),
                                  text)


def _describe_emoji(analyzer: SentimentIntensityAnalyzer, text: str) -> str:
    """The text with each emoji replaced by its description, as ``polarity_scores`` does."""
    out: list[str] = []
    prev_space = True
    for ch in text:
        desc = analyzer.emojis.get(ch)
        if desc is None:
            out.append(ch)
            prev_space = ch == " "
        else:
            if not prev_space:
                out.append(" ")
            out.append(desc)
            prev_space = False
    return "".join(out)


# VADER's rules read at most three words before a word and two after it, but its implementation
# lower-cases the whole sentence again for every rule it applies to every sentiment word
# (``_negation_check``, ``_special_idioms_check``) and looks every value up again from the start
# of the sentence in ``_but_check`` (``list.index``): time quadratic in the sentence length
# (a 20,000-word sentence without punctuation took minutes). The walk below lower-cases the
# words once and applies the same rules with the same arithmetic in the same order; the
# "but" rule is replayed exactly, including its quirk (each value scales the *first* entry
# equal to it, see :func:`_but_check`). Equality with ``polarity_scores`` is tested on
# reference sentences and on randomised ones.
_NEGATE = frozenset(NEGATE)


def _negated(word: str) -> bool:
    """VADER's ``negated([word])``."""
    word = word.lower()
    return word in _NEGATE or "n't" in word


def _valences(analyzer: SentimentIntensityAnalyzer, words: list[str], is_cap_diff: bool
              ) -> list[float]:
    """The sentiments list ``polarity_scores`` builds for ``words`` (VADER's
    ``words_and_emoticons``), after the "but" rule."""
    lex = analyzer.lexicon
    low = [str(w).lower() for w in words]
    n = len(words)
    vals: list[float] = []
    for i, item in enumerate(words):
        li = low[i]
        if li in BOOSTER_DICT or (i < n - 1 and li == "kind" and low[i + 1] == "of"):
            vals.append(0)  # modifiers carry no valence of their own in VADER
            continue
        if li not in lex:
            vals.append(0)
            continue
        # VADER's sentiment_valence, reading the lower-cased words.
        valence = lex[li]
        if li == "no" and i != n - 1 and low[i + 1] in lex:
            valence = 0.0
        if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") \
                or (i > 2 and low[i - 3] == "no" and low[i - 1] in ["or", "nor"]):
            valence = lex[li] * N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(0, 3):
            if i > start_i and low[i - (start_i + 1)] not in lex:
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, low, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, low, i)
        valence = analyzer._least_check(valence, words, i)  # reads words i-2..i only
        vals.append(valence)
    return _but_check(low, vals)


def _negation_check(valence: float, low: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check`` on the lower-cased words."""
    if start_i == 0:
        if _negated(low[i - 1]):
            valence = valence * N_SCALAR
    if start_i == 1:
        if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            pass
        elif _negated(low[i - 2]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            pass
        elif _negated(low[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, low: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` on the lower-cased words (called for i >= 3)."""
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _but_check(low: list[str], vals: list[float]) -> list[float]:
    """VADER's ``_but_check``, replayed exactly in O(n log n).

    VADER walks the list and, for each value ``v`` met, scales the *first* entry currently
    equal to ``v`` (``list.index``), not necessarily the one it is at: by 0.5 when that entry
    is before the first "but", by 1.5 when after it. Here each value keeps a heap of the
    positions holding it; an entry that has since changed is dropped when met."""
    if "but" not in low:
        return vals
    bi = low.index("but")
    cur = list(vals)
    where: dict[float, list[int]] = {}
    for pos, v in enumerate(cur):
        where.setdefault(v, []).append(pos)  # ascending: already a heap
    for pos in range(len(cur)):
        v = cur[pos]
        heap = where[v]
        while cur[heap[0]] != v:
            heapq.heappop(heap)
        si = heap[0]
        if si < bi:
            new = v * 0.5
        elif si > bi:
            new = v * 1.5
        else:
            continue
        cur[si] = new
        heapq.heappush(where.setdefault(new, []), si)
    return cur


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
        low, lem, propn, _ = forms[i + k]
        if propn or (w != low and w != lem):
            return False
    return True


def _negator_before(forms, i) -> int | None:
    """Index of a negator within NEGATION_WINDOW tokens before token ``i`` (same clause)."""
    neg = _negators()
    for j in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
        low, lem, _, punct = forms[j]
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
    for i, (low, lem, _, _) in enumerate(forms):
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
    """Scores of one sentence: VADER compounds (-1..1), cue counts, evidence rows."""

    compound: float
    compound_adapted: float
    counts: dict[str, int]
    net: float
    evidence: list[dict] = field(default_factory=list)  # feature, term, start, end


def sentence_net(compound_adapted: float, optimism: int, caution: int) -> float:
    """(adapted compound + (optimism - caution) / (optimism + caution + 1)) / 2, in [-1, 1]."""
    stance = (optimism - caution) / (optimism + caution + 1.0)
    return (compound_adapted + stance) / 2.0


def score_span(span, text: str | None = None) -> SentenceTone:
    """Score one sentence: ``span`` is a spaCy Span (or Doc) of the sentence, ``text`` its
    text (default ``span.text``). Evidence offsets index ``text``. This is the one code path
    used by the features and by the validation."""
    text = span.text if text is None else text
    base = span[0].idx if len(span) else 0
    raw, adapted = analyzers()
    # Adapted: topical terms are absent from the adapted lexicon, and words inside proper
    # names ("United States", "Peace Corps") carry no stance, so their valence is zeroed.
    words, vals, scores = vader_tokens(adapted, text)
    # VADER as shipped: the same walk gives the same scores when no word is a neutralised
    # topical term (VADER looks up only the sentence's own words), so it is run again only then.
    if words and _neutralised().isdisjoint(w.lower() for w in words):
        compound = float(scores["compound"])
    else:
        compound = float(vader_scores(raw, text)["compound"])
    propn = {t.idx - base for t in span if t.pos_ == "PROPN"}
    spans = _locate(text, words)
    vals = [0.0 if s in propn else v for (s, _), v in zip(spans, vals)]
    compound_adapted = float(adapted.score_valence(vals, text.strip())["compound"]
                             if words else scores["compound"])
    evidence = []
    for (s, e), w, v in zip(spans, words, vals):
        if v != 0 and s >= 0:
            evidence.append({"feature": "tone_positive" if v > 0 else "tone_negative",
                             "term": w.lower(), "start": s, "end": e})
    forms = _tok_forms(span)
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
    net = sentence_net(compound_adapted, counts["optimism"], counts["caution"])
    return SentenceTone(compound, compound_adapted, counts, net, evidence)


# ---------------------------------------------------------------------------------------------
# The scorer


class ToneScorer:
    """Sentence-level tone and optimism-vs-caution features (see the module docstring)."""

    table_columns = {"sentences": SENTENCE_COLUMNS}

    name = "tone"

    def columns(self) -> list[str]:
        return list(TONE_COLUMNS)

    def score(self, article, idx: np.ndarray) -> Scored:
        sents = article.sentences
        rows, evidence = [], []
        for s in sents:
            st = score_span(article.span(s), s.text)
            rows.append({"article_id": article.article_id, "sentence_id": s.sentence_id,
                         "is_heading": bool(s.is_heading), "n_words": int(s.n_words),
                         "tone_compound": st.compound,
                         "tone_compound_adapted": st.compound_adapted,
                         **st.counts, "sentence_net": st.net})
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
        for name in CUE_LISTS:
            cols[name] = rate_per_1000([r[name] for r in rows], words)
        cols["net_optimism"] = _mean(net)
        cols["net_optimism_lo"], cols["net_optimism_hi"] = mean_interval(net, idx)
        return Scored(columns=cols, evidence=evidence, tables={"sentences": rows})


def _mean(values) -> float:
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size else float("nan")
