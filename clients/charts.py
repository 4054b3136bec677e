"""Bar charts worked out in Python and drawn by a template as SVG: no JavaScript, no library.

A chart is the geometry of its bars; the template (``templates/clients/includes/bar_chart.html``)
writes one ``<rect>`` and its labels per bar, and the same figures as a table for screen readers.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 200  # room for the labels of a horizontal chart
BAR_HEIGHT = 22
GAP = 6
COLUMN_HEIGHT = 160


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    fill: str = "#2b6cb0"
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    title: str
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    series: list = field(default_factory=list)  # [(label, fill)] when a chart has two kinds of bar
    rows: list = field(default_factory=list)  # the figures as the table under the chart shows them
    labels: list = field(default_factory=list)  # [(label, x)] under the columns of a column chart


def horizontal(title, items):
    """One bar per (label, value, url), longest for the largest value, the value written after it."""
    largest = max((value for _label, value, _url in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70
    bars = []
    for index, (label, value, url) in enumerate(items):
        y = index * (BAR_HEIGHT + GAP)
        width = round(room * value / largest, 1)
        bars.append(
            Bar(
                str(label),
                value,
                url,
                x=LABEL_WIDTH,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                text_x=LABEL_WIDTH + width + 6,
                text_y=y + BAR_HEIGHT * 0.7,
            )
        )
    return Chart(str(title), bars, height=max(len(items), 1) * (BAR_HEIGHT + GAP), rows=list(items))


def columns(title, groups, series):
    """Side-by-side columns: ``groups`` is [(label, [value per series])], ``series`` [(name, fill)]."""
    largest = max((value for _label, values in groups for value in values), default=0) or 1
    per_group = WIDTH / max(len(groups), 1)
    column_width = (per_group - 8) / max(len(series), 1)
    bars = []
    for index, (label, values) in enumerate(groups):
        for position, (value, (name, fill)) in enumerate(zip(values, series, strict=True)):
            height = round(COLUMN_HEIGHT * value / largest, 1)
            x = index * per_group + 4 + position * column_width
            bars.append(
                Bar(
                    f"{label}: {name}",
                    value,
                    x=round(x, 1),
                    y=COLUMN_HEIGHT - height + 16,
                    width=round(column_width - 2, 1),
                    height=height,
                    fill=fill,
                    text_x=round(x + column_width / 2, 1),
                    text_y=COLUMN_HEIGHT - height + 12,
                )
            )
    chart = Chart(str(title), bars, height=COLUMN_HEIGHT + 36, series=[(str(n), f) for n, f in series])
    chart.labels = [
        (str(label), round(index * per_group + per_group / 2, 1))
        for index, (label, _values) in enumerate(groups)
    ]
    return chart
