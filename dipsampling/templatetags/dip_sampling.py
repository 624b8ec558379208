"""Percentages as the annex B tables print them: one decimal place, a dash when there is nothing to divide."""

from django import template

from qa_platform.percent import percent_text

register = template.Library()


@register.filter
def percent(value):
    """0.0625 → '6.3%' (half-up, as the inspection tables print it: qa_platform.percent); None → '—'."""
    return percent_text(value, empty="—")
