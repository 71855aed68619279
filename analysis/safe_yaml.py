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


def compose_yaml(text: str, source: str, error: Callable[[str, int | None, str], Exception],
                 what: str = "patterns"):
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
