"""The reporting filters: period, area, unit, team, assessor, activity, sensitive category and court.

Each choice is limited to the viewer's purview, so a filter can only narrow inside it; a foreign id is refused
as an invalid choice with a message next to the field.
"""

from dataclasses import dataclass
from functools import cached_property, partial

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Activity, Assessment, Court, SensitiveCategory
from organisation import scoping
from organisation.models import Team
from qa_platform import periods
from reporting import selectors


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


@dataclass(frozen=True)
class TeamRow:
    """A team of the purview with its unit and area, as the filters and the figures' scope need them."""

    id: int
    name: str
    unit_id: int
    unit: str
    area_id: int
    area: str


def team_rows(teams: QuerySet[Team]) -> list[TeamRow]:
    """The teams with their units and areas in one query, in the order the selects list them."""
    rows = teams.order_by("unit__area__name", "unit__name", "name").values_list(
        "pk", "name", "unit_id", "unit__name", "unit__area_id", "unit__area__name"
    )
    return [TeamRow(*row) for row in rows]


class LazyChoices:
    """A select's choices, read when the form validates or renders it. Django deep-copies a form's fields, and so
    their choices: this one is kept as it is rather than copying the filter set it reads from."""

    def __init__(self, read):
        self.read = read

    def __call__(self):
        return self.read()

    def __deepcopy__(self, memo):
        return self


# Each place filter, the TeamRow attribute it matches and the IQAs' lookup for it.
PLACES = {"area": "area_id", "unit": "unit_id", "team": "id"}
PLACE_LOOKUPS = {"area": "team__unit__area_id", "unit": "team__unit_id", "team": "team_id"}


class ReportFilter(django_filters.FilterSet):
    """The filters over the IQAs of a purview (`queryset`), whose teams (`teams`) and assessors the selects offer.

    The teams are read once, with their units and areas; the area, unit and team choices come from them, so
    validating a choice needs no query."""

    period = PeriodFilter(
        label="Period", help_text="A business year (2025-26), a quarter (2025-26 Q2), a month or a range."
    )
    area = django_filters.ChoiceFilter(label="Area", method="filter_place", empty_label="All areas")
    unit = django_filters.ChoiceFilter(label="Unit", method="filter_place", empty_label="All units")
    team = django_filters.ChoiceFilter(label="Team", method="filter_place", empty_label="All teams")
    assessor = django_filters.ChoiceFilter(label="Assessor", field_name="assessor_id", empty_label="All assessors")
    activity = django_filters.ChoiceFilter(label="Activity", choices=Activity.choices, empty_label="All activities")
    sensitive_category = django_filters.ChoiceFilter(
        label="Sensitive category", choices=SensitiveCategory.choices, method="filter_sensitive", empty_label="Any"
    )
    court = django_filters.ChoiceFilter(
        label="Court", field_name="case_court", choices=Court.choices, empty_label="Any court"
    )

    class Meta:
        model = Assessment
        fields = []

    @classmethod
    def for_purview(cls, data, user, role) -> "ReportFilter":
        """The filters over the IQAs under the user's purview for the role, offering its teams and their assessors."""
        teams = scoping.teams_in_scope(user, role)
        return cls(
            data,
            queryset=selectors.assessments_under(user, role),
            teams=teams,
            assessors=selectors.assessors_in(teams),
        )

    def __init__(self, data=None, *, queryset: QuerySet[Assessment], teams: QuerySet[Team], assessors, **kwargs):
        self.team_rows = team_rows(teams)
        self._assessors = assessors
        super().__init__(data, queryset=queryset, **kwargs)
        for name in (*PLACES, "assessor"):
            self.filters[name].extra["choices"] = LazyChoices(partial(self.choices_for, name))

    def choices_for(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of an area, unit, team or assessor select, without its empty choice."""
        if name == "assessor":
            return self._assessor_choices
        if name == "area":
            return list(dict.fromkeys((str(row.area_id), row.area) for row in self.team_rows))
        if name == "unit":
            return list(dict.fromkeys((str(row.unit_id), f"{row.unit} ({row.area})") for row in self.team_rows))
        return [(str(row.id), f"{row.name}, {row.unit}") for row in self.team_rows]

    @cached_property
    def _assessor_choices(self) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in self._assessors.order_by("full_name").values_list("pk", "full_name")]

    def options_for(self, name: str) -> list[tuple[str, str]] | None:
        """A select's options with its empty choice first, or None for a text field."""
        field = self.form.fields[name]
        if hasattr(field, "choices"):
            return [(str(value), label) for value, label in field.choices]
        return None

    def chosen_filters(self) -> list[str]:
        """'Label: the chosen option's name' for each filter but the period (named on its own) holding a valid
        choice, as a printed page names them. An assessor's name is read only when one is chosen."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleaned_data then holds the valid choices
        chosen = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "period" or not value:
                continue
            chosen.append(f"{field.label}: {dict(field.choices).get(value, value)}")
        return chosen

    def chosen_team_ids(self) -> list[int]:
        """The purview's teams narrowed by the area, unit and team chosen (those that held, as for the IQAs)."""
        rows = self.team_rows
        if self.is_bound:
            self.form.is_valid()  # cleaned_data then holds the valid choices
            for name, attribute in PLACES.items():
                if value := self.form.cleaned_data.get(name):
                    rows = [row for row in rows if str(getattr(row, attribute)) == value]
        return [row.id for row in rows]

    def filter_place(self, queryset, name, value):
        # The area and unit as columns of the joined tables, as a hand-written query would: a list of their team ids
        # led the planner to misjudge the rows and sort where it could hash.
        return queryset.filter(**{PLACE_LOOKUPS[name]: value})

    def filter_sensitive(self, queryset, name, value):
        return queryset.filter(case_sensitive_categories__contains=[value])

    def chosen_period(self) -> periods.Period:
        """The period asked for, or the current business year when none (or an invalid one, whose error shows by the
        field) was given."""
        chosen = None
        if self.is_bound:
            self.form.is_valid()
            chosen = self.form.cleaned_data.get("period")
        return chosen or periods.business_year(periods.business_year_of(timezone.localdate()))
