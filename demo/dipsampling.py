"""Demo dip samples, re-marks, an accreditation and a consistency exercise for the demo dip sampler. Safe to run
again: nothing is added once the demo dip sampler has dip samples."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Activity, AnswerValue
from dipsampling import exercises, selectors, services
from dipsampling.models import Accreditation, DipSample, Outcome
from organisation.models import Person

DIP_SAMPLER_EMAIL = "dip.sampler@demo.example"
ASSESSOR_EMAIL = "assessor@demo.example"
COMMENTS = {
    Outcome.ROBUST: ("Answers and comments well judged; feedback points are clear.", "Sound, timely work on the file."),
    Outcome.TOO_LENIENT: (
        "Q9 and Q14 were marked fully met, but there is no recorded case strategy and disclosure was late.",
        "The file lacks a case strategy; the initial disclosure was served after the PTPH.",
    ),
    Outcome.MIXED: (
        "Most answers agreed; Q13 should have been not met – other (the police were late, not the prosecutor).",
        "Good communication with the victim; the witness warning was left to the last week.",
    ),
}


@transaction.atomic
def seed_demo_dip_samples(today: date, *, seed: int = 2018) -> int:
    """Three recorded dip samples with re-marks, one selected and still to do, the demo assessor's accreditation
    and one consistency exercise everyone has answered. Returns the dip samples added."""
    dip_sampler = Person.objects.filter(email=DIP_SAMPLER_EMAIL).first()
    assessor = Person.objects.filter(email=ASSESSOR_EMAIL).first()
    if dip_sampler is None or assessor is None or DipSample.objects.filter(dip_sampler=dip_sampler).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    iqas = list(selectors.unsampled_assessments(dip_sampler).filter(assessor=assessor).order_by("work_date", "pk")[:4])
    for iqa, outcome in zip(iqas, [Outcome.ROBUST, Outcome.TOO_LENIENT, Outcome.MIXED], strict=False):
        dip_sample = services.dip_sample_start(user=dip_sampler, assessment=iqa)
        remarks = {}
        for answer in iqa.answers.all():
            value = answer.value
            if outcome == Outcome.TOO_LENIENT and value == AnswerValue.FULLY_MET and rng.random() < 0.4:
                value = AnswerValue.NOT_MET
            elif outcome == Outcome.MIXED and rng.random() < 0.25:
                value = rng.choice([AnswerValue.NOT_MET_OTHER, AnswerValue.FULLY_MET, AnswerValue.NOT_APPLICABLE])
            remarks[answer.question_id] = (value, "")
        iqa_comment, casework_comment = COMMENTS[outcome]
        services.dip_sample_record(
            dip_sample=dip_sample,
            user=dip_sampler,
            sampled_on=min(today, timezone.localdate(iqa.recorded_at) + timedelta(days=7)),
            iqa_comment=iqa_comment,
            casework_comment=casework_comment,
            outcome=outcome,
            remarks=remarks,
        )
    if len(iqas) == 4:
        services.dip_sample_start(user=dip_sampler, assessment=iqas[3])
    Accreditation.objects.get_or_create(
        assessor=assessor,
        defaults={
            "accredited_on": today - timedelta(days=200),
            "accredited_by": dip_sampler,
            "training": "National IQA training for DCPs (half day), delivered by the Senior DCP.",
            "competency_check": "Standard-setting exercise on two case studies; answers within the agreed range.",
        },
    )
    _seed_exercise(dip_sampler, rng)
    return min(len(iqas), 4)


def _seed_exercise(dip_sampler, rng) -> None:
    invited = list(exercises.invitable_assessors(dip_sampler).order_by("email")[:4])
    if len(invited) < 2:
        return
    exercise = exercises.exercise_create(
        organiser=dip_sampler,
        title="Standard setting: charging decision on a domestic abuse assault",
        activity=Activity.CHARGING_REVIEW,
        case_study=(
            "The police sought a charging decision on an assault in a domestic setting. The victim's statement was "
            "supported by body-worn video; the suspect made no comment. The decision was made on the day, with a "
            "short MG3 and no reference to the victim's wish to support a prosecution."
        ),
        assessors=invited,
    )
    questions = list(exercise.question_set.questions.order_by("number"))
    for participant in exercise.participants.all():
        answers = {}
        for question in questions:
            value = rng.choices(
                [AnswerValue.FULLY_MET, AnswerValue.NOT_MET, AnswerValue.NOT_APPLICABLE], weights=[6, 3, 1]
            )[0]
            answers[question.pk] = (value, "")
        exercises.exercise_answers_submit(participant=participant, answers=answers)
