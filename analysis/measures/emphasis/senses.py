"""Sense checks: a dictionary word that counts for a frame only in the sense the frame means.

A bare word can mislead: "history" in "a history of gun threats" is a person's record, not the
past; "Bill" in "Bill Clinton" is no bill; a "party" can be a birthday party. The rules of
``analysis/lexicons/sense_rules.tsv`` look at the matched word in the shared parse (its part of
speech, its dependents, its head, the word before it) and drop the match when the parse shows
the other sense. Each rule names a frame key and a pattern as written; only matches of that
pattern in that frame are checked, so the checks cost nothing for the other matches.

Checks (column ``check``; ``words`` and ``unless`` are space-separated specs; a spec
``dep:lemma`` names a dependency relation and a lemma, ``dep:*`` any lemma, a bare ``lemma``
any relation):

* ``pos`` -- keep only when the word's part of speech is one of ``words`` (``NOUN``).
* ``form`` -- keep only when the word as written (lower case) is one of ``words``.
* ``child`` -- keep only when one of the word's dependents matches a spec.
* ``not_child`` -- drop when a dependent matches a spec, unless another matches ``unless``.
* ``head`` -- keep only when the word's own relation and its head's lemma match a spec
  (``nsubj:think``: "Americans think"); ``not_head`` -- drop when they do (``dobj:have``:
  "had a history").
* ``head_child`` -- keep only when a dependent of the word's head matches a spec (a modal
  "should" whose verb has the subject ``nsubj:government``).
* ``not_prev``, ``not_next`` -- drop when the word before (after) it, lower case, is one of
  ``words``.
* ``after``, ``before``, ``near`` -- keep only when one of the :data:`WINDOW` words after it
  (before it; either side), in its sentence, is one of ``words`` as written or as a lemma
  ("most Americans *support*", "the *presidential* race"): no parse needed, so these serve the
  frequent words.

For a phrase the word checked is the phrase's syntactic root.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from ... import lexicon
from ...errors import LexiconError

__all__ = ["SenseRule", "sense_rules", "SenseChecks", "CHECKS"]

RULES_FILE = "sense_rules.tsv"
COLUMNS = ["rule", "frame", "term", "check", "words", "unless"]
CHECKS = ("pos", "form", "child", "not_child", "head", "not_head", "head_child", "not_prev",
          "not_next", "after", "before", "near")
WINDOW = 3  # words either side that the window checks read


@dataclass(frozen=True)
class SenseRule:
    """One row of ``sense_rules.tsv``."""

    rule: str
    frame: str
    term: str
    check: str
    words: tuple[str, ...]
    unless: tuple[str, ...] = ()


def _spec_match(specs: Sequence[str], dep: str, lemma: str) -> bool:
    for s in specs:
        d, _, lem = s.rpartition(":")
        if (not d or d == dep) and (lem == "*" or lem == lemma):
            return True
    return False


def parse_rules(rows, label: str) -> tuple[SenseRule, ...]:
    """Rules from :func:`analysis.lexicon.read_table` rows; a bad check names its line."""
    out = []
    for ln, row in rows:
        if row["check"] not in CHECKS:
            raise LexiconError(f"{label}, line {ln}: check {row['check']!r} is not one of "
                               f"{', '.join(CHECKS)}")
        words = tuple(row["words"].split())
        if not words:
            raise LexiconError(f"{label}, line {ln}: no words")
        unless = tuple(w for w in row["unless"].split() if w != "-")
        out.append(SenseRule(row["rule"], row["frame"], row["term"], row["check"], words,
                             unless))
    return tuple(out)


@lru_cache(maxsize=1)
def sense_rules() -> tuple[SenseRule, ...]:
    """The package's sense rules, parsed once."""
    return parse_rules(lexicon.read_table(RULES_FILE, COLUMNS), RULES_FILE)


def passes(rule: SenseRule, tok, bounds: tuple[int, int] | None = None) -> bool:
    """Whether spaCy token ``tok`` keeps its match under ``rule``; ``bounds``: the token span
    of its sentence (the window checks stay inside it; default the whole doc)."""
    c = rule.check
    if c in ("after", "before", "near"):
        lo, hi = bounds or (0, len(tok.doc))
        a = max(lo, tok.i - WINDOW) if c != "after" else tok.i + 1
        b = min(hi, tok.i + WINDOW + 1) if c != "before" else tok.i
        return any(t.lower_ in rule.words or t.lemma_.lower() in rule.words
                   for t in tok.doc[a:min(b, hi)])
    if c == "pos":
        return tok.pos_ in rule.words
    if c == "form":
        return tok.lower_ in rule.words
    if c == "not_prev":
        return tok.i == 0 or tok.doc[tok.i - 1].lower_ not in rule.words
    if c == "not_next":
        return tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].lower_ not in rule.words
    if c in ("head", "not_head"):
        hit = tok.head is not tok and _spec_match(rule.words, tok.dep_, tok.head.lemma_.lower())
        return hit if c == "head" else not hit
    if c == "head_child":
        return any(_spec_match(rule.words, k.dep_, k.lemma_.lower()) for k in tok.head.children)
    kids = [(k.dep_, k.lemma_.lower()) for k in tok.children]
    hit = any(_spec_match(rule.words, d, lem) for d, lem in kids)
    if c == "child":
        return hit
    return not hit or any(_spec_match(rule.unless, d, lem) for d, lem in kids)


class SenseChecks:
    """The sense rules that apply to one compiled matcher's patterns.

    Parameters
    ----------
    categories : sequence of str
        The matcher's category keys; rules of other frames are ignored.
    patterns : sequence
        The matcher's compiled patterns (``category`` and ``term`` of each).
    rules : sequence of SenseRule, optional
        Default: :func:`sense_rules`.
    """

    def __init__(self, categories: Sequence[str], patterns, rules=None):
        rules = sense_rules() if rules is None else rules
        by = {}
        for r in rules:
            by.setdefault((r.frame, r.term), []).append(r)
        self.by_pattern = {pid: by[(p.category, p.term)] for pid, p in enumerate(patterns)
                           if (p.category, p.term) in by}
        self._pids = np.array(sorted(self.by_pattern), dtype=np.int64)

    def keep(self, doc, sents, sid: np.ndarray, start: np.ndarray, end: np.ndarray,
             pid: np.ndarray) -> np.ndarray:
        """Boolean mask over the matches: False where a rule of the match's pattern fails.

        ``doc`` is the shared parse (tags and lemmas, no dependencies), ``sents`` its
        sentences (``tok_start``, ``tok_end``) and ``sid`` each token's sentence. Checks of
        dependencies run spaCy's parser on the sentences that hold such a match only, cut from
        the shared parse with its tensor (the parser runs on top of it), all in one batch.
        """
        mask = np.ones(pid.size, dtype=bool)
        if not self._pids.size or not pid.size:
            return mask
        rows = np.flatnonzero(np.isin(pid, self._pids)).tolist()
        deep = sorted({int(sid[start[r]]) for r in rows
                       if any(x.check in DEPENDENCY_CHECKS for x in self.by_pattern[int(pid[r])])})
        parsed = dict(zip(deep, _parse([doc[sents[k].tok_start:sents[k].tok_end]
                                        for k in deep])))
        for r in rows:
            s, e = int(start[r]), int(end[r])
            k = int(sid[s])
            bounds = (sents[k].tok_start, sents[k].tok_end)
            if k in parsed:
                d, off = parsed[k], sents[k].tok_start
                tok = d[s - off] if e - s == 1 else d[s - off:e - off].root
                bounds = (0, len(d))
            else:
                tok = doc[s] if e - s == 1 else doc[s:e].root
            mask[r] = all(passes(rule, tok, bounds) for rule in self.by_pattern[int(pid[r])])
        return mask


DEPENDENCY_CHECKS = ("child", "not_child", "head", "not_head", "head_child")


def _parse(spans) -> list:
    """The dependency parse of sentences of the shared parse (spaCy spans), in order."""
    if not spans:
        return []
    from ...nlp import get_nlp  # late: heavy (analysis.nlp imports spaCy)

    # The doc's attribute array, made once: as_doc without it converts the whole article for
    # every sentence (quadratic in the article's length).
    doc = spans[0].doc
    head = doc._get_array_attrs()
    array = doc.to_array(head)
    docs = (sp.as_doc(array_head=head, array=array) for sp in spans)
    return list(get_nlp().get_pipe("parser").pipe(docs, batch_size=64))
