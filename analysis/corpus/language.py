"""Which articles the measures can read: English prose.

Every measure is English-only (VADER's lexicon, spaCy's English pipeline, English word lists),
so an Arabic article scored 0 on every measure with zero-width intervals, like a neutral
English one, and nothing said why. The loader therefore screens each article's text
(:func:`screen`) and, by default (``language="en"``), leaves out

* text that is **not prose**: nothing but URLs, HTML tags, entities, digits and punctuation
  (``https://...`` alone, ``<div></div>``), or HTML markup without prose (at least 5 tags,
  and the letters outside tags, URLs, scripts and styles less than a quarter of the text's
  visible characters): problem ``not_prose``;
* text **not in English**: mostly letters of another script than Latin (Arabic, Chinese,
  Cyrillic, Greek...), or Latin text that the language detector puts in another language with
  confidence 0.9 or more and that has at least 40 letters: problem ``language``, whose message
  names the language found.

Short texts and English with a few foreign words are kept: a detector is unsure on a dozen
words, and a false refusal would lose an article. ``language="any"`` keeps every article and
writes the language found into a ``language`` column (``detected_language`` when the input
already has a ``language`` column); without it no column is added, so the tables of an
English corpus do not change.

The detector is ``py3langid`` (BSD licence): a naive Bayes model over byte n-grams that ships
inside the package (``data/model.npz.xz``) and is read from there; nothing is downloaded. Its
only network code is its own command line's ``--url`` and ``--serve``, which are never called.
At most the first 100,000 characters of a text are read, so the cost per article is bounded.
The detector reads a text byte by byte in Python (about 3.5 ms for a 4,500-character article),
so prose in Latin script whose words are plainly English (at least 40 words, 6% or more of them
English function words found in no other language written in that script: "the", "of",
"which"; 1% or more "the") is taken as English without it; every other text goes to the
detector.
"""

from __future__ import annotations

import re

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["LANGUAGES", "COLUMN", "detect", "screen", "check_language", "keep_article"]

LANGUAGES = ("en", "any")  # the values of --language
COLUMN = "language"  # with language="any": the column of the detected language
MIN_CONFIDENCE = 0.9  # Latin-script text: flagged only when the detector is this sure
MIN_LETTERS = 40  # ... and the text has this many letters
# At least so many HTML tags, and letters outside tags, URLs, scripts and styles less than
# this share of the text's visible characters: a page of markup, not an article with markup
# in it (the 2016 corpus embeds tweets as <tweet> tags in prose).
HTML_TAGS, PROSE_SHARE = 5, 0.25
SAMPLE = 100_000  # characters read by the detector

_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_TAG = re.compile(r"<[!/?]?[A-Za-z][^<>]{0,2000}>|<!--.*?-->", re.DOTALL)
_CODE = re.compile(r"<(script|style)\b[^<>]{0,2000}>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_IDENTIFIER: list[LanguageIdentifier] = []  # the model, read once per process
# English function words that are not words of the other languages written in Latin script
# ("in", "is", "on", "was" are left out: German, Dutch and French have them). In English news
# they are 8% or more of the words (the 2016 corpus and the BBC development articles: at least
# 8.0%); in German, French, Dutch, Spanish and Italian news paragraphs, 2% or less.
_FUNCTION_WORDS = frozenset("the of and to that for with are by it this from have has which "
                            "were would their been".split())
ENGLISH_SHARE, THE_SHARE, ENGLISH_WORDS = 0.06, 0.01, 40
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile("[\x00-\u024f\u1e00-\u1eff]")  # letters up to Latin Extended-B, and Latin
# Extended Additional

# Names of the languages a reader is likely to meet; others are given by their code.
_NAMES = {"ar": "Arabic", "de": "German", "el": "Greek", "es": "Spanish", "fa": "Persian",
          "fr": "French", "he": "Hebrew", "hi": "Hindi", "it": "Italian", "ja": "Japanese",
          "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
          "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "zh": "Chinese",
          "en": "English"}


def check_language(value: str) -> str:
    """``value`` if it is a known ``--language`` value (``en``, ``any``), else ValueError."""
    if value not in LANGUAGES:
        raise ValueError(f"language {value!r}: use one of {', '.join(LANGUAGES)}")
    return value


def _identifier() -> LanguageIdentifier:
    if not _IDENTIFIER:
        _IDENTIFIER.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _IDENTIFIER[0]


def detect(text: str) -> tuple[str, float]:
    """The language of ``text`` and the detector's confidence.

    Parameters
    ----------
    text : str

    Returns
    -------
    (code, confidence) : tuple of (str, float)
        An ISO 639-1 code (``"en"``, ``"ar"``) and a probability in [0, 1], rounded to 3
        decimals (the same bytes on every machine).

    Examples
    --------
    >>> detect("Die Regierung hat heute einen neuen Plan angekündigt.")[0]
    'de'
    """
    code, conf = _identifier().classify(text[:SAMPLE])
    return str(code), round(float(conf), 3)


def _prose(text: str) -> str:
    """``text`` without URLs, scripts and styles, HTML tags and entities."""
    return _ENTITY.sub(" ", _TAG.sub(" ", _CODE.sub(" ", _URL.sub(" ", text))))


def _plainly_english(prose: str) -> bool:
    """At least :data:`ENGLISH_WORDS` words, of which at least :data:`ENGLISH_SHARE` are among
    :data:`_FUNCTION_WORDS` and :data:`THE_SHARE` are "the": English without asking the
    detector. The article is required because English-based creoles share the other words
    (Nigerian Pidgin: "di leader of di Indigenous people", which the detector names)."""
    words = _WORD.findall(prose.lower())
    return (len(words) >= ENGLISH_WORDS
            and words.count("the") >= THE_SHARE * len(words)
            and sum(w in _FUNCTION_WORDS for w in words) >= ENGLISH_SHARE * len(words))


def _name(code: str) -> str:
    return f"{_NAMES[code]} ({code})" if code in _NAMES else repr(code)


def screen(text: str) -> tuple[str, str, str]:
    """Whether the measures can read ``text``, and the language found.

    Parameters
    ----------
    text : str
        The article's text, decoded.

    Returns
    -------
    (kind, message, code) : tuple of str
        ``kind`` is ``""`` (English prose, or too short to tell), ``not_prose`` or
        ``language``; ``message`` says why; ``code`` is the language found (``""`` for text
        that is not prose).
    """
    sample = text[:SAMPLE]
    prose = _prose(sample)
    letters = "".join(filter(str.isalpha, prose))
    if not letters:
        return "not_prose", ("no prose: only URLs, HTML tags or entities, digits and "
                             "punctuation"), ""
    n_tags = len(_TAG.findall(sample))
    share = len(letters) / max(1, len(sample) - sum(map(str.isspace, sample)))
    if n_tags >= HTML_TAGS and share < PROSE_SHARE:
        return "not_prose", (f"HTML markup without prose ({n_tags:,} tags; letters outside "
                             f"them are {share:.0%} of the text): give the article's text"), ""
    latin = len(_LATIN.findall(letters))
    if latin >= len(letters) / 2 and _plainly_english(prose):
        return "", "", "en"
    code, conf = detect(prose)
    if latin < len(letters) / 2:
        code = code if code != "en" else "und"
        return "language", (f"not English: mostly letters of another script than Latin "
                            f"(language found: {_name(code)}, confidence {conf:.3f}); the "
                            "measures read English only"), code
    if code != "en" and conf >= MIN_CONFIDENCE and len(letters) >= MIN_LETTERS:
        return "language", (f"not English: the text is in {_name(code)} (confidence "
                            f"{conf:.3f}); the measures read English only"), code
    return "", "", code


def keep_article(row: dict, where: str, col, language: str) -> bool:
    """Screen one loaded article; report it and return False when it is left out.

    Parameters
    ----------
    row : dict
        The article (``article_id``, ``text``, metadata); with ``language="any"`` the
        language found is added to it (column :data:`COLUMN`, or ``detected_language`` when
        the input has a ``language`` column of its own).
    where : str
        Where the article is (``file.txt``, ``file.jsonl:LINE``), for the problem.
    col : ProblemCollector
        Receives a ``language`` or ``not_prose`` problem for an article left out.
    language : str
        ``"en"``: leave out what is not English prose; ``"any"``: keep every article.

    Returns
    -------
    bool
    """
    kind, message, code = screen(row["text"])
    if language == "any":
        row[COLUMN if COLUMN not in row else "detected_language"] = code or kind
        return True
    if kind:
        col.add(where, row["article_id"], kind, f"{message}; left out (--language any keeps it)")
        return False
    return True
