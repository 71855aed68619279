"""Reading a model file's YAML nodes with their lines: the checks of :mod:`.model`."""

from __future__ import annotations

import math

import yaml

__all__ = ["Reader"]


def _line(node) -> int:
    return node.start_mark.line + 1


class Reader:
    """Typed reads of YAML nodes; a problem raises ``error(source, line, problem)``."""

    def __init__(self, source: str, error):
        self.source, self.error = source, error

    def fail(self, node, problem: str):
        return self.error(self.source, _line(node) if node is not None else None, problem)

    def mapping(self, node, what: str, allowed: tuple[str, ...] | None = None) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        out: dict = {}
        for k, v in node.value:
            key = self.text(k, f"a key of {what}")
            if key in out:
                raise self.fail(k, f"{what}: {key!r} appears twice")
            if allowed is not None and key not in allowed:
                raise self.fail(k, f"{what}: unknown key {key!r} (one of: {', '.join(allowed)})")
            out[key] = (k, v)
        return out

    def text(self, node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null" \
                or not str(node.value).strip():
            raise self.fail(node, f"{what} must be non-empty text")
        return str(node.value).strip()

    def choice(self, node, what: str, valid) -> str:
        value = self.text(node, what)
        if value not in valid:
            raise self.fail(node, f"{what} {value!r}: one of {', '.join(map(str, valid))}")
        return value

    def number(self, node, what: str) -> float:
        value = self.text(node, what)
        try:
            x = float(value)
        except ValueError:
            raise self.fail(node, f"{what} must be a number, got {value!r}") from None
        if not math.isfinite(x):
            raise self.fail(node, f"{what} must be a finite number, got {value!r}")
        return x

    def integer(self, node, what: str, lo: int, hi: int) -> int:
        x = self.number(node, what)
        if x != int(x) or not lo <= x <= hi:
            raise self.fail(node, f"{what} must be a whole number from {lo} to {hi}")
        return int(x)

    def weights(self, node, what: str) -> dict[str, float]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return {}
        return {k: self.number(v, f"{what} {k!r}")
                for k, (_kn, v) in self.mapping(node, what).items()}
