"""The public API: every name of ``analysis.__all__`` resolves, and importing the package stays
light (the heavy libraries load only when a name that needs them is used)."""

import subprocess
import sys

import analysis


def test_every_public_name_resolves_to_its_module():
    for name in analysis.__all__:
        obj = getattr(analysis, name)
        assert obj is not None
        if name != "__version__":
            assert obj.__module__.startswith("analysis."), name
    assert analysis.build_features is __import__("analysis.features").features.build_features


def test_unknown_name_is_an_attribute_error():
    try:
        analysis.no_such_function  # noqa: B018
    except AttributeError as err:
        assert "no_such_function" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_heavy_libraries():
    code = ("import sys, analysis; heavy = [m for m in ('spacy', 'sklearn', 'matplotlib', "
            "'pandas') if m in sys.modules]; print(','.join(heavy))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""
