"""Render a reporting table cell by its column's kind; build export links."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reporting.stats import Rate

register = template.Library()

NOTHING = mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308 - a constant


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _cell_text(kind: str, value):
    if value is None or value == "":
        return NOTHING
    if kind == "rate" and isinstance(value, Rate):
        if not value.total:
            return NOTHING
        if value.too_few:
            return format_html(
                '<span class="text-body-secondary" data-too-few>too few to judge</span> '
                '<small class="text-body-secondary">({} of {})</small>',
                value.successes,
                value.total,
            )
        return format_html(
            '<span class="fw-semibold">{}</span> <small class="text-body-secondary">{}–{} · n={}</small>',
            _percent(value.value),
            _percent(value.low),
            _percent(value.high),
            value.total,
        )
    if kind == "share" and isinstance(value, float):
        return _percent(value)
    if kind == "difference" and isinstance(value, float):
        return f"{value * 100:+.0f} pts"
    if kind == "difference" and isinstance(value, int):
        return f"{value:+d}"
    return value


@register.simple_tag
def table_cell(column, cell):
    text = _cell_text(column.kind, cell.value)
    if cell.href:
        return format_html('<a href="{}">{}</a>', cell.href, text)
    return format_html("{}", text)


@register.simple_tag
def export_url(page, table, fmt, query):
    return f"{reverse('reporting:export', args=[page, table, fmt])}?{query}"


@register.filter
def cells_with_columns(row, columns):
    return zip(columns, row, strict=False)


@register.filter
def chart_for(charts, name):
    """(url, title) of the chart drawn from the named table, or None."""
    return (charts or {}).get(name)
