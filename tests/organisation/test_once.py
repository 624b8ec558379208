"""Create forms act once (organisation/once.py): the same token posted twice, or twice at once, makes one record."""

import threading
from uuid import uuid4

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from assessments import planning
from assessments.models import Activity, PlannedAssessment
from organisation import once
from organisation.models import FormSubmission
from tests.factories import PersonFactory


def _post(person, token):
    request = RequestFactory().post("/", {once.FIELD: token})
    request.user = person
    return request


def _plan(assessor, assessed, note=""):
    return planning.plan_create(
        assessor=assessor,
        assessed=assessed,
        activity=Activity.ADVICE,
        week=planning.week_start(timezone.localdate()),
        note=note,
    )


@pytest.mark.django_db
def test_the_same_token_twice_makes_one_record_and_gives_the_first(assessor, assessed):
    token = str(uuid4())
    first, created = once.create_once(_post(assessor, token), lambda: _plan(assessor, assessed, "first"))
    again, created_again = once.create_once(_post(assessor, token), lambda: _plan(assessor, assessed, "second"))
    assert (created, created_again) == (True, False)
    assert again == first
    assert list(PlannedAssessment.objects.values_list("note", flat=True)) == ["first"]


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "not-a-uuid", None])
def test_a_post_without_a_token_saves_nothing(assessor, assessed, token):
    request = RequestFactory().post("/", {} if token is None else {once.FIELD: token})
    request.user = assessor
    with pytest.raises(once.FormExpired, match="nothing was saved"):
        once.create_once(request, lambda: _plan(assessor, assessed))
    assert not PlannedAssessment.objects.exists()


@pytest.mark.django_db
def test_another_persons_token_neither_saves_nor_shows_their_record(assessor, assessed, colleague):
    token = str(uuid4())
    once.create_once(_post(assessor, token), lambda: _plan(assessor, assessed))
    with pytest.raises(once.FormExpired):
        once.create_once(_post(colleague, token), lambda: _plan(colleague, assessed))
    assert PlannedAssessment.objects.count() == 1


@pytest.mark.django_db
def test_a_post_that_fails_claims_nothing_so_it_can_be_sent_again(assessor, assessed):
    token = str(uuid4())

    def refused():
        _plan(assessor, assessed)
        raise ValueError("refused")

    with pytest.raises(ValueError):
        once.create_once(_post(assessor, token), refused)
    assert not PlannedAssessment.objects.exists() and not FormSubmission.objects.exists()
    plan, created = once.create_once(_post(assessor, token), lambda: _plan(assessor, assessed))
    assert created and PlannedAssessment.objects.get() == plan


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_make_one_record(org):
    """Two threads, each with its own database connection: the second's claim waits for the first to commit."""
    assessor, assessed = PersonFactory(), PersonFactory()
    token = str(uuid4())
    first_is_creating, let_first_finish = threading.Event(), threading.Event()
    results, errors = {}, []

    def slow_plan():
        first_is_creating.set()
        assert let_first_finish.wait(10)
        return _plan(assessor, assessed, "first")

    def post(name, create):
        try:
            results[name] = once.create_once(_post(assessor, token), create)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=post, args=("first", slow_plan))
    second = threading.Thread(target=post, args=("second", lambda: _plan(assessor, assessed, "second")))
    first.start()
    assert first_is_creating.wait(10)
    second.start()
    second.join(1)
    assert second.is_alive(), "the second post waits while the first holds the token"
    let_first_finish.set()
    first.join(10)
    second.join(10)

    assert errors == []
    plan = PlannedAssessment.objects.get()
    assert plan.note == "first"
    assert results == {"first": (plan, True), "second": (plan, False)}


@pytest.mark.django_db
def test_it_prunes_claims_older_than_a_week_with_the_expired_sessions(assessor, assessed):
    from datetime import timedelta

    from organisation.tasks import clear_expired_sessions

    old, recent = str(uuid4()), str(uuid4())
    once.create_once(_post(assessor, old), lambda: _plan(assessor, assessed, "old"))
    once.create_once(_post(assessor, recent), lambda: _plan(assessor, assessed, "recent"))
    FormSubmission.objects.filter(token=old).update(submitted_at=timezone.now() - once.CLAIMS_KEPT - timedelta(1))
    FormSubmission.objects.filter(token=recent).update(submitted_at=timezone.now() - once.CLAIMS_KEPT + timedelta(1))
    clear_expired_sessions()
    assert [str(t) for t in FormSubmission.objects.values_list("token", flat=True)] == [recent]
    assert PlannedAssessment.objects.count() == 2  # the records themselves stay
