"""factory-boy factories for case reviews. They save through scrutiny.services, so milestones come with them."""

import datetime

import factory
from django.utils import timezone

from scrutiny import services
from scrutiny.models import CaseReview
from tests.factories import PersonFactory, TeamFactory


class CaseReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    reference = factory.Sequence(lambda n: f"CCRC/{n:05d}/2026")
    applicant_name = factory.Faker("name", locale="en_GB")
    offence_summary = "Robbery (2019), conviction"
    allocated_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    case_review_manager = factory.SubFactory(PersonFactory)
    group_leader = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.case_review_save(model_class(*args, **kwargs))
