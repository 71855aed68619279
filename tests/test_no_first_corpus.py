"""Nothing of the first corpus in the package: the names of the five bundled articles' sides,
places, people, operations and region-specific terms live in their study (data/), never in
``analysis/`` (code, docstrings, lexicons, rules)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "analysis"

# Named in the five articles and not in their study files' words (people, groups, places).
NAMED_IN_ARTICLES = ["Rawalpindi", "Karachi", "Quetta", "Kabul", "Afghanistan", "Afghan",
                     "Taliban", "Tehreek", "Majeed Brigade", "Jaffar Express",
                     "Balochistan Liberation Army", "Kugelman", "Imran Khan", "Zarb-e-Azb",
                     "Abbey Gate", "U.S.", "Ishaq Dar"]


# General words the bundled study also lists (its frame additions and the United States' words),
# which general lexicons rightly hold: "operation", a designation, the White House as a source's
# role, "Americans" in public opinion. Names of the five articles' people, places, groups and
# operations are still searched for.
GENERAL = {"operation", "operational", "designation", "designate", "designated", "america",
           "american", "americans", "washington", "white house", "pentagon", "state department", "isis"}
# Learned weights are data fitted to outside rated text (their vocabulary is that text's, and
# their provenance is in the file), not words written for a study.
LEARNED = {"tone_learned.yml"}


def _first_corpus_names() -> set[str]:
    study = yaml.safe_load((ROOT / "data" / "study.yml").read_text(encoding="utf-8"))
    names = set(NAMED_IN_ARTICLES)
    for actor in study["actors"].values():
        names.update(actor["words"])
    names.update(study.get("aliases", {}).values())
    frames = yaml.safe_load((ROOT / "data" / "study_frames.yml").read_text(encoding="utf-8"))

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)
        elif isinstance(node, str):
            yield node

    names.update(walk(frames))
    with open(ROOT / "data" / "sources.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["affiliation"] in study["actors"]:  # the sides' people and bodies
                names.add(row["name"])
                canonical = set(study.get("aliases", {}).values())
                surname = row["name"].split()[-1]
                if row["name"] not in canonical and len(surname) > 3:  # a person's surname
                    names.add(surname)
    # Short words ("us", "usa") are ordinary words or too ambiguous to search for.
    return {n for n in names if (len(n.replace(".", "")) > 3 or "." in n)
            and n.lower() not in GENERAL}


def _pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w.])" + re.escape(name).replace(r"\ ", r"\s+") + r"(?![\w])",
                      re.IGNORECASE)


def test_the_name_list_is_not_empty():
    names = _first_corpus_names()
    assert {"pakistan", "islamabad", "Marco Rubio", "Zarb-e-Azb"} <= names
    assert len(names) > 40


@pytest.mark.slow
def test_no_name_of_the_first_corpus_in_the_package():
    patterns = {n: _pattern(n) for n in sorted(_first_corpus_names())}
    found = []
    for path in sorted(PKG.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.name in LEARNED:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for name, pat in patterns.items():
            for m in pat.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {m.group(0)!r}")
    assert not found, "names of the five articles in analysis/:\n" + "\n".join(found)


def test_the_pattern_finds_what_it_should():
    assert _pattern("U.S.").search("the U.S. said")
    assert not _pattern("U.S.").search("focus.")
    assert _pattern("state department").search("the State\nDepartment")
    assert not _pattern("Dar").search("Darfur")
