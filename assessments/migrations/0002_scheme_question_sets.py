"""Load the scheme's question sets (annex F, Q1-Q28 over four activities) and the optional disclosure set."""

from django.db import migrations


def load(apps, schema_editor):
    # The importer is given the historical models, so only its validation and ordering come from today's code.
    from assessments.question_sets import load_scheme_question_sets

    load_scheme_question_sets(models={name: apps.get_model("assessments", name) for name in MODEL_NAMES})


def unload(apps, schema_editor):
    from assessments.question_sets import SCHEME_FILES, read_scheme_question_set

    QuestionSet = apps.get_model("assessments", "QuestionSet")
    for name in SCHEME_FILES:
        data = read_scheme_question_set(name)
        QuestionSet.objects.filter(code=data["code"], version=data["version"]).delete()


MODEL_NAMES = ["QuestionSet", "Question", "Reason"]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
