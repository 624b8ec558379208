"""Percentages as the annex B tables print them: one decimal place, a dash when there is nothing to divide."""

from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.143 → '14.3%'; None → '—'."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
