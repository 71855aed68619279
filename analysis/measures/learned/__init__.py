"""Learned measures: a researcher codes a sample, the tool learns a frame or a tone from it.

``model.py`` (the model file: a weighted dictionary in YAML, its reader, checker and writer),
``numeric.py`` (named numeric features a model may use besides terms), ``featurise.py``
(terms, phrases and negation from the shared parse, the same for learning and applying),
``apply.py`` (the scorer: value, sentence-bootstrap interval, evidence), ``train.py``
(learning with scikit-learn, cross-validated), ``sample.py`` (what to code next),
``agreement.py`` (Krippendorff's alpha between coders and the model).

The measure ``learned`` is registered here. Its models come from the study (``measures:``, a
list of model files) or, on the command line, ``features --measure MODEL.yml``, which adds
them to the study: the study travels to every worker process, so a model given by path is
scored there too. Without a model the measure writes no column.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..registry import Column, Measure, MeasureError, register
from .apply import LearnedScorer, predict
from .model import LearnedModel, ModelError, dump_model, load_model, parse_model

__all__ = ["LearnedScorer", "LearnedModel", "ModelError", "dump_model", "load_model",
           "parse_model", "predict", "make_scorer", "with_measures", "MEASURE"]


def with_measures(study, paths, groups=None):
    """The study with more model files (``--measure``), every model read and checked now.

    Parameters
    ----------
    study : Study
    paths : sequence of str
        Model files, added after the study's own ``measures`` (absolute, so that worker
        processes find them whatever their folder).
    groups : sequence of str, optional
        The feature groups of the run: models need ``learned`` among them.

    Raises
    ------
    ModelError
        A model file that cannot be read, or two models making one column.
    MeasureError
        Models given while the feature group ``learned`` is left out.
    """
    added = tuple(str(Path(p).resolve()) for p in paths)
    out = replace(study, measures=tuple(study.measures) + added) if added else study
    if out.measures and groups is not None and "learned" not in groups:
        raise MeasureError("--measure needs the feature group 'learned' (add it to --groups)")
    LearnedScorer([load_model(p) for p in out.measures])  # every problem now, with its file
    return out


def make_scorer(study, **_) -> LearnedScorer:
    """The scorer of the study's models (``Study.measures``, paths of model files)."""
    return LearnedScorer([load_model(p) for p in getattr(study, "measures", ())])



MEASURE = register(Measure(
    name="learned", family="learned", scorer=make_scorer,
    description="learned measures: the models of --measure / the study's measures",
    columns=[Column("learned_<model>", "probability 0 to 1, or the predicted rating",
                    "a learned model's output (categories: one column per category)",
                    interval=True)],
    evidence=["learned_<model>"],
))
