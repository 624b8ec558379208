"""Django admin's autocomplete select, made safe against a posted value that is not an id.

When a form with an autocomplete field fails validation, the admin shows it again, and Django's AutocompleteMixin
looks the posted values up with `filter(pk__in=values)`: a value such as ":" for an integer key raises ValueError,
a 500 for the administrator (found by tests/security/test_fuzz.py). Values the related key cannot read are dropped
before the look-up; the field's own error already says the choice is invalid. One place, for every admin.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_original_optgroups = AutocompleteMixin.optgroups


def _readable(widget, values) -> list:
    remote = widget.field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
    readable = []
    for value in values:
        try:
            target.to_python(value)
        except (ValidationError, ValueError, TypeError):
            continue
        readable.append(value)
    return readable


def optgroups(self, name, value, attr=None):
    return _original_optgroups(self, name, _readable(self, value), attr)


def install() -> None:
    AutocompleteMixin.optgroups = optgroups
