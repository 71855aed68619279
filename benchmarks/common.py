"""Shared by the benchmarks: the machine description, the real corpora and the synthetic one.

Real text first. When ``../shared/`` (beside the checkout) holds them, the benchmarks run on the
BBC dev texts (``validation/bbc_dev.csv``, 1,891 articles, as given: with their mojibake) and the
2016 US-politics corpus (``corpora/us-politics-2016.jsonl``, 840 articles), read in place with
the project's own ``load_corpus`` (never copied into the repo). Without ``../shared/`` they say
so and run on the synthetic corpus only.

The synthetic corpus (:func:`synthetic_corpus`) is made from sentence templates: the body
sentences of the five articles in ``data/raw`` (headings dropped), parsed by the project. Each
synthetic article draws templates with a seeded generator until it has about ``words`` words,
in paragraphs of three sentences. With ``vocabulary="zipf"`` (the default) every content word
of a template (a noun, proper noun, verb, adjective or adverb, but never a speech verb such as
"said") is kept with probability 1/2 and otherwise replaced by a word of the same part of speech
drawn from a Zipf distribution (exponent 1.15) over the English word lists of spaCy's lemmatizer
(55,000 nouns, 8,400 verbs, 18,000 adjectives, 3,600 adverbs, in a fixed random order), inflected
by the template word's tag (plural, past, -ing, third person) with simple spelling rules. Its
vocabulary then grows with the corpus as real news does: about 5,600 distinct words in 100
articles, 13,800 in 400 and 25,600 in 1,000 (BBC dev: 7,000, 14,900, 23,400). The templates
and word lists are made in a separate process, so the process that is timed has seen none of
their words.

What the synthetic corpus still over- or understates, measured against the real corpora:

* quotations and speech verbs: the five articles' sentences are less quote-heavy than BBC news
  (31% of sentences are candidates for the deep parse of the sources scorer, against 54% in the
  BBC dev texts), so the sources stage, the costliest after the shared parse, is cheaper on
  synthetic text: it overstates speed;
* lexicon hits: half the content words are random dictionary words, which seldom match the tone
  and emphasis lexicons: fewer matches, less evidence, slightly cheaper scoring (overstates);
* sentence shape: the templates' lengths and syntax are those of five articles; the replaced
  words make odd but well-formed token sequences for the tagger (neutral for speed: the
  networks cost the same per token);
* no mojibake, no boilerplate: cleaning is cheaper than on scraped text (overstates).

``vocabulary="pool"`` is the previous corpus: the templates verbatim, 1,300 distinct words
however many articles are drawn, so spaCy's tokenizer, lemmatizer and the emphasis matcher see
only words they have seen before (it overstated speed on real text by about 1.3x).
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread per process, as `make` and dask workers run: a "core" means one core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout even without the editable install


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line: cores, CPU model, memory, Python, OS, and the load average (other work)."""
    import psutil

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = psutil.virtual_memory().total / 2**30
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {cores} cores ({os.cpu_count()} logical), {cpu_model()}, {mem:.0f} GiB RAM,"
            f" Python {platform.python_version()}, {platform.system()} {platform.release()};"
            f" load average {load}")


def load_now() -> str:
    return "load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class SentencePool:
    """Sentence templates of ``data/raw`` and the word lists that fill them (plain values)."""

    sentences: list  # per sentence: [(text, whitespace, slot or None, tag), ...]
    words: dict  # slot ("noun", "verb", "adj", "adv") -> words, in a fixed random order

    def __len__(self) -> int:
        return len(self.sentences)


_SLOTS = {"NOUN": "noun", "PROPN": "noun", "VERB": "verb", "ADJ": "adj", "ADV": "adv"}
ZIPF_EXPONENT = 1.15  # with KEEP_SHARE: a vocabulary that grows as the BBC texts' does
KEEP_SHARE = 0.5  # share of a template's content words kept as they are


def _build_pool() -> SentencePool:
    """Runs in a child process: parse data/raw, return templates and word lists."""
    from analysis.measures.sources import speech_cues
    from analysis.config import RAW_DIR
    from analysis.corpus import load_corpus
    from analysis.text import get_nlp, parse_articles

    df = load_corpus(RAW_DIR, problems=[])
    cues = speech_cues()
    sentences = []
    for art in parse_articles(zip(df["article_id"], df["text"])):
        for s in art.sentences:
            if s.is_heading or s.n_words < 4:
                continue
            span = art.span(s)
            sentences.append([
                (t.text, t.whitespace_ if j < len(span) - 1 else "",
                 _SLOTS.get(t.pos_) if t.is_alpha and t.lemma_.lower() not in cues else None,
                 t.tag_ + ("/PROPN" if t.pos_ == "PROPN" else ""))
                for j, t in enumerate(span)])
    if not sentences:
        raise SystemExit(f"no sentences in {RAW_DIR}: the benchmarks need the five articles")
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words = {}
    for slot in ("noun", "verb", "adj", "adv"):
        ws = sorted({w for w in table.get(slot, []) if w.isalpha() and w.islower()
                     and len(w) >= 3})
        order = np.random.default_rng(12345).permutation(len(ws))
        words[slot] = [ws[i] for i in order]
    return SentencePool(sentences, words)


def sentence_pool() -> SentencePool:
    """The templates and word lists, made in a fresh process (spawn): parsing ``data/raw`` here
    would leave its words in this process's spaCy caches and flatter every timing after it."""
    return in_fresh_process(_build_pool)


def _plural(w: str) -> str:
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if w.endswith("y") and w[-2:-1] not in ("a", "e", "i", "o", "u"):
        return w[:-1] + "ies"
    return w + "s"


def _past(w: str) -> str:
    if w.endswith("e"):
        return w + "d"
    if w.endswith("y") and w[-2:-1] not in ("a", "e", "i", "o", "u"):
        return w[:-1] + "ied"
    return w + "ed"


def _gerund(w: str) -> str:
    return (w[:-1] if w.endswith("e") and not w.endswith("ee") else w) + "ing"


_INFLECT = {"NNS": _plural, "NNPS": _plural, "VBZ": _plural, "VBD": _past, "VBN": _past,
            "VBG": _gerund}


def synthetic_corpus(n_articles: int, *, words: int = 400, seed: int = 0,
                     pool: SentencePool | None = None, vocabulary: str = "zipf") -> pd.DataFrame:
    """``n_articles`` articles of about ``words`` words each (article_id, text); see the module
    docstring for ``vocabulary`` ("zipf": realistic vocabulary; "pool": the templates
    verbatim)."""
    if vocabulary not in ("zipf", "pool"):
        raise ValueError(f"vocabulary must be 'zipf' or 'pool', not {vocabulary!r}")
    pool = pool if pool is not None else sentence_pool()
    sents = pool.sentences
    lengths = [sum(1 for t in s if any(c.isalnum() for c in t[0])) for s in sents]
    cdfs = {}
    for slot, ws in pool.words.items():
        w = 1.0 / np.arange(1, len(ws) + 1) ** ZIPF_EXPONENT
        cdfs[slot] = np.cumsum(w) / w.sum()
    rng = np.random.default_rng(seed)
    ids, texts = [], []
    for i in range(n_articles):
        out, total = [], 0
        while total < words:
            k = int(rng.integers(len(sents)))
            total += lengths[k]
            toks = sents[k]
            if vocabulary == "pool":
                out.append("".join(t + ws for t, ws, _, _ in toks))
                continue
            keep, pick = rng.random(len(toks)), rng.random(len(toks))
            parts = []
            for j, (text, ws, slot, tag) in enumerate(toks):
                if slot is not None and keep[j] >= KEEP_SHARE:
                    cands = pool.words[slot]
                    word = cands[min(int(np.searchsorted(cdfs[slot], pick[j])), len(cands) - 1)]
                    inflect = _INFLECT.get(tag.split("/")[0])
                    word = inflect(word) if inflect else word
                    if text.isupper() and len(text) > 1:
                        word = word.upper()
                    elif text[:1].isupper() or tag.endswith("/PROPN"):
                        word = word.capitalize()
                    text = word
                parts.append(text + ws)
            out.append("".join(parts))
        ids.append(f"syn{i:07d}")
        texts.append("\n\n".join(" ".join(out[j:j + 3]) for j in range(0, len(out), 3)) + "\n")
    return pd.DataFrame({"article_id": ids, "text": texts})


# --------------------------------------------------------------------------- real corpora

SHARED_DIR = Path(os.environ.get("ANALYSIS_SHARED_DIR", ROOT.parent / "shared"))
REAL_CORPORA = {  # name -> path under ../shared (read in place, never copied)
    "bbc_dev": "validation/bbc_dev.csv",
    "us-politics-2016": "corpora/us-politics-2016.jsonl",
}


def real_corpora(shared: Path = SHARED_DIR) -> dict[str, Path]:
    """The real corpora present under ``shared`` (name -> path), in REAL_CORPORA order."""
    return {k: shared / v for k, v in REAL_CORPORA.items() if (shared / v).is_file()}


def no_real_text_note(shared: Path = SHARED_DIR) -> str:
    return (f"no real text: {shared} does not hold {', '.join(REAL_CORPORA.values())}; "
            "running on the synthetic corpus only (its figures overstate real-text speed)")


def load_real(path: Path, n: int | None = None, seed: int = 0) -> pd.DataFrame:
    """A real corpus as the CLI reads it (``load_corpus``: article IDs, metadata columns);
    with ``n``, a seeded sample of ``n`` articles in article_id order."""
    from analysis.corpus import load_corpus

    df = load_corpus(path, problems=[])
    if n is not None and n < len(df):
        rows = np.sort(np.random.default_rng(seed).choice(len(df), size=n, replace=False))
        df = df.iloc[rows].reset_index(drop=True)
    return df


def distinct_words(df: pd.DataFrame) -> int:
    """Distinct word forms (``\\w+``, case kept) in the texts: how fast the vocabulary grows."""
    import re

    seen: set[str] = set()
    for text in df["text"]:
        seen.update(re.findall(r"\w+", text))
    return len(seen)


def write_parquet(df: pd.DataFrame, path: Path, row_group_size: int = 500) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False, row_group_size=row_group_size)
    return path


def words_of(df: pd.DataFrame) -> int:
    return int(df["text"].str.split().str.len().sum())


class Timer:
    """Wall and CPU seconds of a ``with`` block (CPU: this process, all its threads)."""

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0
        return False


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def in_fresh_process(fn, *args):
    """``fn(*args)`` in a new Python process (spawn), returning its result: each measurement
    starts with cold caches, as a CLI run does, whatever ran in this process before."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()
