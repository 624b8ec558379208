"""Scrutiny personas, beside the shared ones (tests/conftest.py):

- case_review_manager: a CRM in team A1a, no roles
- group_leader: case scrutiny over team A1a (the group leader named on the cases)
- scrutiny_manager: case scrutiny over area A (a manager: the overview)
- outsider (shared): area B, no roles
"""

import pytest

from organisation.models import PurviewLevel, Role
from tests.conftest import _person_in
from tests.factories import RoleGrantFactory
from tests.scrutiny.factories import CaseReviewFactory


@pytest.fixture
def scrutiny_manager(org):
    person = _person_in(org.team_a1b, full_name="Mo Manager", job_title="Casework Operations Manager")
    RoleGrantFactory(person=person, role=Role.CASE_SCRUTINY, level=PurviewLevel.AREA, team=None, area=org.area_a)
    return person


@pytest.fixture
def make_case(org, case_review_manager, group_leader):
    """A case review in team A1a, allocated on the day given."""

    def make(allocated_on, **fields):
        fields = {
            "team": org.team_a1a,
            "case_review_manager": case_review_manager,
            "group_leader": group_leader,
            "allocated_on": allocated_on,
            **fields,
        }
        return CaseReviewFactory(**fields)

    return make
