"""Charts as small standalone SVG documents, drawn on the server from the same figures as the tables.

Pages draw them inline from the tables they already computed (reporting.views.dashboard.page_charts), so a page
costs one computation; reporting:chart serves the same markup as an image for anyone who links it. The markup holds
presentation attributes only, never a style attribute, <style> or script, as the site's CSP requires, and pages
always show the data table beside a chart. Rates are drawn with their 95% interval as a whisker; a rate too few to
judge is drawn hollow. Every label is XML-escaped.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reporting.stats import Rate

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 18
GAP = 6
TOP = 40
BOTTOM = 30
COLOUR = "#0b3d91"
MUTED = "#6c757d"


@dataclass(frozen=True)
class Bar:
    label: str
    rate: Rate


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> str:
    classes = f' class="{_attribute(css_class)}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{classes} width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attribute(title)}" font-family="sans-serif" '
        f'font-size="12"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<text x="8" y="20" font-size="14" font-weight="bold" fill="#212529">{escape(title)}</text>'
        f"{''.join(body)}</svg>"
    )


def _scale_lines(x0: int, plot_width: int, y_top: int, y_bottom: int) -> list[str]:
    lines = []
    for step in range(0, 101, 25):
        x = x0 + plot_width * step / 100
        lines.append(f'<line x1="{x:.1f}" y1="{y_top}" x2="{x:.1f}" y2="{y_bottom}" stroke="#dee2e6"/>')
        lines.append(f'<text x="{x:.1f}" y="{y_bottom + 16}" text-anchor="middle" fill="#495057">{step}%</text>')
    return lines


def rate_bars(title: str, bars: list[Bar], css_class: str = "") -> str:
    """Horizontal bars, one per rate, 0–100%, each with its interval."""
    x0, plot_width = LABEL_WIDTH, WIDTH - LABEL_WIDTH - 20
    height = TOP + max(len(bars), 1) * (BAR_HEIGHT + GAP) + BOTTOM
    body = _scale_lines(x0, plot_width, TOP - 4, height - BOTTOM)
    if not bars:
        body.append(f'<text x="{x0}" y="{TOP + 14}" fill="{MUTED}">Nothing to show for these filters.</text>')
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        body.append(f'<text x="{x0 - 6}" y="{y + 13}" text-anchor="end" fill="#212529">{escape(bar.label[:32])}</text>')
        rate = bar.rate
        if rate.value is None:
            continue
        width = plot_width * rate.value
        if rate.too_few:
            body.append(
                f'<rect x="{x0}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
        else:
            body.append(f'<rect x="{x0}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        low, high = x0 + plot_width * rate.low, x0 + plot_width * rate.high
        middle = y + BAR_HEIGHT / 2
        body.append(
            f'<line x1="{low:.1f}" y1="{middle}" x2="{high:.1f}" y2="{middle}" stroke="#fd7e14" stroke-width="2"/>'
        )
    return _svg(WIDTH, height, title, body, css_class)


def count_bars(title: str, counts: list[tuple[str, int]], css_class: str = "") -> str:
    """Horizontal bars of counts, scaled to the largest."""
    x0, plot_width = LABEL_WIDTH, WIDTH - LABEL_WIDTH - 60
    height = TOP + max(len(counts), 1) * (BAR_HEIGHT + GAP) + 10
    largest = max((count for _, count in counts), default=0) or 1
    body = []
    for index, (label, count) in enumerate(counts):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = plot_width * count / largest
        body.append(f'<text x="{x0 - 6}" y="{y + 13}" text-anchor="end" fill="#212529">{escape(label[:32])}</text>')
        body.append(f'<rect x="{x0}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        body.append(f'<text x="{x0 + width + 4:.1f}" y="{y + 13}" fill="#212529">{count}</text>')
    return _svg(WIDTH, height, title, body, css_class)
