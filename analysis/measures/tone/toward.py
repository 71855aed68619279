"""Tone toward an actor: the tone of the clauses that mention it or refer to it.

For every target (each actor of the study, :mod:`analysis.measures.tone.targets`; and, with a
target column, each article's own target), ``tone_toward_<key>`` is the mean, over the
target's mentions in the article's body sentences, of the tone of the clause each mention is
in; ``tone_toward_<key>_n`` counts the mentions (pronouns that refer to it included), and
``_lo``/``_hi`` is the 95% interval of the mean over the article's sentence bootstrap (the
resamples of the sentences, so of the mentions in them). An article that never mentions the
target has NaN and ``_n`` 0.

Clauses, not sentences
----------------------
"Voters praised Clinton but blamed Weller for the crisis" is one sentence and two clauses, one
for each. A sentence that names two targets in different places (:func:`apart`; pronouns that
refer to them included) is parsed with spaCy's dependency parser, cut from the shared parse
with its ``tok2vec`` tensor as :mod:`analysis.measures.sources` does; a sentence that names one
target is scored whole (its clause split would change little: on NewsMTSC sentences with one
rated person the clause scored no better than the sentence, and the parser costs time). Each
token belongs to the clause of the nearest of itself and its ancestors that heads a clause: the root, or a token attached as
``advcl``, ``ccomp``, ``csubj``, ``parataxis``, ``relcl``, or ``conj`` when it is a verb
(coordinated nouns, "Clinton and Weller", stay in one clause). A mention's text is its clause
without the clauses nested in it and without the conjunction that joins the next one ("but"),
plus the relative clauses and appositions attached to the mention itself ("Weller, who was
fined, ..."). That text is scored by the clause scorer; a clause it scores 0 (no sentiment
word: "Weller met Obama on Monday") takes the score of its whole sentence instead (on NewsMTSC
sentences the clause alone ranked worse than the sentence, AUC 0.75 against 0.79; with this
fallback 0.79 to 0.80, in a sample of sentences). The clause scorer is by default the learned
sentence tone of the text parsed alone (:func:`learned_clause`, the shipped ``tone_learned``
model), and a sentence scored whole takes its ``tone_learned`` from the tone scorer's sentence
table; VADER's compound (:func:`vader_clause`) or any function from text to a score in [-1, 1]
can take its place (``TowardScorer(clause_tone=...)``).

Evidence: one row per mention, feature ``tone_toward_<key>``, term ``"<mention>: <score>"``,
``start``/``end`` the span of the clause (or sentence) scored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from ...stats import percentile_interval, resample_weights
from ...tables import Scored
from .targets import (PRONOUNS, TARGET_KEY, Target, find_mentions, is_person_name,
                      refer_pronouns, target_of, targets_of_study)
from .learned import learned_tone, span_tone
from .vader import plain_analyzer, vader_scores

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["TowardScorer", "joined", "ClauseTone", "vader_clause", "learned_clause",
           "learned_clause_tone", "clause_heads", "mention_text",
           "mention_tones", "toward_columns", "sentence_docs", "apart"]

ClauseTone = Callable[[str], float]
CLAUSE_DEPS = frozenset({"advcl", "ccomp", "csubj", "parataxis", "relcl"})
ATTACHED_DEPS = frozenset({"relcl", "acl", "appos"})  # clauses about the noun they attach to
_VERBAL = frozenset({"VERB", "AUX"})
NER_CONTEXT = 3  # words either side of a name that NER sees (as the sources' name windows)


def vader_clause(text: str) -> float:
    """VADER's compound of a clause (as shipped, linear-time walk): the default clause scorer."""
    return float(vader_scores(plain_analyzer(), text)["compound"])


def learned_clause_tone(model=None) -> ClauseTone:
    """A clause scorer: the learned tone (:func:`~analysis.measures.tone.learned.span_tone`,
    ``model`` default the shipped one) of a clause's tokens, featurised as one sentence with
    the words and lemmas the sentence's parse gave them (a text alone is parsed first)."""
    def clause_tone(text: str, tokens=None) -> float:
        from spacy.tokens import Doc  # late: heavy (spaCy)

        if tokens is None:
            from ...nlp import get_nlp, shared_disable  # late: heavy (spaCy)

            nlp = get_nlp()
            return span_tone(nlp(text, disable=shared_disable(nlp)), model)
        tokens = list(tokens)
        doc = Doc(tokens[0].vocab, words=[t.text for t in tokens],
                  spaces=[bool(t.whitespace_) for t in tokens[:-1]] + [False],
                  lemmas=[t.lemma_ for t in tokens])
        return span_tone(doc, model)
    clause_tone.reads_tokens = True
    return clause_tone


learned_clause = learned_clause_tone()
learned_clause.__doc__ = """The learned tone of a clause with the shipped model: the default
clause scorer (:func:`learned_clause_tone`)."""


def toward_columns(keys) -> list[str]:
    """The columns of the targets ``keys``, in order: mean, interval, count."""
    return [f"tone_toward_{k}{s}" for k in keys for s in ("", "_lo", "_hi", "_n")]


def _is_clause(tok) -> bool:
    if tok.dep_ == "ROOT" or tok.head is tok:
        return True
    if tok.dep_ == "conj":
        return tok.pos_ in _VERBAL and tok.head.pos_ in _VERBAL
    return tok.dep_ in CLAUSE_DEPS


def clause_heads(doc: Doc) -> list[int]:
    """For every token of a parsed sentence, the index of the token that heads its clause."""
    heads = []
    for tok in doc:
        t = tok
        while not _is_clause(t):
            t = t.head
        heads.append(t.i)
    return heads


def mention_text(doc: Doc, heads: list[int], start: int, end: int, tokens: bool = False
                 ) -> tuple:
    """The text a mention (tokens ``start:end``) is scored by, and its character span (and,
    with ``tokens``, the tokens of that text).

    Its clause (tokens with the mention's clause head, minus a ``cc`` that joins the next
    clause) and the relative clauses and appositions attached to the mention's tokens.
    """
    h = heads[end - 1]
    keep = {i for i, hh in enumerate(heads) if hh == h
            and not (doc[i].dep_ == "cc" and any(c.dep_ == "conj" and heads[c.i] == c.i
                                                 for c in doc[i].head.children))}
    for tok in doc[start:end]:
        for child in tok.children:
            if child.dep_ in ATTACHED_DEPS:
                keep.update(t.i for t in child.subtree)
    toks = [doc[i] for i in sorted(keep)]
    text = "".join(t.text_with_ws for t in toks).strip()
    words = [t for t in toks if not t.is_punct] or toks
    out = (text, words[0].idx, words[-1].idx + len(words[-1]))
    return (*out, toks) if tokens else out


def mention_tones(doc: Doc, mentions, clause_tone: ClauseTone = vader_clause) -> list[tuple]:
    """Score each mention of a parsed sentence by the tone of its clause.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        One sentence with a dependency parse.
    mentions : sequence of (start, end, ...)
        Token ranges in ``doc`` (more fields are passed through).
    clause_tone : callable
        Text -> score in [-1, 1]; default :func:`vader_clause`. One with a true
        ``reads_tokens`` attribute is called as ``clause_tone(text, tokens)`` with the tokens
        of the text in ``doc`` (:func:`learned_clause_tone`).

    Returns
    -------
    list of (mention, text, score, start_char, end_char)
        ``text`` is the clause scored, or the sentence when the clause scored 0.

    Examples
    --------
    >>> from analysis.text import get_nlp
    >>> doc = get_nlp()("Voters praised Clinton but blamed Weller for the crisis.")
    >>> [(round(s, 2) > 0, t) for _, t, s, _, _ in mention_tones(doc, [(2, 3), (5, 6)])]
    [(True, 'Voters praised Clinton .'), (False, 'blamed Weller for the crisis')]
    """
    heads = clause_heads(doc)
    cache: dict[str, float] = {}
    out = []
    if getattr(clause_tone, "reads_tokens", False):
        tone = clause_tone
    else:
        def tone(text, _):
            return clause_tone(text)
    for m in mentions:
        text, a, b, toks = mention_text(doc, heads, m[0], m[1], tokens=True)
        if text not in cache:
            cache[text] = float(tone(text, toks))
        if cache[text] == 0.0:  # no sentiment in the clause: the sentence's tone
            text, a, b = doc.text.strip(), 0, len(doc.text.rstrip())
            if text not in cache:
                cache[text] = float(tone(text, [t for t in doc if not t.is_space]))
        out.append((m, text, cache[text], a, b))
    return out


def sentence_docs(article, spans) -> list[Doc]:
    """Docs of some token ranges ``(start, end)`` of the shared parse, with its tensor (the
    parser reads the shared ``tok2vec``, as in
    :func:`analysis.measures.sources.extract.selective_parse`). The article's attribute array
    is made once, not once per range (``Span.as_doc`` alone would convert the whole article
    for every range)."""
    if not spans:
        return []
    head = article.doc._get_array_attrs()
    array = article.doc.to_array(head)
    return [article.doc[a:b].as_doc(array_head=head, array=array) for a, b in spans]


def _token_forms(doc) -> list[tuple[str, str, str, bool]]:
    """(lower, lemma lower-cased, tag, capitalised) of every token, from the doc's arrays (one
    pass, no Token objects)."""
    from spacy.attrs import IS_TITLE, IS_UPPER, LEMMA, LOWER, TAG  # late: heavy (spaCy)

    strings = doc.vocab.strings
    names: dict[int, str] = {}
    lemmas: dict[int, str] = {}
    out = []
    for low, lem, tag, title, upper in doc.to_array([LOWER, LEMMA, TAG, IS_TITLE,
                                                     IS_UPPER]).tolist():
        for h in (low, tag):
            if h not in names:
                names[h] = strings[h]
        if lem not in lemmas:
            lemmas[lem] = strings[lem].lower()
        out.append((names[low], lemmas[lem], names[tag], bool(title or upper)))
    return out


def apart(mentions) -> bool:
    """Whether a sentence's mentions ((start, end, key), ...) name two targets in different
    places: only then is it split into clauses (a name that is an actor's and the article's
    own target is one place)."""
    places: dict[tuple[int, int], set] = {}
    for a, b, k in mentions:
        places.setdefault((a, b), set()).add(k)
    return len({frozenset(v) for v in places.values()}) > 1


class TowardScorer:
    """Tone toward each target: ``tone_toward_<key>`` with its interval and mention count.

    Parameters
    ----------
    targets : sequence of Target
        The study's actors (:func:`~analysis.measures.tone.targets.targets_of_study`).
    target_column : str, optional
        The metadata column naming each article's own target: adds ``tone_toward_target``.
    clause_tone : callable, optional
        Text -> score in [-1, 1]; default :func:`learned_clause` (the learned tone).
    """

    name = "tone_toward"

    def __init__(self, targets=(), target_column: str | None = None,
                 clause_tone: ClauseTone | None = None):
        self.targets = tuple(targets)
        self.target_column = target_column or None
        self.clause_tone = clause_tone or learned_clause
        self.metadata_columns = (self.target_column,) if self.target_column else ()

    @classmethod
    def of_study(cls, study, clause_tone: ClauseTone | None = None) -> "TowardScorer":
        """The scorer of a study: its actors, and its ``target_column`` when set."""
        return cls(targets_of_study(study), getattr(study, "target_column", None), clause_tone)

    def keys(self) -> list[str]:
        return [t.key for t in self.targets] + ([TARGET_KEY] if self.target_column else [])

    def columns(self) -> list[str]:
        """``tone_toward_<key>``, ``_lo``, ``_hi``, ``_n`` for every target, in order."""
        return toward_columns(self.keys())

    def _targets(self, article) -> list[list[Target]]:
        """The sets of targets matched apart: the actors (a word goes to one of them), and
        the article's own target (whose words may also be an actor's)."""
        out = [list(self.targets)] if self.targets else []
        if self.target_column:
            own = target_of(getattr(article, "metadata", {}).get(self.target_column))
            if own is not None:
                out.append([own])
        return out

    @property
    def reads_sentence_tone(self) -> str | None:
        """The column of the tone scorer's sentence table that can stand for this scorer's
        score of a whole sentence: ``tone_learned`` for :func:`learned_clause` (the sentence
        scored in its article), ``tone_compound`` for :func:`vader_clause`; else None."""
        return {learned_clause: "tone_learned", vader_clause: "tone_compound"}.get(
            self.clause_tone)

    def score(self, article, idx: np.ndarray, sentence_tone: dict | None = None) -> Scored:
        """Score one article (``idx``: its sentence bootstrap, shared by every measure;
        ``sentence_tone``: sentence id -> the clause scorer's score of the whole sentence,
        when already known)."""
        targets = self._targets(article)
        tokens = _token_forms(article.doc)
        per_sentence = []  # (sentence, mentions, pronouns, other names' token indices)
        for s in article.sentences:
            if s.is_heading:
                continue
            toks = tokens[s.tok_start:s.tok_end]
            found = sorted(m for group in targets for m in find_mentions(toks, group))
            inside = {i for a, b, _ in found for i in range(a, b)}
            per_sentence.append((
                s, [(a, b, k, is_person_name(*toks[b - 1][2:])) for a, b, k in found],
                [i for i, t in enumerate(toks) if t[0] in PRONOUNS and t[2].startswith("PRP")],
                [i for i, t in enumerate(toks) if i not in inside and is_person_name(*t[2:])]))
        chosen, ner = self._select(per_sentence)
        from ...text import dependency_parses, get_nlp, span_entities  # late: heavy (spaCy)

        nlp = get_nlp()
        persons: dict[int, list] = {}
        if ner and "ner" in nlp.pipe_names:
            starts = {c[0].sentence_id: c[0].tok_start for c in chosen}
            windows = sorted(ner.items())
            found_ents = span_entities(
                [article.doc[starts[sid] + a:starts[sid] + b] for sid, (a, b) in windows], nlp,
                cut=lambda spans: sentence_docs(article, [(sp.start, sp.end) for sp in spans]))
            for (sid, (a, _)), ents in zip(windows, found_ents):
                persons[sid] = [(a + x, a + y) for x, y, label in ents if label == "PERSON"]
        ids = [c[0].sentence_id for c in chosen]
        refs, _ = refer_pronouns([
            (m, [(a, b) for a, b in persons.get(s.sentence_id, ())
                 if not any(x < b and a < y for x, y, _, _ in m)],
             p, i > 0 and ids[i - 1] == s.sentence_id - 1)
            for i, (s, m, p, _) in enumerate(chosen)])
        found = [[(a, b, k) for a, b, k, _ in m] + [(p, p + 1, k) for p, k in r]
                 for (_, m, _, _), r in zip(chosen, refs)]
        split = [c[0] for c, f in zip(chosen, found) if apart(f)]
        if sentence_tone is None and self.reads_sentence_tone == "tone_learned" and \
                len(split) < len(chosen):  # the sentences' learned tone, as the tone scorer's
            scores = learned_tone(article, np.zeros((0, 0), dtype=int)).sentences
            sentence_tone = {s.sentence_id: float(x) for s, x in zip(article.sentences, scores)}
        docs = dict(zip([s.sentence_id for s in split], dependency_parses(
            article, [(s.tok_start, s.tok_end) for s in split],
            lambda spans: sentence_docs(article, spans), nlp)))
        return self._columns(article, idx, [c[0] for c in chosen], found, docs,
                             sentence_tone or {})

    @staticmethod
    def _select(per_sentence):
        """The sentences with a mention or a pronoun that may refer to one, and what NER must
        see: the names other than a target's (with a few words around them) that could come
        between a pronoun and its antecedent, in the pronoun's sentence and, in a chain, the
        one before. Sentence id -> (start, end) token window."""
        chosen, ner, carry = [], {}, False

        def window(sid, others, n):
            lo, hi = max(min(others) - NER_CONTEXT, 0), min(max(others) + 1 + NER_CONTEXT, n)
            a, b = ner.get(sid, (lo, hi))
            ner[sid] = (min(a, lo), max(b, hi))

        for s, mentions, pronouns, others in per_sentence:
            ends = sorted(m[1] for m in mentions if m[3])  # where a named person ends
            may_refer = pronouns and (carry or (ends and max(pronouns) >= ends[0]))
            if mentions or may_refer:
                chosen.append((s, mentions, pronouns if may_refer else [], others))
                between, back = [], False
                for p in pronouns if may_refer else ():
                    e = max((x for x in ends if x <= p), default=None)
                    between += [o for o in others if (e or 0) <= o < p]
                    back = back or e is None
                if between:
                    window(s.sentence_id, between, s.tok_end - s.tok_start)
                if back and carry and chosen[-2:-1]:  # the antecedent is in the sentence before
                    prev, pm, _, po = chosen[-2]
                    e = max((m[1] for m in pm if m[3]), default=0)
                    after = [o for o in po if o >= e]
                    if after:
                        window(prev.sentence_id, after, prev.tok_end - prev.tok_start)
            carry = bool(ends or may_refer)
        return chosen, ner

    def _columns(self, article, idx, sents, found, docs, sentence_tone) -> Scored:
        keys = self.keys()
        row_of = {s.sentence_id: i for i, s in enumerate(article.sentences)}
        n_sent = len(article.sentences)
        sums = {k: np.zeros(n_sent) for k in keys}
        counts = {k: np.zeros(n_sent) for k in keys}
        evidence = []
        for s, mentions in zip(sents, found):
            doc = docs.get(s.sentence_id)
            if doc is not None:
                scored = [(m, score, a, b) for m, _, score, a, b in
                          mention_tones(doc, sorted(mentions), self.clause_tone)]
            else:  # one target in the sentence: the sentence is its clause
                score = sentence_tone.get(s.sentence_id)
                score = float(self.clause_tone(s.text) if score is None else score)
                scored = [(m, score, 0, len(s.text)) for m in sorted(mentions)]
            first = s.tok_start
            for (a, b, k), score, ca, cb in scored:
                row = row_of[s.sentence_id]
                sums[k][row] += score
                counts[k][row] += 1
                word = article.doc[first + a:first + b].text
                evidence.append({"article_id": article.article_id,
                                 "sentence_id": s.sentence_id, "feature": f"tone_toward_{k}",
                                 "term": f"{word}: {score:+.3f}", "start": ca, "end": cb,
                                 "sentence": s.text})
        cols = {}
        w = resample_weights(idx, n_sent) if idx.size else None
        for k in keys:
            n = counts[k].sum()
            mean = float(sums[k].sum() / n) if n else float("nan")
            lo = hi = mean
            if n and w is not None:
                c = w @ counts[k]
                means = np.divide(w @ sums[k], c, out=np.full(len(c), np.nan), where=c > 0)
                lo, hi = percentile_interval(means)
            cols.update(zip(toward_columns([k]), (mean, lo, hi, int(n))))
        return Scored(columns=cols, evidence=evidence)


class _Joined:
    """Several scorers as one feature group: their columns, evidence and tables in order."""

    def __init__(self, name: str, parts):
        self.name, self.parts = name, tuple(parts)
        self.table_columns = {k: v for p in self.parts
                              for k, v in getattr(p, "table_columns", {}).items()}
        self.metadata_columns = tuple(dict.fromkeys(
            c for p in self.parts for c in getattr(p, "metadata_columns", ())))

    def columns(self) -> list[str]:
        return [c for p in self.parts for c in p.columns()]

    def score(self, article, idx: np.ndarray) -> Scored:
        out = Scored(columns={})
        for p in self.parts:
            col = getattr(p, "reads_sentence_tone", None)
            if col:  # the sentence scores already computed, once
                res = p.score(article, idx, sentence_tone={
                    r["sentence_id"]: r[col] for r in out.tables.get("sentences", ()) if col in r})
            else:
                res = p.score(article, idx)
            out.columns.update(res.columns)
            out.evidence.extend(res.evidence)
            for k, rows in res.tables.items():
                out.tables.setdefault(k, []).extend(rows)
        return out


def joined(name: str, *scorers) -> _Joined:
    """One scorer named ``name`` made of ``scorers`` (the tone group: sentence tone and tone
    toward actors), so that ``--groups tone`` computes both."""
    return _Joined(name, scorers)
