"""Control characters are stripped in one place from every form, query string, draft and imported file, so nothing
typed can break the database (NUL) or an export (the other C0 characters)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Activity, Draft, QuestionSet
from organisation.models import Area
from qa_platform.text import strip_control_characters, strip_control_characters_from
from tests.assessments.test_question_sets import read_data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("plain text", "plain text"),
        ("tab\tand\nnewline and\r\nCRLF", "tab\tand\nnewline and\r\nCRLF"),
        ("old\rMac", "old\nMac"),
        ("nul\x00 bell\x07 vt\x0b ff\x0c esc\x1b", "nul bell vt ff esc"),
        ("lone \ud800surrogate and \uffffnon-character", "lone surrogate and non-character"),
        ("accents é and emoji 🙂 stay", "accents é and emoji 🙂 stay"),
    ],
)
def test_it_keeps_tab_and_newlines_and_drops_other_control_characters(typed, kept):
    assert strip_control_characters(typed) == kept


def test_it_cleans_every_text_of_a_json_document_keys_included():
    assert strip_control_characters_from({"a\x00": ["b\x0b", 1, None, True, {"c": "d\x1f"}]}) == {
        "a": ["b", 1, None, True, {"c": "d"}]
    }


def test_a_draft_autosave_keeps_what_was_typed_without_a_nul(client, assessor, assessed):
    """PostgreSQL's jsonb refuses \\u0000: the autosave was a 500 and the draft lost."""
    draft = services.draft_start(
        owner=assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=timezone.localdate()
    )
    client.force_login(assessor)
    response = client.post(
        f"/iqas/drafts/{draft.pk}/autosave/",
        {"urn": "42AB\x00", "Q9-comment": "Half\x00 a\x0b thought\r\nnext line"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.data["urn"] == ["42AB"]
    assert draft.data["Q9-comment"] == ["Half a thought\r\nnext line"]


def test_an_admin_form_stores_text_without_control_characters(client):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    inline = {f"units-{name}": 0 for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}
    response = client.post(
        reverse("admin:organisation_area_add"), {"name": "North\x0b East", "code": "ne\x1b", **inline}
    )
    assert response.status_code == 302
    assert Area.objects.filter(name="North East", code="ne").exists()


def test_a_query_string_is_read_without_control_characters(client, performance_viewer):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": "2025-26\x00 Q3\x0b"})
    assert response.status_code == 200
    assert response.context["period"].label == "2025-26 Q3"


def test_an_admin_question_set_import_drops_a_nul_and_a_lone_surrogate(client):
    """Both were a database error (500) from the import page."""
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    data = {**read_data("disclosure"), "applies_from": None}
    data["questions"][0]["wording"] = "Reworded\u0000 with\ud800 care"
    content = json.dumps(data).encode()  # \u0000 and \ud800 travel as JSON escapes, as any JSON writer sends them
    response = client.post(
        reverse("admin:assessments_questionset_import"),
        {"file": SimpleUploadedFile("set.json", content, content_type="application/json")},
    )
    assert response.status_code == 302
    imported = QuestionSet.objects.get(code="disclosure", version=2)
    assert imported.questions.order_by("number").first().wording == "Reworded with care"
    assert not Draft.objects.exists()
