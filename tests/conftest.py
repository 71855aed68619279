"""Fixtures written by the project itself: a tiny scraped-looking corpus and its features."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ARTICLES = {
    "alpha.txt": (
        "HomeWorldTalks Resume in Islamabad\n"
        "Talks Resume in Islamabad\n"
        "August 14, 2025\n"
        "— Categories: Defence & Security\n"
        "Officials from Pakistan and the United States met in Islamabad on Tuesday. "
        "The talks were co-chaired by Gregory D. LoGerfo of the U.S. State Department. "
        "Dr. Amina Shah, an analyst, said the dialogue was a breakthrough for regional security.\n"
        "Building Institutional Strength\n"
        "Both delegations stressed the need to counter emerging technologies such as drones. "
        "However, the challenge remains significant and the outcome is uncertain.\n"
        "Read: Another Story About Something Else\n"
        "Follow us on Instagram, YouTube, Facebook, X and TikTok for latest updates\n"
    ),
    "beta.txt": (
        "Economic Ties Grow\n\n"
        "Trade and investment between the two countries rose in 2024, with new energy deals "
        "worth Â£2 billion.\n\n"
        "The minister said that growth could strengthen the partnership, although risks remain.\n\n"
        "Since 2001, cooperation has had a long-standing history of strain and mistrust.\n\n"
        "Disclaimer: The views expressed are the author's own.\n"
    ),
    "gamma.txt": (
        "Militants attacked a checkpoint, killing three soldiers and two civilians. "
        "According to the interior ministry, the attackers used commercial drones. "
        "\u201cWe will not be intimidated,\u201d the minister said.\n"
    ),
}

METADATA = (
    "article_id,file,title,outlet,date,genre,url\n"
    "t-alpha,alpha.txt,Talks Resume in Islamabad,Fixture Times,2025-08-14,news report,\n"
    "t-beta,beta.txt,Economic Ties Grow,,,analysis,\n"
    "t-gamma,gamma.txt,,,,news report,\n"
)


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "metadata.csv").write_text(METADATA, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env, timeout=600)


@pytest.fixture(scope="session")
def tiny_processed(tmp_path_factory) -> Path:
    """features.csv (+ evidence, audit, tables) for the tiny corpus, built once per session
    with the bundled study (the tiny corpus is about the same talks)."""
    base = tmp_path_factory.mktemp("tiny")
    corpus = write_corpus(base / "corpus")
    out = base / "processed"
    res = run_cli("features", str(corpus), "-o", str(out / "features.csv"), "--study",
                  str(ROOT / "data" / "study.yml"))
    assert res.returncode == 0, res.stderr
    return out


def write_tone_sources(folder: Path) -> Path:
    """The learned tone's other training files (NewsMTSC, VADER's snippets), written here in
    their layout with sentences of our own: the tone validation cross-validates on them."""
    import json

    good = ["a fine and lovely day", "they did great work", "what a happy ending",
            "the team won a fair vote", "a kind and generous gift", "the plan is good"]
    bad = ["a sad and awful loss", "they did poor work", "what a terrible ending",
           "the team lost an unfair vote", "a cruel and nasty act", "the plan is bad"]
    recs = [{"primary_gid": f"x_{i}_{i}_0", "sentence_normalized": f"Smith said {t}.",
             "targets": [{"polarity": p}]}
            for i, (t, p) in enumerate([(g, 6.0) for g in good] + [(b, 2.0) for b in bad])]
    (folder / "newsmtsc_train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    (folder / "vader_ratings").mkdir(exist_ok=True)
    for name in ("movieReviewSnippets", "amazonReviewSnippets", "tweets"):
        rows = [f"{i}\t{3.0 if i % 2 else -3.0}\t{(good if i % 2 else bad)[i % 6]} indeed"
                for i in range(12)]
        (folder / "vader_ratings" / f"{name}_GroundTruth.txt").write_text("\n".join(rows))
    return folder
