"""Load the scheme's question sets (annex F, Q1-Q28 over four activities) and the optional disclosure set."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "question_sets"
FILES = ["advice", "charging_review", "case_progression", "case_presentation", "disclosure"]


def _read(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def load(apps, schema_editor):
    # The importer is given the historical models, so only its validation and ordering come from today's code.
    from assessments.question_sets import import_question_set

    models = {name: apps.get_model("assessments", name) for name in ["QuestionSet", "Question", "Reason"]}
    for name in FILES:
        import_question_set(_read(name), models=models)


def unload(apps, schema_editor):
    QuestionSet = apps.get_model("assessments", "QuestionSet")
    for name in FILES:
        data = _read(name)
        QuestionSet.objects.filter(code=data["code"], version=data["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
