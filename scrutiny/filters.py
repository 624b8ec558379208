"""Filters for the group leader's list of case reviews."""

import django_filters
from django.utils import timezone

from scrutiny import milestones, selectors
from scrutiny.models import CaseReviewStatus, MilestoneKind

TIMING_CHOICES = [(key, label) for key, label in milestones.STATUS_LABELS.items()]


class CaseReviewFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label="Reference")
    status = django_filters.ChoiceFilter(choices=CaseReviewStatus.choices, empty_label="Open cases")
    next_kind = django_filters.ChoiceFilter(
        choices=MilestoneKind.choices, label="Next milestone", empty_label="Any milestone"
    )
    timing = django_filters.ChoiceFilter(
        choices=TIMING_CHOICES, label="Next milestone is", empty_label="Any time", method="filter_timing"
    )

    def filter_timing(self, queryset, name, value):
        return queryset.filter(selectors.timing_filter(value, timezone.localdate()))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Open cases unless a status is asked for: closed ones have nothing left to scrutinise.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=CaseReviewStatus.CLOSED)
        return queryset
