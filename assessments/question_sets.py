"""Question set versions: JSON export and import, copying a version to edit, and publishing it.

A version that has answers is never edited in place (QuestionSet.check_editable): an administrator copies it as a
new draft version, edits the copy and publishes it from a date after the version before it. The JSON format is
that of assessments/data/question_sets/*.json, which the data migration 0002 loads through import_question_set.
"""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max, prefetch_related_objects

from assessments.models import Activity, Question, QuestionSet, Reason

FORMAT = "casework-qa-question-set/1"
# The scheme's sets as shipped: annex F of seed 001 in four activities, and the optional disclosure set.
SCHEME_DATA = Path(__file__).resolve().parent / "data" / "question_sets"
SCHEME_FILES = ["advice", "charging_review", "case_progression", "case_presentation", "disclosure"]

# The live models; a data migration passes its historical ones instead, keyed the same way.
MODELS = {"QuestionSet": QuestionSet, "Question": Question, "Reason": Reason}


def _max_length(model, field):
    return model._meta.get_field(field).max_length


def export_question_set(question_set) -> dict:
    # Skips the two queries when the caller has already prefetched, as the admin's export action does.
    prefetch_related_objects([question_set], "questions__reasons")
    return {
        "format": FORMAT,
        "code": question_set.code,
        "name": question_set.name,
        "activity": question_set.activity,
        "optional": question_set.optional,
        "version": question_set.version,
        "applies_from": question_set.applies_from.isoformat() if question_set.applies_from else None,
        "description": question_set.description,
        "questions": [
            {
                "code": question.code,
                "wording": question.wording,
                "guidance": question.guidance,
                "reasons": [
                    {"code": reason.code, "text": reason.text, "is_other": reason.is_other}
                    for reason in question.reasons.all()
                ],
            }
            for question in question_set.questions.all()
        ],
    }


def _text(item, key, prefix, errors, *, max_length=None, required=True):
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        errors.append(f"{prefix}{key} is required and must be text")
        return ""
    if max_length and len(value) > max_length:
        errors.append(f"{prefix}{key} is longer than {max_length} characters")
    return value


def _flag(item, key, prefix, errors):
    value = item.get(key, False)
    if not isinstance(value, bool):
        errors.append(f"{prefix}{key} must be true or false")
        return False
    return value


def _reasons(question, prefix, errors):
    reasons = question.get("reasons")
    if not isinstance(reasons, list) or not reasons:
        errors.append(f"{prefix}at least one reason is required")
        return []
    cleaned = []
    for index, reason in enumerate(reasons):
        where = f"{prefix.removesuffix(': ')} reasons[{index}]"
        if not isinstance(reason, dict):
            errors.append(f"{where}: must be an object with code, text and is_other")
            continue
        if isinstance(reason.get("code"), str):
            where += f" ({reason['code']})"
        where += ": "
        cleaned.append(
            {
                "code": _text(reason, "code", where, errors, max_length=_max_length(Reason, "code")),
                "text": _text(reason, "text", where, errors, max_length=_max_length(Reason, "text")),
                "is_other": _flag(reason, "is_other", where, errors),
            }
        )
    codes = [reason["code"] for reason in cleaned]
    if len(set(codes)) != len(codes):
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        errors.append(f"{prefix}reason codes must be unique ({', '.join(repeated)} repeated)")
    others = sum(reason["is_other"] for reason in cleaned)
    if len(cleaned) == len(reasons) and others != 1:
        errors.append(f"{prefix}exactly one reason must be the 'other' reason (is_other: true); found {others}")
    return cleaned


def _questions(data, errors):
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        errors.append("questions: at least one question is required")
        return []
    cleaned, first_seen = [], {}
    for index, question in enumerate(questions):
        prefix = f"questions[{index}]"
        if not isinstance(question, dict):
            errors.append(f"{prefix}: must be an object with code, wording, guidance and reasons")
            continue
        code = question.get("code")
        if isinstance(code, str):
            prefix += f" ({code})"
            if code in first_seen:
                errors.append(f"{prefix}: question codes must be unique ({code} is also questions[{first_seen[code]}])")
            first_seen.setdefault(code, index)
        prefix += ": "
        cleaned.append(
            {
                "code": _text(question, "code", prefix, errors, max_length=_max_length(Question, "code")),
                "wording": _text(question, "wording", prefix, errors),
                "guidance": _text(question, "guidance", prefix, errors, required=False),
                "reasons": _reasons(question, prefix, errors),
            }
        )
    return cleaned


def validate_question_set_data(data) -> dict:
    """The question set in data, checked and cleaned, or ValidationError listing every problem found."""
    if not isinstance(data, dict):
        raise ValidationError("A question set must be a JSON object with format, code, name, activity and questions.")
    errors = []
    if data.get("format") != FORMAT:
        errors.append(f"format must be {FORMAT!r}, not {data.get('format')!r}")
    code = _text(data, "code", "", errors, max_length=_max_length(QuestionSet, "code"))
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            errors.append(f"code {code!r} may only contain letters, numbers, underscores and hyphens")
    activity = data.get("activity")
    if activity not in Activity.values:
        errors.append(f"activity {activity!r} is not one of {', '.join(Activity.values)}")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append("version must be a whole number from 1")
    applies_from = data.get("applies_from")
    if applies_from is not None:
        try:
            applies_from = datetime.date.fromisoformat(applies_from)
        except (TypeError, ValueError):
            errors.append("applies_from must be a date written YYYY-MM-DD, or null for an unpublished draft")
    cleaned = {
        "code": code,
        "name": _text(data, "name", "", errors, max_length=_max_length(QuestionSet, "name")),
        "activity": activity,
        "optional": _flag(data, "optional", "", errors),
        "version": version,
        "applies_from": applies_from,
        "description": _text(data, "description", "", errors, required=False),
        "questions": _questions(data, errors),
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_applies_from(*, code, version, applies_from, models=None):
    """Versions of a code come into force in version order: a version applies after the one before it and
    before the one after it, among those published."""
    question_sets = (models or MODELS)["QuestionSet"].objects.filter(code=code, applies_from__isnull=False)
    before = question_sets.filter(version__lt=version).order_by("-applies_from").first()
    if before and applies_from <= before.applies_from:
        raise ValidationError(
            f"The date must be after {before.applies_from:%-d %b %Y}, "
            f"when version {before.version} of {code} applies from.",
            code="applies_from_too_early",
        )
    after = question_sets.filter(version__gt=version).order_by("applies_from").first()
    if after and applies_from >= after.applies_from:
        raise ValidationError(
            f"The date must be before {after.applies_from:%-d %b %Y}, "
            f"when version {after.version} of {code} applies from.",
            code="applies_from_too_late",
        )


def next_version(code, models=None):
    latest = (models or MODELS)["QuestionSet"].objects.filter(code=code).aggregate(Max("version"))["version__max"]
    return (latest or 0) + 1


def _create_questions(question_set, questions, models):
    # A new version has no answers, so bulk_create may skip the lock check in Question.save and Reason.save.
    Question_, Reason_ = models["Question"], models["Reason"]
    created = Question_.objects.bulk_create(
        Question_(
            question_set=question_set,
            number=number,
            code=question["code"],
            wording=question["wording"],
            guidance=question["guidance"],
        )
        for number, question in enumerate(questions, start=1)
    )
    Reason_.objects.bulk_create(
        Reason_(question=question, number=number, code=reason["code"], text=reason["text"], is_other=reason["is_other"])
        for question, data in zip(created, questions, strict=True)
        for number, reason in enumerate(data["reasons"], start=1)
    )


@transaction.atomic
def import_question_set(data: dict, *, models=None) -> QuestionSet:
    """Create a question set version from its JSON; the next version number if the code already exists."""
    models = models or MODELS
    cleaned = validate_question_set_data(data)
    code = cleaned["code"]
    existing = models["QuestionSet"].objects.filter(code=code).order_by("-version").first()
    if existing and (existing.activity, existing.optional) != (cleaned["activity"], cleaned["optional"]):
        raise ValidationError(
            f"activity and optional must match the existing versions of {code} "
            f"({existing.activity}, optional {str(existing.optional).lower()})"
        )
    version = existing.version + 1 if existing else cleaned["version"]
    if cleaned["applies_from"]:
        try:
            check_applies_from(code=code, version=version, applies_from=cleaned["applies_from"], models=models)
        except ValidationError as error:
            raise ValidationError(
                f"applies_from: {error.message} Leave it null to import an unpublished draft."
            ) from error
    question_set = models["QuestionSet"].objects.create(
        code=code,
        name=cleaned["name"],
        activity=cleaned["activity"],
        optional=cleaned["optional"],
        version=version,
        applies_from=cleaned["applies_from"],
        description=cleaned["description"],
    )
    _create_questions(question_set, cleaned["questions"], models)
    return question_set


@transaction.atomic
def import_question_sets(data) -> list[QuestionSet]:
    """One set (a JSON object) or several (a list, as the admin exports them); all or none are created."""
    if not isinstance(data, list):
        return [import_question_set(data)]
    created = []
    for index, item in enumerate(data):
        try:
            created.append(import_question_set(item))
        except ValidationError as error:
            raise ValidationError([f"[{index}] {message}" for message in error.messages]) from error
    return created


@transaction.atomic
def copy_as_new_version(question_set) -> QuestionSet:
    """A draft copy (applies_from empty) with the next version number, for the administrator to edit."""
    data = export_question_set(question_set)
    copy = QuestionSet.objects.create(
        code=question_set.code,
        name=question_set.name,
        activity=question_set.activity,
        optional=question_set.optional,
        version=next_version(question_set.code),
        applies_from=None,
        description=question_set.description,
    )
    _create_questions(copy, data["questions"], MODELS)
    return copy


def publish(question_set, applies_from):
    """Bring a version into force from a date (after the version before it)."""
    # Moving the start of a version with answers would change which version past work was assessed against.
    question_set.check_editable()
    check_applies_from(code=question_set.code, version=question_set.version, applies_from=applies_from)
    question_set.applies_from = applies_from
    question_set.save(update_fields=["applies_from"])


def read_scheme_question_set(name) -> dict:
    return json.loads((SCHEME_DATA / f"{name}.json").read_text(encoding="utf-8"))


def load_scheme_question_sets(*, models=None) -> int:
    """Load each shipped set whose code has no version yet (the data migration, and tests after a flush)."""
    question_set_model = (models or MODELS)["QuestionSet"]
    loaded = 0
    for name in SCHEME_FILES:
        data = read_scheme_question_set(name)
        if not question_set_model.objects.filter(code=data["code"]).exists():
            import_question_set(data, models=models)
            loaded += 1
    return loaded
