"""What an IQA form shows beside the answers: where a saved IQA and the user's version differ (an edit conflict),
and the other IQAs recorded from the same half-day."""

from django.forms.utils import pretty_name

from assessments import rules, services
from assessments.models import Assessment


def half_day_iqas(draft):
    """The IQAs already recorded from the half-day the draft belongs to: its owner's of the same person's work on
    the same activity and date, however each was started."""
    recorded = Assessment.objects.filter(
        half_day__assessor=draft.owner_id,
        half_day__assessed=draft.assessed_id,
        half_day__activity=draft.activity,
        half_day__work_date=draft.work_date,
    )
    return list(recorded.exclude(pk=draft.amends_id).select_related("case").order_by("pk"))


def conflict(form, current):
    """The fields where the saved IQA and the user's version differ, labelled for people."""
    theirs = services.assessment_data(current)
    yours = services.typed_data(form.data)
    rows = []
    for name, field in form.fields.items():
        if name == "urn":
            mine, saved = [rules.normalise_urn(v) for v in yours.get(name, [])], theirs.get(name, [])
        else:
            mine, saved = yours.get(name, []), theirs.get(name, [])
        if [v for v in mine if v] != [v for v in saved if v]:
            label = name.replace("-", " ") if "-" in name else field.label or pretty_name(name)
            rows.append({"field": label, "theirs": display(field, saved), "yours": display(field, mine)})
    return {"current": current, "rows": rows}


def display(field, values):
    """The values as the form's choices label them, or '—' for none."""
    choices = {str(key): label for key, label in getattr(field, "choices", None) or []}
    return ", ".join(str(choices.get(value, value)) for value in values if value) or "—"
