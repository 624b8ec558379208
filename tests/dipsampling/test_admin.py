"""Every dip sampling model has an admin page that lists, searches and filters; records made in the app are
read-only there, accreditations are edited there."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from dipsampling import services
from dipsampling.models import (
    Accreditation,
    AgreedAnswer,
    ConsistencyExercise,
    DipSample,
    ExerciseAnswer,
    ExerciseParticipant,
    Outcome,
    ReMark,
    Selection,
)
from tests.factories import PersonFactory

MODELS = [Selection, DipSample, ReMark, ConsistencyExercise, ExerciseParticipant, ExerciseAnswer, AgreedAnswer]


@pytest.fixture
def superuser_client(client, db):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_it_registers_every_model():
    for model in [*MODELS, Accreditation]:
        assert admin.site.is_registered(model), model


def _recorded(make_iqa, dip_sampler):
    dip_sample = services.dip_sample_start(user=dip_sampler, assessment=make_iqa())
    q9 = dip_sample.assessment.answers.get(question__code="Q9").question_id
    return services.dip_sample_record(
        dip_sample=dip_sample,
        user=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="a",
        casework_comment="b",
        outcome=Outcome.ROBUST,
        remarks={q9: ("not_met", "")},
    )


@pytest.mark.parametrize("model", [*MODELS, Accreditation])
def test_it_lists_searches_and_filters_in_constant_queries(
    superuser_client, model, make_iqa, dip_sampler, django_assert_max_num_queries
):
    _recorded(make_iqa, dip_sampler)
    assert superuser_client.get(_changelist(model)).status_code == 200
    assert superuser_client.get(_changelist(model), {"q": "Q9"}).status_code == 200
    for _ in range(6):
        _recorded(make_iqa, dip_sampler)
    # A bound that does not grow with rows: a query per row would add at least six.
    with django_assert_max_num_queries(14):
        superuser_client.get(_changelist(model))


def test_it_keeps_dip_samples_read_only(superuser_client, make_iqa, dip_sampler):
    dip_sample = _recorded(make_iqa, dip_sampler)
    assert superuser_client.get(reverse("admin:dipsampling_dipsample_add")).status_code == 403
    change = superuser_client.post(reverse("admin:dipsampling_dipsample_change", args=[dip_sample.pk]), {})
    assert change.status_code in (200, 403)
    dip_sample.refresh_from_db()
    assert dip_sample.outcome == Outcome.ROBUST
    assert superuser_client.get(reverse("admin:dipsampling_accreditation_add")).status_code == 200
