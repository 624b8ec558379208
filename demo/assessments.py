"""Demo IQAs for the demo assessor's team, so every IQA page shows something real. Safe to run again."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from assessments import challenges, rules
from assessments.models import (
    Activity,
    Answer,
    AnswerReason,
    AnswerValue,
    Assessment,
    Case,
    CaseStage,
    Challenge,
    Court,
    Draft,
    HalfDay,
    PlannedAssessment,
    QuestionSet,
    SensitiveCategory,
    State,
)
from assessments.planning import week_start
from demo.organisation import ASSESSED_LOGIN, DEMO_DOMAIN
from organisation.models import Person, TeamMembership

ASSESSOR_EMAIL = "assessor@demo.example"
PROSECUTOR_EMAIL = ASSESSED_LOGIN
DIP_SAMPLER_EMAIL = "dip.sampler@demo.example"
HAND_MADE_URN = "06MC4"  # the start of the URNs of the hand-made IQAs below
ACTIVITIES = [Activity.CHARGING_REVIEW, Activity.CASE_PROGRESSION, Activity.CASE_PRESENTATION]
# Most answers are fully met; the rest spread as the scheme's data does (seed 001, annex C).
ANSWER_WEIGHTS = {
    AnswerValue.FULLY_MET: 78,
    AnswerValue.NOT_MET: 10,
    AnswerValue.NOT_MET_OTHER: 4,
    AnswerValue.NOT_APPLICABLE: 8,
}


def _answer(rng, question):
    value = rng.choices(list(ANSWER_WEIGHTS), weights=list(ANSWER_WEIGHTS.values()))[0]
    reasons = (
        [rng.choice([r for r in question.reasons.all() if not r.is_other])] if value == AnswerValue.NOT_MET else []
    )
    comment = {
        AnswerValue.NOT_MET: f"{reasons[0].text}." if reasons else "",
        AnswerValue.NOT_MET_OTHER: "The police supplied the file late despite chasing.",
    }.get(value, "")
    return value, comment, reasons


def _record(rng, *, assessor, assessed, team, activity, work_date, case, number):
    question_set = QuestionSet.objects.current(activity, work_date)
    half_day, _ = HalfDay.objects.get_or_create(
        assessor=assessor, assessed=assessed, activity=activity, work_date=work_date
    )
    recorded_on = min(work_date + timedelta(days=rng.choice([0, 0, 1, 1, 4])), timezone.localdate())
    action = number % 5 == 0
    iqa = Assessment.objects.create(
        assessor=assessor,
        assessed=assessed,
        team=team,
        activity=activity,
        question_set=question_set,
        case=case,
        case_status=case.status,
        case_stage=case.stage,
        case_court=case.court,
        case_sensitive_categories=case.sensitive_categories,
        half_day=half_day,
        work_date=work_date,
        recorded_at=timezone.make_aware(datetime.combine(recorded_on, time(16, 30))),
        recorded_on_time=rules.recorded_on_time(work_date, recorded_on),
        action_required=action,
        action_description="Discuss the case strategy and record it on the file." if action else "",
        overall_comment="A thorough piece of work with clear reasoning." if number % 3 else "",
        state=State.CLOSED if number % 4 == 1 and not action else State.RECORDED,
    )
    for question in question_set.questions.prefetch_related("reasons"):
        value, comment, reasons = _answer(rng, question)
        answer = Answer.objects.create(assessment=iqa, question=question, value=value, comment=comment)
        AnswerReason.objects.bulk_create(AnswerReason(answer=answer, reason=reason) for reason in reasons)
    return iqa


@transaction.atomic
def seed_demo_iqas(today: date, *, seed: int = 2018) -> int:
    """About a quarter's IQAs by the demo assessor on their team, a draft and two planned IQAs."""
    assessor = Person.objects.get(email=ASSESSOR_EMAIL)
    if Assessment.objects.filter(assessor=assessor).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    team = TeamMembership.objects.active_on(today).get(person=assessor).team
    team_people = list(
        Person.objects.filter(memberships__in=TeamMembership.objects.active_on(today).filter(team=team))
        .exclude(email__endswith=f"@{DEMO_DOMAIN}")  # the other log-ins look at the figures; they are not in them
        .order_by("email")
    )
    prosecutor = Person.objects.get(email=PROSECUTOR_EMAIL)
    people = [prosecutor] + [person for person in team_people if person != prosecutor][:5]
    count = 0
    for number in range(14):
        assessed = people[number % len(people)]
        work_date = today - timedelta(days=3 + number * 6)
        while work_date.weekday() >= 5:
            work_date -= timedelta(days=1)
        case = Case.objects.create(
            urn=f"{HAND_MADE_URN}{number:04d}{work_date:%y}",
            unit=team.unit,
            court=Court.CROWN if number % 4 == 0 else Court.MAGISTRATES,
            sensitive_categories=[SensitiveCategory.DOMESTIC_ABUSE] if number % 3 == 0 else [],
            stage=rng.choice([CaseStage.POST_CHARGE, CaseStage.BEFORE_TRIAL, CaseStage.TRIAL]),
            registered_by=assessor,
        )
        activity = ACTIVITIES[number % len(ACTIVITIES)]
        _record(
            rng,
            assessor=assessor,
            assessed=assessed,
            team=team,
            activity=activity,
            work_date=work_date,
            case=case,
            number=number,
        )
        count += 1
    Draft.objects.create(
        owner=assessor,
        assessed=people[1 % len(people)],
        activity=Activity.CASE_PROGRESSION,
        work_date=today,
        data={"urn": ["06MC4999926"], "Q9-answer": ["fully_met"], "Q9-comment": ["Clear strategy from the outset."]},
    )
    monday = week_start(today)
    PlannedAssessment.objects.create(
        assessor=assessor,
        assessed=people[2 % len(people)],
        activity=Activity.CASE_PRESENTATION,
        week_starting=monday - timedelta(7),
    )
    PlannedAssessment.objects.create(
        assessor=assessor, assessed=people[3 % len(people)], activity=Activity.CHARGING_REVIEW, week_starting=monday
    )
    return count


@transaction.atomic
def seed_demo_challenges(today: date) -> int:
    """Two challenges by the demo prosecutor to answers of their newest hand-made IQA, still open to challenge: one
    the demo dip sampler has rejected, one awaiting their decision (on their home page). Returns those added."""
    prosecutor = Person.objects.filter(email=PROSECUTOR_EMAIL).first()
    dip_sampler = Person.objects.filter(email=DIP_SAMPLER_EMAIL).first()
    if prosecutor is None or dip_sampler is None or Challenge.objects.filter(raised_by=prosecutor).exists():
        return 0
    iqa = (
        Assessment.objects.filter(assessed=prosecutor, case__urn__startswith=HAND_MADE_URN)
        .order_by("-recorded_at")
        .first()
    )
    if iqa is None or not challenges.can_challenge(iqa, prosecutor, today)[0]:
        return 0
    answers = list(iqa.answers.select_related("question").order_by("question__number"))
    disputed = next((a for a in answers if a.value in (AnswerValue.NOT_MET, AnswerValue.NOT_MET_OTHER)), answers[0])
    applicable = next(a for a in reversed(answers) if a != disputed and a.value != AnswerValue.NOT_APPLICABLE)
    rejected = challenges.challenge_raise(
        answer=applicable,
        raised_by=prosecutor,
        reasons="This did not arise on the file: the defence had not yet served a statement.",
        proposed_value=AnswerValue.NOT_APPLICABLE,
    )
    challenges.challenge_decide(
        challenge=rejected,
        decided_by=dip_sampler,
        upheld=False,
        note="The question applies at this stage: the review should have anticipated the defence case.",
    )
    challenges.challenge_raise(
        answer=disputed,
        raised_by=prosecutor,
        reasons=(
            "The case strategy is on the file, dated the day of the review, and the officer was told of it by e-mail."
        ),
        proposed_value=AnswerValue.FULLY_MET if disputed.value != AnswerValue.FULLY_MET else AnswerValue.NOT_APPLICABLE,
    )
    return 2
