"""Each app's card on the home page reads in a fixed number of queries, whatever the records behind it: the home
page's count is the sum of its cards' and the page's own (session, user, grants)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.views import CARDS
from organisation import scoping
from organisation.models import TeamMembership
from tests.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _queries(card, user):
    request = RequestFactory().get("/")
    request.user, request.session = user, SessionStore()
    with scoping.grants_cached():
        held = scoping.roles_held(user)  # the page reads the grants once, before the cards
        with CaptureQueriesContext(connection) as queries:
            shown = card(request, held=held, today=timezone.localdate())
            if shown:  # drawn as the page draws it, so what the template reads counts too
                render_to_string(shown[0], shown[1], request)
    return shown, len(queries)


def _counts(user):
    return {card.__name__: _queries(card, user) for card in CARDS}


def _with_records(org, assessor, assessed, count):
    for _ in range(count):
        AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)


# Every card: IQAs of own work and those awaiting acknowledgement (2), memberships (1), grants with places (1).
EVERYONE = {"own_work_card": 2, "team_card": 1, "roles_card": 1}
EXPECTED = {
    # people in purview, drafts, plans (due and later), overdue feedback and open actions; exercise invitations
    "assessor": {**EVERYONE, "assessing_card": 6, "scrutiny_card": 0, "dip_sampling_card": 1},
    "assessed": {**EVERYONE, "assessing_card": 0, "scrutiny_card": 0, "dip_sampling_card": 0},
    # dip samples to record, challenges waiting (a count)
    "dip_sampler": {**EVERYONE, "assessing_card": 0, "scrutiny_card": 0, "dip_sampling_card": 2},
    # milestones due or overdue, in one query
    "group_leader": {**EVERYONE, "assessing_card": 0, "scrutiny_card": 1, "dip_sampling_card": 0},
}


@pytest.mark.parametrize("records", [1, 12])
def test_each_card_reads_in_constant_queries(org, assessor, assessed, dip_sampler, group_leader, records):
    _with_records(org, assessor, assessed, records)
    users = {"assessor": assessor, "assessed": assessed, "dip_sampler": dip_sampler, "group_leader": group_leader}
    assert {who: {card: n for card, (_, n) in _counts(user).items()} for who, user in users.items()} == EXPECTED


def test_a_card_the_user_has_no_use_for_is_left_out(org, assessed):
    shown = {card.__name__: bool(_queries(card, assessed)[0]) for card in CARDS}
    assert shown == {
        "own_work_card": True,
        "team_card": True,
        "assessing_card": False,
        "scrutiny_card": False,
        "dip_sampling_card": False,
        "roles_card": True,
    }


def test_a_new_person_with_no_team_still_gets_their_cards(org):
    newcomer = PersonFactory()
    assert not TeamMembership.objects.filter(person=newcomer).exists()
    assert [card.__name__ for card in CARDS if _queries(card, newcomer)[0]] == [
        "own_work_card",
        "team_card",
        "roles_card",
    ]
