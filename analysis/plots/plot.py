"""What every figure function of :mod:`analysis.plots` returns: a :class:`Plot`.

A :class:`Plot` is the figure with its caption (built from the numbers it draws), the table it
was drawn from and what a notebook shows beside it. :func:`analysis.figures.save_figure` takes
it whole::

    fig01 = ap.plot_net_optimism(features, groups, labels, n_units=len(sentences))
    save_figure(fig01, "fig01-net-optimism", inputs=[features_path], **save)
    fig01.caption

A figure that cannot be drawn is a :func:`not_drawn` placeholder saying why, so that its ID
still exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from .layout import placeholder

__all__ = ["Plot", "not_drawn"]


@dataclass
class Plot:
    """A figure with its caption and what a notebook shows beside it.

    Attributes
    ----------
    fig : Figure
        The figure, or a placeholder saying why it could not be drawn.
    caption : str
        The caption, with the numbers that matter (written into the sidecar).
    data : DataFrame or None
        The table the figure was drawn from (None when it was not drawn).
    table : DataFrame or None
        The view of ``data`` a notebook shows (a pivot or the first rows).
    note : str
        Markdown shown above ``table``: a summary, or why the figure was not drawn.
    inputs : list of Path
        Files the figure function read itself (``terms.csv``, ``attributions.csv``);
        :func:`analysis.figures.save_figure` hashes them with the ones the notebook names.
    """

    fig: plt.Figure
    caption: str
    data: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    note: str = ""
    inputs: list = field(default_factory=list)

    def display(self) -> None:
        """Show ``note`` (as Markdown) and ``table`` in a notebook; nothing when empty."""
        from IPython.display import Markdown, display  # late: heavy

        if self.note:
            display(Markdown(self.note))
        if self.table is not None:
            display(self.table)


def not_drawn(what: str, text: str, *, prefix: str = "", note: str = "",
              inputs=()) -> Plot:
    """A :class:`Plot` whose figure is a placeholder saying why it was not drawn.

    Parameters
    ----------
    what : str
        The figure's name ("Timeline").
    text : str
        Why it was not drawn; the caption is "<what> not drawn: <text>".
    prefix : str
        Put before ``text`` in the placeholder only.
    note : str
    inputs : iterable of Path
        As in :class:`Plot`.

    Returns
    -------
    Plot

    Examples
    --------
    >>> shown = not_drawn("Timeline", "the dates fall in 1 month(s).")
    >>> shown.caption, shown.data is None
    ('Timeline not drawn: the dates fall in 1 month(s).', True)
    >>> plt.close(shown.fig)
    """
    return Plot(placeholder(f"{what} not drawn", prefix + text), f"{what} not drawn: {text}",
                note=note, inputs=list(inputs))
