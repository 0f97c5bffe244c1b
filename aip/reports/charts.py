"""Geometry of the bar chart that templates draw as inline SVG."""

import math
from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 9
ROW_GAP = 10
TOP = 28  # room for the legend
BOTTOM = 22  # room for the axis labels
# Fill colours of the history years (oldest first) and of the target.
HISTORY_FILLS = ("#9aa5b1", "#52606d")
TARGET_FILL = "#7a1f2b"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    fill: str
    value: object
    series: str


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_width: int
    legend: list  # [(name, fill)]
    rows: list = field(default_factory=list)  # [(label, label_y, [Bar])]
    ticks: list = field(default_factory=list)  # [(x, label)]


def rate_chart(rows):
    """Lay out history and target bars for target rows, or return None."""
    if not rows:
        return None
    years = [year for year, _ in rows[0].history]
    # The newest year is dark and older years light, beside the target.
    series = [(year.name, HISTORY_FILLS[year is years[-1]])
              for year in years]
    series.append(("Target", TARGET_FILL))
    values = [v for row in rows for v in _values(row) if v is not None]
    top = max(10, math.ceil(max(values, default=0) / 10) * 10)
    plot_width = WIDTH - LABEL_WIDTH - 10
    row_height = len(series) * BAR_HEIGHT + ROW_GAP
    chart = Chart(WIDTH, TOP + len(rows) * row_height + BOTTOM,
                  LABEL_WIDTH, plot_width, series)
    for index, row in enumerate(rows):
        y = TOP + index * row_height
        bars = []
        for offset, ((name, fill), value) in enumerate(zip(series,
                                                           _values(row))):
            if value is None:
                continue
            bars.append(Bar(LABEL_WIDTH, y + offset * BAR_HEIGHT,
                            round(float(value) / top * plot_width, 1),
                            fill, value, name))
        chart.rows.append((row.label, y + len(series) * BAR_HEIGHT / 2 + 3,
                           bars))
    for step in range(0, top + 1, max(10, top // 5)):
        chart.ticks.append((LABEL_WIDTH + step / top * plot_width, f"{step}%"))
    return chart


def _values(row):
    target = row.target.target_rate if row.target else None
    return [rate for _, rate in row.history] + [target]
