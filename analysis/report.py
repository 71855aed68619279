"""The figure report: one static HTML page that makes every figure citable.

``python -m analysis.report`` (``make report``) reads every ``figures/<id>.json`` provenance
sidecar written by :func:`analysis.figures.save_figure`, copies the figure files into
``build/report/figures/`` and writes ``build/report/index.html``: each figure with its ID,
caption, provenance (notebook, code hash and the hash of each package module it imported,
parameters, sha256 of every input, package, lexicon and software versions), download links and a "how to cite" line, then the features table.

The figures and the table must belong together: a figure whose sidecar records another
sha256 for the table's file name (``features.csv``) was drawn from other tables, and the report
stops (exit 2) rather than show one corpus' figures beside another's table. ``make report``
passes ``FIGURES`` and ``PROCESSED`` and writes ``build/report`` for ``figures/``, else
``<FIGURES>-report``.

The page is self-contained (relative links only, no scripts, no network) and deterministic:
the same figures and features give the same bytes (figures sorted by ID, no build time stamped).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from . import __version__
from .config import BUILD_DIR, FIGURES_DIR, PROCESSED_DIR, ROOT, display_path
from .errors import AnalysisError
from .figures import FIGURE_ID_RE, article_labels, sha256_file

__all__ = ["ReportError", "load_sidecars", "check_same_tables", "load_citation", "cite_line", "build_report", "main"]

REPORT_DIR = BUILD_DIR / "report"
CITATION_FILE = ROOT / "CITATION.cff"
REQUIRED_KEYS = ("figure_id", "caption", "files")
MAX_TABLE_ROWS = 500  # features table rows shown on the page (the CSV has them all)
TRANSPOSE_MAX = 20  # up to this many articles the table shows one column per article

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2.2em;
border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1em;margin:.8em 0 .2em}
figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{margin-top:.4em}
.cite{background:#f6f8fa;border-left:4px solid #0072B2;padding:.5em .8em;margin:.8em 0}
.warn{color:#a33}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:.9em;word-break:break-all}details{margin:.5em 0}
.scroll{overflow-x:auto;max-width:100%}nav ol{columns:2}
""".strip()


class ReportError(AnalysisError):
    """A figures folder or sidecar the report cannot use; the message names the file."""


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _png_size(path: Path) -> tuple[int, int] | None:
    """Pixel width and height from the PNG header (None when not a PNG)."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def load_sidecars(figures_dir: str | Path) -> list[dict]:
    """Every ``<id>.json`` sidecar in ``figures_dir``, sorted by figure ID. Each sidecar must
    name an existing PNG; a broken sidecar raises :class:`ReportError` naming the file."""
    figures_dir = Path(figures_dir)
    if not figures_dir.is_dir():
        raise ReportError(f"{figures_dir}: no figures folder; run `make figures` first")
    out = []
    for path in sorted(figures_dir.glob("*.json"), key=lambda p: p.name):
        try:
            side = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            line = getattr(err, "lineno", "?")
            raise ReportError(f"{path}: line {line}: not a valid JSON sidecar ({err})") from err
        if not isinstance(side, dict):
            raise ReportError(f"{path}: line 1: sidecar must be a JSON object")
        missing = [k for k in REQUIRED_KEYS if k not in side]
        if missing:
            raise ReportError(f"{path}: sidecar lacks {', '.join(missing)}")
        fid = side["figure_id"]
        if not FIGURE_ID_RE.match(str(fid)) or fid != path.stem:
            raise ReportError(f"{path}: figure_id '{fid}' does not match the file name")
        png = side["files"].get("png")
        if not png or not (figures_dir / png).is_file():
            raise ReportError(f"{path}: its PNG '{png}' is missing from {figures_dir}")
        out.append(side)
    if not out:
        raise ReportError(f"{figures_dir}: no figure sidecars (*.json); run `make figures`")
    return out


def check_same_tables(sidecars: list[dict], features: Path, figures_dir: Path) -> None:
    """Stop when the figures were drawn from another table than ``features``.

    Parameters
    ----------
    sidecars : list of dict
        From :func:`load_sidecars`; each records the sha256 of its inputs by file name.
    features : Path
        The features table the page shows.
    figures_dir : Path
        The figures folder (for the message).

    Raises
    ------
    ReportError
        Naming the table, the folder and the first figures that disagree.
    """
    digest = sha256_file(features)
    other = [s["figure_id"] for s in sidecars
             if (s.get("inputs") or {}).get(features.name, digest) != digest]
    if other:
        more = f" and {len(other) - 3} more" if len(other) > 3 else ""
        raise ReportError(
            f"{features}: not the table the figures in {figures_dir} were drawn from "
            f"({', '.join(other[:3])}{more} record another {features.name}): give the "
            "features of that run (make report FIGURES=dir PROCESSED=dir) or rebuild the "
            "figures")


def load_citation(path: str | Path = CITATION_FILE) -> dict:
    """Title, authors, version and optional repository URL / DOI from ``CITATION.cff``; the
    package defaults when the file is absent."""
    info = {"title": "Framing analysis", "authors": "Framing analysis contributors",
            "version": __version__, "url": "", "doi": "", "year": ""}
    path = Path(path)
    if not path.is_file():
        return info
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise ReportError(f"{path}: line {line}: not valid YAML ({err})") from err
    names = []
    for a in cff.get("authors") or []:
        if isinstance(a, dict):
            name = a.get("name") or " ".join(
                x for x in (a.get("given-names"), a.get("family-names")) if x)
            if name:
                names.append(str(name))
    info.update({k: str(v) for k, v in (
        ("title", cff.get("title")), ("version", cff.get("version")),
        ("url", cff.get("repository-code") or cff.get("url")), ("doi", cff.get("doi")),
        ("year", str(cff.get("date-released", ""))[:4])) if v})
    if names:
        info["authors"] = ", ".join(names)
    return info


def _short_code(sidecar: dict) -> str:
    """The first 12 hex digits of the hash of the code that made a figure ("unknown" if none)."""
    return (sidecar.get("code_sha256") or "unknown")[:12]


def cite_line(sidecar: dict, citation: dict) -> str:
    """The plain-text citation of one figure."""
    year = f" ({citation['year']})" if citation.get("year") else ""
    parts = [f"{citation['authors']}{year}. {citation['title']}, version "
             f"{sidecar.get('package_version') or citation['version']}. "
             f"Figure {sidecar['figure_id']}"]
    if sidecar.get("notebook"):
        parts.append(f", made by {sidecar['notebook']}")
    parts.append(f", code {_short_code(sidecar)}.")
    if citation.get("doi"):
        parts.append(f" https://doi.org/{citation['doi']}")
    elif citation.get("url"):
        parts.append(f" {citation['url']}")
    return "".join(parts)


def _kv_table(rows, head=("name", "value"), code_values=False) -> str:
    if not rows:
        return "<p>none</p>"
    out = ["<table>" + (f"<tr><th>{_esc(head[0])}</th><th>{_esc(head[1])}</th></tr>"
                        if head else "")]
    for k, v in rows:
        val = f"<code>{_esc(v)}</code>" if code_values else _esc(v)
        out.append(f"<tr><td>{_esc(k)}</td><td>{val}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _figure_section(side: dict, citation: dict, figures_dir: Path) -> str:
    fid = side["figure_id"]
    files = side["files"]
    png = files["png"]
    size = _png_size(figures_dir / png)
    # PNGs are 200 dpi: show them at 100 CSS px per inch, their size on a printed page.
    dims = f' width="{size[0] // 2}" height="{size[1] // 2}"' if size else ""
    warn = ""
    if not side.get("code_sha256"):
        warn = ' <span class="warn">(no code hash recorded: rebuild before citing)</span>'
    params = [(k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
              for k, v in sorted((side.get("parameters") or {}).items())]
    inputs = sorted((side.get("inputs") or {}).items())
    software = [("package analysis", side.get("package_version", "")),
                *sorted((side.get("software") or {}).items())]
    lex = sorted((side.get("lexicon_versions") or {}).items())
    modules = sorted((side.get("code_modules") or {}).items())
    links = " · ".join(f'<a href="figures/{_esc(name)}">{_esc(fmt.upper())}</a>'
                       for fmt, name in sorted(files.items()))
    return "\n".join([
        f'<section id="{_esc(fid)}">',
        f"<h2>{_esc(fid)}</h2>",
        f'<figure><a href="figures/{_esc(png)}"><img src="figures/{_esc(png)}"{dims} '
        f'alt="{_esc(fid)}: {_esc(side["caption"])}" loading="eager"></a>',
        f"<figcaption><strong>{_esc(fid)}.</strong> {_esc(side['caption'])}</figcaption>"
        "</figure>",
        f"<p>Files: {links} · <a href=\"figures/{_esc(fid)}.json\">provenance JSON</a></p>",
        f'<div class="cite"><strong>How to cite:</strong> {_esc(cite_line(side, citation))}'
        f"{warn}</div>",
        "<h3>Provenance</h3>",
        _kv_table([("notebook", side.get("notebook") or "(not recorded)"),
                   ("code sha256", side.get("code_sha256") or "unknown"),
                   ("notebook sha256", side.get("notebook_sha256") or "unknown")], None,
                  code_values=True),
        _kv_table(params, ("parameter", "value"), code_values=True),
        _kv_table(inputs, ("input file", "sha256"), code_values=True),
        "<details><summary>Software and lexicon versions</summary>",
        _kv_table(software, ("software", "version")),
        _kv_table(lex, ("lexicon file", "sha256 (first 12 hex)"), code_values=True),
        "</details>",
        # What code_sha256 is the hash of: a reader compares two figures module by module.
        f"<details><summary>Code: {len(modules)} package modules imported when it was saved"
        "</summary>",
        _kv_table(modules, ("module", "sha256 of its code (no comments or docstrings)"),
                  code_values=True),
        "</details>",
        "</section>",
    ])


def _is_num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() != ""


def _features_section(features: Path | None) -> str:
    head = '<section id="features"><h2>Features table</h2>'
    if features is None:
        return head + "<p>No features table given.</p></section>"
    # Read as text so every value appears exactly as written in the CSV.
    df = pd.read_csv(features, dtype=str, keep_default_na=False)
    n = len(df)
    note = (f"<p>{n:,} article{'s' if n != 1 else ''} × {len(df.columns):,} columns, from "
            f"<code>{_esc(display_path(features))}</code>. Rates are per 1,000 words; "
            "<code>_lo</code>/<code>_hi</code> columns are 95% sentence-bootstrap "
            "intervals.</p>")
    if "article_id" not in df.columns or n == 0:
        return head + note + "</section>"
    out = [head, note, '<div class="scroll"><table>']
    if n <= TRANSPOSE_MAX:
        labels = article_labels(df)
        ids = df["article_id"].tolist()
        out.append("<tr><th>column</th>" + "".join(
            f"<th>{_esc(labels[a])}</th>" for a in ids) + "</tr>")
        for col in df.columns:
            cells = "".join(
                f'<td class="num">{_esc(v)}</td>' if _is_num(v) else f"<td>{_esc(v)}</td>"
                for v in df[col].tolist())
            out.append(f"<tr><th>{_esc(col)}</th>{cells}</tr>")
    else:
        out.append("<tr>" + "".join(f"<th>{_esc(c)}</th>" for c in df.columns) + "</tr>")
        for row in df.head(MAX_TABLE_ROWS).itertuples(index=False):
            out.append("<tr>" + "".join(
                f'<td class="num">{_esc(v)}</td>' if _is_num(v) else f"<td>{_esc(v)}</td>"
                for v in row) + "</tr>")
    out.append("</table></div>")
    if n > TRANSPOSE_MAX and n > MAX_TABLE_ROWS:
        out.append(f"<p>First {MAX_TABLE_ROWS:,} of {n:,} articles shown; the CSV has all.</p>")
    out.append("</section>")
    return "\n".join(out)


def render_html(sidecars: list[dict], citation: dict, figures_dir: Path,
                features: Path | None) -> str:
    n = len(sidecars)
    commits = sorted({_short_code(s) for s in sidecars})
    toc = "".join(f'<li><a href="#{_esc(s["figure_id"])}">{_esc(s["figure_id"])}</a></li>'
                  for s in sidecars)
    body = "\n".join(_figure_section(s, citation, figures_dir) for s in sidecars)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(citation['title'])}: figure report</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_esc(citation['title'])}</h1>",
        f"<p>Figure report, version {_esc(citation['version'])}: {n} figure"
        f"{'s' if n != 1 else ''}, built from code version{'s' if len(commits) != 1 else ''} "
        f"{', '.join(f'<code>{_esc(c)}</code>' for c in commits)}. Each figure has a stable ID "
        "(<code>figNN-slug</code>); cite it with the line under it. PDF and SVG versions and "
        "the provenance sidecar are linked beside each figure.</p>",
        f"<nav><ol>{toc}<li><a href=\"#features\">Features table</a></li></ol></nav>",
        body,
        _features_section(features),
        "</body></html>",
        "",
    ])


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        Path(tmp).write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(figures_dir: str | Path = FIGURES_DIR, out_dir: str | Path = REPORT_DIR, *,
                 features: str | Path | None = None,
                 citation_file: str | Path = CITATION_FILE) -> Path:
    """Write ``out_dir/index.html`` and copy the figure files into ``out_dir/figures/``.
    Returns the path of the page."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    sidecars = load_sidecars(figures_dir)
    features_path = Path(features) if features is not None else None
    if features_path is not None and not features_path.is_file():
        raise ReportError(f"{features_path}: no features table; run `make features` first")
    if features_path is not None:
        check_same_tables(sidecars, features_path, figures_dir)
    citation = load_citation(citation_file)
    page = render_html(sidecars, citation, figures_dir, features_path)
    img_dir = out_dir / "figures"
    if img_dir.exists():
        shutil.rmtree(img_dir)  # no stale figures from earlier builds
    img_dir.mkdir(parents=True)
    for side in sidecars:
        names = sorted({*side["files"].values(), f"{side['figure_id']}.json"})
        for name in names:
            src = figures_dir / name
            if src.is_file():
                shutil.copyfile(src, img_dir / name)
    index = out_dir / "index.html"
    _write_atomic(index, page)
    return index


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.report",
                                 description="Build the static figure report (HTML).")
    ap.add_argument("--figures", default=str(FIGURES_DIR),
                    help="folder of figures and JSON sidecars (default figures/)")
    ap.add_argument("--features", default=str(PROCESSED_DIR / "features.csv"),
                    help="features table shown on the page (default "
                         "data/processed/features.csv); 'none' to leave it out")
    ap.add_argument("-o", "--output", default=str(REPORT_DIR),
                    help="report folder (default build/report/)")
    args = ap.parse_args(argv)
    features = None if args.features.lower() == "none" else args.features
    try:
        index = build_report(args.figures, args.output, features=features)
    except AnalysisError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"report -> {display_path(index)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
