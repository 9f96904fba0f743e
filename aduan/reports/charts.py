"""Charts drawn on the server as SVG, no JavaScript (issue 7): the one piece behind the public
statistics page and the back-office dashboard.

A chart is a list of positioned rows built here, drawn by `templates/charts/bar.html` (horizontal
bars: label and value above each bar — also the status funnel) or `templates/charts/column.html`
(one column per period) or `templates/charts/line.html` (lines over the same dates: this period
against the previous one). Each SVG has `role="img"`, a `<title>` and an `aria-label`; the page puts
a data table with the same numbers beside it (the accessible alternative, WCAG 1.1.1).

Widths are in percent so the SVG scales to any screen without scaling its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


# --- line charts -----------------------------------------------------------------------------

# At most this many dates under a line chart: four short dates fit a 360-pixel phone.
MAX_LINE_LABELS = 4
# Above this many points the lines carry no markers (they would cover each other on a phone;
# the dash and the legend still tell the lines apart); a month per day (31) keeps them.
MAX_LINE_MARKERS = 31
# How the lines differ without colour (WCAG 1.4.1): solid with round markers, dashed with
# square ones; the legend shows each line's sample. Colours: 3:1 at least on white (1.4.11).
LINE_STYLES = (
    ("#0b5394", "", "circle"),
    ("#a3460a", "6 4", "square"),
)


@dataclass(frozen=True)
class Point:
    """A point: x in percent of the width, y in pixels of the chart, and its value."""

    x: float
    y: float
    value: int


@dataclass(frozen=True)
class Line:
    name: str
    total: int
    points: tuple[Point, ...]
    colour: str
    dash: str  # stroke-dasharray, "" for a solid line
    marker: str  # "circle" or "square"
    total_text: str = ""  # the total as the legend writes it (grouped digits)

    @property
    def polyline(self) -> str:
        """`points` of an SVG polyline in a viewBox 100 wide (x in percent, y in pixels)."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float  # x in percent (dates) or y in pixels (counts)
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class LineChart:
    """Lines over the same x positions (one per series), the dates under them, the counts of
    the grid lines and whether points get markers. Coordinates are rounded to 0.1 so a year
    of days stays a few kilobytes."""

    label: str
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    markers: bool
    key: str = "line"  # makes the SVG's ids unique on the page (one chart per key)

    HEIGHT = 210
    PLOT_TOP = 58  # below the legend's two rows
    PLOT_BOTTOM = 180
    X_LEFT = 10.0  # percent left free for the counts of the grid lines
    X_RIGHT = 3.0  # and on the right for the last marker

    @property
    def legend(self) -> list[tuple[int, Line]]:
        """Each line with the y of its legend row (one row each: they fit a phone)."""
        return [(14 + 20 * i, line) for i, line in enumerate(self.lines)]


def _round_up(top: int) -> int:
    """The grid's top count: the smallest 2, 3, 4, 5, 6, 8 or 10 times a power of ten not
    below `top`, so the grid lines (0, half, top) fall on round numbers."""
    if top <= 1:
        return 1
    scale = 1
    while True:
        for m in (2, 3, 4, 5, 6, 8, 10):
            if m * scale >= top:
                return m * scale
        scale *= 10


def _x(i: int, n: int) -> float:
    if n <= 1:
        return 50.0
    left, right = LineChart.X_LEFT, LineChart.X_RIGHT
    return round(left + (100 - left - right) * i / (n - 1), 1)


def _y(value: int, top: int) -> float:
    height = LineChart.PLOT_BOTTOM - LineChart.PLOT_TOP
    return round(LineChart.PLOT_BOTTOM - height * value / top, 1)


def _labelled(n: int, max_labels: int) -> list[int]:
    """The indexes that get a date: all of them up to `max_labels`, else the first, the last
    and evenly spaced ones between."""
    if n <= max_labels:
        return list(range(n))
    return sorted({round(j * (n - 1) / (max_labels - 1)) for j in range(max_labels)})


def lines(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    label: str,
    key: str = "line",
    max_labels: int = MAX_LINE_LABELS,
    number: Callable[[int], str] = str,
) -> LineChart:
    """A line chart of `series` (name, one value per label, already aligned: the i-th value of
    every series is drawn at the i-th x). The highest value, rounded up, is the grid's top.
    `number` writes the totals and the grid's counts (the page passes the locale's)."""
    n = len(labels)
    if any(len(values) != n for _name, values in series):
        raise ValueError("every series needs one value per label")
    top = _round_up(max((max(values, default=0) for _name, values in series), default=0))
    drawn = tuple(
        Line(
            name,
            sum(values),
            tuple(Point(_x(i, n), _y(v, top), v) for i, v in enumerate(values)),
            *LINE_STYLES[s % len(LINE_STYLES)],
            total_text=number(sum(values)),
        )
        for s, (name, values) in enumerate(series)
    )
    shown = _labelled(n, max_labels)
    x_ticks = tuple(
        Tick(
            _x(i, n),
            labels[i],
            "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle",
        )
        for i in shown
    )
    levels = (0, top // 2, top) if top > 1 else (0, top)
    y_ticks = tuple(Tick(_y(v, top), number(v)) for v in levels)
    return LineChart(label, drawn, x_ticks, y_ticks, markers=n <= MAX_LINE_MARKERS, key=key)
