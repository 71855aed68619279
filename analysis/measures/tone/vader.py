"""VADER sentence scores in time linear in the sentence.

Why this module exists: vaderSentiment's ``SentimentIntensityAnalyzer.polarity_scores`` costs
time quadratic in the length of the sentence. Its rules read at most three words before a
sentiment word and two after it, but the code lower-cases the whole sentence again for every
rule it applies to every sentiment word (``_negation_check``, ``_special_idioms_check``) and, in
its "but" rule (``_but_check``), looks each value up again from the start of the sentence
(``list.index``). A 20,000-word sentence without punctuation took 5.5 s a call, four times that
for twice the words.

:func:`vader_scores` and :func:`vader_tokens` apply the same rules to words lower-cased once,
with the same arithmetic in the same order, and replay the "but" rule exactly, including its
quirk (each value scales the *first* entry equal to it, see :func:`_but_check`): no window, no
approximation (0.03 s for those 20,000 words). The result is ``polarity_scores``'s own dict for
every text; equality is tested on vaderSentiment's reference sentences
(``tests/test_tone.py``) and on thousands of randomised ones (``tests/test_linear_cost.py``).
The analyser passed in supplies the lexicon, so a copy with a modified lexicon (the adapted
tone of :mod:`analysis.measures.tone.scorer`) is scored as ``polarity_scores`` would score it.

The analysers themselves are built here once per process: VADER as shipped
(:func:`plain_analyzer`) and, once per set of topic terms, the adapted copy without them
(:func:`adapted_analyzer`; with no terms its lexicon equals VADER's).
"""

from __future__ import annotations

import heapq
from functools import lru_cache

from vaderSentiment.vaderSentiment import (BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE,
                                          SPECIAL_CASES, SentimentIntensityAnalyzer,
                                          SentiText, scalar_inc_dec)

__all__ = ["adapted_analyzer", "analyzers", "neutralised_words", "plain_analyzer", "topic_key",
           "vader_scores", "vader_tokens"]


def topic_key(topic_terms=()) -> frozenset[str]:
    """Topic terms as the key of their cached analyser.

    Parameters
    ----------
    topic_terms : iterable of str, or str
        The terms (a single string is one term); a frozenset is taken as it is.

    Returns
    -------
    frozenset of str
        The terms lower case, spaces normalised.

    Examples
    --------
    >>> sorted(topic_key(["Strike", "walk  out"]))
    ['strike', 'walk out']
    """
    if isinstance(topic_terms, frozenset):
        return topic_terms
    if isinstance(topic_terms, str):
        topic_terms = (topic_terms,)
    return frozenset(" ".join(str(t).split()).lower() for t in topic_terms)


@lru_cache(maxsize=1)
def plain_analyzer() -> SentimentIntensityAnalyzer:
    """VADER as shipped, built once per process."""
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=16)
def _adapted(terms: frozenset[str]) -> SentimentIntensityAnalyzer:
    adapted = SentimentIntensityAnalyzer()
    adapted.lexicon = {w: v for w, v in plain_analyzer().lexicon.items() if w not in terms}
    return adapted


def adapted_analyzer(topic_terms=()) -> SentimentIntensityAnalyzer:
    """VADER with its own copy of the lexicon, without the given topic terms.

    Built once per set of terms (cached per frozenset); the analyser as shipped is untouched.

    Parameters
    ----------
    topic_terms : iterable of str
        Words that name the subject of the texts rather than the writer's stance (a study's
        ``topic_terms``), as VADER's lexicon spells them (word forms, lower case). Words VADER
        does not have are ignored. Empty: the copy equals VADER's lexicon.

    Returns
    -------
    vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer

    Examples
    --------
    >>> "strike" in adapted_analyzer(["strike"]).lexicon, "strike" in adapted_analyzer().lexicon
    (False, True)
    """
    return _adapted(topic_key(topic_terms))


def analyzers(topic_terms=()) -> tuple[SentimentIntensityAnalyzer, SentimentIntensityAnalyzer]:
    """The two VADER analysers, built once per process (the adapted one once per set of terms).

    Parameters
    ----------
    topic_terms : iterable of str
        The topic terms the adapted analyser neutralises (:func:`adapted_analyzer`).

    Returns
    -------
    raw : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        VADER as shipped.
    adapted : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        VADER with its own copy of the lexicon, without ``topic_terms``; with none, the same
        lexicon as ``raw``.
    """
    return plain_analyzer(), adapted_analyzer(topic_terms)


def neutralised_words(topic_terms=()) -> frozenset[str]:
    """The words VADER's lexicon has and the adapted copy lacks.

    Parameters
    ----------
    topic_terms : iterable of str
        As for :func:`adapted_analyzer`.

    Returns
    -------
    frozenset of str
        The topic terms that are VADER words (cached per set of terms); empty without terms.
    """
    return _neutralised(topic_key(topic_terms))


@lru_cache(maxsize=16)
def _neutralised(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(plain_analyzer().lexicon.keys() - _adapted(terms).lexicon.keys())


def vader_tokens(analyzer: SentimentIntensityAnalyzer, text: str
                 ) -> tuple[list[str], list[float], dict]:
    """VADER's words of a text, the valence of each, and the text's scores.

    Parameters
    ----------
    analyzer : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        The analyser whose lexicon is used (VADER as shipped, or a copy with its own lexicon).
    text : str
        One sentence (VADER is meant for sentences; a whole article saturates near +-1).

    Returns
    -------
    words : list of str
        VADER's ``words_and_emoticons`` of the stripped text, as written (not lower-cased).
    valences : list of float
        The valence VADER gives each word after its negation, booster, capitals, idiom and
        "but" rules (0 for a word without sentiment).
    scores : dict
        ``{"neg", "neu", "pos", "compound"}``, equal to ``analyzer.polarity_scores(text)``.
        A text with an emoji is scored as ``polarity_scores`` scores it (each emoji replaced by
        its description) and returns empty ``words`` and ``valences``.

    Examples
    --------
    >>> from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    >>> words, vals, scores = vader_tokens(SentimentIntensityAnalyzer(), "Good, but bad.")
    >>> words, vals  # "but" halves the valence before it, adds half to the one after it
    (['Good', 'but', 'bad'], [0.95, 0, -3.75])
    >>> scores["compound"]
    -0.5859
    """
    if any(ch in analyzer.emojis for ch in text):
        return [], [], vader_scores(analyzer, text)
    text = text.strip()
    st = SentiText(text)
    words = st.words_and_emoticons
    vals = _valences(analyzer, words, st.is_cap_diff)
    return words, vals, analyzer.score_valence(vals, text)


def vader_scores(analyzer: SentimentIntensityAnalyzer, text: str) -> dict:
    """``analyzer.polarity_scores(text)``, computed in time linear in the text.

    Parameters
    ----------
    analyzer : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        The analyser whose lexicon is used.
    text : str
        The text to score, of any length (emoji included).

    Returns
    -------
    dict
        ``{"neg", "neu", "pos", "compound"}``: the same dict, key for key and bit for bit,
        as ``analyzer.polarity_scores(text)``.

    Examples
    --------
    >>> from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    >>> vader = SentimentIntensityAnalyzer()
    >>> text = "The talks made real progress, but the deal is NOT safe!"
    >>> vader_scores(vader, text) == vader.polarity_scores(text)
    True
    """
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


# The walk below: VADER's sentiment_valence on words lower-cased once (see the module
# docstring); the helpers are VADER's own methods of the same name, on those words.
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
