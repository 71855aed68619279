"""environment.yml (conda users), pyproject.toml and requirements.lock carry the same pins."""

import re
import tomllib

import yaml

from analysis.config import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_pins() -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {}
    for d in deps:
        name, _, version = d.partition("==")
        assert version, f"pyproject dependency '{d}' is not pinned with =="
        pins[_norm(name)] = version
    return pins


def _environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(==|=)\s*([^\s=]+)$", item)
            if m and _norm(m.group(1)) not in ("python",):
                pins[_norm(m.group(1))] = m.group(3)
    return pins


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def test_environment_yml_mirrors_pyproject():
    assert _environment_pins() == _pyproject_pins()


def test_lock_contains_every_direct_pin_with_the_same_version():
    lock = _lock_pins()
    for name, version in _pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"


def test_lock_is_hashed():
    text = (ROOT / "requirements.lock").read_text()
    entries = re.findall(r"^[A-Za-z0-9_.\-]+==\S+((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
                         text, flags=re.M)
    assert entries and len(entries) == len(_lock_pins())


def test_environment_yml_python_matches():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
