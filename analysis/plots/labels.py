"""Text labels placed without overlaps, deterministically.

:func:`spread_labels` spaces labels along one axis (group names at the ends of lines, fig03);
:func:`place_labels` finds a free spot around each point of a scatter (fig20), once the axis
limits are final.
"""

from __future__ import annotations

import numpy as np
from matplotlib.transforms import Bbox

__all__ = ["spread_labels", "place_labels"]


def spread_labels(y, min_gap: float, lower: float = -np.inf, upper: float = np.inf) -> np.ndarray:
    """Positions for labels wanted at ``y`` that must stay ``min_gap`` apart.

    Labels keep their order and move as little as possible: labels that would overlap are
    stacked around the mean of their wanted positions, and the stack is then pushed inside
    ``[lower, upper]`` where there is room.

    Parameters
    ----------
    y : array-like of float
        Wanted positions.
    min_gap : float
        Smallest distance between two labels, in the units of ``y``.
    lower, upper : float
        Bounds of the positions.

    Returns
    -------
    ndarray
        The position of each label, in the order of ``y``.

    Examples
    --------
    >>> spread_labels([0.0, 0.1, 1.0], 0.4).round(2).tolist()
    [-0.15, 0.25, 1.0]
    """
    y = np.asarray(y, dtype=float)
    order = np.argsort(y, kind="stable")
    clusters: list[list[float]] = []  # each: wanted positions, in order
    for t in y[order]:
        clusters.append([t])
        while len(clusters) > 1:
            prev, cur = clusters[-2], clusters[-1]
            start_prev = np.mean([p - i * min_gap for i, p in enumerate(prev)])
            start_cur = np.mean([p - i * min_gap for i, p in enumerate(cur)])
            if start_prev + len(prev) * min_gap <= start_cur:
                break
            clusters[-2:] = [prev + cur]
    pos = []
    for c in clusters:
        start = np.mean([p - i * min_gap for i, p in enumerate(c)])
        pos.extend(start + i * min_gap for i in range(len(c)))
    pos = np.asarray(pos, dtype=float)
    if len(pos):  # into the bounds: push up from below, then down from above
        pos[0] = max(pos[0], lower)
        for i in range(1, len(pos)):
            pos[i] = max(pos[i], pos[i - 1] + min_gap)
        pos[-1] = min(pos[-1], upper)
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - min_gap)
    out = np.empty_like(pos)
    out[order] = pos
    return out


def place_labels(ax, x, y, texts, *, color="black", fontsize: float = 7.5, obstacles=None,
                 max_steps: int = 8):
    """Label points ``(x[i], y[i])`` with ``texts[i]`` without overlaps, deterministically.

    Labels are placed in the order given (put the most important first). For each, positions
    around its point are tried in a fixed order (right, left, above, below, then the four
    diagonals) at growing distances (4, 8, ... points); the first whose box stays inside the
    axes and overlaps no earlier label and no labelled point is used, preferring, in a first
    pass, positions that also cover none of the ``obstacles`` (other drawn points). A label
    placed away from its point gets a thin leader line. A label with no free position is left
    out. Axis limits must be final before calling.

    Parameters
    ----------
    ax : Axes
    x, y : sequences of float (data coordinates)
    texts : sequence of str
    color : str or sequence of str
    fontsize : float
    obstacles : (k, 2) array, optional
        Other points (data coordinates) labels should rather not cover.
    max_steps : int
        Distances tried.

    Returns
    -------
    list of bool
        Whether each label was placed.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    x, y = np.asarray(x, float), np.asarray(y, float)
    frame = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([x, y])) if len(x) else np.zeros((0, 2))
    obs = (ax.transData.transform(np.asarray(obstacles, float)) if obstacles is not None
           and len(obstacles) else np.zeros((0, 2)))
    r = 2.5 * fig.dpi / 72.0  # a marker's radius in pixels, about
    gap = 1.5 * fig.dpi / 72.0  # white space kept between two labels
    colors = [color] * len(texts) if isinstance(color, str) else list(color)
    directions = [(1, 0, "left", "center"), (-1, 0, "right", "center"),
                  (0, 1, "center", "bottom"), (0, -1, "center", "top"),
                  (1, 1, "left", "bottom"), (1, -1, "left", "top"),
                  (-1, 1, "right", "bottom"), (-1, -1, "right", "top")]
    placed: list = []

    def covers(box, points, pad):
        if not len(points):
            return False
        return bool(np.any((points[:, 0] > box.x0 - pad) & (points[:, 0] < box.x1 + pad)
                           & (points[:, 1] > box.y0 - pad) & (points[:, 1] < box.y1 + pad)))

    done = []
    for i, s in enumerate(texts):
        probe = ax.text(x[i], y[i], s, fontsize=fontsize, zorder=5)
        base = probe.get_window_extent(renderer)
        probe.remove()
        w, h = base.width * 1.04, base.height * 1.1
        choice = None
        for strict in (True, False):
            for step in range(1, max_steps + 1):
                d = 4.0 * step * fig.dpi / 72.0
                for dx, dy, ha, va in directions:
                    ax_ = pts[i, 0] + dx * d
                    ay_ = pts[i, 1] + dy * d * 0.75
                    x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
                    y0 = ay_ if va == "bottom" else ay_ - h if va == "top" else ay_ - h / 2
                    box = Bbox.from_bounds(x0, y0, w, h)
                    if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
                            and box.y1 <= frame.y1):
                        continue
                    if any(box.overlaps(b.padded(gap)) for b in placed) or covers(box, pts, r):
                        continue
                    if strict and covers(box, obs, r * 0.6):
                        continue
                    choice = (box, dx * d, dy * d * 0.75, ha, va, step)
                    break
                if choice:
                    break
            if choice:
                break
        if choice is None:
            done.append(False)
            continue
        box, ox, oy, ha, va, step = choice
        placed.append(box)
        px_to_pt = 72.0 / fig.dpi
        arrow = (dict(arrowstyle="-", color="#777777", lw=0.5, shrinkA=1, shrinkB=2.5)
                 if step > 1 else None)
        ax.annotate(s, (x[i], y[i]), xytext=(ox * px_to_pt, oy * px_to_pt),
                    textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                    color=colors[i], zorder=5, arrowprops=arrow)
        done.append(True)
    return done
