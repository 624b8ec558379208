from django import template
from django.utils.html import format_html

from organisation import once

register = template.Library()


@register.simple_tag
def form_token():
    """The hidden one-time token of a create form (organisation/once.py): put it beside {% csrf_token %}."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
