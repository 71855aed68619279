"""The figure report: built from a figures folder the test writes with save_figure, checked as
HTML, for determinism, for clear errors, and in headless Chromium (every image loads)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis.figures import save_figure, sha256_file  # noqa: E402
from analysis.report import ReportError, build_report, cite_line, load_citation  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FEATURES_CSV = """article_id,title,outlet,date,n_words,net_optimism,net_optimism_lo,net_optimism_hi
a1,Talks resume in Islamabad,,2025-08-20,120,0.25,0.1,0.4
a2,,Dawn,,80,-0.125,-0.3,0.05
"""
CAPTION_BARS = "Net optimism per article; n = 2 articles; bars: 95% intervals <with & signs>."


def _write_fixture(tmp_path: Path) -> tuple[Path, Path]:
    figs = tmp_path / "figures"
    features = tmp_path / "features.csv"
    features.write_text(FEATURES_CSV, encoding="utf-8")
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.barh(["a1", "a2"], [0.25, -0.125], color=["#E69F00", "#56B4E9"])
    ax.set_xlabel("net optimism (index, -1 to 1)")
    save_figure(fig, "fig01-net-optimism", caption=CAPTION_BARS, notebook="01-tone.ipynb",
                parameters={"processed_dir": "../data/processed", "n_resamples": 2000},
                inputs=[features], out_dir=figs)
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.imshow(np.arange(9).reshape(3, 3), cmap="viridis")
    save_figure(fig, "fig12-similarity", caption="Cosine similarity; n = 2 articles.",
                notebook="04-comparison.ipynb", inputs=[features], out_dir=figs)
    return figs, features


@pytest.fixture
def built(tmp_path):
    figs, features = _write_fixture(tmp_path)
    index = build_report(figs, tmp_path / "report", features=features,
                         citation_file=ROOT / "CITATION.cff")
    return index, figs, features


@pytest.mark.slow
def test_report_lists_every_figure_with_provenance_and_citation(built):
    index, figs, features = built
    page = index.read_text(encoding="utf-8")
    sidecars = [json.loads(p.read_text()) for p in sorted(figs.glob("*.json"))]
    assert [s["figure_id"] for s in sidecars] == ["fig01-net-optimism", "fig12-similarity"]
    for side in sidecars:
        fid = side["figure_id"]
        assert f'<section id="{fid}">' in page
        assert html.escape(side["caption"]) in page
        assert f'<img src="figures/{fid}.png"' in page
        assert side["code_sha256"] in page
        section = page.split(f'<section id="{fid}">')[1].split("</section>")[0]
        assert side["code_modules"] and all(  # each module's hash, named, in its section
            f"<td>{m}</td><td><code>{h}</code></td>" in section
            for m, h in side["code_modules"].items())
        for fmt in ("png", "pdf", "svg", "json"):
            copied = index.parent / "figures" / f"{fid}.{fmt}"
            assert copied.read_bytes() == (figs / f"{fid}.{fmt}").read_bytes()
    # Input hashes and parameters as recorded, the caption escaped, figures in ID order.
    assert sha256_file(features) in page
    assert "n_resamples" in page and "<code>2000</code>" in page
    assert "&lt;with &amp; signs&gt;" in page and "<with & signs>" not in page
    assert page.index('id="fig01-net-optimism"') < page.index('id="fig12-similarity"')
    # One "how to cite" line per figure, naming the figure, its notebook and version.
    cites = re.findall(r'<div class="cite"><strong>How to cite:</strong> ([^<]*)', page)
    assert len(cites) == 2
    assert "Figure fig01-net-optimism, made by notebooks/01-tone.ipynb" in cites[0]
    assert "Framing analysis contributors" in cites[0] and "version 0.1.0" in cites[0]
    # The features table: one column per article, values exactly as in the CSV.
    assert "a1 · Talks resume in Islamabad (2025-08-20)" in page
    assert "a2 · Dawn" in page
    assert '<th>net_optimism_lo</th><td class="num">0.1</td><td class="num">-0.3</td>' in page


@pytest.mark.slow
def test_report_is_deterministic_and_drops_stale_figures(built, tmp_path):
    index, figs, features = built
    first = index.read_bytes()
    (index.parent / "figures" / "fig99-old.png").write_bytes(b"stale")
    again = build_report(figs, index.parent, features=features,
                         citation_file=ROOT / "CITATION.cff")
    assert again.read_bytes() == first
    assert not (index.parent / "figures" / "fig99-old.png").exists()


def test_cite_line_uses_citation_cff_and_names_the_code_hash():
    cit = load_citation(ROOT / "CITATION.cff")
    assert cit["authors"] == "Framing analysis contributors" and cit["version"] == "0.1.0"
    side = {"figure_id": "fig12-similarity", "notebook": "notebooks/04-comparison.ipynb",
            "code_sha256": "0123456789abcdef" * 4, "package_version": "0.1.0"}
    line = cite_line(side, cit)
    assert line.startswith("Framing analysis contributors. ")
    assert "Figure fig12-similarity, made by notebooks/04-comparison.ipynb, " \
           "code 0123456789ab." in line
    assert "doi" not in line.lower()  # CITATION.cff has no DOI: none is made up


@pytest.mark.slow
def test_broken_inputs_name_the_file(tmp_path):
    figs, features = _write_fixture(tmp_path)
    (figs / "fig12-similarity.png").unlink()
    with pytest.raises(ReportError, match=r"fig12-similarity\.json: its PNG .* is missing"):
        build_report(figs, tmp_path / "r", features=features)
    (figs / "fig12-similarity.json").write_text('{"figure_id": "fig12-similarity",\n oops}')
    with pytest.raises(ReportError, match=r"fig12-similarity\.json: line 2: not a valid JSON"):
        build_report(figs, tmp_path / "r", features=features)
    empty = tmp_path / "empty"
    empty.mkdir()
    res = subprocess.run([sys.executable, "-m", "analysis.report", "--figures", str(empty),
                          "-o", str(tmp_path / "r2")], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "no figure sidecars" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.slow
def test_figures_of_another_corpus_are_not_shown_beside_these_tables(tmp_path):
    figs, features = _write_fixture(tmp_path)
    other = tmp_path / "other" / "features.csv"  # the tables of another corpus
    other.parent.mkdir()
    other.write_text(FEATURES_CSV.replace("0.25", "0.5"), encoding="utf-8")
    with pytest.raises(ReportError, match=r"not the table the figures in .* were drawn from "
                                          r"\(fig01-net-optimism, fig12-similarity record"):
        build_report(figs, tmp_path / "r", features=other)
    assert not (tmp_path / "r" / "index.html").exists()
    res = subprocess.run([sys.executable, "-m", "analysis.report", "--figures", str(figs),
                          "--features", str(other), "-o", str(tmp_path / "r")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and res.stderr.count("\n") == 1, res.stderr
    assert build_report(figs, tmp_path / "r", features=features).is_file()  # the right ones


# --- headless Chromium -------------------------------------------------------------------------

CHECK_SCRIPT = """<script>
window.addEventListener("load", function () {
  var rows = Array.prototype.map.call(document.images, function (img) {
    return {src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0,
            width: img.naturalWidth};
  });
  var pre = document.createElement("pre");
  pre.id = "img-check";
  pre.textContent = JSON.stringify(rows);
  document.body.appendChild(pre);
});
</script>"""


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                         else None)
    if path is None:
        reason = ("headless Chromium not installed (Debian package `chromium`; "
                  "`.ci/run` installs it): the in-browser image check did not run")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    return path


def _chromium_run(chromium: str, tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
           "--virtual-time-budget=10000", *args]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def _image_check(chromium: str, page: Path, tmp_path: Path) -> list[dict]:
    """Load a copy of ``page`` (beside it, so relative links hold) with a script that records
    for every <img> whether it loaded, and read the record back from the dumped DOM."""
    probe = page.with_name("_image_check.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT + "</body>"),
                     encoding="utf-8")
    dom = _chromium_run(chromium, tmp_path, "--dump-dom", probe.as_uri())
    probe.unlink()
    m = re.search(r'<pre id="img-check">(.*?)</pre>', dom, re.S)
    assert m, "the check script did not run: " + dom[:500]
    return json.loads(html.unescape(m.group(1)))


@pytest.mark.slow
def test_report_images_load_in_headless_chromium(built, tmp_path):
    chromium = _chromium()
    index, figs, _ = built
    rows = _image_check(chromium, index, tmp_path)
    assert [r["src"] for r in rows] == ["figures/fig01-net-optimism.png",
                                        "figures/fig12-similarity.png"]
    assert all(r["ok"] for r in rows), rows
    # The check can fail: a page whose image is missing is caught.
    (index.parent / "figures" / "fig12-similarity.png").unlink()
    rows = _image_check(chromium, index, tmp_path)
    assert [r["ok"] for r in rows] == [True, False]
    build_report(figs, index.parent, features=tmp_path / "features.csv")

    shot = tmp_path / "report-screenshot.png"
    _chromium_run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600",
                  index.as_uri())
    img = plt.imread(shot)
    assert img.shape[:2] == (1600, 1200)
    # Not a blank page: the figures and text put many distinct colours on it.
    assert len(np.unique(img[..., :3].reshape(-1, 3), axis=0)) > 50
    print(f"screenshot: {shot}")
