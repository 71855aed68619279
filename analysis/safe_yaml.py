"""Composing YAML safely, with line numbers: the one YAML reader of dictionaries and studies.

PyYAML's safe loader, stopping at the first alias (``*name``, merge keys ``<<: *name``): an
alias repeats a whole subtree, so a few hundred bytes of nested aliases stand for billions of
nodes. Files are composed to a node tree (not loaded to Python objects) so every value keeps
its line for error messages.
"""

from __future__ import annotations

from typing import Callable

import yaml

__all__ = ["compose_yaml"]


class _AliasFound(Exception):
    def __init__(self, event):
        super().__init__(event.anchor)
        self.event = event


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stopping at the first alias."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event())
        return super().compose_node(parent, index)


_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, when PyYAML was built with it


def _fast_tree(text: str):
    """The node tree libyaml composes, the same as the pure loader's (plain scalars' style set
    to None, as the pure loader gives it); None when PyYAML lacks libyaml, libyaml fails, or
    the tree shares a node (an alias): the pure loader then composes the text or says why."""
    if _CLoader is None or any(c in text for c in "\x85\u2028\u2029"):  # line breaks to the
        return None  # pure loader only
    loader = _CLoader(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    seen: set[int] = set()
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            node.style = node.style or None
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        else:
            todo.extend(n for pair in node.value for n in pair)
    return root


def compose_yaml(text: str, source: str, error: Callable[[str, int | None, str], Exception],
                 what: str = "patterns", fast: bool = False):
    """The YAML node tree of ``text`` (None for an empty document).

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        File name used in error messages.
    error : callable
        ``error(source, line, problem)`` builds the exception raised for an alias, a syntax
        error or nesting deeper than Python's recursion limit.
    what : str
        What an alias would repeat, for its message ("patterns", "settings").
    fast : bool, default False
        Compose with libyaml (C) first, six times faster (a learned model of 226 KB: 0.11 s
        against 0.65 s); the pure loader composes what libyaml does not, so errors and their
        lines are the pure loader's. For files the tool writes (learned models), whose trees
        are checked to be the same both ways (``tests/test_safe_yaml.py``).

    Returns
    -------
    yaml.Node or None

    Examples
    --------
    >>> from analysis.errors import LexiconError
    >>> def err(source, line, problem):
    ...     return LexiconError(f"{source}, line {line}: {problem}")
    >>> compose_yaml("a: [1, 2]", "x.yml", err).value[0][0].value
    'a'
    """
    if fast and text.strip():
        root = _fast_tree(text)
        if root is not None:
            return root
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_node()
    except _AliasFound as found:
        raise error(source, found.event.start_mark.line + 1,
                    f"YAML alias *{found.event.anchor}: aliases are not allowed (each one "
                    f"repeats a whole subtree, so a small file can stand for billions of "
                    f"{what}); write the {what} out") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise error(source, mark.line + 1 if mark else None,
                    f"YAML syntax: {err.problem or err.context}") from None
    except RecursionError:
        raise error(source, None, "YAML nested too deeply") from None
    finally:
        loader.dispose()
