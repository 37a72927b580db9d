"""Small server-side charts as inline SVG: horizontal bars and a line over years.

No script and no style attribute (a strict CSP blocks both): colours are SVG presentation
attributes and classes of ``static/css/portal.css``. Each chart carries ``role="img"``, a
<title> and a <desc> that states every number, and the page shows the same numbers in a table
beside it. A chart over an empty selection is not drawn: the template says 暂无数据.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, BAR_GAP = 22, 8
LABEL_WIDTH, VALUE_WIDTH, PLOT_WIDTH = 170, 60, 340
LABEL_CHARS = 12  # at 13 px a CJK character is about 13 px wide
LINE_WIDTH, LINE_HEIGHT = 560, 220
# The top leaves room for the highest point's value label above it (12 px text, 8 px above).
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 48, 16, 28, 32
# Colours with at least 3:1 contrast against white (WCAG 1.4.11, graphical objects).
BAR_FILL = "#1d6b3a"
LINE_STROKE = "#1d6b3a"
TEXT_FILL = "#1f2933"
AXIS_STROKE = "#5f6b76"


@dataclass(frozen=True)
class Point:
    label: str
    value: float


def _number(value: float) -> str:
    """A value as shown: an integer without decimals, else one decimal."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _short(label: str) -> str:
    """A bar's label as drawn (the full one is in the <desc> and the table)."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _description(points: Sequence[Point], unit: str) -> str:
    return "；".join(f"{point.label}：{_number(point.value)}{unit}" for point in points)


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: str) -> SafeString:
    # Every text inside is escaped above or here, or is a number.
    return mark_safe(
        f'<svg class="stat-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(
    *, chart_id: str, title: str, points: Sequence[Point], unit: str = ""
) -> SafeString | None:
    """Horizontal bars, one per point, longest to scale; None when there is nothing to draw."""
    if not points or not any(point.value for point in points):
        return None
    high = max(point.value for point in points) or 1
    height = len(points) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    rows = []
    for index, point in enumerate(points):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = PLOT_WIDTH * point.value / high
        text_y = _coordinate(y + BAR_HEIGHT * 0.7)
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" fill="{TEXT_FILL}" '
            f'font-size="13">{escape(_short(point.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_coordinate(length)}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_FILL}"></rect>'
            f'<text x="{_coordinate(LABEL_WIDTH + length + 4)}" y="{text_y}" fill="{TEXT_FILL}" '
            f'font-size="13">{escape(_number(point.value))}{escape(unit)}</text>'
        )
    axis = (
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"></line>'
    )
    return _frame(chart_id, title, _description(points, unit), width, height, axis + "".join(rows))


def line_chart(
    *, chart_id: str, title: str, points: Sequence[Point], unit: str = ""
) -> SafeString | None:
    """A line over ordered points (years), from zero, each point labelled with its value;
    None when there is nothing to draw."""
    if not points or not any(point.value for point in points):
        return None
    high = max(point.value for point in points) or 1
    inner_w = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    inner_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0
    base = LINE_TOP + inner_h
    drawn = []
    for index, point in enumerate(points):
        x = LINE_LEFT + (index * step if len(points) > 1 else inner_w / 2)
        y = base - inner_h * point.value / high
        drawn.append((x, y, point))
    polyline = " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y, _ in drawn)
    parts = [
        f'<line x1="{LINE_LEFT}" y1="{base}" x2="{LINE_WIDTH - LINE_RIGHT}" y2="{base}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"></line>',
        f'<text x="{LINE_LEFT - 6}" y="{base}" text-anchor="end" fill="{TEXT_FILL}" '
        f'font-size="12">0</text>',
        f'<polyline points="{polyline}" fill="none" stroke="{LINE_STROKE}" '
        f'stroke-width="2"></polyline>',
    ]
    for x, y, point in drawn:
        parts.append(
            f'<circle cx="{_coordinate(x)}" cy="{_coordinate(y)}" r="4" '
            f'fill="{LINE_STROKE}"></circle>'
            f'<text x="{_coordinate(x)}" y="{_coordinate(y - 8)}" text-anchor="middle" '
            f'fill="{TEXT_FILL}" font-size="12">{escape(_number(point.value))}</text>'
            f'<text x="{_coordinate(x)}" y="{LINE_HEIGHT - 10}" text-anchor="middle" '
            f'fill="{TEXT_FILL}" font-size="12">{escape(point.label)}</text>'
        )
    return _frame(
        chart_id, title, _description(points, unit), LINE_WIDTH, LINE_HEIGHT, "".join(parts)
    )
