"""Dip sampling pages: scope (outsider 404, anonymous to log-in), behaviour, and pinned query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity
from dipsampling import services
from dipsampling.models import DipSample, Outcome, ReMark, Selection
from notifications.models import Message
from organisation.models import PurviewLevel, Role
from qa_platform.periods import this_quarter
from tests.dipsampling.conftest import NM
from tests.factories import RoleGrantFactory
from tests.form_tokens import with_token


@pytest.fixture
def other_dip_sampler(outsider, org):
    """A dip sampler over area B: everything in unit A1 is outside their purview."""
    RoleGrantFactory(person=outsider, role=Role.DIP_SAMPLER, level=PurviewLevel.AREA, team=None, area=org.area_b)
    return outsider


@pytest.fixture
def selected(make_iqa, dip_sampler):
    return services.dip_sample_start(user=dip_sampler, assessment=make_iqa())


def _record(dip_sample, user, **fields):
    return services.dip_sample_record(
        dip_sample=dip_sample,
        user=user,
        sampled_on=timezone.localdate(),
        iqa_comment=fields.get("iqa_comment", "Answers well judged."),
        casework_comment="Good, prompt work.",
        outcome=fields.get("outcome", Outcome.ROBUST),
        remarks=fields.get("remarks"),
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


def assert_constant_queries(client, url, grow, expected):
    """The page's query count is `expected`, and stays so once `grow()` has added more data."""
    before = _queries(client, url)
    grow()
    after = _queries(client, url)
    assert (before, after) == (expected, expected)


# --- Scope -----------------------------------------------------------------------------------------------------

PAGES = [
    "dip_sample_queue",
    "dip_sample_propose",
    "dip_sample_mine",
    "dip_sample_remarks",
    "dip_sample_rates",
    "accreditation_list",
    "exercise_new",
]


@pytest.mark.parametrize("name", PAGES + ["exercise_list"])
def test_it_sends_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_it_needs_the_dip_sampler_role(client, assessor, name):
    client.force_login(assessor)
    assert client.get(reverse(name)).status_code == 404


def test_it_checks_ownership_of_dip_samples(client, selected, other_dip_sampler, make_iqa):
    client.force_login(other_dip_sampler)
    assert client.get(reverse("dip_sample_record", args=[selected.pk])).status_code == 404
    assert client.post(reverse("dip_sample_record", args=[selected.pk]), {}).status_code == 404
    unsampled = make_iqa()
    assert client.post(reverse("dip_sample_start", args=[unsampled.pk])).status_code == 404
    assert not DipSample.objects.filter(assessment=unsampled).exists()


def test_it_keeps_a_dip_samplers_own_iqas_and_work_out_of_the_queue(client, dip_sampler, make_iqa, org, neighbour):
    theirs = make_iqa()
    own_work = make_iqa(assessed=dip_sampler, team=org.team_a1b)
    own_iqa = make_iqa(assessor=dip_sampler, assessed=neighbour, team=org.team_a1b)
    client.force_login(dip_sampler)

    page = client.get(reverse("dip_sample_queue")).context["page"]

    assert [iqa.pk for iqa in page] == [theirs.pk]
    assert client.post(reverse("dip_sample_start", args=[own_work.pk])).status_code == 404
    assert client.post(reverse("dip_sample_start", args=[own_iqa.pk])).status_code == 404


# --- Queue -----------------------------------------------------------------------------------------------------


def test_it_filters_the_queue_by_activity_assessor_team_and_period(client, dip_sampler, make_iqa, org, neighbour):
    progression = make_iqa(work_date=datetime.date(2026, 5, 1))
    advice = make_iqa(Activity.ADVICE, work_date=datetime.date(2026, 8, 1), assessed=neighbour, team=org.team_a1b)
    client.force_login(dip_sampler)
    url = reverse("dip_sample_queue")

    def listed(**query):
        return [iqa.pk for iqa in client.get(url, query).context["page"]]

    assert listed(activity="advice") == [advice.pk]
    assert listed(team=org.team_a1a.pk) == [progression.pk]
    assert listed(assessor=progression.assessor_id) == [advice.pk, progression.pk]
    assert listed(period="2026-27 Q1") == [progression.pk]
    response = client.get(url, {"period": "next spring"})
    assert response.status_code == 200
    assert "is not a period" in response.content.decode()
    assert 'value="next spring"' in response.content.decode()


def test_it_shows_the_queue_in_constant_queries(client, dip_sampler, make_iqa, neighbour, org):
    make_iqa()
    client.force_login(dip_sampler)

    def grow():
        for _ in range(6):
            make_iqa(assessed=neighbour, team=org.team_a1b)

    assert_constant_queries(client, reverse("dip_sample_queue"), grow, expected=QUEUE_QUERIES)


# Every page: session, user, grants (the roles held and every purview, read once), then its own queries, then the
# idle-timeout session save (3).
# Queue: count, to-do count, page, assessors, teams.
QUEUE_QUERIES = 11


def test_it_starts_a_dip_sample_from_the_queue(client, dip_sampler, make_iqa):
    iqa = make_iqa()
    client.force_login(dip_sampler)

    response = client.post(reverse("dip_sample_start", args=[iqa.pk]))

    dip_sample = DipSample.objects.get(assessment=iqa)
    assert response.url == reverse("dip_sample_record", args=[dip_sample.pk])
    assert dip_sample.selection is None and dip_sample.recorded_at is None
    # Twice is harmless: the same dip sample.
    client.post(reverse("dip_sample_start", args=[iqa.pk]))
    assert DipSample.objects.count() == 1


# --- Selection tool --------------------------------------------------------------------------------------------


def test_it_proposes_and_confirms_a_random_selection(client, dip_sampler, make_iqa):
    iqas = [make_iqa() for _ in range(12)]
    client.force_login(dip_sampler)
    quarter = this_quarter().label

    proposal = client.get(reverse("dip_sample_propose"), {"kind": "random", "period": quarter, "seed": "99"})
    proposed = [iqa.pk for iqa in proposal.context["iqas"]]
    assert len(proposed) == 2  # 12 IQAs: 10% rounded up
    assert 'data-testid="seed">99<' in proposal.content.decode()

    response = client.post(
        reverse("dip_sample_propose"), with_token({"kind": "random", "period": quarter, "seed": "99"})
    )

    assert response.url == reverse("dip_sample_mine")
    selection = Selection.objects.get()
    assert selection.seed == 99
    assert sorted(selection.dip_samples.values_list("assessment_id", flat=True)) == sorted(proposed)
    assert {iqa.pk for iqa in iqas} >= set(proposed)


def test_a_double_submitted_random_selection_is_made_once(client, dip_sampler, make_iqa):
    for _ in range(12):
        make_iqa()
    client.force_login(dip_sampler)
    page = client.get(reverse("dip_sample_propose"), {"kind": "random", "period": this_quarter().label})
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "kind": "random",
        "period": this_quarter().label,
        "seed": page.context["proposal"].seed,
        "form_token": token,
    }
    first = client.post(reverse("dip_sample_propose"), data)
    second = client.post(reverse("dip_sample_propose"), data, follow=True)
    assert first["Location"] == reverse("dip_sample_mine")
    assert second.redirect_chain == [(reverse("dip_sample_mine"), 302)]
    assert "2 IQAs selected for dip sampling" in second.content.decode()
    selection = Selection.objects.get()
    assert selection.dip_samples.count() == 2


def test_a_selection_posted_without_its_form_token_is_not_made(client, dip_sampler, make_iqa):
    make_iqa()
    client.force_login(dip_sampler)
    response = client.post(reverse("dip_sample_propose"), {"kind": "random", "period": this_quarter().label})
    assert "This form had expired, so nothing was saved." in response.content.decode()
    assert response.context["proposal"] is not None, "the proposal is shown again, to confirm"
    assert not Selection.objects.exists() and not DipSample.objects.exists()


def test_it_confirms_only_the_ticked_iqas_of_a_targeted_selection(client, dip_sampler, make_iqa, outsider, org):
    from assessments.models import CaseStatus

    first, second = (make_iqa(case_status=CaseStatus.FINALISED) for _ in range(2))
    foreign = make_iqa(case_status=CaseStatus.FINALISED, assessed=outsider, team=org.team_b1a)
    client.force_login(dip_sampler)
    data = {"kind": "finalised_case", "period": this_quarter().label}

    client.post(reverse("dip_sample_propose"), with_token({**data, "iqa": [str(first.pk), str(foreign.pk)]}))

    assert list(DipSample.objects.values_list("assessment_id", flat=True)) == [first.pk]
    assert not DipSample.objects.filter(assessment=second).exists()


def test_it_explains_a_bad_period_and_keeps_it(client, dip_sampler):
    client.force_login(dip_sampler)
    response = client.get(reverse("dip_sample_propose"), {"kind": "random", "period": "2026-28 Q5"})
    assert response.status_code == 200
    assert response.context["proposal"] is None
    assert response.context["form"].errors["period"]
    assert 'value="2026-28 Q5"' in response.content.decode()


def test_it_proposes_in_constant_queries(client, dip_sampler, make_iqa):
    for _ in range(3):
        make_iqa()
    client.force_login(dip_sampler)
    url = reverse("dip_sample_propose") + f"?kind=random&period={this_quarter().label}&seed=5"

    def grow():
        for _ in range(25):
            make_iqa(Activity.ADVICE)

    assert_constant_queries(client, url, grow, expected=PROPOSE_QUERIES)


# Proposal: the quarter's IQAs, rule team ids, proposed IQAs.
PROPOSE_QUERIES = 9


# --- The dip sample form ---------------------------------------------------------------------------------------


def _form_data(dip_sample, **overrides):
    data = {
        "sampled_on": timezone.localdate().isoformat(),
        "iqa_comment": "The IQA was too generous on Q9.",
        "casework_comment": "No case strategy was recorded.",
        "outcome": Outcome.TOO_LENIENT,
    }
    data.update(overrides)
    return data


def test_it_records_a_dip_sample_with_re_marks(client, selected, dip_sampler):
    q9 = selected.assessment.answers.get(question__code="Q9").question_id
    client.force_login(dip_sampler)

    response = client.post(
        reverse("dip_sample_record", args=[selected.pk]),
        _form_data(selected, **{f"remark-{q9}": NM, f"remark_comment-{q9}": "No strategy"}),
    )

    assert response.url == reverse("dip_sample_record", args=[selected.pk])
    selected.refresh_from_db()
    assert selected.outcome == Outcome.TOO_LENIENT and selected.recorded_at
    assert list(ReMark.objects.values_list("question_id", "answer", "comment")) == [(q9, NM, "No strategy")]
    assert Message.objects.filter(dedupe_key=f"dip_sample:{selected.pk}:outcome").count() == 1
    page = client.get(response.url).content.decode()
    assert "Assessor&#x27;s answer too lenient" in page or "Assessor's answer too lenient" in page


@pytest.mark.parametrize("missing", ["iqa_comment", "casework_comment"])
def test_it_refuses_a_dip_sample_without_both_comments_and_keeps_what_was_typed(client, selected, dip_sampler, missing):
    client.force_login(dip_sampler)
    data = _form_data(selected, **{missing: ""})

    response = client.post(reverse("dip_sample_record", args=[selected.pk]), data)

    assert response.status_code == 200
    assert "both comments" in response.context["form"].errors[missing][0]
    other = "casework_comment" if missing == "iqa_comment" else "iqa_comment"
    assert data[other] in response.content.decode()
    selected.refresh_from_db()
    assert selected.recorded_at is None
    assert not Message.objects.exists()


def test_it_refuses_a_future_date_next_to_the_field(client, selected, dip_sampler):
    client.force_login(dip_sampler)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("dip_sample_record", args=[selected.pk]), _form_data(selected, sampled_on=tomorrow))
    assert response.context["form"].errors["sampled_on"] == [services.FUTURE_MESSAGE]
    bad = client.post(reverse("dip_sample_record", args=[selected.pk]), _form_data(selected, sampled_on="31/02/x"))
    assert bad.status_code == 200 and bad.context["form"].errors["sampled_on"]


def test_it_shows_the_form_in_constant_queries(client, selected, dip_sampler, make_iqa):
    client.force_login(dip_sampler)
    url = reverse("dip_sample_record", args=[selected.pk])

    def grow():
        for _ in range(5):
            services.dip_sample_start(user=dip_sampler, assessment=make_iqa())

    assert_constant_queries(client, url, grow, expected=FORM_QUERIES)


# Form: the dip sample with its IQA, the IQA's answers with their questions.
FORM_QUERIES = 8


# --- The assessor sees the outcome -----------------------------------------------------------------------------


def test_the_assessor_sees_the_outcome_and_comments_on_the_iqa(client, selected, dip_sampler, assessor):
    q9 = selected.assessment.answers.get(question__code="Q9").question_id
    _record(selected, dip_sampler, outcome=Outcome.MIXED, remarks={q9: (NM, "")})
    client.force_login(assessor)

    page = client.get(reverse("iqa_detail", args=[selected.assessment_id])).content.decode()

    assert 'data-testid="iqa-dip-sample"' in page
    assert "Mixed" in page and "Answers well judged." in page and "Good, prompt work." in page
    assert 'data-testid="agreement-Q9"' in page


def test_the_iqa_page_shows_nothing_for_a_dip_sample_not_yet_recorded(client, selected, assessor):
    client.force_login(assessor)
    page = client.get(reverse("iqa_detail", args=[selected.assessment_id])).content.decode()
    assert 'data-testid="iqa-dip-sample"' not in page


def test_the_iqa_page_adds_a_fixed_number_of_queries_for_the_dip_sample(client, selected, dip_sampler, assessor):
    client.force_login(assessor)
    url = reverse("iqa_detail", args=[selected.assessment_id])
    without = _queries(client, url)
    answers = selected.assessment.answers.select_related("question")
    _record(selected, dip_sampler, remarks={a.question_id: (NM, "") for a in answers})
    # The dip sample is looked up either way; once recorded, one more query reads its re-marks, however many.
    assert _queries(client, url) == without + 1


# --- My dip samples, tables, rates, accreditations --------------------------------------------------------------


def test_it_lists_my_dip_samples_to_do_first(client, dip_sampler, make_iqa):
    done = services.dip_sample_start(user=dip_sampler, assessment=make_iqa())
    _record(done, dip_sampler)
    to_do = services.dip_sample_start(user=dip_sampler, assessment=make_iqa())
    client.force_login(dip_sampler)

    page = client.get(reverse("dip_sample_mine")).context["page"]

    assert [row.pk for row in page] == [to_do.pk, done.pk]


def test_it_lists_my_dip_samples_in_constant_queries(client, dip_sampler, make_iqa):
    _record(services.dip_sample_start(user=dip_sampler, assessment=make_iqa()), dip_sampler)
    client.force_login(dip_sampler)

    def grow():
        for _ in range(6):
            _record(services.dip_sample_start(user=dip_sampler, assessment=make_iqa()), dip_sampler)

    assert_constant_queries(client, reverse("dip_sample_mine"), grow, expected=MINE_QUERIES)


# Mine: count, page.
MINE_QUERIES = 8


def test_it_shows_the_annex_b_tables_in_constant_queries(client, dip_sampler, make_iqa):
    def add():
        dip_sample = services.dip_sample_start(user=dip_sampler, assessment=make_iqa())
        q9 = dip_sample.assessment.answers.get(question__code="Q9").question_id
        _record(dip_sample, dip_sampler, remarks={q9: (NM, "")})

    add()
    client.force_login(dip_sampler)

    def grow():
        for _ in range(5):
            add()

    assert_constant_queries(client, reverse("dip_sample_remarks"), grow, expected=TABLE_QUERIES)
    page = client.get(reverse("dip_sample_remarks")).content.decode()
    assert 'data-testid="overall-assessor">100.0%' in page
    assert 'data-testid="overall-remarker">0.0%' in page


# Tables: the one annex B query.
TABLE_QUERIES = 7


def test_it_shows_rates_in_constant_queries(client, dip_sampler, make_iqa, outsider, org):
    _record(services.dip_sample_start(user=dip_sampler, assessment=make_iqa()), dip_sampler)
    make_iqa(assessed=outsider, team=org.team_b1a)  # outside the purview: not counted
    client.force_login(dip_sampler)

    def grow():
        for _ in range(9):
            make_iqa(Activity.ADVICE)

    assert_constant_queries(client, reverse("dip_sample_rates"), grow, expected=RATES_QUERIES)
    rows = {row.activity: row for row in client.get(reverse("dip_sample_rates")).context["rows"]}
    assert (rows["case_progression"].iqas, rows["case_progression"].dip_sampled) == (1, 1)
    assert rows["advice"].iqas == 9


# Rates: the one rates aggregate.
RATES_QUERIES = 7


def test_it_lists_accreditations_in_the_purview_in_constant_queries(client, dip_sampler, assessor, outsider):
    from dipsampling.models import Accreditation

    def accredit(person):
        Accreditation.objects.create(
            assessor=person,
            accredited_on=timezone.localdate(),
            accredited_by=dip_sampler,
            training="IQA national training",
            competency_check="Standard-setting exercise passed",
        )

    accredit(assessor)
    accredit(outsider)
    client.force_login(dip_sampler)

    assert [row.assessor for row in client.get(reverse("accreditation_list")).context["page"]] == [assessor]

    def grow():
        for _ in range(4):
            accredit(assessor)

    assert_constant_queries(client, reverse("accreditation_list"), grow, expected=ACCREDITATION_QUERIES)


# Accreditations: count, page.
ACCREDITATION_QUERIES = 8
