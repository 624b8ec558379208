"""Assessor accreditation (seed 001, 4.14–4.15): trained and shown competent before assessing live cases.

With the ACCREDITATION_REQUIRED setting on, an assessor without an accreditation in force on the day cannot
record an IQA on a live case; IQAs on finalised cases stay open to them (they change no live decision), which
is how a new assessor can practise. With the setting off (the default) nothing is refused.

A rule of recording, so it lives with recording; dip samplers give accreditations (dipsampling.models.Accreditation),
read here through the person's `accreditations` without importing dip sampling.
"""

from datetime import date

from django.conf import settings

from assessments.models import CaseStatus

REFUSAL_MESSAGE = (
    "You are not yet accredited to record IQAs on live cases. Accreditation needs training and a competency check "
    "with your dip sampler (senior DCP or Deputy CCP); until then you may assess finalised cases only."
)
START_WARNING = (
    "You are not yet accredited to assess live cases: you can record IQAs on finalised cases only until your "
    "training and competency check are recorded."
)


def is_accredited(person, day: date) -> bool:
    return person.accreditations.in_force_on(day).exists()


def required() -> bool:
    return settings.ACCREDITATION_REQUIRED


def refusal_for(person, case_status: str, day: date) -> str:
    """Why the person may not record an IQA on a case of this status on the day, or ''."""
    if not required() or case_status != CaseStatus.LIVE:
        return ""
    return "" if is_accredited(person, day) else REFUSAL_MESSAGE


def start_warning_for(person, day: date) -> str:
    """Shown when an IQA is started: the case is not chosen yet, so the assessor is warned rather than refused."""
    if not required() or is_accredited(person, day):
        return ""
    return START_WARNING
