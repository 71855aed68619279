"""Content hashes of a run's inputs: what decides whether the features are current.

``make`` keeps ``$(PROCESSED)/.make-inputs``, rewritten only when :func:`inputs_sha256`
changes (``python -m analysis study FILE --inputs-hash CORPUS``), and the features depend on
it. File times cannot tell: a registry or dictionary outside the study's folder, a file deleted
from a folder corpus, a corpus replaced by an older-dated copy (``cp -p``, unzip) or an edit
that keeps the time all leave every time stamp older than the tables.

Light on purpose (make runs it each time it reads the Makefile): hashlib, the study reader and
PyYAML only, no pandas. Hashing the 4 MB corpus of 840 articles takes a few milliseconds.

``status`` can compare a set with its inputs the same way (:func:`stale_inputs`):
:func:`corpus_sha256` of the corpus the manifest names with its ``corpus_sha256`` (when the
features run records one), and ``load_study(study).sha256`` with its ``study_sha256`` (the
study's hash covers its topic-term file, dictionaries and registry, wherever they live).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml

from .study import NO_STUDY, StudyError, load_study
from .safe_yaml import compose_yaml

__all__ = ["corpus_sha256", "study_files", "study_sha256", "inputs_sha256", "stale_inputs"]

_CHUNK = 1 << 20


def _feed_file(digest, path: Path) -> None:
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)


def corpus_sha256(corpus: str | Path) -> str:
    """SHA-256 of a corpus' content: a file's bytes; a folder's sorted entries.

    For a folder, each entry directly in it (what the folder reader looks at) adds its name, its
    kind and, for a file, its size and bytes: an added, deleted, renamed or edited file changes
    the hash, its time stamp does not.

    Parameters
    ----------
    corpus : str or Path
        A corpus file or folder.

    Returns
    -------
    str
        64 hex digits; ``"missing"`` when there is no such file or folder.

    Examples
    --------
    >>> corpus_sha256("/no/such/corpus")
    'missing'
    """
    p = Path(corpus)
    digest = hashlib.sha256()
    if p.is_dir():
        for entry in sorted(os.scandir(p), key=lambda e: e.name):
            path = Path(entry.path)
            name = entry.name.encode("utf-8", "surrogateescape")
            if path.is_file():  # follows links, as the reader does
                digest.update(b"F\0" + name + b"\0%d\0" % path.stat().st_size)
                _feed_file(digest, path)
            else:
                digest.update(b"D\0" + name + b"\0" if path.is_dir() else b"O\0" + name + b"\0")
        return digest.hexdigest()
    if p.is_file():
        _feed_file(digest, p)
        return digest.hexdigest()
    return "missing"


def study_files(study: str | Path | None) -> list[Path]:
    """Every file a study reads: itself, its topic-term file, dictionaries, models and registry.

    Parameters
    ----------
    study : str, Path or None
        The study file; None, ``""`` or ``"none"``: no study.

    Returns
    -------
    list of Path
        In the order the study names them (none for no study).

    Raises
    ------
    StudyError
        The study cannot be read.
    """
    if study is None or str(study).strip().lower() in NO_STUDY:
        return []
    path = Path(study)
    s = load_study(path)
    files = [path]
    # The study keeps the topic terms, not the file they came from: find its name again.
    root = compose_yaml(path.read_bytes().decode("utf-8-sig"), str(path), StudyError)
    if isinstance(root, yaml.MappingNode):
        for knode, vnode in root.value:
            if knode.value == "topic_terms" and isinstance(vnode, yaml.ScalarNode):
                terms = Path(vnode.value)
                files.append(terms if terms.is_absolute() else path.parent / terms)
    files += [Path(d) for d in s.dictionaries]
    files += [Path(m) for m in s.measures]
    if s.registry:
        files.append(Path(s.registry))
    return files


def study_sha256(study: str | Path | None) -> str:
    """SHA-256 of a study and every file it names; of its bytes alone when it cannot be read.

    An unreadable study still gets a hash of its content, so a change to it still reruns the
    features, which then report the problem.
    """
    if study is None or str(study).strip().lower() in NO_STUDY:
        return "none"
    try:
        return load_study(study).sha256
    except (StudyError, OSError):
        digest = hashlib.sha256(b"unreadable\0")
        if Path(study).is_file():
            _feed_file(digest, Path(study))
        return digest.hexdigest()


def inputs_sha256(corpus: str | Path, study: str | Path | None) -> str:
    """One SHA-256 of everything a features run reads: the corpus and the study's files.

    Examples
    --------
    >>> inputs_sha256("/no/such/corpus", "none") == inputs_sha256("/no/such/corpus", "")
    True
    """
    text = f"corpus {corpus_sha256(corpus)}\nstudy {study_sha256(study)}\n"
    return hashlib.sha256(text.encode()).hexdigest()


def stale_inputs(parameters: dict) -> list[str]:
    """What changed since a features run, by the hashes its manifest records.

    Parameters
    ----------
    parameters : dict
        The ``parameters`` of a features manifest: ``corpus`` with ``corpus_sha256`` (compared
        when recorded), ``study`` with ``study_sha256``. Paths as recorded, read from the
        current folder (the project root, where make runs).

    Returns
    -------
    list of str
        One phrase per input whose content differs now (empty: the set is current), e.g.
        ``"the corpus data/raw changed"``.

    Examples
    --------
    >>> stale_inputs({"corpus": "data/raw", "study": None, "study_sha256": None})
    []
    >>> stale_inputs({"corpus": "/no/such", "corpus_sha256": "0" * 64})
    ['the corpus /no/such changed']
    """
    out = []
    corpus, recorded = parameters.get("corpus"), parameters.get("corpus_sha256")
    if corpus and recorded and corpus_sha256(corpus) != recorded:
        out.append(f"the corpus {corpus} changed")
    study, recorded = parameters.get("study"), parameters.get("study_sha256")
    if study and recorded:
        try:
            now = load_study(study).sha256
        except (StudyError, OSError):
            now = ""
        if now != recorded:
            out.append(f"the study {study} or a file it names (topic terms, frame additions, "
                       "registry) changed")
    return out
