import pytest
from django.db.models import F

from assessments.models import Assessment
from qa_platform.lookups import AnyOf
from tests.factories import AssessmentFactory


@pytest.mark.django_db
def test_it_matches_the_rows_whose_column_is_any_of_the_values(org):
    a1a, a1b, b1a = (AssessmentFactory(team=team) for team in (org.team_a1a, org.team_a1b, org.team_b1a))

    def matching(ids):
        return set(Assessment.objects.filter(AnyOf(F("team_id"), ids)))

    assert matching([org.team_a1a.pk, org.team_b1a.pk]) == {a1a, b1a}
    assert matching({org.team_a1b.pk}) == {a1b}
    assert matching([]) == set()


@pytest.mark.django_db
def test_it_binds_the_values_as_one_array_parameter(org):
    sql, params = Assessment.objects.filter(AnyOf(F("team_id"), [1, 2, 3])).query.sql_with_params()
    assert '"team_id" = ANY(%s)' in sql
    assert params == ([1, 2, 3],)
