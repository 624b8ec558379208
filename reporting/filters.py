"""The reporting filters: period, area, unit, team, assessor, activity, sensitive category and court.

Each choice is limited to the viewer's purview, so a filter can only narrow inside it; a foreign id is refused
as an invalid choice with a message next to the field.
"""

from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from assessments.models import Activity, Assessment, Court, SensitiveCategory
from organisation.models import Area, Person, Team, Unit
from reporting import periods


class PeriodField(forms.CharField):
    """A period label (2017-18, 2017-18 Q2, 2017-05, 2017-04-10..2017-05-31) read into a Period."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return periods.parse(value)
        except periods.PeriodError as error:
            raise ValidationError(str(error)) from error


class PeriodFilter(django_filters.Filter):
    """Validated here; the views narrow to the period themselves, because the trend over recent quarters and the
    comparison by period need the IQAs outside it."""

    field_class = PeriodField

    def filter(self, qs, value):
        return qs


class ReportFilter(django_filters.FilterSet):
    period = PeriodFilter(
        label="Period", help_text="A business year (2025-26), a quarter (2025-26 Q2), a month or a range."
    )
    area = django_filters.ModelChoiceFilter(
        label="Area", field_name="team__unit__area", queryset=Area.objects.none(), empty_label="All areas"
    )
    unit = django_filters.ModelChoiceFilter(
        label="Unit", field_name="team__unit", queryset=Unit.objects.none(), empty_label="All units"
    )
    team = django_filters.ModelChoiceFilter(label="Team", queryset=Team.objects.none(), empty_label="All teams")
    assessor = django_filters.ModelChoiceFilter(
        label="Assessor", queryset=Person.objects.none(), empty_label="All assessors"
    )
    activity = django_filters.ChoiceFilter(label="Activity", choices=Activity.choices, empty_label="All activities")
    sensitive_category = django_filters.ChoiceFilter(
        label="Sensitive category", choices=SensitiveCategory.choices, method="filter_sensitive", empty_label="Any"
    )
    court = django_filters.ChoiceFilter(
        label="Court", field_name="case__court", choices=Court.choices, empty_label="Any court"
    )

    class Meta:
        model = Assessment
        fields = []

    def __init__(self, *args, teams, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = Area.objects.filter(pk__in=teams.values("unit__area_id"))
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=teams.values("unit_id")).select_related("area")
        self.filters["team"].queryset = teams.select_related("unit__area")
        self.filters["assessor"].queryset = assessors

    @cached_property
    def select_options(self) -> dict[str, list[tuple[str, str]]]:
        """(value, label) for the area, unit, team and assessor selects, read as plain rows in two queries: the
        areas and units are the teams', in the same order. Building a model instance per option made the page's
        rendering the slowest part of it."""
        teams = (
            self.filters["team"]
            .queryset.order_by("unit__area__name", "unit__name", "name")
            .values_list("pk", "name", "unit_id", "unit__name", "unit__area_id", "unit__area__name")
        )
        areas, units, team_options = {}, {}, []
        for pk, name, unit_id, unit, area_id, area in teams:
            areas.setdefault(str(area_id), area)
            units.setdefault(str(unit_id), f"{unit} ({area})")
            team_options.append((str(pk), f"{name}, {unit}"))
        assessors = self.filters["assessor"].queryset.order_by("full_name").values_list("pk", "full_name")
        return {
            "area": list(areas.items()),
            "unit": list(units.items()),
            "team": team_options,
            "assessor": [(str(pk), name) for pk, name in assessors],
        }

    def options_for(self, name: str) -> list[tuple[str, str]] | None:
        """A select's options with its empty choice first, or None for a text field."""
        field = self.form.fields[name]
        if name in self.select_options:
            return [("", field.empty_label), *self.select_options[name]]
        if hasattr(field, "choices"):
            return [(str(value), label) for value, label in field.choices]
        return None

    def filter_sensitive(self, queryset, name, value):
        return queryset.filter(case__sensitive_categories__contains=[value])

    def chosen_period(self):
        """The period asked for, or None when none (or an invalid one, whose error shows by the field) was given."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        return self.form.cleaned_data.get("period")
