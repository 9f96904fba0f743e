"""Charts drawn on the server as SVG, no JavaScript (issue 7): the one piece behind the public
statistics page and the back-office dashboard.

A chart is a list of positioned rows built here, drawn by `templates/charts/bar.html` (horizontal
bars: label and value above each bar — also the status funnel) or `templates/charts/column.html`
(one column per period). Each SVG has `role="img"`, a `<title>` and an `aria-label`; the page puts
a data table with the same numbers beside it (the accessible alternative, WCAG 1.1.1).

Widths are in percent so the SVG scales to any screen without scaling its text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Above this many columns only every n-th column is labelled (the labels would overlap on a
# 360-pixel phone); the table beside the chart has all of them.
MAX_COLUMN_LABELS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float = 0.0  # of the largest value, 0-100, for the bar's width


def bars(pairs: Iterable[tuple[str, int | None]]) -> list[Bar]:
    """Rows for a bar chart: the longest bar fills the width. Suppressed values (None) get none."""
    rows = list(pairs)
    top = max((v for _label, v in rows if v), default=0)
    return [
        Bar(label, value or 0, round(100 * value / top, 1) if top and value else 0.0)
        for label, value in rows
    ]


@dataclass(frozen=True)
class Column:
    """A column of a column chart, positioned in percent of the width and in pixels of a
    110-pixel-high plot whose base line is at y=140."""

    label: str
    value: int
    x: float
    width: float
    height: int
    show_label: bool = True

    PLOT_BOTTOM = 140
    PLOT_HEIGHT = 110

    @property
    def middle(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> int:
        return self.PLOT_BOTTOM - self.height


def columns(
    pairs: Iterable[tuple[str, int]], *, max_labels: int = MAX_COLUMN_LABELS
) -> list[Column]:
    """Columns side by side, the highest one filling the plot; with more than `max_labels`
    columns only every n-th one (from the first) is labelled."""
    rows = list(pairs)
    top = max((v for _label, v in rows), default=0)
    step = 100 / len(rows) if rows else 0
    every = max(1, -(-len(rows) // max_labels)) if rows else 1
    return [
        Column(
            label,
            value,
            x=i * step + step * 0.15,
            width=step * 0.7,
            height=max(1, round(Column.PLOT_HEIGHT * value / top)) if top else 1,
            show_label=i % every == 0,
        )
        for i, (label, value) in enumerate(rows)
    ]
