"""Charts drawn on the server as SVG strings: the same code for the PDFs (WeasyPrint draws inline SVG) and any page,
no JavaScript. Every bar and point carries a <title>, which browsers show as a tooltip and screen readers read.

Bars are horizontal, so long Chinese labels (units, towns) stay readable; the line chart is for series over months.
Labels and titles are escaped: they may come from names people typed."""
from html import escape

FONT = "Noto Sans CJK SC, Noto Serif CJK SC, sans-serif"
BAR_COLOUR = "#b22222"
LINE_COLOUR = "#1f4e8c"
PREVIOUS_COLOUR = "#6b6b6b"


def _number(value) -> str:
    value = float(value or 0)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _text(x, y, text, *, size=11, anchor="start", fill="#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-family="{FONT}">{escape(str(text))}</text>')


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def bar_chart(labels: list[str], values: list[float], *, title: str = "", unit: str = "", width: int = 480) -> str:
    """Horizontal bars, one row per label, the value written after each bar."""
    labels, values = [str(label) for label in labels], [float(v or 0) for v in values]
    row, top, label_width = 22, 26 if title else 6, 150
    height = top + row * max(len(labels), 1) + 8
    plot = width - label_width - 56
    largest = max(values, default=0) or 1
    body = [_text(width / 2, 16, title, size=13, anchor="middle")] if title else []
    if not labels:
        body.append(_text(width / 2, top + 14, "暂无数据", anchor="middle", fill="#777"))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        length = plot * value / largest
        shown = label if len(label) <= 11 else label[:10] + "…"
        tip = f"{label}：{_number(value)}{unit}"
        body.append(f"<g><title>{escape(tip)}</title>"
                    + _text(label_width - 6, y + 15, shown, anchor="end")
                    + f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 0.5):.1f}" height="{row - 8}" '
                      f'fill="{BAR_COLOUR}"/>'
                    + _text(label_width + length + 4, y + 15, f"{_number(value)}{unit}", size=10) + "</g>")
    return _svg(width, height, title or "柱状图", body)


def line_chart(labels: list[str], values: list[float], *, title: str = "", unit: str = "", width: int = 480,
               height: int = 220, previous: list[float] | None = None, series: tuple[str, str] = ("今年", "去年同期")) -> str:
    """A line over the labels (months), with a dot and a tooltip at each point and the axis from zero. With `previous`
    a second, dashed line compares (last year's same months); a legend names both in words, and each point's tooltip
    says which series it belongs to, so neither colour nor dash alone carries the meaning."""
    labels, values = [str(label) for label in labels], [float(v or 0) for v in values]
    previous = None if previous is None else [float(v or 0) for v in previous]
    left, right, top, bottom = 40, 12, 26 if title else 8, 28
    legend = 18 if previous is not None else 0
    plot_w, plot_h = width - left - right, height - top - bottom - legend
    largest = max([*values, *(previous or [])], default=0) or 1
    body = [_text(width / 2, 16, title, size=13, anchor="middle")] if title else []
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>')
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>')
    body.append(_text(left - 4, top + 10, _number(largest), size=9, anchor="end"))
    body.append(_text(left - 4, top + plot_h, "0", size=9, anchor="end"))
    if not labels:
        body.append(_text(width / 2, top + plot_h / 2, "暂无数据", anchor="middle", fill="#777"))
        return _svg(width, height, title or "折线图", body)
    step = plot_w / max(len(labels) - 1, 1)

    def points_of(series_values):
        return [(left + (i * step if len(labels) > 1 else plot_w / 2), top + plot_h - plot_h * v / largest)
                for i, v in enumerate(series_values)]

    lines = [(values, LINE_COLOUR, "", series[0] if previous is not None else "")]
    if previous is not None:
        lines.insert(0, (previous, PREVIOUS_COLOUR, ' stroke-dasharray="5,3"', series[1]))
    for series_values, colour, dash, name in lines:
        points = points_of(series_values)
        body.append('<polyline fill="none" stroke="{}" stroke-width="2"{} points="{}"/>'.format(
            colour, dash, " ".join(f"{x:.1f},{y:.1f}" for x, y in points)))
        prefix = f"{name}·" if name else ""
        for (x, y), label, value in zip(points, labels, series_values, strict=True):
            body.append(f"<g><title>{escape(f'{prefix}{label}：{_number(value)}{unit}')}</title>"
                        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/></g>')
    for x, label in zip((p[0] for p in points_of(values)), labels, strict=True):
        body.append(_text(x, top + plot_h + 16, label, size=9, anchor="middle"))
    if previous is not None:
        y = height - 6
        for offset, (colour, dash, name) in enumerate(((LINE_COLOUR, "", series[0]),
                                                       (PREVIOUS_COLOUR, ' stroke-dasharray="5,3"', series[1]))):
            x = left + offset * 120
            body.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{colour}" stroke-width="2"{dash}/>')
            body.append(_text(x + 27, y, name, size=10))
    return _svg(width, height, title or "折线图", body)


def draw(chart) -> str:
    """A registry Chart (congress.reports.registry) as SVG."""
    if chart.kind == "line":
        return line_chart(chart.labels, chart.values, title=chart.title, unit=chart.unit,
                          previous=chart.previous, series=tuple(chart.series))
    return bar_chart(chart.labels, chart.values, title=chart.title, unit=chart.unit)
