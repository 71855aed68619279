"""The arguments of ``learn``, ``sample`` and ``agreement`` (light: no scikit-learn, no spaCy)."""

from __future__ import annotations

import argparse

from ..config import RANDOM_STATE

__all__ = ["add_learn", "add_sample", "add_agreement", "at_least"]


def at_least(minimum: int):
    """argparse type: a whole number >= ``minimum`` (a usage error otherwise)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        return value
    return parse


def add_learn(p: argparse.ArgumentParser) -> None:
    p.add_argument("coded", help="coded corpus: any corpus the CLI reads (.csv/.tsv/.jsonl/"
                   ".parquet or a folder) with a label column")
    p.add_argument("--label", required=True, metavar="COLUMN",
                   help="the label column: yes/no (0/1, true/false, yes/no), categories, or a "
                        "numeric rating; empty cells are uncoded rows, left out")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.yml",
                   help="the model file to write (YAML, a weighted dictionary)")
    p.add_argument("--name", default=None,
                   help="the measure's name, the column learned_<name> (default: the label "
                        "column's)")
    p.add_argument("--kind", choices=("binary", "categories", "rating"), default=None,
                   help="the label's kind (default: from its values); a label outside it "
                        "stops the run")
    p.add_argument("--unit", choices=("article", "sentence"), default="article",
                   help="article (default): a text is one item; sentence: applied to each "
                        "sentence, the article's value is the mean over its body sentences")
    p.add_argument("--group-by", default=None, metavar="COLUMN",
                   help="cross-validate with GroupKFold on this column (e.g. the article of "
                        "each coded sentence): items of one group never split across folds")
    p.add_argument("--numeric", action="append", default=[], metavar="NAME",
                   help="a named numeric feature besides the words (vader_compound, "
                        "log_words); repeatable")
    p.add_argument("--min-df", type=at_least(1), default=1, metavar="N",
                   help="leave out words and phrases in fewer than N coded items (default 1: "
                        "keep every one)")
    _random_state(p, "the folds and intervals")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def _random_state(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--random-state", type=at_least(0), default=RANDOM_STATE,
                   help=f"seed of {what} (default {RANDOM_STATE})")


def add_sample(p: argparse.ArgumentParser) -> None:
    p.add_argument("--n", type=at_least(1), required=True, help="articles to draw")
    p.add_argument("-o", "--output", required=True, metavar="FILE.csv",
                   help="the CSV to code (article_id, selection, title, text, label columns)")
    p.add_argument("--measure", default=None, metavar="MODEL.yml",
                   help="a learned model: half the articles it is least sure of, half random")
    p.add_argument("--by", default=None, metavar="COLUMNS",
                   help="comma-separated columns whose combinations are the strata (e.g. "
                        "outlet)")
    p.add_argument("--time", default=None, metavar="COLUMN",
                   help="a date column: its periods are strata too")
    p.add_argument("--period", choices=("W", "M", "Q", "Y"), default="M",
                   help="the period of --time (default M, month)")
    p.add_argument("--label", action="append", default=[], metavar="NAME",
                   help="an empty column to code (default 'label'); repeatable, e.g. one per "
                        "coder")
    _random_state(p, "the draw")


def add_agreement(p: argparse.ArgumentParser) -> None:
    p.add_argument("coded", help="coded corpus with one column per coder")
    p.add_argument("--coders", required=True, metavar="A,B[,C]",
                   help="the coders' columns, comma-separated")
    p.add_argument("--model-column", default=None, metavar="COLUMN",
                   help="a model's column (e.g. learned_economic), in CODED or --features: "
                        "the model against each coder")
    p.add_argument("--features", default=None, metavar="FILE",
                   help="features table holding --model-column, joined on article_id")
    p.add_argument("--level", choices=("nominal", "ordinal", "interval"), default=None,
                   help="level of measurement (default: from the labels)")
    p.add_argument("--n-resamples", type=at_least(100), default=1000,
                   help="bootstrap resamples of the items (default 1000)")
    _random_state(p, "the bootstrap")
    p.add_argument("-o", "--output", default=None, metavar="FILE.csv",
                   help="also write the table as CSV")


