"""Render a reporting table cell by its column's kind; build export links."""

import html
from fractions import Fraction

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe

from qa_platform.percent import percent_text, points_text
from reporting.stats import Rate

register = template.Library()

SELECTED = " selected"
MULTIPLE = mark_safe(' multiple size="6"')  # noqa: S308 - a constant
NOTHING = mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308 - a constant


@register.filter
def percent(value):
    """A proportion as the tables print it: 0.0625 → '6.3%' (qa_platform.percent, half-up, one decimal)."""
    return percent_text(value)


def _escape(value) -> str:
    # conditional_escape without its overhead: a dashboard has thousands of cells.
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _cell_html(kind: str, value) -> str:
    if value is None or value == "":
        return NOTHING
    if kind == "rate" and isinstance(value, Rate):
        if not value.total:
            return NOTHING
        if value.too_few:
            return (
                '<span class="text-body-secondary" data-too-few>too few to judge</span> '
                f'<small class="text-body-secondary">({value.successes:d} of {value.total:d})</small>'
            )
        return (
            f'<span class="fw-semibold">{value.percent}%</span> <small class="text-body-secondary">'
            f"{value.low_percent}–{value.high_percent}% · n={value.total:d}</small>"
        )
    if kind == "share" and isinstance(value, float | Fraction):
        return percent_text(value)
    if kind == "difference" and isinstance(value, float | Fraction):
        return points_text(value)
    if kind == "difference" and isinstance(value, int):
        return f"{value:+d}"
    return _escape(value)


def _cell_content(column, cell) -> str:
    text = _cell_html(column.kind, cell.value)
    return f'<a href="{html.escape(cell.href)}">{text}</a>' if cell.href else text


@register.simple_tag
def export_url(page, table, fmt, query):
    return f"{reverse('reporting:export', args=[page, table, fmt])}?{query}"


_CELL_CLASSES = {"text": "", "rate": ' class="text-end text-nowrap"'}
NUMBER_CLASS = ' class="text-end"'


@register.simple_tag
def table_rows(table):
    """Every row of a table in one pass of plain string building, each value escaped: a template loop per cell, then
    format_html per cell, were a large part of a page's time."""
    rows = []
    for row in table.rows:
        cells = []
        for index, (column, cell) in enumerate(zip(table.columns, row, strict=False)):
            content = _cell_content(column, cell)
            if index == 0:
                cells.append(f'<th scope="row" class="fw-normal">{content}</th>')
            else:
                cells.append(f"<td{_CELL_CLASSES.get(column.kind, NUMBER_CLASS)}>{content}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above


@register.filter
def chart_for(charts, name):
    """(inline SVG, title, note) of the chart drawn from the named table, or None."""
    return (charts or {}).get(name)


def _options_html(options, chosen) -> str:
    # Escaped directly rather than through format_html: a national viewer's selects hold hundreds of options.
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{_escape(option)}"{SELECTED if option in chosen else ""}>{_escape(label)}</option>'
            for option, label in options
        )
    )


@register.simple_tag
def fast_field(bound_field, options=None):
    """A form field as Bootstrap markup (label, select or text input, error, help) in one pass.

    The reporting filters' selects can hold hundreds of teams and assessors; rendering each option through
    Django's widget templates cost more than computing the page's figures.
    """
    field_id, name = bound_field.auto_id, bound_field.html_name
    value = bound_field.value()
    chosen = {str(item) for item in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    errors = bound_field.errors
    described = " ".join(
        part
        for part, present in ((f"{field_id}_error", errors), (f"{field_id}_helptext", bound_field.help_text))
        if present
    )
    invalid = " is-invalid" if errors else ""
    attributes = format_html(' aria-describedby="{}"', described) if described else ""
    if options is None:
        control = format_html(
            '<input type="text" name="{}" id="{}" value="{}" class="form-control{}"{}>',
            name,
            field_id,
            "" if value is None else value,
            invalid,
            attributes,
        )
    else:
        is_multiple = getattr(bound_field.field.widget, "allow_multiple_selected", False)
        control = format_html(
            '<select name="{}" id="{}" class="form-select{}"{}{}>{}</select>',
            name,
            field_id,
            invalid,
            MULTIPLE if is_multiple else "",
            attributes,
            _options_html(options, chosen),
        )
    error_html = format_html_join(
        "", '<div class="invalid-feedback d-block" id="{}">{}</div>', ((f"{field_id}_error", e) for e in errors)
    )
    help_html = (
        format_html('<div class="form-text" id="{}_helptext">{}</div>', field_id, bound_field.help_text)
        if bound_field.help_text
        else ""
    )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field_id,
        bound_field.label,
        control,
        error_html,
        help_html,
    )


@register.simple_tag
def filter_field(report_filter, bound_field):
    return fast_field(bound_field, report_filter.options_for(bound_field.name))


@register.simple_tag
def choice_field(bound_field):
    """A choice field of an ordinary form (the comparison's), or a text field when it has no choices."""
    choices = getattr(bound_field.field, "choices", None)
    return fast_field(bound_field, None if choices is None else [(str(v), label) for v, label in choices])
