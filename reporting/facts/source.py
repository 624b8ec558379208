"""The facts a report reads: those of the viewer's purview and filters (by team and assessor, or by area), or
None when they cannot give its figures; narrowing them to a period or to the groups compared."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from assessments.models import Assessment
from assessments.selectors import in_period as iqas_in_period
from organisation import scoping
from organisation.models import Role
from qa_platform.periods import Period
from reporting import figures
from reporting.models import (
    AnswerAreaFact,
    AnswerFact,
    IqaAreaFact,
    IqaFact,
    ReasonAreaFact,
    ReasonFact,
    RemarkAreaFact,
    RemarkFact,
)

# Off in a test that compares the two paths, or to rule the facts out.
ENABLED = True


@dataclass(frozen=True)
class FactSet:
    """The facts of a purview and filters (any period, or narrowed), and the raw IQAs they count. When the purview
    and filters are whole areas (or the nation), these are the area facts, and `fine` the same by team and assessor,
    for the figures that group by them."""

    answers: QuerySet
    reasons: QuerySet
    iqas: QuerySet
    remarks: QuerySet
    assessments: QuerySet[Assessment]
    fine: "FactSet | None" = None

    def filter(self, condition: Q, raw_condition: Q) -> "FactSet":
        return FactSet(
            self.answers.filter(condition),
            self.reasons.filter(condition),
            self.iqas.filter(condition),
            self.remarks.filter(condition),
            self.assessments.filter(raw_condition),
            self.fine.filter(condition, raw_condition) if self.fine else None,
        )

    @property
    def by_team(self) -> "FactSet":
        """The facts by team and assessor, for the figures that group or filter by them."""
        return self.fine or self

    @property
    def area_field(self) -> str:
        return "area_id" if self.fine else "team__unit__area_id"


def whole_months(period: Period) -> bool:
    """The facts count by month: they serve periods that start on a 1st and end on a month's last day."""
    return period.start.day == 1 and period.end_exclusive.day == 1


def for_report(report, *periods: Period) -> FactSet | None:
    """The facts under the report's purview and filters, or None when they cannot give its figures (a sensitive
    category chosen, a period not made of whole months)."""
    report_filter = report.filter
    if not ENABLED or not all(whole_months(period) for period in (report.period, *periods)):
        return None
    if report_filter.is_bound:
        report_filter.form.is_valid()
        if report_filter.form.cleaned_data.get("sensitive_category"):
            return None

    def scoped(model):
        queryset = scoping.records_in_scope(
            report.request.user, model.objects.all(), Role.PERFORMANCE_VIEWER, team_field="team"
        )
        # The report's own filters (place, assessor, activity, court), on the facts' columns of the same names.
        return report_filter.filter_queryset(queryset) if report_filter.is_bound else queryset

    fine = FactSet(scoped(AnswerFact), scoped(ReasonFact), scoped(IqaFact), scoped(RemarkFact), report.assessments)
    return _by_area(report, fine) or fine


# The filters the area facts serve, on their columns (any other place, or an assessor, needs the facts by team).
_AREA_FILTERS = {"area": "area_id", "activity": "activity", "court": "case_court"}


def _by_area(report, fine: FactSet) -> FactSet | None:
    """The area facts of the report's purview and filters, when both are whole areas or the nation, else None."""
    whole_areas, areas = scoping.areas_of_purview(report.request.user, Role.PERFORMANCE_VIEWER)
    chosen = report.filter.form.cleaned_data if report.filter.is_bound else {}
    if not whole_areas or any(chosen.get(name) for name in ("unit", "team", "assessor")):
        return None
    condition = Q(area_id__in=areas) if areas is not None else Q()
    for name, column in _AREA_FILTERS.items():
        if chosen.get(name):
            condition &= Q(**{column: chosen[name]})

    def scoped(model):
        return model.objects.filter(condition)

    return FactSet(
        scoped(AnswerAreaFact),
        scoped(ReasonAreaFact),
        scoped(IqaAreaFact),
        scoped(RemarkAreaFact),
        fine.assessments,
        fine,
    )


def in_months(period: Period) -> Q:
    return Q(month__gte=period.start, month__lte=period.end)


def in_period(source, period: Period):
    if not isinstance(source, FactSet):
        return iqas_in_period(source, period)
    return source.filter(in_months(period), Q(work_date__gte=period.start, work_date__lte=period.end))


def in_groups(source, dimension: str, keys: list):
    if not isinstance(source, FactSet):
        return figures.in_groups(source, dimension, keys)
    field = figures.DIMENSION_FIELDS[dimension]
    return source.by_team.filter(Q(**{f"{field}__in": keys}), Q(**{f"{field}__in": keys}))
