"""Long texts parsed in blocks, so that the shared parse costs time and memory linear in the text.

A cleaned text longer than :data:`BLOCK_CHARS` characters (100,000, about 16,000 words: five
times the longest article of the validation corpora) is cut into blocks of at most that many
characters (or ``nlp.max_length``, if smaller) by :func:`block_starts`: at the last paragraph
break (blank line) of each block, else its last line break, else its last space, else
anywhere. :func:`parse_blocks` parses the blocks one at a time and joins them
(:func:`join_docs`, the same Doc as ``Doc.from_docs``) into one Doc whose text is the cleaned
text, character for character. Any length works (no ``nlp.max_length`` error) and the
pipeline's working memory is bounded by the block, not the article (one 1.9 MB article took
4.3 GB parsed whole). A block boundary starts a sentence; the tags of the few tokens either
side of a boundary may differ from a whole-text parse (the networks see four tokens either
side). Texts up to :data:`BLOCK_CHARS` are parsed whole (``analysis.text.parse_articles``
decides).
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["BLOCK_CHARS", "block_starts", "parse_blocks", "join_docs"]

BLOCK_CHARS = 100_000  # texts longer than this are parsed in blocks of at most this length


def block_starts(text: str, limit: int) -> list[int]:
    """Where the blocks of a long text start, in time linear in the text.

    Each block is at most ``limit`` characters and ends before the next block's first
    non-space character, chosen at the block's last paragraph break (a blank line), else its
    last line break, else its last white space, else at ``limit`` characters.

    Parameters
    ----------
    text : str
        The cleaned text.
    limit : int
        The largest block, in characters.

    Returns
    -------
    list of int
        The character offset of each block's start, ``0`` first; ``[0]`` when the text is
        at most ``limit`` characters.

    Examples
    --------
    >>> block_starts("one two\\n\\nthree four", 12)
    [0, 9]
    """
    starts = [0]
    n = len(text)
    while n - starts[-1] > limit:
        b = starts[-1]
        cut = b + limit
        for rx in _BLOCK_BREAKS:
            found = None
            # A match ends at the next block's first character, at most ``limit`` after b (the
            # look-ahead may read one character past the window, never more).
            for found in rx.finditer(text, b + 1, b + limit + 1):
                pass
            if found is not None:
                cut = found.end()
                break
        starts.append(cut)
    return starts


_BLOCK_BREAKS = (re.compile(r"\n[^\S\n]*\n\s*(?=\S)"), re.compile(r"\n\s*(?=\S)"),
                 re.compile(r"\s+(?=\S)"))


def parse_blocks(text: str, nlp: Language, limit: int, disable: list[str]) -> Doc:
    """The shared parse of a text of any length, one block at a time.

    Parameters
    ----------
    text : str
        The cleaned text.
    nlp : spacy.language.Language
        The pipeline (:func:`get_nlp`).
    limit : int
        The largest block, in characters (see :func:`block_starts`).
    disable : list of str
        Pipes not to run (:func:`analysis.nlp.shared_disable`).

    Returns
    -------
    spacy.tokens.Doc
        One Doc whose text is ``text``, with the blocks' tokens, annotations and ``tok2vec``
        tensor (:func:`join_docs`); the memory used is bounded by a block.
    """
    starts = block_starts(text, limit)
    bounds = list(zip(starts, starts[1:] + [len(text)]))
    docs = list(nlp.pipe((text[a:b] for a, b in bounds), batch_size=1, disable=disable))
    return join_docs(docs)


def join_docs(docs: list[Doc]) -> Doc:
    """Join parsed blocks into one Doc, as ``Doc.from_docs(docs, ensure_whitespace=False)``.

    For docs without spans or user data (the blocks of :func:`parse_blocks`): the same Doc,
    with the tokens read as arrays instead of one Token object per token and without
    re-joining each doc's text (together a tenth of the parse of a 2 MB article). Equality
    with ``from_docs`` is tested.

    Parameters
    ----------
    docs : list of spacy.tokens.Doc
        At least one Doc, all of one vocabulary.

    Returns
    -------
    spacy.tokens.Doc
        Their tokens, annotations and ``tok2vec`` tensors, in order.
    """
    vocab = docs[0].vocab
    attrs = list(Doc._get_array_attrs())
    array = np.concatenate([d.to_array(attrs) for d in docs])
    strings = vocab.strings
    words = [strings[h] for h in array[:, attrs.index(ORTH)].tolist()]
    spaces = [bool(x) for x in array[:, attrs.index(SPACY)].tolist()]
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.from_array(attrs, array)
    if any(len(d) for d in docs):
        doc.tensor = np.vstack([d.tensor for d in docs if len(d)])
    return doc
