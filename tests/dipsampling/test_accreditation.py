"""Assessor accreditation (seed 001, 4.14–4.15): with ACCREDITATION_REQUIRED on, no IQA on a live case without it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from dipsampling import accreditation
from dipsampling.models import Accreditation
from tests.assessments.conftest import iqa_data


@pytest.fixture
def make_draft(assessor, assessed):
    from assessments import services
    from assessments.models import Activity

    def make():
        return services.draft_start(
            owner=assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=timezone.localdate()
        )

    return make


def _accredit(person, by, **fields):
    return Accreditation.objects.create(
        assessor=person,
        accredited_on=fields.pop("accredited_on", timezone.localdate() - datetime.timedelta(days=10)),
        accredited_by=by,
        training="National IQA training, March",
        competency_check="Standard-setting exercise: answers within the agreed range",
        **fields,
    )


def test_it_records_live_cases_by_anyone_when_the_setting_is_off(client, settings, assessor, make_draft, org):
    settings.ACCREDITATION_REQUIRED = False
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(reverse("draft_edit", args=[draft.pk]), iqa_data(draft, org.unit_a1))
    assert response.status_code == 302
    assert Assessment.objects.count() == 1


def test_it_refuses_an_unaccredited_assessor_on_a_live_case_when_on(client, settings, assessor, make_draft, org):
    settings.ACCREDITATION_REQUIRED = True
    draft = make_draft()
    client.force_login(assessor)

    response = client.post(reverse("draft_edit", args=[draft.pk]), iqa_data(draft, org.unit_a1))

    assert response.status_code == 200
    assert accreditation.REFUSAL_MESSAGE in response.context["form"].non_field_errors()
    assert not Assessment.objects.exists()
    # Nothing typed is lost: the draft keeps it.
    draft.refresh_from_db()
    assert draft.data["overall_comment"] == ["A well-prepared file."]


def test_it_lets_an_unaccredited_assessor_assess_a_finalised_case(client, settings, assessor, make_draft, org):
    settings.ACCREDITATION_REQUIRED = True
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(reverse("draft_edit", args=[draft.pk]), iqa_data(draft, org.unit_a1, status="finalised"))
    assert response.status_code == 302
    assert Assessment.objects.count() == 1


def test_it_lets_an_accredited_assessor_record_on_a_live_case(client, settings, assessor, dip_sampler, make_draft, org):
    settings.ACCREDITATION_REQUIRED = True
    _accredit(assessor, dip_sampler)
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(reverse("draft_edit", args=[draft.pk]), iqa_data(draft, org.unit_a1))
    assert response.status_code == 302


def test_it_does_not_count_a_lapsed_or_future_accreditation(settings, assessor, dip_sampler):
    settings.ACCREDITATION_REQUIRED = True
    today = timezone.localdate()
    _accredit(assessor, dip_sampler, expires_on=today - datetime.timedelta(days=1))
    _accredit(assessor, dip_sampler, accredited_on=today + datetime.timedelta(days=3))
    assert accreditation.refusal_for(assessor, "live", today) == accreditation.REFUSAL_MESSAGE
    assert accreditation.refusal_for(assessor, "live", today + datetime.timedelta(days=3)) == ""


def test_it_warns_an_unaccredited_assessor_when_they_start_an_iqa(client, settings, assessor):
    client.force_login(assessor)
    settings.ACCREDITATION_REQUIRED = False
    assert accreditation.START_WARNING not in client.get(reverse("iqa_start")).content.decode()
    settings.ACCREDITATION_REQUIRED = True
    assert accreditation.START_WARNING in client.get(reverse("iqa_start")).content.decode()
