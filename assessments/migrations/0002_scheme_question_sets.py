"""Load the scheme's question sets (annex F, Q1-Q28 over four activities) and the optional disclosure set."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations


# The scheme's files as shipped with the app (data, read as this migration was written; no app code imported).
DATA = Path(__file__).resolve().parent.parent / "data" / "question_sets"
SCHEME_FILES = ["advice", "charging_review", "case_progression", "case_presentation", "disclosure"]


def _read(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def load(apps, schema_editor):
    QuestionSet, Question, Reason = (apps.get_model("assessments", name) for name in ("QuestionSet", "Question", "Reason"))
    for name in SCHEME_FILES:
        data = _read(name)
        if QuestionSet.objects.filter(code=data["code"]).exists():
            continue
        question_set = QuestionSet.objects.create(
            code=data["code"],
            name=data["name"],
            activity=data["activity"],
            optional=data.get("optional", False),
            version=data.get("version", 1),
            applies_from=date.fromisoformat(data["applies_from"]) if data.get("applies_from") else None,
            description=data.get("description") or "",
        )
        for number, item in enumerate(data["questions"], start=1):
            question = Question.objects.create(
                question_set=question_set,
                number=number,
                code=item["code"],
                wording=item["wording"],
                guidance=item.get("guidance") or "",
            )
            Reason.objects.bulk_create(
                Reason(question=question, number=index, code=reason["code"], text=reason["text"], is_other=reason.get("is_other", False))
                for index, reason in enumerate(item["reasons"], start=1)
            )


def unload(apps, schema_editor):
    QuestionSet = apps.get_model("assessments", "QuestionSet")
    for name in SCHEME_FILES:
        data = _read(name)
        QuestionSet.objects.filter(code=data["code"], version=data["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
