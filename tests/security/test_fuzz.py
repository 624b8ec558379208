"""Property-based fuzzing (Hypothesis) of every form and every report filter: no input gives a 5xx, and a refused
post writes nothing.

Each test opens one page as the persona who uses it and reads every form on it (its fields, their values as the
page gives them, their options). Hypothesis then sends one of those forms, or the page's own query-string parameters,
with each field either as the page gave it (so a form gets past its first check and deeper into the view) or fuzzed:
text with control characters and lone surrogates (sent as the invalid UTF-8 a browser could send), huge and negative
numbers, dates at the ends of the calendar, period labels out of range, malformed UUIDs and ids, very long text,
and a field left out or repeated. Uploads get fuzzed files.

A post is refused when the answer is a 4xx or a page whose form has errors; then the only tables it may write are
the session, the log-in throttle's, the access log and the draft (which keeps whatever was typed, by design).

The database is built once per test and kept across its examples (a post that succeeds changes it, as a user's
would). `FUZZ_PROFILE=deep` runs many more examples per page when hunting.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import challenges, services
from assessments.models import Activity, Answer, AnswerValue
from dipsampling import exercises
from dipsampling import services as dip_sampling
from organisation.models import PurviewLevel, Role
from tests.conftest import _person_in
from tests.factories import AssessmentFactory, PersonFactory, RoleGrantFactory
from tests.scrutiny.factories import CaseReviewFactory

pytestmark = pytest.mark.django_db

settings.register_profile(
    "fuzz",
    max_examples=8,
    deadline=None,
    database=None,  # nothing written into the checkout; a failure prints the example and how to reproduce it
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile("deep", parent=settings.get_profile("fuzz"), max_examples=100)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz"))

# --- What is sent --------------------------------------------------------------------------------------------------

CONTROL = "\x00\x01\x07\x08\x0b\x0c\r\x1b\x1f\x7f\u0085\u2028\ud800\udfff\ufffe\uffff"
ODD_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=30),  # any code point, surrogates included
    st.text(st.sampled_from(CONTROL + "=+-@\t\n 'a\"<>&%"), min_size=1, max_size=12),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**30]),
).map(str) | st.sampled_from(["1e309", "NaN", "-0", "1.5", "0x10", "١٢", "inf"])
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat) | st.sampled_from(
    ["0001-01-01", "9999-12-31", "0000-00-00", "2025-02-29", "31/12/9999", "9999-99-99", "-2025-01-01"]
)
PERIODS = st.one_of(
    st.sampled_from(["9999-00", "9999-00 Q4", "0000-01", "0001-01", "9998-99", "0001-01-01..9999-12-31"]),
    st.builds("{:04d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99)),
    st.builds("{}-{:02d} Q{}".format, st.integers(0, 9999), st.integers(0, 99), st.integers(0, 9)),
    st.builds("{}..{}".format, DATES, DATES),
)
IDS = st.one_of(
    st.uuids().map(str),
    st.text("0123456789abcdef-", max_size=40),
    st.sampled_from(["-1", "0", "99999999999999999999", "1 OR 1=1", "[]", "None"]),
)
LONG = st.sampled_from(["x" * 3_000, "é" * 70_000, "\x00" * 1_000])
FUZZED = st.one_of(ODD_TEXT, NUMBERS, DATES, PERIODS, IDS, LONG)


DATE_NAME = re.compile(r"date|_on$|(^|_)(from|to)$|week")
ID_NAME = re.compile(r"(^|_)(id|pk|page|seed|number|value|values|assessed|assessor|team|unit|area|p)$")


def fuzzed_for(name: str):
    """Fuzzed values, weighted to what the field's name says it reads."""
    if "period" in name:
        return st.one_of(PERIODS, PERIODS, FUZZED)
    if DATE_NAME.search(name):
        return st.one_of(DATES, DATES, FUZZED)
    if ID_NAME.search(name):
        return st.one_of(NUMBERS, IDS, FUZZED)
    return FUZZED


def fuzzed_values(name: str):
    """A field sent once fuzzed, repeated, or left out."""
    one = fuzzed_for(name)
    return st.one_of(st.lists(one, min_size=1, max_size=1), st.lists(one, min_size=2, max_size=3), st.just([]))


def form_values(data, form) -> dict[str, list[str]]:
    """One to three fields fuzzed; the others as the page gave them, or one of their options, so the form gets past
    its first checks and deeper into the view."""
    names = list(form.fields)
    targets = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=3), label="fuzzed") if names else set()
    values = {}
    for name, default in form.fields.items():
        options = form.options.get(name)
        if name in targets:
            values[name] = data.draw(fuzzed_values(name), label=name)
        elif options:
            values[name] = data.draw(st.just(default) | st.sampled_from(options).map(lambda option: [option]))
        else:
            values[name] = default
    return values


def fuzzed_file():
    """An upload: bytes at random, or CSV-like text with fuzzed cells, or JSON-like text."""
    cell = st.one_of(FUZZED, st.sampled_from(["area", "2025-26", "Q3", "Conviction rate", "80", "advice"]))
    row = st.lists(cell, min_size=1, max_size=7).map(lambda cells: ",".join(cells))
    csv_text = st.lists(row, min_size=1, max_size=5).map(
        lambda rows: "area,business_year,quarter,measure,value,activity\n" + "\n".join(rows)
    )
    json_text = st.recursive(
        st.none() | st.booleans() | NUMBERS | ODD_TEXT,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(ODD_TEXT, children, max_size=3),
        max_leaves=12,
    ).map(repr)
    return st.one_of(st.binary(max_size=300), csv_text, json_text).map(
        lambda content: content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    )


def urlencoded(pairs: list[tuple[str, str]]) -> str:
    """Form or query-string encoding of any text: a lone surrogate goes as the bytes of its UTF-8 form, which is
    invalid UTF-8, as a client at random could send."""

    def quote(text):
        return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{quote(name)}={quote(value)}" for name, value in pairs)


# --- Reading the forms on a page -------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    multipart: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values as the page gives them
    options: dict[str, list[str]] = field(default_factory=dict)  # name -> every value offered
    files: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """The forms of a page, with their fields' names, values and options."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path, self.forms, self.form, self.select, self.textarea = page_path, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(
                action=attrs.get("action") or self.page_path,
                method=(attrs.get("method") or "get").lower(),
                multipart=attrs.get("enctype") == "multipart/form-data",
            )
            self.forms.append(self.form)
        elif self.form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select = attrs["name"]
            self.form.fields.setdefault(self.select, [])
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.form.fields[self.textarea] = [""]
        if tag == "option" and self.select:
            value = attrs.get("value", "")
            self.form.options.setdefault(self.select, []).append(value)
            if "selected" in attrs:
                self.form.fields[self.select].append(value)

    def _input(self, attrs):
        name, kind, value = attrs["name"], attrs.get("type", "text"), attrs.get("value", "")
        if kind == "file":
            self.form.files.append(name)
        elif kind in ("checkbox", "radio"):
            self.form.options.setdefault(name, []).append(value or "on")
            self.form.fields.setdefault(name, [])
            if "checked" in attrs:
                self.form.fields[name].append(value or "on")
        elif kind not in ("submit", "button", "image", "reset"):
            self.form.fields.setdefault(name, []).append(value)

    def handle_data(self, data):
        if self.textarea:
            self.form.fields[self.textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(path: str, html: str) -> list[Form]:
    reader = FormReader(path)
    reader.feed(html)
    # Logging out would end the persona's session for every later example.
    return [form for form in reader.forms if "logout" not in form.action]


# --- Sending and checking ------------------------------------------------------------------------------------------

# What a refused post may still write: the session, the log-in throttle, the access log of who viewed whom, and a
# draft, which keeps whatever was typed (by design: nothing typed is lost).
MAY_WRITE_WHEN_REFUSED = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "organisation_accesslogentry",
    "assessments_draft",
}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', re.IGNORECASE)


def written_tables(queries) -> set[str]:
    return {match.group(1) for query in queries if (match := WRITE.match(query["sql"]))}


def refused(response) -> bool:
    """A 4xx, or a page showing a bound form with errors."""
    if response.status_code >= 400:
        return True
    contexts = response.context if isinstance(response.context, list) else [response.context or {}]
    values = [value for context in contexts for value in dict(context.flatten() if context else {}).values()]
    return any(getattr(value, "is_bound", False) and getattr(value, "errors", None) for value in values)


def replaced(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def send(client, form: Form, values: dict[str, list[str]], files: dict[str, bytes]):
    """One request, checked: never a 5xx, and a refused post writes nothing but MAY_WRITE_WHEN_REFUSED."""
    pairs = [(name, value) for name, items in values.items() for value in items]
    with CaptureQueriesContext(connection) as queries:
        if form.method != "post":
            response = client.get(form.action, QUERY_STRING=urlencoded(pairs))
        elif form.multipart:
            data = {}
            for name, value in pairs:  # multipart text must encode: a lone surrogate is the replacement character
                data.setdefault(replaced(name), []).append(replaced(value))
            for name, content in files.items():
                data[name] = SimpleUploadedFile("fuzz.csv", content)
            response = client.post(form.action, data)
        else:
            response = client.post(form.action, urlencoded(pairs), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (form.method, form.action, pairs)
    if form.method == "post" and refused(response):
        unexpected = written_tables(queries.captured_queries) - MAY_WRITE_WHEN_REFUSED
        assert not unexpected, f"a refused post to {form.action} wrote {unexpected}: {pairs}"
    return response


def fuzz_page(client, path: str, parameters=(), *, post_only=False):
    """Fuzz every form on the page at `path`, and its query string with `parameters` (the filters a page reads)."""
    response = client.get(path)
    assert response.status_code == 200, path
    forms = forms_on(path, response.content.decode())
    if post_only:
        forms = [form for form in forms if form.method == "post"]
    if parameters:
        forms.append(Form(action=path, method="get", fields={name: [] for name in parameters}))
    assert forms, f"no form on {path}"

    @FUZZ
    @given(data=st.data())
    def run(data):
        form = data.draw(st.sampled_from(forms), label="form")
        values = form_values(data, form)
        # An unknown field, sometimes: a view must ignore it.
        if data.draw(st.booleans(), label="extra field"):
            values[data.draw(ODD_TEXT, label="extra name")] = [data.draw(FUZZED, label="extra value")]
        files = {name: data.draw(fuzzed_file(), label=name) for name in form.files}
        send(client, form, values, files)

    run()


# --- The world the personas work in ----------------------------------------------------------------------------------


@dataclass
class World:
    iqa: object
    draft: object
    dip_sample: object
    challenge: object
    exercise: object
    case_review: object


@pytest.fixture
def world(org, assessor, assessed, colleague, dip_sampler, group_leader, case_review_manager):
    """One of each record the pages work on, in the personas' organisation (tests/conftest.py)."""
    today = timezone.localdate()
    other_assessor = _person_in(org.team_a1b, full_name="Oona Other")
    RoleGrantFactory(person=other_assessor, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1b)
    iqa = AssessmentFactory(
        team=org.team_a1a, assessor=assessor, assessed=assessed, work_date=today - timedelta(days=1)
    )
    sampled = AssessmentFactory(team=org.team_a1a, assessor=assessor, assessed=colleague, work_date=today)
    answer = Answer.objects.filter(assessment=iqa).order_by("question__number").first()
    return World(
        iqa=iqa,
        draft=services.draft_start(
            owner=assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=today
        ),
        dip_sample=dip_sampling.dip_sample_start(user=dip_sampler, assessment=sampled),
        challenge=challenges.challenge_raise(
            answer=answer,
            raised_by=assessed,
            reasons="The file shows the review.",
            proposed_value=AnswerValue.NOT_APPLICABLE,
        ),
        exercise=exercises.exercise_create(
            organiser=dip_sampler,
            title="Charging review",
            activity=Activity.CASE_PROGRESSION,
            case_study="A burglary file.",
            assessors=[assessor, other_assessor],
        ),
        case_review=CaseReviewFactory(
            team=org.team_a1a,
            case_review_manager=case_review_manager,
            group_leader=group_leader,
            allocated_on=today - timedelta(days=80),
        ),
    )


@pytest.fixture
def comments_viewer(org):
    person = PersonFactory(full_name="Cleo Comments")
    RoleGrantFactory(person=person, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    return person


@pytest.fixture
def administrator(db):
    return PersonFactory(full_name="Ada Admin", is_staff=True, is_superuser=True)


# --- The pages -------------------------------------------------------------------------------------------------------

REPORT_FILTERS = ("period", "area", "unit", "team", "assessor", "activity", "sensitive_category", "court")
COMPARE = (*REPORT_FILTERS, "dimension", "values", "periods")
DRILL = (*REPORT_FILTERS, "question", "answer", "reason", "what", "page")
DIP_FILTERS = ("period", "activity", "assessor", "team", "page")


@dataclass(frozen=True)
class Page:
    persona: str
    url: object  # the URL, or a function of the World giving it
    parameters: tuple = ()

    def path(self, world) -> str:
        return self.url(world) if callable(self.url) else self.url

    def __str__(self):
        url = self.url if isinstance(self.url, str) else self.url.__name__
        return f"{self.persona}:{url}"


def _url(name, *attributes):
    """The URL of a named page for one of the World's records (`attributes` lead to its id)."""

    def url(world):
        record = world
        for attribute in attributes:
            record = getattr(record, attribute)
        return reverse(name, args=[record.pk] if attributes else [])

    url.__name__ = name
    return url


PAGES = [
    # Assessors: starting, recording and reading IQAs, feedback, plans.
    Page("assessor", "/", ("page",)),
    Page("assessor", "/iqas/", ("assessed", "activity", "state", "work_from", "work_to", "page")),
    Page("assessor", "/iqas/new/"),
    Page("assessor", _url("draft_edit", "draft")),
    Page("assessor", _url("iqa_detail", "iqa")),
    Page("assessor", "/iqas/plans/", ("page", "show")),
    Page("assessor", "/people/", ("q", "role", "page")),
    # The assessed: acknowledging and challenging.
    Page("assessed", _url("iqa_detail", "iqa")),
    Page("assessed", "/iqas/of-my-work/", ("page",)),
    # Dip samplers: the queue, selections, dip samples, re-marks, rates, challenges and exercises.
    Page("dip_sampler", "/dip-samples/", DIP_FILTERS),
    Page("dip_sampler", "/dip-samples/select/", ("kind", "period", "seed")),
    Page("dip_sampler", _url("dip_sample_record", "dip_sample")),
    Page("dip_sampler", "/dip-samples/re-marks/", ("period",)),
    Page("dip_sampler", "/dip-samples/rates/", ("period",)),
    Page("dip_sampler", _url("challenge_decide", "challenge")),
    Page("dip_sampler", "/dip-samples/exercises/new/"),
    Page("dip_sampler", _url("exercise_detail", "exercise")),
    Page("assessor", _url("exercise_detail", "exercise")),
    # Performance: every page's filters, the comparison, the drill-down, charts, exports and the measures import.
    Page("performance_viewer", "/reports/", REPORT_FILTERS),
    Page("performance_viewer", "/reports/compare/", COMPARE),
    Page("performance_viewer", "/reports/consistency/", REPORT_FILTERS),
    Page("performance_viewer", "/reports/iqas/", DRILL),
    Page("performance_viewer", "/reports/measures/", ("page",)),
    Page("comments_viewer", "/reports/comments/", REPORT_FILTERS),
    # Case-review scrutiny.
    Page("group_leader", "/scrutiny/", ("reference", "status", "next_kind", "timing", "page")),
    Page("group_leader", _url("scrutiny_case_detail", "case_review")),
    Page("group_leader", "/scrutiny/mot-selection/"),
    Page("group_leader", "/scrutiny/closed-cases/", ("page",)),
    # Anyone signed in: changing their password.
    Page("assessed", "/accounts/password_change/"),
    # Administration: the question-set import, add forms, a change list's search and filters.
    Page("administrator", "/admin/assessments/questionset/import/"),
    Page("administrator", "/admin/organisation/area/add/"),
    # Django's autocomplete select once looked a posted ':' up as an id (a 500): qa_platform/admin_autocomplete.py.
    Page("administrator", "/admin/organisation/rolegrant/add/"),
    Page("administrator", "/admin/reporting/performancemeasure/add/"),
    Page("administrator", "/admin/organisation/person/", ("q", "o", "p", "is_active__exact", "all")),
]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_no_form_or_filter_gives_a_server_error_nor_writes_when_refused(client, request, world, page):
    client.force_login(request.getfixturevalue(page.persona))
    fuzz_page(client, page.path(world), page.parameters)


# Pages whose query string only is read (no form on them): the exports and charts of the reports, with the filters.
QUERY_ONLY = [
    ("performance_viewer", "/reports/chart/questions.svg", REPORT_FILTERS),
    ("performance_viewer", "/reports/chart/trend.svg", REPORT_FILTERS),
    ("performance_viewer", "/reports/export/dashboard/all.xlsx", REPORT_FILTERS),
    ("performance_viewer", "/reports/export/compare/all.xlsx", COMPARE),
    ("performance_viewer", "/reports/export/drilldown/iqas.csv", DRILL),
    ("performance_viewer", "/reports/committee-pack/", REPORT_FILTERS),
    ("comments_viewer", "/reports/comments/extract.xlsx", REPORT_FILTERS),
    ("assessor", "case_lookup", ("urn",)),
]


@pytest.mark.parametrize(("persona", "path", "parameters"), QUERY_ONLY, ids=lambda value: str(value)[:40])
def test_no_query_string_of_an_export_or_chart_gives_a_server_error(client, request, world, persona, path, parameters):
    client.force_login(request.getfixturevalue(persona))
    if path == "case_lookup":
        path = reverse("case_lookup", args=[world.draft.pk])
    form = Form(action=path, method="get", fields={name: [] for name in parameters})

    @FUZZ
    @given(data=st.data())
    def run(data):
        values = form_values(data, form)
        send(client, form, values, {})

    run()


def test_draft_autosave_keeps_any_typed_text_without_a_server_error(client, assessor, world):
    """The autosave stores the post as typed: every field of the draft form, fuzzed."""
    client.force_login(assessor)
    path = reverse("draft_edit", args=[world.draft.pk])
    form = next(form for form in forms_on(path, client.get(path).content.decode()) if form.method == "post")
    autosave = Form(action=f"{path}autosave/", method="post", fields=form.fields, options=form.options)

    @FUZZ
    @given(data=st.data())
    def run(data):
        values = {
            name: data.draw(st.lists(fuzzed_for(name), max_size=2), label=name) for name in list(autosave.fields)[:12]
        }
        send(client, autosave, values, {})

    run()


def test_signed_out_forms_give_no_server_error(client, db):
    fuzz_page(client, "/accounts/login/", ("next",), post_only=False)
    fuzz_page(client, "/accounts/password_reset/")
