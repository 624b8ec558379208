"""The scheme's rules for recording IQAs, as plain functions (DESIGN.md, rules 1–3; seed 001, 3.5–3.8, 5.44)."""

import re
from datetime import date, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from assessments.models import Activity, AnswerValue, State
from qa_platform.working_days import add_working_days, next_working_day

# Police force (2 digits), station (2 letters), serial number (5 digits), year (2 digits): 42AB0123418.
FEEDBACK_WORKING_DAYS = 5  # rule 4

URN_PATTERN = re.compile(r"^\d{2}[A-Z]{2}\d{7}$")
URN_FORMAT_MESSAGE = (
    "Enter the URN as 11 characters: two digits for the police force, two letters for the station, "
    "then the five-digit serial number and two-digit year, for example 42AB0123418."
)

NOT_MET_REASON_MESSAGE = "Choose at least one reason why the standard was not met."
NOT_MET_COMMENT_MESSAGE = "Add a comment explaining why the standard was not met."
NOT_MET_OTHER_COMMENT_MESSAGE = "Add a comment saying what, outside the prosecutor's control, meant it was not met."
OTHER_REASON_COMMENT_MESSAGE = "You chose 'Other': explain it in the comment."
REASONS_ONLY_WHEN_NOT_MET_MESSAGE = "Reasons are only recorded for a 'Not met' answer: clear them or change the answer."
ADVICE_PRE_CHARGE_MESSAGE = (
    "The advice activity is only for early investigative advice the police asked for. "
    "A request for a pre-charge decision is assessed as charging and review."
)
ACTION_DESCRIPTION_MESSAGE = "Describe the action required, so it can be followed up and marked taken."
SAME_WORK_MESSAGE = (
    "This work has already been assessed (see above). Tick “Record it anyway” only if a second IQA of it is right."
)
CLOSE_BEFORE_ACTION_MESSAGE = "This IQA requires action: mark the action taken before closing it."
NOT_AUTHOR_MESSAGE = "Only the assessor who recorded this IQA can amend it."
CLOSED_MESSAGE = "A closed IQA cannot be amended."
DIP_SAMPLED_MESSAGE = (
    "This IQA can no longer be amended: a dip sample has been started on it, and it judges the answers as they "
    "stand. An answer can now change only if the assessed person challenges it and a dip sampler upholds the "
    "challenge; the dip sampler records their own view of any answer as a re-mark in the dip sample."
)


def normalise_urn(value: str) -> str:
    """URNs are written with spaces, slashes or dashes and in either case; store them one way."""
    return re.sub(r"[\s/\-]", "", value or "").upper()


def is_valid_urn(urn: str) -> bool:
    return bool(URN_PATTERN.match(urn))


def answer_errors(value: str, reasons: list, comment: str) -> dict[str, str]:
    """Rule 1: 'not met' needs a reason and a comment; 'not met – other' needs a comment.

    `reasons` are Reason objects. Returns {"reasons" | "comment": message} for what is missing.
    """
    errors = {}
    has_comment = bool((comment or "").strip())
    if value == AnswerValue.NOT_MET:
        if not reasons:
            errors["reasons"] = NOT_MET_REASON_MESSAGE
        if not has_comment:
            chose_other = any(reason.is_other for reason in reasons)
            errors["comment"] = OTHER_REASON_COMMENT_MESSAGE if chose_other else NOT_MET_COMMENT_MESSAGE
    elif reasons:
        errors["reasons"] = REASONS_ONLY_WHEN_NOT_MET_MESSAGE
    if value == AnswerValue.NOT_MET_OTHER and not has_comment:
        errors["comment"] = NOT_MET_OTHER_COMMENT_MESSAGE
    return errors


def recording_deadline(work_date: date) -> date:
    """Rule 2: an IQA is recorded the same day as the work or the next working day."""
    return next_working_day(work_date)


def recorded_on_time(work_date: date, recorded_on: date) -> bool:
    return recorded_on <= recording_deadline(work_date)


def advice_errors(activity: str, early_advice_requested: bool | None) -> dict[str, str]:
    """Advice IQAs are only for early investigative advice, never a pre-charge decision (seed 001, 5.44)."""
    if activity != Activity.ADVICE:
        return {}
    if early_advice_requested is None:
        return {"early_advice_requested": "Say whether the police asked for early investigative advice."}
    if not early_advice_requested:
        return {"early_advice_requested": ADVICE_PRE_CHARGE_MESSAGE}
    return {}


def can_close(assessment) -> tuple[bool, str]:
    """Rule 3: an IQA with action required cannot be closed until the action is marked taken."""
    if assessment.state == State.CLOSED:
        return False, "This IQA is already closed."
    if assessment.action_required and assessment.state != State.ACTION_TAKEN:
        return False, CLOSE_BEFORE_ACTION_MESSAGE
    return True, ""


def action_open(assessment) -> bool:
    """Rule 3: the IQA's action is required and not yet marked taken (nor the IQA closed)."""
    return assessment.action_required and assessment.state == State.RECORDED


def is_dip_sampled(assessment) -> bool:
    """A dip sample has been started (selected) or recorded on the IQA. Uses the IQA's cached dip sample when it was
    fetched with select_related("dip_sample"), else one query."""
    try:
        assessment.dip_sample  # noqa: B018 (the reverse one-to-one raises when there is none)
    except ObjectDoesNotExist:
        return False
    return True


def amend_refusal(assessment, user) -> str:
    """Why the user may not amend the IQA, or '' if they may.

    Only the author amends a recorded IQA, not once it is closed, and not once a dip sample is started on it: the
    dip sampler is judging the answers as they stand, so from then on an answer changes only by a challenge a dip
    sampler upholds, and the dip sampler's own view goes in the dip sample's re-marks.
    """
    if assessment.assessor_id != getattr(user, "pk", None):
        return NOT_AUTHOR_MESSAGE
    if assessment.state == State.CLOSED:
        return CLOSED_MESSAGE
    if is_dip_sampled(assessment):
        return DIP_SAMPLED_MESSAGE
    return ""


def can_amend(assessment, user) -> bool:
    return not amend_refusal(assessment, user)


def feedback_due(assessment) -> date:
    """Rule 4: feedback within five working days of the assessment (England and Wales bank holidays)."""
    return feedback_due_after(timezone.localdate(assessment.recorded_at))


def feedback_due_after(recorded_on: date) -> date:
    """The day feedback is due on an IQA recorded on `recorded_on`: the fifth working day after it.

    Counted strictly after the day, so an IQA recorded on a Saturday has its feedback due on the Friday.
    """
    return add_working_days(recorded_on, FEEDBACK_WORKING_DAYS)


def last_overdue_recording_day(today: date) -> date:
    """The latest day an IQA can have been recorded and have its feedback overdue today.

    Feedback's due date never goes down as the recording day goes up, so every IQA recorded on or before this day
    is overdue without feedback and none recorded after it is: one date comparison in SQL.
    """
    day = today - timedelta(days=1)
    while feedback_due_after(day) >= today:
        day -= timedelta(days=1)
    return day
