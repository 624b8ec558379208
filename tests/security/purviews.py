"""Three purviews full of records, each carrying marker text, and one persona per demo role.

- NORTH: team "Team PLACE-NORTH" in unit "Unit PLACE-NORTH" in area "Area PLACE-NORTH". Every persona with a
  place sits in that team, and their purviews are there: assessor over the team; dip sampler and case scrutiny over
  the unit; performance and comments viewers over the area.
- NEXTDOOR: another unit ("Unit PLACE-NEXTDOOR") of the same area: inside the area viewers' purview only.
- SOUTH: another area: inside nobody's purview but the national viewer's.

Each purview has the same records (IQAs with answer comments, a draft, a plan, a challenge, a dip sample, a
consistency exercise, open and closed case reviews with their milestones, actions, 1:1 notes and closed-case dip
sample, an accreditation, a performance measure), written by people of that purview. People's names and the
records' texts carry the purview's marker ("MARKER-SOUTH"), places' names its place marker ("PLACE-SOUTH"); answer
comments also carry "COMMENT-<purview>" (for those who may read comments) and case reviews' applicants
"APPLICANT-<purview>" (for those named on the case and case scrutiny holders over it). `VISIBLE` says which markers
each persona may ever be shown.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from assessments import challenges
from assessments import services as assessment_services
from assessments.models import Activity, Answer, AnswerValue, Case, PlannedAssessment, SensitiveCategory
from dipsampling import exercises
from dipsampling.models import Accreditation, DipSample, Selection, SelectionKind
from organisation.models import PurviewLevel, Role
from qa_platform import periods
from reporting.models import PerformanceMeasure
from scrutiny import services as scrutiny_services
from scrutiny.models import ClosedCaseDipSample, DecidedBy, Decision, MilestoneKind, MonthlyClosedCaseSample
from tests.factories import (
    AreaFactory,
    AssessmentFactory,
    PersonFactory,
    RoleGrantFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
)
from tests.scrutiny.factories import CaseReviewFactory

PURVIEWS = ("north", "nextdoor", "south")
ROLES = (
    "anonymous",
    "assessor",
    "prosecutor",
    "dip_sampler",
    "performance",
    "comments",
    "scrutiny",
    "case_review_manager",
    "national",
    "question_sets",
    "admin",
)
LOGGED_IN = ROLES[1:]


def marker(purview):
    return f"MARKER-{purview.upper()}"


def place_marker(purview):
    return f"PLACE-{purview.upper()}"


def comment_marker(purview):
    return f"COMMENT-{purview.upper()}"


def applicant_marker(purview):
    return f"APPLICANT-{purview.upper()}"


ALL_MARKERS = frozenset(
    text
    for purview in PURVIEWS
    for text in (marker(purview), place_marker(purview), comment_marker(purview), applicant_marker(purview))
)
NORTH, NEXTDOOR, SOUTH = ({marker(name), place_marker(name)} for name in PURVIEWS)

# What each persona may be shown. People and records carry their purview's marker, places (areas, units, teams) its
# place marker; answer comments are for the IQA's author and subject, dip samplers over it and comments viewers (not
# for performance or national viewers); applicants' names for the case review manager and group leader named on the
# case and case scrutiny holders over it.
VISIBLE = {
    "anonymous": set(),
    # The IQA form offers every unit of the assessed person's area for the case.
    "assessor": NORTH | {place_marker("nextdoor"), comment_marker("north")},
    "prosecutor": NORTH | {comment_marker("north")},
    "dip_sampler": NORTH | {comment_marker("north")},
    "performance": NORTH | NEXTDOOR,
    "comments": NORTH | NEXTDOOR | {comment_marker("north"), comment_marker("nextdoor")},
    "scrutiny": NORTH | {applicant_marker("north")},
    "case_review_manager": NORTH | {applicant_marker("north")},
    "national": NORTH | NEXTDOOR | SOUTH,
    # Their section lists the teams of their (national) purview, and nothing in them.
    "question_sets": {place_marker(name) for name in PURVIEWS},
    "admin": set(),
}


@dataclass
class Purview:
    """One purview's places, people and records."""

    area: object
    unit: object
    team: object
    people: dict
    iqa: object  # by the assessor on the assessed, with a dip sample and a pending challenge on Q9
    iqa2: object  # by the assessor on a colleague, not selected for a dip sample
    unchallenged_answer: object  # Q10 of `iqa`
    challenge: object
    draft: object
    plan: object
    dip_sample: object
    selection: object  # a targeted selection that took `dip_sample`
    exercise: object
    case_review: object  # open, allocated 11 months ago: MOT and 10-month overdue, the latter recorded with an action
    pending_milestone: object  # the case review's 2-year milestone
    action: object
    closed_item: object  # a closed case review drawn for the monthly dip sample, reviewed by the group leader


@dataclass
class World:
    personas: dict  # role → Person, None for anonymous
    purviews: dict  # name → Purview
    question_set: object  # the case progression set in force (locked: it has answers)


def _person(name, team=None, **fields):
    # "!" is an unusable password: these people are only ever force-logged-in, and hashing is slow.
    person = PersonFactory(full_name=name, password="!", **fields)
    if team is not None:
        TeamMembershipFactory(person=person, team=team)
    return person


def _grant(person, role, place):
    level = {"area": PurviewLevel.AREA, "unit": PurviewLevel.UNIT, "team": PurviewLevel.TEAM}
    places = {"team": None}
    if place is None:
        RoleGrantFactory(person=person, role=role, level=PurviewLevel.NATIONAL, **places)
        return
    kind = type(place).__name__.lower()
    places[kind] = place
    RoleGrantFactory(person=person, role=role, level=level[kind], **places)


def _staff(name, team, unit):
    """The people who write a purview's records: for NORTH they are the personas."""
    tag = marker(name)
    people = {
        "assessor": _person(f"Assessor {tag}", team),
        "assessed": _person(f"Assessed {tag}", team),
        "colleague": _person(f"Colleague {tag}", team),
        "assessor2": _person(f"Second assessor {tag}", team),
        "dip_sampler": _person(f"Dip sampler {tag}", team),
        "leader": _person(f"Group leader {tag}", team),
        "case_review_manager": _person(f"Case review manager {tag}", team),
    }
    _grant(people["assessor"], Role.ASSESSOR, team)
    _grant(people["assessor2"], Role.ASSESSOR, team)
    _grant(people["dip_sampler"], Role.DIP_SAMPLER, unit)
    _grant(people["leader"], Role.CASE_SCRUTINY, unit)
    return people


def _records(name, area, unit, team, people, sample, today) -> Purview:
    tag, comment, applicant = marker(name), comment_marker(name), applicant_marker(name)
    iqa = AssessmentFactory(
        team=team,
        assessor=people["assessor"],
        assessed=people["assessed"],
        overall_comment=f"Overall {tag}",
        action_required=True,
        action_description=f"Action {tag}",
    )
    Answer.objects.filter(assessment=iqa, question__code="Q9").update(
        value=AnswerValue.NOT_MET, comment=f"Answer {comment} {tag}"
    )
    # A sensitive case, whose facts the URN look-up must not give away outside the purview.
    Case.objects.filter(pk=iqa.case_id).update(sensitive_categories=[SensitiveCategory.RAPE])
    iqa2 = AssessmentFactory(team=team, assessor=people["assessor"], assessed=people["colleague"])
    Answer.objects.filter(assessment=iqa2, question__code="Q9").update(comment=f"Answer {comment} {tag}")
    challenge = challenges.challenge_raise(
        answer=Answer.objects.get(assessment=iqa, question__code="Q9"),
        raised_by=people["assessed"],
        reasons=f"Reasons {tag}",
        proposed_value="fully_met",
    )
    draft = assessment_services.draft_start(
        owner=people["assessor"], assessed=people["assessed"], activity=Activity.CASE_PROGRESSION, work_date=today
    )
    assessment_services.draft_autosave(draft=draft, data={"overall_comment": [f"Draft {tag}"]})
    monday = today + datetime.timedelta(days=7 - today.weekday())
    plan = PlannedAssessment.objects.create(
        assessor=people["assessor"],
        assessed=people["assessed"],
        activity=Activity.CASE_PROGRESSION,
        week_starting=monday,
        note=f"Plan {tag}",
    )
    selection = Selection.objects.create(
        made_by=people["dip_sampler"],
        kind=SelectionKind.FINALISED_CASE,
        period_label=periods.this_quarter().label,
        purview=unit.name,
        rule={"rule": "case finalised", "chosen": [iqa.pk], "proposed": [iqa.pk]},
        eligible_count=1,
        drawn_count=1,
    )
    dip_sample = DipSample.objects.create(assessment=iqa, dip_sampler=people["dip_sampler"], selection=selection)
    exercise = exercises.exercise_create(
        organiser=people["dip_sampler"],
        title=f"Exercise {tag}",
        activity=Activity.CASE_PROGRESSION,
        case_study=f"Case study {tag}",
        assessors=[people["assessor"], people["assessor2"]],
    )
    Accreditation.objects.create(
        assessor=people["assessor"],
        accredited_on=today - datetime.timedelta(days=100),
        accredited_by=people["dip_sampler"],
        training=f"Training {tag}",
        competency_check=f"Check {tag}",
    )
    case_review = CaseReviewFactory(
        team=team,
        case_review_manager=people["case_review_manager"],
        group_leader=people["leader"],
        applicant_name=f"Open {applicant}",
        offence_summary=f"Offence {tag}",
        allocated_on=today - datetime.timedelta(days=335),
    )
    ten_month = case_review.milestones.get(kind=MilestoneKind.TEN_MONTH)
    scrutiny_services.milestone_record(
        milestone=ten_month,
        user=people["leader"],
        done_on=today,
        case_plan_fit_for_purpose=True,
        causes_of_delay=f"Delay {tag}",
        outcome=f"Outcome {tag}",
        actions=[scrutiny_services.ActionInput(f"Do {tag}", people["case_review_manager"].pk, today)],
    )
    scrutiny_services.one_to_one_record(
        case_review=case_review, user=people["case_review_manager"], met_on=today, note=f"1:1 {tag}"
    )
    closed = CaseReviewFactory(
        team=team,
        case_review_manager=people["case_review_manager"],
        group_leader=people["assessor2"],
        applicant_name=f"Closed {applicant}",
        offence_summary=f"Closed offence {tag}",
        allocated_on=today - datetime.timedelta(days=500),
    )
    scrutiny_services.case_review_close(
        case_review=closed,
        user=closed.group_leader,
        decision=Decision.NON_REFERRAL,
        decided_by=DecidedBy.SINGLE,
        heard_by_lrcc=False,
        closed_on=today - datetime.timedelta(days=40),
    )
    closed_item = ClosedCaseDipSample.objects.create(sample=sample, case_review=closed, reviewer=people["leader"])
    PerformanceMeasure.objects.get_or_create(
        area=area,
        business_year=periods.business_year_of(today),
        quarter=periods.quarter_number(today),
        measure=f"Measure {tag}",
        defaults={"value": 50},
    )
    return Purview(
        area=area,
        unit=unit,
        team=team,
        people=people,
        iqa=iqa,
        iqa2=iqa2,
        unchallenged_answer=Answer.objects.get(assessment=iqa, question__code="Q10"),
        challenge=challenge,
        draft=draft,
        plan=plan,
        dip_sample=dip_sample,
        selection=selection,
        exercise=exercise,
        case_review=case_review,
        pending_milestone=case_review.milestones.get(kind=MilestoneKind.LRCC),
        action=ten_month.actions.get(),
        closed_item=closed_item,
    )


def build_world() -> World:
    today = timezone.localdate()
    north_area = AreaFactory(name=f"Area {place_marker('north')}")
    south_area = AreaFactory(name=f"Area {place_marker('south')}")
    units = {
        "north": UnitFactory(area=north_area, name=f"Unit {place_marker('north')}"),
        "nextdoor": UnitFactory(area=north_area, name=f"Unit {place_marker('nextdoor')}"),
        "south": UnitFactory(area=south_area, name=f"Unit {place_marker('south')}"),
    }
    teams = {name: TeamFactory(unit=unit, name=f"Team {place_marker(name)}") for name, unit in units.items()}
    staff = {name: _staff(name, teams[name], units[name]) for name in PURVIEWS}

    # The personas: NORTH's staff, and the viewers with a place in NORTH.
    north = staff["north"]
    personas = {
        "anonymous": None,
        "assessor": north["assessor"],
        "prosecutor": north["assessed"],
        "dip_sampler": north["dip_sampler"],
        "performance": _person(f"Performance viewer {marker('north')}", teams["north"]),
        "comments": _person(f"Comments viewer {marker('north')}", teams["north"]),
        "scrutiny": north["leader"],
        "case_review_manager": north["case_review_manager"],
        "national": _person("Nia National"),
        "question_sets": _person("Quinn Questions", is_staff=True),
        "admin": _person("Ada Admin", is_staff=True, is_superuser=True),
    }
    _grant(personas["performance"], Role.PERFORMANCE_VIEWER, north_area)
    _grant(personas["comments"], Role.COMMENTS_VIEWER, north_area)
    _grant(personas["national"], Role.NATIONAL_VIEWER, None)
    _grant(personas["question_sets"], Role.QUESTION_SET_ADMIN, None)

    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    sample = MonthlyClosedCaseSample.objects.create(month=month, rule="The matrix's own.", seed=1, eligible_count=3)
    purviews = {
        name: _records(name, teams[name].unit.area, units[name], teams[name], staff[name], sample, today)
        for name in PURVIEWS
    }
    return World(personas=personas, purviews=purviews, question_set=purviews["north"].iqa.question_set)
