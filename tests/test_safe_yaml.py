"""libyaml's fast path of compose_yaml gives the pure loader's tree, and its errors stay the
pure loader's."""

from __future__ import annotations

import pytest
import yaml

from analysis.lexicon import package_text
from analysis.measures.learned.model import ModelError, parse_model
from analysis.measures.tone.learned import MODEL_FILE
from analysis.safe_yaml import compose_yaml


def _err(source, line, problem):
    return ValueError(f"{source}:{line}: {problem}")


def _shape(node):
    """Everything of a node tree a reader of it can see."""
    if node is None:
        return None
    mark = (node.start_mark.line, node.start_mark.column, node.end_mark.line)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.style, mark)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_shape(n) for n in node.value], mark)
    return (node.tag, [(_shape(k), _shape(v)) for k, v in node.value], mark)


TEXTS = [
    package_text(MODEL_FILE)[0],
    "a: 1\nb: [x, 'y', \"z\"]\nc:\n  - {d: 2.5, e: null}\n  - |\n    block\n    text\n",
    "# only a comment\n",
    "key: 'caf\u00e9'\n",
]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("text", TEXTS, ids=["shipped model", "mixed", "comment", "accent"])
def test_the_fast_path_composes_the_same_tree(text):
    assert _shape(compose_yaml(text, "x.yml", _err, fast=True)) == \
        _shape(compose_yaml(text, "x.yml", _err))


@pytest.mark.parametrize("text, line", [
    ("a: &x [1, 2]\nb: *x\n", 2),  # an alias: refused at its line, as without the fast path
    ("a: [1, 2\nb: 3\n", 2),  # syntax
])
def test_the_fast_path_keeps_the_pure_loaders_errors(text, line):
    with pytest.raises(ValueError) as fast:
        compose_yaml(text, "x.yml", _err, fast=True)
    with pytest.raises(ValueError) as pure:
        compose_yaml(text, "x.yml", _err)
    assert str(fast.value) == str(pure.value)
    assert str(fast.value).startswith(f"x.yml:{line}:")


def test_a_model_with_an_alias_is_still_refused():
    text = package_text(MODEL_FILE)[0].replace("kind: rating", "kind: &k rating", 1) + \
        "extra: *k\n"
    with pytest.raises(ModelError, match="alias"):
        parse_model(text, "model.yml")
