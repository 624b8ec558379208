"""Demo case reviews in the North West's Case Review Group, of every age, so every scrutiny screen and reminder
shows something real. Safe to run again: it adds nothing once the demo cases exist."""

from datetime import date, timedelta

from django.db import transaction

from organisation.models import Person, PurviewLevel, Role, RoleGrant, Team, TeamMembership
from scrutiny import closed_sample, milestones, services
from scrutiny.models import CaseReview, DecidedBy, Decision, MilestoneKind, MilestoneStatus

GROUP_LEADER_EMAIL = "scrutiny@demo.example"
CASE_MANAGER_EMAIL = "case.manager@demo.example"  # the demo case review manager: no role, only the cases naming them
REFERENCE_PREFIX = "DEMO/"
OFFENCES = [
    "Murder (2011), conviction",
    "Robbery (2018), conviction and sentence",
    "Rape (2015), conviction",
    "Fraud by abuse of position (2019), conviction",
    "Causing death by dangerous driving (2020), sentence",
    "Conspiracy to supply class A drugs (2017), conviction",
    "Arson with intent to endanger life (2016), conviction",
    "Grievous bodily harm with intent (2021), conviction",
]
APPLICANTS = [
    "Daniel Whitfield",
    "Sarah Okafor",
    "Michael Doyle",
    "Aaron Patel",
    "Kelly Brennan",
    "Thomas Hughes",
    "Leanne Morris",
    "Jamal Ahmed",
]


def _people(team):
    in_post = TeamMembership.objects.filter(team=team, ends_on__isnull=True).values("person_id")
    demo_logins = [GROUP_LEADER_EMAIL, CASE_MANAGER_EMAIL]
    return list(Person.objects.filter(pk__in=in_post).exclude(email__in=demo_logins).order_by("email")[:4])


def _hand_over_to_case_manager(case_manager, leader) -> None:
    """Demo data seeded before the case manager log-in existed: give them every third open case of the demo group
    leader's, through the service (audited, milestones kept), so the log-in has cases. Does nothing once they
    have some."""
    if case_manager is None or CaseReview.objects.filter(case_review_manager=case_manager).exists():
        return
    cases = CaseReview.objects.filter(reference__startswith=REFERENCE_PREFIX, group_leader=leader, closed_on=None)
    for case in list(cases.order_by("allocated_on", "pk"))[::3]:
        services.case_review_update(user=leader, case_review=case, status=case.status, case_review_manager=case_manager)


def _second_group_leader(team, today):
    """Another group leader in the group's second team, so the demo group leader can dip-sample their closed cases
    (a reviewer is never the case's own group leader)."""
    person = _people(team)[0]
    RoleGrant.objects.get_or_create(
        person=person,
        role=Role.CASE_SCRUTINY,
        level=PurviewLevel.TEAM,
        team=team,
        defaults={"starts_on": today - timedelta(days=400)},
    )
    return person


def _allocated_for(kind, due):
    """The allocation date that puts a milestone of this kind due on `due`."""
    if kind == MilestoneKind.MOT:
        return due - milestones.MOT_AFTER
    months = milestones.TEN_MONTH_MONTHS if kind == MilestoneKind.TEN_MONTH else milestones.LRCC_MONTHS
    return milestones.add_months(due, -months)


def _settle(case, kind, leader, today, *, done=True, outcome="Case plan reviewed with the CRM.", actions=()):
    milestone = case.milestones.get(kind=kind)
    if not done:
        milestone.status = MilestoneStatus.NOT_SELECTED
        milestone.selected_by = leader
        milestone.save()
        return
    services.milestone_record(
        milestone=milestone,
        user=leader,
        done_on=min(milestone.due_on + timedelta(days=3), today),
        case_plan_fit_for_purpose=not actions,
        causes_of_delay="Waiting for third-party material." if actions else "",
        outcome=outcome,
        actions=actions,
    )


@transaction.atomic
def seed_demo_case_reviews(today: date) -> int:
    """Returns how many case reviews it added (0 when they exist, or when the organisation is not seeded)."""
    leader = Person.objects.filter(email=GROUP_LEADER_EMAIL).first()
    case_manager = Person.objects.filter(email=CASE_MANAGER_EMAIL).first()
    if CaseReview.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        _hand_over_to_case_manager(case_manager, leader)
        return 0
    teams = list(Team.objects.filter(unit__name="Case Review Group", unit__area__code="north-west").order_by("name"))
    if leader is None or len(teams) < 2 or len(_people(teams[0])) < 2:
        return 0
    crms = _people(teams[0])
    # The demo case review manager manages some of the group leader's cases (a new one, an overdue 10-month
    # scrutiny, the long-running one with an action they own), when the log-in exists.
    mine = case_manager or crms[0]
    other_leader = _second_group_leader(teams[1], today)
    other_crms = _people(teams[1])[1:] or crms
    number = iter(range(1, 1000))

    def case(allocated_on, *, team=teams[0], group_leader=leader, crm=None):
        n = next(number)
        return services.case_review_save(
            CaseReview(
                reference=f"{REFERENCE_PREFIX}{n:03d}",
                applicant_name=APPLICANTS[n % len(APPLICANTS)],
                offence_summary=OFFENCES[n % len(OFFENCES)],
                allocated_on=allocated_on,
                case_review_manager=crm or crms[n % len(crms)],
                group_leader=group_leader,
                team=team,
            )
        )

    # Open cases of every age.
    case(today - timedelta(days=10), crm=mine)  # new
    case(_allocated_for(MilestoneKind.MOT, today + timedelta(days=4)))  # MOT due soon
    for days in (49, 52, 60):  # about 7 weeks: proposed for the MOT selection
        case(today - timedelta(days=days))
    selected = case(today - timedelta(days=70))
    selected_mot = selected.milestones.get(kind=MilestoneKind.MOT)
    services.mot_select(
        user=leader, milestone_ids={selected_mot.pk}, selected_ids={selected_mot.pk}, today=today
    )  # selected, not yet done
    soon = case(_allocated_for(MilestoneKind.TEN_MONTH, today + timedelta(days=3)))  # 9.9 months
    _settle(soon, MilestoneKind.MOT, leader, today)
    due_today = case(_allocated_for(MilestoneKind.TEN_MONTH, today))
    _settle(due_today, MilestoneKind.MOT, leader, today, done=False)
    for days_over in (20, 45):  # 11 months or so: the 10-month scrutiny overdue
        crm = mine if days_over == 20 else None
        overdue = case(_allocated_for(MilestoneKind.TEN_MONTH, today - timedelta(days=days_over)), crm=crm)
        _settle(overdue, MilestoneKind.MOT, leader, today)
    near_lrcc = case(_allocated_for(MilestoneKind.LRCC, today + timedelta(days=5)))
    _settle(near_lrcc, MilestoneKind.MOT, leader, today, done=False)
    _settle(near_lrcc, MilestoneKind.TEN_MONTH, leader, today)
    long_running = case(_allocated_for(MilestoneKind.LRCC, today - timedelta(days=30)), crm=mine)
    _settle(long_running, MilestoneKind.MOT, leader, today)
    _settle(
        long_running,
        MilestoneKind.TEN_MONTH,
        leader,
        today,
        outcome="Review stalled on disclosure; plan reset.",
        actions=[
            services.ActionInput(
                "Chase the police for the unused material schedule",
                long_running.case_review_manager_id,
                long_running.milestones.get(kind=MilestoneKind.TEN_MONTH).due_on + timedelta(days=21),
            )
        ],
    )
    for months_ago in (3, 2, 1):
        services.one_to_one_record(
            case_review=long_running,
            user=leader,
            met_on=milestones.add_months(today, -months_ago),
            note="Progress on the disclosure request discussed; next steps agreed.",
        )
    other_team_case = case(today - timedelta(days=120), team=teams[1], group_leader=other_leader, crm=other_crms[0])
    _settle(other_team_case, MilestoneKind.MOT, other_leader, today)

    # Closed last month: what the monthly dip sample draws from, and what it must leave out. The drawable ones are
    # the other group leader's, so whichever is drawn the demo group leader reviews it.
    last_month = closed_sample.previous_month(today)
    closings = [
        (Decision.NON_REFERRAL, DecidedBy.SINGLE, False, teams[1], other_leader),
        (Decision.NON_REFERRAL, DecidedBy.SINGLE, False, teams[1], other_leader),
        (Decision.NON_REFERRAL, DecidedBy.SINGLE, False, teams[1], other_leader),
        (Decision.REFERRAL, DecidedBy.COMMITTEE, False, teams[0], leader),
        (Decision.NON_REFERRAL, DecidedBy.COMMITTEE, False, teams[0], leader),
        (Decision.NON_REFERRAL, DecidedBy.SINGLE, True, teams[0], leader),
    ]
    for day, (decision, decided_by, heard, team, group_leader) in enumerate(closings, start=3):
        crm = other_crms[0] if team == teams[1] else None
        closed = case(today - timedelta(days=400 + day * 20), team=team, group_leader=group_leader, crm=crm)
        services.case_review_close(
            case_review=closed,
            user=closed.group_leader,
            decision=decision,
            decided_by=decided_by,
            heard_by_lrcc=heard,
            closed_on=last_month.replace(day=day),
        )
    closed_sample.closed_case_sample_draw(today=today, force=True)
    return next(number) - 1
