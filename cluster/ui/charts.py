"""Accessible charts drawn on the server as inline SVG, with the same numbers as a table.

Views build a chart and pass it to the template (`chart=bar_chart(...)`, then `{{ chart }}`).
Every chart is a <figure class="cluster-chart"> with a captioned SVG (role="img", named by
its <title> and <desc>) and a GOV.UK table of the data in a "Show the data as a table"
details element. Series differ by fill pattern, marker shape or dash as well as colour;
every colour has at least 3:1 contrast against white. No `style` attributes (the
Content-Security-Policy forbids inline styles): SVG presentation attributes only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# GOV.UK colours, each with at least 3:1 contrast against white (tested).
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#912b88", "#505a5f", "#003078", "#8f4700")
DASHES = ("", "10 5", "3 4", "14 4 3 4", "6 6", "2 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")
FILLS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "arial, sans-serif"

WIDTH = 640
PLOT_HEIGHT = 240
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
LEGEND_ROW = 24
CHAR_WIDTH = 7.6  # a generous average width of a 14px Arial character, to lay out labels
MAX_LABEL = 28
#: A legend entry has a row to itself if it needs one, so it may be longer than an axis label.
MAX_LEGEND = 60
ROTATED_LABEL = 20
LABEL_LINES = 3

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None] = field(default_factory=list)  # one per category; None = no data


def format_value(value: float | None, unit: str = "") -> str:
    """A number as the table shows it: thousands separated, at most three decimals, and its unit."""
    if value is None:
        return "No data"
    if isinstance(value, float) and not math.isfinite(value):
        return "No data"
    text = f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if text == "-0":
        text = "0"
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def bar_chart(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    max_value: float | None = None,
    stacked: bool = False,
    description: str = "",
    category_label: str = "",
    value_label: str = "",
) -> Markup:
    """A bar chart (grouped, or stacked) of one value per category for each series."""
    chart = _Chart(id, title, categories, series, unit, description, category_label, value_label)
    if chart.empty:
        return chart.no_data()
    values = [v for s in chart.series for v in s.values if v is not None]
    if stacked:
        highs = [sum(v for v in col if v is not None and v > 0) for col in chart.columns()]
        lows = [sum(v for v in col if v is not None and v < 0) for col in chart.columns()]
        high, low = max([*highs, 0]), min([*lows, 0])
    else:
        high, low = max([*values, 0]), min([*values, 0])
    scale = _Scale(low, max_value if max_value is not None else high)
    chart.fit(scale)
    body = chart.axes(scale) + _bars(chart, scale, stacked)
    kind = "Stacked bar chart" if stacked else "Bar chart"
    return chart.render(body, scale, kind, legend_kind="fill")


def line_chart(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    min_value: float | None = None,
    max_value: float | None = None,
    description: str = "",
    category_label: str = "",
    value_label: str = "",
) -> Markup:
    """A line chart: one line per series across the categories; None leaves a gap."""
    chart = _Chart(id, title, categories, series, unit, description, category_label, value_label)
    if chart.empty:
        return chart.no_data()
    values = [v for s in chart.series for v in s.values if v is not None]
    low = min_value if min_value is not None else min([*values, 0])
    high = max_value if max_value is not None else max([*values, 0])
    scale = _Scale(low, high)
    chart.fit(scale)
    body = chart.axes(scale) + _lines(chart, scale)
    return chart.render(body, scale, "Line chart", legend_kind="line")


# --- layout --------------------------------------------------------------------------


class _Scale:
    """Maps values to heights on a y axis with 'nice' ticks (1, 2 or 5 times a power of ten)."""

    def __init__(self, low: float, high: float):
        if high < low:
            low, high = high, low
        if high == low:
            high = low + 1
        step = _nice_step((high - low) / 5)
        self.low = math.floor(low / step - 1e-9) * step if low < 0 else low
        self.high = math.ceil(high / step - 1e-9) * step
        self.step = step
        self.ticks = []
        tick = math.floor(self.low / step + 1e-9) * step
        while tick <= self.high + step * 1e-6:
            if tick >= self.low - step * 1e-6:
                self.ticks.append(round(tick, 10))
            tick += step

    def y(self, value: float, top: float) -> float:
        clamped = min(max(value, self.low), self.high)
        return top + PLOT_HEIGHT * (self.high - clamped) / (self.high - self.low)


def _nice_step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


class _Chart:
    def __init__(self, id, title, categories, series, unit, description, category_label, value_label):
        if not _ID.fullmatch(id or ""):
            raise ValueError("a chart id starts with a letter and holds letters, digits, - and _")
        self.id = id
        self.title = title
        self.categories = [str(c) for c in categories]
        # A value that is not a finite number (nan, infinity) is shown as no data.
        self.series = [
            Series(s.name, [v if v is None or math.isfinite(v) else None for v in s.values]) for s in series
        ]
        for s in self.series:
            if len(s.values) != len(self.categories):
                count = len(self.categories)
                raise ValueError(f"series {s.name!r} has {len(s.values)} values for {count} categories")
        self.unit = unit
        self.description = description
        self.category_label = category_label or "Category"
        self.value_label = value_label or (unit.strip() if unit and not unit.startswith("%") else "")
        self.empty = not self.categories or not any(v is not None for s in self.series for v in s.values)
        self.left = float(MARGIN_LEFT)

    def fit(self, scale: _Scale) -> None:
        """Lay out the margins, the legend and the category labels for this scale."""
        tick_unit = self.unit if self.unit.startswith("%") else ""
        widest_tick = max(len(format_value(t, tick_unit)) for t in scale.ticks)
        self.left = max(float(MARGIN_LEFT), widest_tick * CHAR_WIDTH + 16)
        band = self.plot_width / len(self.categories)
        per_line = max(int((band - 6) / CHAR_WIDTH), 1)
        wrapped = [_wrap(c, per_line) for c in self.categories]
        self.rotate = any(lines is None for lines in wrapped)
        if self.rotate:
            # Too narrow to wrap whole words: labels slant, and the first must not leave the image.
            self.labels = [[_shorten(c, ROTATED_LABEL)] for c in self.categories]
            longest = max(len(lines[0]) for lines in self.labels)
            reach = longest * CHAR_WIDTH * 0.82
            self.left = max(self.left, reach - band / 2 + 8)
            bottom = 30 + int(longest * CHAR_WIDTH * 0.58)
        else:
            self.labels = wrapped
            bottom = 24 + 16 * max(len(lines) for lines in wrapped)
        self.legend_rows = self._legend_layout()
        self.top = 24 + LEGEND_ROW * len(self.legend_rows) + (20 if self.value_label else 0)
        self.height = int(self.top + PLOT_HEIGHT + bottom)

    @property
    def plot_width(self) -> float:
        return WIDTH - self.left - MARGIN_RIGHT

    def columns(self) -> list[list[float | None]]:
        return [[s.values[i] for s in self.series] for i in range(len(self.categories))]

    def band(self, index: int) -> tuple[float, float]:
        width = self.plot_width / len(self.categories)
        return self.left + index * width, width

    def _legend_layout(self) -> list[list[tuple[int, float]]]:
        rows: list[list[tuple[int, float]]] = [[]]
        x = 8.0
        for index, s in enumerate(self.series):
            width = 40 + len(_shorten(s.name, MAX_LEGEND)) * CHAR_WIDTH + 24
            if rows[-1] and x + width > WIDTH - MARGIN_RIGHT:
                rows.append([])
                x = 8.0
            rows[-1].append((index, x))
            x += width
        return rows if rows[0] else []

    # --- pieces of SVG

    def axes(self, scale: _Scale) -> str:
        out = []
        left, right = _n(self.left), WIDTH - MARGIN_RIGHT
        for tick in scale.ticks:
            y = _n(scale.y(tick, self.top))
            colour, width = (TEXT, 1) if tick == 0 else (GRID, 1)
            out.append(
                f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{colour}" stroke-width="{width}"/>'
            )
            out.append(
                f'<text x="{_n(self.left - 8)}" y="{y}" text-anchor="end" dominant-baseline="middle">'
                f"{escape(format_value(tick, self.unit if self.unit.startswith('%') else ''))}</text>"
            )
        bottom = self.top + PLOT_HEIGHT
        out.append(
            f'<line x1="{left}" y1="{self.top}" x2="{left}" y2="{bottom}" stroke="{TEXT}" stroke-width="1"/>'
        )
        if self.value_label:
            label = escape(_shorten(self.value_label, MAX_LABEL * 2))
            out.append(f'<text x="8" y="{self.top - 14}" text-anchor="start">{label}</text>')
        for index, lines in enumerate(self.labels):
            x, width = self.band(index)
            centre = _n(x + width / 2)
            if self.rotate:
                out.append(
                    f'<text x="{centre}" y="{bottom + 16}" text-anchor="end" '
                    f'transform="rotate(-35 {centre} {bottom + 16})">{escape(lines[0])}</text>'
                )
            else:
                for number, line in enumerate(lines):
                    y = bottom + 22 + 16 * number
                    out.append(f'<text x="{centre}" y="{y}" text-anchor="middle">{escape(line)}</text>')
        return "".join(out)

    def legend(self, kind: str) -> str:
        out = []
        for row_index, row in enumerate(self.legend_rows):
            y = 12 + row_index * LEGEND_ROW
            for index, x in row:
                if kind == "fill":
                    key = f"cluster-chart__key cluster-chart__series-{index}"
                    out.append(_rect(self, index, x, y, 24, 16, key))
                else:
                    colour, dash = _colour(index), DASHES[index % len(DASHES)]
                    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                    out.append(
                        f'<line x1="{x}" y1="{y + 8}" x2="{x + 32}" y2="{y + 8}" stroke="{colour}" '
                        f'stroke-width="3"{dash_attr}/>'
                    )
                    out.append(_marker(index, x + 16, y + 8, "cluster-chart__key"))
                out.append(
                    f'<text x="{_n(x + 40)}" y="{y + 8}" dominant-baseline="middle">'
                    f"{escape(_shorten(self.series[index].name, MAX_LEGEND))}</text>"
                )
        return "".join(out)

    def defs(self) -> str:
        return "<defs>" + "".join(_pattern(self.id, i) for i in range(len(self.series))) + "</defs>"

    def table(self) -> str:
        head = "".join(
            f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{escape(s.name)}</th>'
            for s in self.series
        )
        rows = []
        for index, category in enumerate(self.categories):
            cells = "".join(
                f'<td class="govuk-table__cell govuk-table__cell--numeric">'
                f"{escape(format_value(s.values[index], self.unit))}</td>"
                for s in self.series
            )
            rows.append(
                f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
                f"{escape(category)}</th>{cells}</tr>"
            )
        return (
            '<details class="govuk-details"><summary class="govuk-details__summary">'
            '<span class="govuk-details__summary-text">Show the data as a table</span></summary>'
            '<div class="govuk-details__text"><table class="govuk-table">'
            f'<caption class="govuk-table__caption govuk-table__caption--s">{escape(self.title)}</caption>'
            '<thead class="govuk-table__head"><tr class="govuk-table__row">'
            f'<th scope="col" class="govuk-table__header">{escape(self.category_label)}</th>'
            f"{head}</tr></thead>"
            f'<tbody class="govuk-table__body">{"".join(rows)}</tbody></table></div></details>'
        )

    def render(self, body: str, scale: _Scale, kind: str, legend_kind: str) -> Markup:
        names = ", ".join(s.name for s in self.series)
        summary = (
            f"{kind} of {names} for {len(self.categories)} "
            f"{'category' if len(self.categories) == 1 else 'categories'}, "
            f"from {format_value(scale.low, self.unit)} to {format_value(scale.high, self.unit)}. "
            "The data is also in the table below the chart."
        )
        description = f"{self.description} {summary}" if self.description else summary
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {self.height}" width="100%" '
            f'role="img" aria-labelledby="{self.id}-title {self.id}-desc" '
            f'font-family="{FONT}" font-size="14" fill="{TEXT}">'
            f'<title id="{self.id}-title">{escape(self.title)}</title>'
            f'<desc id="{self.id}-desc">{escape(description)}</desc>'
            f"{self.defs()}{self.legend(legend_kind)}{body}</svg>"
        )
        return Markup(
            f'<figure class="cluster-chart govuk-!-margin-left-0 govuk-!-margin-right-0" id="{self.id}">'
            f'<figcaption class="govuk-body govuk-!-font-weight-bold">{escape(self.title)}</figcaption>'
            f"{self._description_paragraph()}{svg}{self.table()}</figure>"
        )

    def _description_paragraph(self) -> str:
        return f'<p class="govuk-body">{escape(self.description)}</p>' if self.description else ""

    def no_data(self) -> Markup:
        return Markup(
            f'<figure class="cluster-chart govuk-!-margin-left-0 govuk-!-margin-right-0" id="{self.id}">'
            f'<figcaption class="govuk-body govuk-!-font-weight-bold">{escape(self.title)}</figcaption>'
            '<p class="govuk-body">No data yet.</p></figure>'
        )


def _bars(chart: _Chart, scale: _Scale, stacked: bool) -> str:
    out = []
    zero = scale.y(0, chart.top) if scale.low <= 0 <= scale.high else scale.y(scale.low, chart.top)
    for index in range(len(chart.categories)):
        x, width = chart.band(index)
        inner = width * 0.7
        left = x + (width - inner) / 2
        if stacked:
            up = down = 0.0
            for s_index, s in enumerate(chart.series):
                value = s.values[index]
                if value is None or value == 0:
                    continue
                start = up if value > 0 else down
                end = start + value
                if value > 0:
                    up = end
                else:
                    down = end
                y1, y2 = scale.y(start, chart.top), scale.y(end, chart.top)
                out.append(_bar(chart, s_index, left, min(y1, y2), inner, abs(y1 - y2)))
        else:
            bar = inner / len(chart.series)
            for s_index, s in enumerate(chart.series):
                value = s.values[index]
                if value is None:
                    continue
                y = scale.y(value, chart.top)
                out.append(_bar(chart, s_index, left + s_index * bar, min(y, zero), bar, abs(zero - y)))
    return "".join(out)


def _bar(chart: _Chart, index: int, x: float, y: float, width: float, height: float) -> str:
    return _rect(chart, index, x, y, width, height, f"cluster-chart__bar cluster-chart__series-{index}")


def _rect(chart: _Chart, index: int, x: float, y: float, width: float, height: float, css_class: str) -> str:
    colour = _colour(index)
    fill = colour if FILLS[index % len(FILLS)] == "solid" else f"url(#{chart.id}-fill-{index})"
    return (
        f'<rect class="{css_class}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
    )


def _lines(chart: _Chart, scale: _Scale) -> str:
    out = []
    for s_index, s in enumerate(chart.series):
        colour, dash = _colour(s_index), DASHES[s_index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = []
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(s.values):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            x, width = chart.band(index)
            point = (x + width / 2, scale.y(value, chart.top))
            segments[-1].append(point)
            points.append(point)
        for segment in segments:
            if len(segment) >= 2:
                d = " ".join(f"{'L' if i else 'M'}{_n(px)} {_n(py)}" for i, (px, py) in enumerate(segment))
                out.append(
                    f'<path class="cluster-chart__line" d="{d}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dash_attr}/>'
                )
        for px, py in points:
            out.append(_marker(s_index, px, py))
    return "".join(out)


def _marker(index: int, x: float, y: float, css_class: str = "cluster-chart__point") -> str:
    colour = _colour(index)
    shape = MARKERS[index % len(MARKERS)]
    common = (
        f'class="{css_class} cluster-chart__series-{index}" fill="{colour}" stroke="#ffffff" stroke-width="1"'
    )
    r = 5
    if shape == "circle":
        return f'<circle {common} cx="{_n(x)}" cy="{_n(y)}" r="{r}"/>'
    if shape == "square":
        return f'<rect {common} x="{_n(x - r)}" y="{_n(y - r)}" width="{2 * r}" height="{2 * r}"/>'
    if shape == "triangle":
        pts = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
    elif shape == "triangle-down":
        pts = [(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)]
    elif shape == "diamond":
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    else:  # cross
        a, b = r + 1, 2
        pts = [
            (x - b, y - a),
            (x + b, y - a),
            (x + b, y - b),
            (x + a, y - b),
            (x + a, y + b),
            (x + b, y + b),
            (x + b, y + a),
            (x - b, y + a),
            (x - b, y + b),
            (x - a, y + b),
            (x - a, y - b),
            (x - b, y - b),
        ]
    return f'<polygon {common} points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in pts)}"/>'


def _pattern(chart_id: str, index: int) -> str:
    kind = FILLS[index % len(FILLS)]
    if kind == "solid":
        return ""
    colour = _colour(index)
    shapes = {
        "diagonal": f'<path d="M0 8 L8 0 M-2 2 L2 -2 M6 10 L10 6" stroke="{colour}" stroke-width="2.5"/>',
        "dots": f'<circle cx="4" cy="4" r="2.2" fill="{colour}"/>',
        "crosshatch": f'<path d="M0 8 L8 0 M0 0 L8 8" stroke="{colour}" stroke-width="1.8"/>',
        "horizontal": f'<path d="M0 4 L8 4" stroke="{colour}" stroke-width="3"/>',
        "vertical": f'<path d="M4 0 L4 8" stroke="{colour}" stroke-width="3"/>',
    }
    return (
        f'<pattern id="{chart_id}-fill-{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#ffffff"/>{shapes[kind]}</pattern>'
    )


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _wrap(label: str, per_line: int) -> list[str] | None:
    """Whole words in lines of at most per_line characters (None when a word does not fit);
    past LABEL_LINES lines the last one ends in an ellipsis."""
    lines: list[str] = []
    for word in label.split():
        if len(word) > per_line:
            return None
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        last = lines[-1]
        lines[-1] = last + " …" if len(last) + 2 <= per_line else last[: per_line - 1] + "…"
    return lines or [""]


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _n(value: float) -> str:
    """A coordinate, rounded to 0.01 with no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
