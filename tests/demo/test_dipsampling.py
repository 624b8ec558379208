"""The demo dip samples: recorded ones with re-marks, one to do, an accreditation; safe to run again."""

import pytest
from django.utils import timezone

from demo import organisation as demo
from demo.assessments import seed_demo_iqas
from demo.dipsampling import seed_demo_dip_samples
from dipsampling.models import Accreditation, DipSample, ReMark

pytestmark = pytest.mark.django_db


def test_it_seeds_dip_samples_for_the_demo_dip_sampler_once():
    today = timezone.localdate()
    demo.build_structure()
    demo.build_demo_logins(today)
    seed_demo_iqas(today)

    assert seed_demo_dip_samples(today) == 4

    assert DipSample.objects.filter(recorded_at__isnull=False).count() == 3
    assert DipSample.objects.filter(recorded_at__isnull=True).count() == 1
    assert ReMark.objects.exists()
    assert Accreditation.objects.filter(assessor__email="assessor@demo.example").exists()
    assert seed_demo_dip_samples(today) == 0
    assert DipSample.objects.count() == 4
