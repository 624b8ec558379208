"""Filters for the IQA lists."""

import django_filters
from django import forms

from assessments.models import Activity, State
from organisation.models import Person

DATE_INPUT = {"type": "date"}


class IQAFilter(django_filters.FilterSet):
    assessed = django_filters.ModelChoiceFilter(label="Person", queryset=Person.objects.none(), empty_label="Anyone")
    activity = django_filters.ChoiceFilter(choices=Activity.choices, empty_label="Any activity")
    work_from = django_filters.DateFilter(
        field_name="work_date", lookup_expr="gte", label="Work from", widget=forms.DateInput(attrs=DATE_INPUT)
    )
    work_to = django_filters.DateFilter(
        field_name="work_date", lookup_expr="lte", label="Work to", widget=forms.DateInput(attrs=DATE_INPUT)
    )
    state = django_filters.ChoiceFilter(choices=State.choices, empty_label="Any state")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.filters["assessed"]
        else:
            self.filters["assessed"].queryset = people
