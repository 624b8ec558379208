"""Recording a dip sample: both comments (rule 6), its date, re-marks, the assessor's e-mail, history."""

import datetime

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dipsampling import services
from dipsampling.models import DipSample, Outcome, ReMark
from notifications import outbox
from notifications.models import Message
from tests.dipsampling.conftest import FM, NM


@pytest.fixture
def selected(make_iqa, dip_sampler):
    iqa = make_iqa(work_date=timezone.localdate() - datetime.timedelta(days=3))
    return services.dip_sample_start(user=dip_sampler, assessment=iqa)


def _record(dip_sample, user, **overrides):
    fields = {
        "sampled_on": timezone.localdate(),
        "iqa_comment": "The IQA missed the late disclosure.",
        "casework_comment": "Disclosure was served late; otherwise sound.",
        "outcome": Outcome.TOO_LENIENT,
        "remarks": {},
    }
    fields.update(overrides)
    return services.dip_sample_record(dip_sample=dip_sample, user=user, **fields)


@pytest.mark.parametrize(
    ("field", "message"),
    [("iqa_comment", services.IQA_COMMENT_MESSAGE), ("casework_comment", services.CASEWORK_COMMENT_MESSAGE)],
)
def test_it_requires_both_comments(selected, dip_sampler, field, message):
    with pytest.raises(ValidationError, match=message.split(":")[0]):
        _record(selected, dip_sampler, **{field: "   "})
    selected.refresh_from_db()
    assert selected.recorded_at is None
    assert not Message.objects.exists()


def test_the_database_refuses_a_recorded_dip_sample_without_its_comments(selected):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DipSample.objects.filter(pk=selected.pk).update(recorded_at=timezone.now())


def test_it_refuses_a_date_in_the_future_or_before_the_iqa(selected, dip_sampler):
    with pytest.raises(ValidationError, match="future"):
        _record(selected, dip_sampler, sampled_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="before the IQA"):
        _record(selected, dip_sampler, sampled_on=timezone.localdate() - datetime.timedelta(days=4))


def test_it_records_the_dip_sample_and_its_re_marks_and_e_mails_the_assessor(selected, dip_sampler, assessor):
    questions = {answer.question.code: answer.question_id for answer in selected.assessment.answers.all()}

    _record(selected, dip_sampler, remarks={questions["Q9"]: (NM, "No strategy"), questions["Q10"]: (FM, "")})

    selected.refresh_from_db()
    assert selected.recorded_at is not None
    assert selected.outcome == Outcome.TOO_LENIENT
    assert dict(ReMark.objects.values_list("question__code", "answer")) == {"Q9": NM, "Q10": FM}
    message = Message.objects.get()
    assert message.recipient == assessor.email
    assert message.template == "dip_sample_outcome"
    assert message.dedupe_key == f"dip_sample:{selected.pk}:outcome"
    assert message.context["outcome"] == "IQA too lenient"
    assert message.context["path"] == f"/iqas/{selected.assessment_id}/"


def test_it_renders_the_outcome_e_mail_in_text_and_html(selected, dip_sampler, settings):
    settings.SITE_URL = "https://qa.example"
    _record(selected, dip_sampler)

    email = outbox.render(Message.objects.get())

    assert email.subject == "One of your IQAs has been dip sampled"
    for body in (email.body, email.alternatives[0][0]):
        assert "IQA too lenient" in body
        assert f"https://qa.example/iqas/{selected.assessment_id}/" in body
        # The e-mail names no case and quotes no comment: they are read on the IQA page.
        assert selected.assessment.case.urn not in body
        assert "late disclosure" not in body


def test_it_records_once(selected, dip_sampler):
    _record(selected, dip_sampler)
    with pytest.raises(ValidationError, match="already been recorded"):
        _record(selected, dip_sampler, outcome=Outcome.ROBUST)
    assert Message.objects.count() == 1


def test_it_refuses_re_marks_of_questions_the_iqa_does_not_have(selected, dip_sampler, make_iqa):
    from assessments.models import Activity

    foreign_question = make_iqa(Activity.ADVICE).answers.first().question_id
    with pytest.raises(ValidationError, match="Re-mark only"):
        _record(selected, dip_sampler, remarks={foreign_question: (FM, "")})
    assert not ReMark.objects.exists()


def test_it_refuses_a_dip_sampler_outside_the_purview(selected, outsider):
    from organisation.models import PurviewLevel, Role
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(
        person=outsider, role=Role.DIP_SAMPLER, level=PurviewLevel.TEAM, team=outsider.memberships.get().team
    )
    with pytest.raises(ValidationError, match="cannot record"):
        _record(selected, outsider)


def test_it_keeps_the_dip_samples_history(selected, dip_sampler):
    _record(selected, dip_sampler)
    events = pghistory.models.Events.objects.tracks(selected).order_by("pgh_created_at")
    assert [event.pgh_label for event in events] == ["insert", "update"]
