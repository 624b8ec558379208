"""A dip sample's findings stay as recorded (issue 13, point 2).

Once a dip sample is started on an IQA its author can no longer amend it; an answer then changes only through a
challenge a dip sampler upholds. Whatever changes the answer afterwards, a recorded dip sample keeps comparing the
assessor's answers it saw: on the IQA page, the dip sample page, the re-mark tables, the dashboard's leniency table
and the assessor consistency figures.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import challenges, rules, services
from assessments.forms import IQAForm
from assessments.models import Activity, Answer, Assessment, Draft
from dipsampling import services as dip_sampling
from dipsampling.models import DipSample, Outcome
from dipsampling.remarks import Agreement, annex_b
from qa_platform import periods
from reporting import figures
from reporting.stats import Rate
from tests.assessments.conftest import iqa_data
from tests.dipsampling.conftest import FM, NMO

pytestmark = pytest.mark.django_db


@pytest.fixture
def iqa(make_iqa):
    """A charging review IQA, every answer fully met, recorded three days ago."""
    return make_iqa(Activity.CHARGING_REVIEW, work_date=timezone.localdate() - datetime.timedelta(days=3))


def _record(dip_sample, dip_sampler, remarks):
    questions = dict(dip_sample.assessment.answers.values_list("question__code", "question_id"))
    return dip_sampling.dip_sample_record(
        dip_sample=dip_sample,
        user=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="Q3 should not have been fully met.",
        casework_comment="The charging decision came late, as the police file did.",
        outcome=Outcome.TOO_LENIENT,
        remarks={questions[code]: (value, "") for code, value in remarks.items()},
    )


@pytest.fixture
def found_too_lenient(iqa, dip_sampler, assessed):
    """The dip sampler re-marks Q3 'not met – other' against the assessor's 'fully met' (too lenient); then the
    assessed person's challenge to Q3 is upheld, so the live answer becomes what the re-mark said."""
    dip_sample = _record(dip_sampling.dip_sample_start(user=dip_sampler, assessment=iqa), dip_sampler, {"Q3": NMO})
    answer = iqa.answers.get(question__code="Q3")
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="The police file came late.", proposed_value=NMO
    )
    challenges.challenge_decide(
        challenge=challenge,
        decided_by=dip_sampler,
        upheld=True,
        note="Agreed.",
        comment="The police served the file the day before the hearing.",
    )
    assert Answer.objects.get(pk=answer.pk).value == NMO
    return dip_sample


def test_the_re_mark_keeps_the_assessors_answer_it_was_compared_with(found_too_lenient):
    (remark,) = found_too_lenient.remarks.all()
    assert (remark.question.code, remark.assessor_value, remark.answer) == ("Q3", FM, NMO)


def test_the_re_mark_tables_still_count_it_too_lenient(found_too_lenient):
    tables = annex_b(DipSample.objects.all())
    q3 = tables.row("Q3")
    assert q3.counts[Agreement.TOO_LENIENT] == 1
    assert q3.counts[Agreement.AGREED] == 0
    assert (q3.assessor_fully_met, q3.remarker_fully_met) == (1, 0)


def test_the_assessor_consistency_figures_still_count_it_too_lenient(found_too_lenient, assessor, org):
    rows = figures.assessor_consistency(Assessment.objects.filter(team__unit=org.unit_a1))
    (mine,) = [row for row in rows if row.assessor_id == assessor.pk]
    assert (mine.remarks, mine.too_lenient, mine.too_robust) == (1, 1, 0)


def test_the_iqa_and_dip_sample_pages_still_show_too_lenient(client, found_too_lenient, assessor, dip_sampler):
    iqa = found_too_lenient.assessment
    client.force_login(assessor)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert '<span data-testid="agreement-Q3">Assessor&#x27;s answer too lenient</span>' in body
    assert 'data-testid="assessor-answer-Q3">Fully met<br>' in body
    assert "now Not met – other, changed after the dip sample" in body
    client.force_login(dip_sampler)
    body = client.get(f"/dip-samples/{found_too_lenient.pk}/").content.decode()
    assert '<span data-testid="agreement-Q3">Assessor&#x27;s answer too lenient</span>' in body


def test_the_re_mark_tables_page_and_the_dashboard_still_count_it(
    client, found_too_lenient, dip_sampler, performance_viewer
):
    quarter = periods.this_quarter().label
    client.force_login(dip_sampler)
    response = client.get("/dip-samples/re-marks/", {"period": quarter})
    assert response.context["tables"].row("Q3").counts[Agreement.TOO_LENIENT] == 1
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": quarter})
    leniency = next(table for table in response.context["tables"] if table.name == "leniency")
    too_lenient = [column.title for column in leniency.columns].index(Agreement.TOO_LENIENT.label)
    q3 = next(row for row in leniency.rows if row[0].value == "Q3")
    assert q3[too_lenient].value == 1.0  # 1 of the 1 re-marked answers
    response = client.get(reverse("reporting:consistency"), {"period": quarter})
    consistency = next(table for table in response.context["tables"] if table.name == "consistency")
    (row,) = consistency.rows
    assert row[10].value == Rate(1, 1)  # too lenient: 1 of 1 re-marked answers


# --- The author cannot amend once a dip sample is started ------------------------------------------------------


def test_the_author_can_amend_until_a_dip_sample_is_started(iqa, assessor, dip_sampler):
    assert rules.amend_refusal(iqa, assessor) == ""
    dip_sampling.dip_sample_start(user=dip_sampler, assessment=iqa)
    iqa = Assessment.objects.get(pk=iqa.pk)
    assert rules.amend_refusal(iqa, assessor) == rules.DIP_SAMPLED_MESSAGE
    assert not rules.can_amend(iqa, assessor)


def test_the_amend_service_refuses_after_a_dip_sample_is_started(iqa, assessor, dip_sampler, org):
    """An amendment opened before the dip sample was started is refused when it is submitted: nothing changes."""
    draft = services.iqa_amend(assessment=iqa, assessor=assessor)
    dip_sampling.dip_sample_start(user=dip_sampler, assessment=iqa)
    data = iqa_data(draft, org.unit_a1, urn=iqa.case.urn, **{"Q3-answer": "not_met_other", "Q3-comment": "Late."})
    form = IQAForm(data, draft=draft, question_set=iqa.question_set, disclosure_set=iqa.disclosure_set)
    assert form.is_valid(), form.errors
    with pytest.raises(ValidationError, match="a dip sample has been started"):
        services.iqa_record(draft_id=draft.pk, assessor=assessor, entry=form.entry())
    assert iqa.answers.get(question__code="Q3").value == FM
    assert Assessment.objects.get(pk=iqa.pk).version == iqa.version
    assert Draft.objects.get(pk=draft.pk).submitted_at is None


def test_the_pages_refuse_an_amendment_after_a_dip_sample_is_started(client, iqa, assessor, dip_sampler, org):
    client.force_login(assessor)
    draft = services.iqa_amend(assessment=iqa, assessor=assessor)  # opened before the dip sample
    dip_sampling.dip_sample_start(user=dip_sampler, assessment=iqa)
    page = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert 'data-testid="amend"' not in page
    assert 'data-testid="amend-refusal"' in page
    assert "a dip sample has been started on it" in page
    assert "challenges it and a dip sampler upholds" in page

    response = client.post(f"/iqas/{iqa.pk}/amend/", follow=True)
    assert "a dip sample has been started on it" in response.content.decode()
    assert not Draft.objects.filter(amends=iqa).exclude(pk=draft.pk).exists()

    data = iqa_data(draft, org.unit_a1, urn=iqa.case.urn, **{"Q3-answer": "not_met_other", "Q3-comment": "Late."})
    response = client.post(f"/iqas/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    assert "a dip sample has been started on it" in response.content.decode()
    assert iqa.answers.get(question__code="Q3").value == FM
    assert Assessment.objects.get(pk=iqa.pk).version == iqa.version
