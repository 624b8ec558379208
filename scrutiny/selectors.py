"""Which case reviews a user may see, and the reads behind the scrutiny screens. Every scrutiny page reads here."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from organisation import scoping
from organisation.models import Person, Role, Team, TeamMembership
from qa_platform.percent import percent_of
from scrutiny import milestones
from scrutiny.models import CaseReview, CaseReviewStatus, Milestone, MilestoneAction, MilestoneKind, MilestoneStatus


def visible_case_reviews(user, *, named: bool = True) -> QuerySet[CaseReview]:
    """Case reviews in the user's case scrutiny purview, and (with `named`) those naming them as case review
    manager or group leader. Anything else is absent, so fetching it by id is a 404."""
    own = _naming(user) if named else None
    return scoping.records_in_scope(user, CaseReview.objects.all(), Role.CASE_SCRUTINY, own=own)


def _naming(user) -> Q:
    return Q(case_review_manager=user) | Q(group_leader=user)


def named_on_case_reviews(user) -> bool:
    """Whether the user is the case review manager or group leader of any case review.

    Rules 7 and 8 and seed 000 (3.1(1)) give a case review manager (CRM) no purview: they are the caseworker whose
    cases the group leader scrutinises, so what they may see comes from the cases naming them, not from a role.
    """
    return getattr(user, "is_authenticated", False) and CaseReview.objects.filter(_naming(user)).exists()


def case_review_teams(user) -> QuerySet[Team]:
    """The teams the user may open a case review in: their case scrutiny purview, and the teams of the case reviews
    naming them (a CRM or group leader without the role opens cases where they already work on them)."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    condition = Q(pk__in=CaseReview.objects.filter(_naming(user)).values("team_id"))
    if Role.CASE_SCRUTINY in scoping.roles_held(user):
        condition |= Q(pk__in=scoping.teams_in_scope(user, Role.CASE_SCRUTINY).values("pk"))
    return (
        Team.objects.filter(condition).select_related("unit__area").order_by("unit__area__name", "unit__name", "name")
    )


def case_review_people(teams: QuerySet[Team]) -> QuerySet[Person]:
    """Who may be named as a case's CRM or group leader: the people in post today in the units of those teams."""
    in_post = TeamMembership.objects.active_on(timezone.localdate()).filter(team__unit__in=teams.values("unit_id"))
    return Person.objects.filter(pk__in=in_post.values("person_id"), is_active=True).order_by("full_name", "pk")


@dataclass(frozen=True)
class CasePermissions:
    """What the user may see and do on one case they can open."""

    oversees: bool  # holds case scrutiny over the case's team
    is_group_leader: bool
    is_case_review_manager: bool
    user_id: int | None = None

    @property
    def see_applicant(self) -> bool:
        """The applicant's name is for those named on the case and case scrutiny holders over it (like IQA
        comments, it is not for everyone who can count the case)."""
        return self.oversees or self.is_group_leader or self.is_case_review_manager

    @property
    def scrutinise(self) -> bool:
        """Record milestones and follow up their actions: the group leader or a case scrutiny holder over it."""
        return self.oversees or self.is_group_leader

    @property
    def note_one_to_one(self) -> bool:
        return self.oversees or self.is_group_leader or self.is_case_review_manager

    @property
    def manage(self) -> bool:
        """Correct the case's details, close it with its decision and reopen it: its CRM and group leader, whose
        case it is, and case scrutiny holders over it. (Recording the scrutiny itself stays with the group leader
        and the holders: the scrutiny is of the CRM's own review.)"""
        return self.oversees or self.is_group_leader or self.is_case_review_manager

    def follow_up(self, action) -> bool:
        """Follow up an action: those who scrutinise the case, and the action's owner (often the CRM)."""
        return self.scrutinise or action.owner_id == self.user_id


def case_permissions(user, case_review: CaseReview) -> CasePermissions:
    """One query at most (none for a user without the case scrutiny role)."""
    oversees = (
        Role.CASE_SCRUTINY in scoping.roles_held(user)
        and scoping.teams_in_scope(user, Role.CASE_SCRUTINY).filter(pk=case_review.team_id).exists()
    )
    return CasePermissions(
        oversees=oversees,
        is_group_leader=user.pk == case_review.group_leader_id,
        is_case_review_manager=user.pk == case_review.case_review_manager_id,
        user_id=user.pk,
    )


def _next_pending(field: str):
    """A subquery for the case's earliest pending milestone's `field`."""
    return Subquery(
        Milestone.objects.filter(case_review=OuterRef("pk"), status=MilestoneStatus.PENDING)
        .order_by("due_on", "pk")
        .values(field)[:1]
    )


def with_next_milestone(case_reviews: QuerySet[CaseReview]) -> QuerySet[CaseReview]:
    return case_reviews.annotate(next_due_on=_next_pending("due_on"), next_kind=_next_pending("kind"))


KIND_LABELS = dict(MilestoneKind.choices)


def describe_next(case_review, today: date) -> None:
    """Set the next milestone's label and timing on a case annotated by with_next_milestone."""
    case_review.next_label = KIND_LABELS.get(case_review.next_kind, "")
    case_review.next_timing = (
        milestones.timing(case_review.next_due_on, today, days_before=settings.SCRUTINY_REMINDER_DAYS_BEFORE)
        if case_review.next_due_on and not case_review.is_closed
        else ""
    )
    case_review.next_timing_label = milestones.STATUS_LABELS.get(case_review.next_timing, "")


def timing_filter(timing: str, today: date) -> Q:
    """Cases whose next pending milestone (annotation next_due_on) stands at `timing` today."""
    soon = today + timedelta(days=settings.SCRUTINY_REMINDER_DAYS_BEFORE)
    open_case = ~Q(status=CaseReviewStatus.CLOSED)
    return (
        open_case
        & {
            milestones.OVERDUE: Q(next_due_on__lt=today),
            milestones.DUE: Q(next_due_on=today),
            milestones.DUE_SOON: Q(next_due_on__gt=today, next_due_on__lte=soon),
            milestones.UPCOMING: Q(next_due_on__gt=soon),
        }[timing]
    )


def mot_proposals(user, today: date) -> QuerySet[Milestone]:
    """MOTs the user may select: pending and not yet selected, on open cases past 6 weeks in their purview."""
    return (
        Milestone.objects.filter(
            kind=MilestoneKind.MOT,
            status=MilestoneStatus.PENDING,
            selected_for_mot_at__isnull=True,
            due_on__lte=today,
            case_review__in=visible_case_reviews(user, named=False).exclude(status=CaseReviewStatus.CLOSED),
        )
        .select_related("case_review__case_review_manager", "case_review__team")
        .order_by("due_on", "pk")
    )


@dataclass
class Overview:
    bands: list[tuple[str, int]]
    open_total: int
    overdue: dict[str, int]
    overdue_total: int
    mot_past_6_weeks: int
    mot_selected: int  # selected and not yet done
    mot_done: int

    @property
    def mot_coverage_percent(self) -> Decimal | None:
        return percent_of(self.mot_done, self.mot_past_6_weeks)


def overview(user, today: date) -> Overview:
    """The managers' scrutiny overview of their purview, in two queries: open cases by age band, and milestones
    (overdue by kind; MOT coverage of open cases past 6 weeks). No names: counts only."""
    cases = visible_case_reviews(user, named=False).exclude(status=CaseReviewStatus.CLOSED)
    edges = milestones.band_boundaries(today)
    counts = cases.aggregate(
        total=Count("pk"),
        over_2_years=Count("pk", filter=Q(allocated_on__lte=edges[milestones.BAND_OVER_2_YEARS])),
        from_10_months=Count(
            "pk",
            filter=Q(
                allocated_on__lte=edges[milestones.BAND_10_MONTHS_TO_2_YEARS],
                allocated_on__gt=edges[milestones.BAND_OVER_2_YEARS],
            ),
        ),
        from_6_weeks=Count(
            "pk",
            filter=Q(
                allocated_on__lte=edges[milestones.BAND_6_WEEKS_TO_10_MONTHS],
                allocated_on__gt=edges[milestones.BAND_10_MONTHS_TO_2_YEARS],
            ),
        ),
    )
    under = counts["total"] - counts["over_2_years"] - counts["from_10_months"] - counts["from_6_weeks"]
    bands = [
        (milestones.AGE_BANDS[milestones.BAND_UNDER_6_WEEKS], under),
        (milestones.AGE_BANDS[milestones.BAND_6_WEEKS_TO_10_MONTHS], counts["from_6_weeks"]),
        (milestones.AGE_BANDS[milestones.BAND_10_MONTHS_TO_2_YEARS], counts["from_10_months"]),
        (milestones.AGE_BANDS[milestones.BAND_OVER_2_YEARS], counts["over_2_years"]),
    ]
    pending = Q(status=MilestoneStatus.PENDING)
    mot = Q(kind=MilestoneKind.MOT, due_on__lte=today)
    stats = Milestone.objects.filter(case_review__in=cases).aggregate(
        overdue_mot=Count("pk", filter=pending & Q(kind=MilestoneKind.MOT, due_on__lt=today)),
        overdue_ten_month=Count("pk", filter=pending & Q(kind=MilestoneKind.TEN_MONTH, due_on__lt=today)),
        overdue_lrcc=Count("pk", filter=pending & Q(kind=MilestoneKind.LRCC, due_on__lt=today)),
        mot_past=Count("pk", filter=mot),
        mot_selected=Count("pk", filter=mot & pending & Q(selected_for_mot_at__isnull=False)),
        mot_done=Count("pk", filter=mot & Q(status=MilestoneStatus.DONE)),
    )
    overdue = {
        KIND_LABELS[MilestoneKind.MOT]: stats["overdue_mot"],
        KIND_LABELS[MilestoneKind.TEN_MONTH]: stats["overdue_ten_month"],
        KIND_LABELS[MilestoneKind.LRCC]: stats["overdue_lrcc"],
    }
    return Overview(
        bands=bands,
        open_total=counts["total"],
        overdue=overdue,
        overdue_total=sum(overdue.values()),
        mot_past_6_weeks=stats["mot_past"],
        mot_selected=stats["mot_selected"],
        mot_done=stats["mot_done"],
    )


def home_card(user, today: date) -> dict[str, int]:
    """The home page's milestones card for a case scrutiny holder: pending milestones overdue, and due today or
    within the reminder window, on open cases they oversee or lead (two queries: purviews, counts)."""
    soon = today + timedelta(days=settings.SCRUTINY_REMINDER_DAYS_BEFORE)
    cases = visible_case_reviews(user).exclude(status=CaseReviewStatus.CLOSED)
    return Milestone.objects.filter(case_review__in=cases, status=MilestoneStatus.PENDING).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )


def case_milestones(case_review: CaseReview, today: date) -> list[Milestone]:
    """The case's milestones with who did them and their actions (three queries), each pending one of an open case
    with its timing today."""
    rows = list(
        case_review.milestones.select_related("done_by").prefetch_related(
            Prefetch("actions", queryset=MilestoneAction.objects.select_related("owner"))
        )
    )
    for milestone in rows:
        milestone.timing = ""
        if milestone.status == MilestoneStatus.PENDING and not case_review.is_closed:
            milestone.timing = milestones.timing(
                milestone.due_on, today, days_before=settings.SCRUTINY_REMINDER_DAYS_BEFORE
            )
            milestone.timing_label = milestones.STATUS_LABELS[milestone.timing]
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    what: str
    detail: str = ""


def timeline(case_review: CaseReview, case_milestones: list[Milestone], notes) -> list[TimelineEntry]:
    """The case's story in date order: allocation, each scrutiny, the actions and follow-ups, the 1:1s."""
    entries = [TimelineEntry(case_review.allocated_on, "Allocated", f"to {case_review.case_review_manager.full_name}")]
    for milestone in case_milestones:
        if milestone.status == MilestoneStatus.DONE:
            entries.append(TimelineEntry(milestone.done_on, f"{milestone.get_kind_display()} done", milestone.outcome))
        for action in milestone.actions.all():
            entries.append(
                TimelineEntry(
                    action.created_at.date(),
                    "Action raised",
                    f"{action.description} — {action.owner.full_name}, by {action.due_on:%-d %b %Y}",
                )
            )
            if action.completed_on:
                entries.append(TimelineEntry(action.completed_on, "Action completed", action.follow_up))
    entries += [TimelineEntry(note.met_on, "1:1", note.note) for note in notes]
    if case_review.closed_on:
        entries.append(TimelineEntry(case_review.closed_on, "Closed", f"{case_review.get_decision_display()}"))
    return sorted(entries, key=lambda entry: entry.day)


def action_owners(case_review: CaseReview) -> QuerySet[Person]:
    """Who may own an action: the case's CRM and GL and anyone in post in its unit."""
    in_unit = TeamMembership.objects.active_on(timezone.localdate()).filter(team__unit_id=case_review.team.unit_id)
    return Person.objects.filter(
        Q(pk__in=[case_review.case_review_manager_id, case_review.group_leader_id])
        | Q(pk__in=in_unit.values("person_id"))
    ).order_by("full_name")
