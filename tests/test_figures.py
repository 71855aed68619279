"""save_figure: byte-identical, one set of four files, umask modes, a provenance sidecar."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.figures import article_colors, article_labels, save_figure  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2], color=["#E69F00", "#56B4E9"])
    ax.set_xlabel("article")
    ax.set_ylabel("value (per 1,000 words)")
    return fig


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_two_saves_are_byte_identical(tmp_path):
    inp = tmp_path / "input.csv"
    inp.write_text("article_id,x\na,1\n")
    runs = []
    out = tmp_path / "figs"
    for _ in range(2):
        save_figure(_figure(), "fig99-test-figure", caption="A test.", notebook="99-test.ipynb",
                    parameters={"figures_dir": str(out)}, inputs=[inp], out_dir=out)
        runs.append(_hashes(out))
    assert runs[0] == runs[1]
    assert set(runs[0]) == {f"fig99-test-figure.{x}" for x in ("png", "pdf", "svg", "json")}


def test_stamps_are_stripped(tmp_path):
    save_figure(_figure(), "fig99-stamps", caption="x", out_dir=tmp_path)
    pdf = (tmp_path / "fig99-stamps.pdf").read_bytes()
    svg = (tmp_path / "fig99-stamps.svg").read_text()
    png = (tmp_path / "fig99-stamps.png").read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf
    assert "<dc:date>" not in svg
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_sidecar_has_provenance(tmp_path):
    inp = tmp_path / "features.csv"
    inp.write_text("article_id\na\n")
    side = save_figure(_figure(), "fig98-sidecar", caption="Caption with n = 2.",
                       notebook="01-tone.ipynb", parameters={"n_resamples": 2000},
                       inputs=[inp], out_dir=tmp_path)
    on_disk = json.loads((tmp_path / "fig98-sidecar.json").read_text())
    assert on_disk == side
    assert side["caption"] == "Caption with n = 2."
    assert side["notebook"] == "notebooks/01-tone.ipynb"
    assert side["parameters"] == {"n_resamples": 2000}
    assert side["inputs"] == {"features.csv": hashlib.sha256(inp.read_bytes()).hexdigest()}
    assert side["package_version"] and len(side["code_sha256"]) == 64
    assert all(len(v) == 12 for v in side["lexicon_versions"].values())
    assert "rules/boilerplate.tsv" in side["lexicon_versions"]


def test_no_temporary_files_left_and_failed_save_leaves_nothing(tmp_path):
    save_figure(_figure(), "fig97-clean", caption="x", out_dir=tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    fig = _figure()

    def boom(*a, **k):
        raise RuntimeError("interrupted")

    fig.savefig = boom
    with pytest.raises(RuntimeError):
        save_figure(fig, "fig96-broken", caption="x", out_dir=tmp_path)
    assert not list(tmp_path.glob("fig96-broken*")) and not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("bad", ["Fig01-x", "fig1-x", "fig01_x", "fig01-"])
def test_figure_ids_are_checked(tmp_path, bad):
    with pytest.raises(ValueError, match="figure_id"):
        save_figure(_figure(), bad, caption="x", out_dir=tmp_path)


def test_article_colours_are_stable_and_labels_short():
    ids = ["b", "a", "c"]
    assert article_colors(ids) == article_colors(sorted(ids))
    assert len(set(article_colors(ids).values())) == 3
    meta = pd.DataFrame({"article_id": ["a", "b"], "title": ["A very long title " * 5, ""],
                         "outlet": ["", ""], "date": ["2025-08-20", ""]})
    labels = article_labels(meta)
    assert labels["b"] == "b"
    assert labels["a"].startswith("a · A very long") and labels["a"].endswith("(2025-08-20)")
    assert len(labels["a"]) < 50


def _box_inches(folder, stem):
    """(width, height) in inches of the saved PNG, PDF page and SVG canvas."""
    from PIL import Image

    w, h = Image.open(folder / f"{stem}.png").size
    pdf = (folder / f"{stem}.pdf").read_bytes()
    media = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf).groups()
    svg = (folder / f"{stem}.svg").read_text()
    canvas = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    return {"png": (w / 200, h / 200), "pdf": tuple(float(v) / 72 for v in media),
            "svg": tuple(float(v) / 72 for v in canvas)}


def test_png_is_matplotlibs_tight_png_and_all_formats_share_its_box(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))  # long text: Agg and vector text widths differ
    ax.barh(["a long label for an article (2025-08-14)", "b · Fixture Times"], [1, 2])
    ax.set_xlabel("matches per 1,000 words in the article, all frames together")
    save_figure(fig, "fig95-box", caption="x", out_dir=tmp_path, close=False)
    reference = tmp_path / "reference.png"
    fig.savefig(reference, format="png", dpi=200, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)
    assert (tmp_path / "fig95-box.png").read_bytes() == reference.read_bytes()
    box = _box_inches(tmp_path, "fig95-box")
    for fmt in ("pdf", "svg"):  # the same box; the PNG rounds it to whole pixels
        assert box[fmt] == pytest.approx(box["png"], abs=1 / 200), fmt


def test_constrained_layout_figure_is_byte_stable_and_keeps_its_layout_engine(tmp_path):
    runs = []
    for run in ("first", "second"):
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
        for ax in axes:
            ax.barh(["a long label", "b"], [1, 2])
            ax.set_title("A title")
        engine = fig.get_layout_engine()
        save_figure(fig, "fig94-constrained", caption="x", out_dir=tmp_path / run, close=False)
        assert fig.get_layout_engine() is engine
        plt.close(fig)
        runs.append({k: v for k, v in _hashes(tmp_path / run).items() if not k.endswith("json")})
    assert runs[0] == runs[1] and len(runs[0]) == 3


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_mode_of_a_plain_open(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        save_figure(_figure(), "fig93-mode", caption="x", out_dir=tmp_path)
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert len(modes) == 4 and set(modes.values()) == {mode}, modes


def test_sidecar_is_removed_first_and_written_last(tmp_path, monkeypatch):
    """A save that stops while the files are swapped leaves images without a sidecar, never
    the old sidecar beside new images."""
    save_figure(_figure(), "fig92-swap", caption="old", out_dir=tmp_path)
    import analysis.figures as figures

    real = os.replace

    def replace(src, dst):
        if str(dst).endswith(".pdf"):
            raise OSError("disk gone")
        real(src, dst)

    monkeypatch.setattr(figures.os, "replace", replace)
    with pytest.raises(OSError, match="disk gone"):
        save_figure(_figure(), "fig92-swap", caption="new", out_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["fig92-swap.pdf", "fig92-swap.png", "fig92-swap.svg"]  # no sidecar, no temp
    monkeypatch.setattr(figures.os, "replace", real)
    save_figure(_figure(), "fig92-swap", caption="new", out_dir=tmp_path)
    assert json.loads((tmp_path / "fig92-swap.json").read_text())["caption"] == "new"
