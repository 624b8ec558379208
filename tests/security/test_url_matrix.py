"""Every URL × every demo role (and anonymous) × records inside and outside the role's purview, GET and POST.

`MATRIX` holds one entry per URL pattern the resolver knows (a new URL without an entry fails
`test_every_url_pattern_has_an_entry`), each with its probes: the records or query strings to request it with (NORTH,
inside the personas' purviews; NEXTDOOR, another unit of the same area; SOUTH, another area: see
tests/security/purviews.py) and the status each role must get for GET and for a POST with an empty body.

For every request: the expected status, never a 5xx, and no marker text of a purview (or of a purpose: answer
comments, applicants' names) that the role may not see, in the body of any response, exports' workbooks included. A
POST answered 401, 403, 404, 405 or with a log-in page, any anonymous POST, and any POST to a URL not marked as
writing on an accepted POST must send no INSERT, UPDATE or DELETE to the database (a logged-in session's expiry
excepted: a new session is a write). A second pass posts without a CSRF token, as a forged cross-site form would:
refused, and nothing written.

Cases failing today that another branch is fixing are listed in their entry's `known`: strict expected failures,
which fail as soon as the fix makes them pass, so the entry is removed with it.
"""

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from assessments.models import Reason
from assessments.views.iqas import iqa_list
from tests.security.purviews import ALL_MARKERS, LOGGED_IN, PURVIEWS, ROLES, VISIBLE, build_world

LOGIN = "the log-in page"  # 302 to /accounts/login/
ADMIN_LOGIN = "the admin log-in page"  # 302 to /admin/login/
LOGIN_PREFIXES = {LOGIN: "/accounts/login/", ADMIN_LOGIN: "/admin/login/"}
REFUSED = {401, 403, 404, 405, LOGIN, ADMIN_LOGIN}

# URL patterns outside the matrix, each with why. Everything else the resolver knows must have an entry.
NOT_IN_MATRIX = {
    # Django admin's own pages (changelists, change forms, history…) act only through model admin permissions,
    # tested in tests/*/test_admin.py. Views of ours inside the admin (the question set import and the locked
    # versions' delete pages) stay in the matrix.
    "admin": "Django's admin site",
}
OUR_PACKAGES = ("qa_platform", "organisation", "assessments", "dipsampling", "scrutiny", "notifications", "reporting")


def url_patterns(resolver=None, namespace=""):
    """(name, route, view's dotted path) of every pattern, namespaced names as reverse() takes them; an unnamed
    pattern is named by its route, so it too needs an entry."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for name, route, view in url_patterns(pattern, inner):
                yield name, f"{pattern.pattern}{route}", view
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"
            yield name, str(pattern.pattern), pattern.lookup_str


def needs_entry(name, view) -> bool:
    namespace = name.split(":")[0] if ":" in name else ""
    return namespace not in NOT_IN_MATRIX or view.startswith(tuple(f"{package}." for package in OUR_PACKAGES))


def missing_entries(resolver=None) -> list[str]:
    return sorted({name for name, _, view in url_patterns(resolver) if needs_entry(name, view)} - set(MATRIX))


# --- The table --------------------------------------------------------------------------------------------------


def statuses(default=404, anonymous=LOGIN, **roles) -> dict:
    """Every role's status: `default` for each logged-in role not named."""
    unknown = set(roles) - set(LOGGED_IN)
    assert not unknown, unknown
    return {"anonymous": anonymous, **{role: roles.get(role, default) for role in LOGGED_IN}}


def everyone(status, anonymous=LOGIN):
    return statuses(status, anonymous=anonymous)


@dataclass(frozen=True)
class Probe:
    """One way to request a URL: its path arguments and query string, built from the world, and each role's
    status for GET and for an empty POST."""

    name: str
    get: Mapping
    post: Mapping
    kwargs: Callable = lambda world: {}
    query: Callable = lambda world: {}
    # Texts that no response to this probe may hold, whoever asks.
    absent: Callable = lambda world: ()


@dataclass(frozen=True)
class Entry:
    probes: tuple
    # An accepted POST may write (a button with no fields: close, discard, start…); refused ones never do.
    post_writes: bool = False
    # Cases failing today that another branch fixes: (role, "GET" or "POST") → why.
    known: Mapping = field(default_factory=dict)


def page(get, post=None, *, kwargs=None, post_writes=False, known=None):
    """A URL without an object: one probe, with the same expectations for every purview."""
    probe = Probe("page", get, get if post is None else post, kwargs=lambda world: kwargs or {})
    return Entry((probe,), post_writes=post_writes, known=known or {})


def filtered(get, post=None, *, query, kwargs=None, base=None, purviews=PURVIEWS):
    """A list with filters: unfiltered, and filtered on each purview's records (`query(purview)`, beside `base`): a
    choice outside the purview is refused next to its field, and the list stays the purview's."""
    post = get if post is None else post
    base = base or (lambda world: {})
    probes = [Probe("page", get, post, kwargs=lambda world: kwargs or {}, query=base)]
    for name in purviews:
        probes.append(
            Probe(
                f"filtered on {name}",
                get,
                post,
                kwargs=lambda world: kwargs or {},
                query=lambda world, name=name: {**base(world), **query(world.purviews[name])},
            )
        )
    return Entry(tuple(probes))


def post_only(anonymous=LOGIN):
    """require_POST behind login_required: GET is refused whoever asks."""
    return statuses(405, anonymous=anonymous)


def scoped(
    kwargs,
    get,
    post=None,
    *,
    outside_get=None,
    outside_post=None,
    post_writes=False,
    known=None,
):
    """A URL on one record: probes for the record of each purview. `kwargs(purview)` builds the path arguments. NORTH
    gets `get`/`post`; the other purviews `outside_get`/`outside_post[purview]` (default: 404 for every logged-in
    role, and for a URL that refuses GET, 405)."""
    post = get if post is None else post
    probes = []
    for name in PURVIEWS:
        if name == "north":
            expected_get, expected_post = get, post
        else:
            refused_get = everyone(405, anonymous=get["anonymous"]) if get["assessor"] == 405 else statuses()
            expected_get = (outside_get or {}).get(name, refused_get)
            # Signed out, a record's URL answers alike inside and outside the purview: nothing to tell them apart.
            expected_post = (outside_post or {}).get(name, statuses(anonymous=post["anonymous"]))
        probes.append(
            Probe(
                name,
                expected_get,
                expected_post,
                kwargs=lambda world, name=name: kwargs(world.purviews[name]),
            )
        )
    return Entry(tuple(probes), post_writes=post_writes, known=known or {})


def report_filters(purview):
    return {
        "area": purview.area.pk,
        "unit": purview.unit.pk,
        "team": purview.team.pk,
        "assessor": purview.people["assessor"].pk,
    }


def reports(kwargs=None, *, base=None, purviews=PURVIEWS):
    """A reporting page: performance and national viewers only, unfiltered and filtered on each purview's area,
    unit, team and assessor."""
    ok = statuses(performance=200, national=200)
    return filtered(ok, query=report_filters, kwargs=kwargs, base=base, purviews=purviews)


def compared_teams(world):
    return {"dimension": "team", "values": [world.purviews[name].team.pk for name in ("north", "nextdoor")]}


def comments_extract(kwargs=None):
    return filtered(statuses(comments=200), query=report_filters, kwargs=kwargs)


def role_pages():
    holders = {
        "assessor": ["assessor"],
        "dip_sampler": ["dip_sampler"],
        "performance_viewer": ["performance", "national"],  # a national viewer's grant implies performance viewing
        "comments_viewer": ["comments"],
        "case_scrutiny": ["scrutiny"],
        "national_viewer": ["national"],
        "question_set_admin": ["question_sets"],
    }
    probes = []
    for role, roles in holders.items():
        expected = statuses(**dict.fromkeys(roles, 200))
        probes.append(Probe(role, expected, expected, kwargs=lambda world, role=role: {"role": role}))
    probes.append(Probe("no such role", statuses(), statuses(), kwargs=lambda world: {"role": "superuser"}))
    return Entry(tuple(probes))


def admin_locked_delete(kwargs):
    """Our delete view for a question set version with answers: it refuses, sending the admin to the change page."""
    expected = statuses(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, question_sets=302, admin=302)
    return Entry((Probe("locked version", expected, expected, kwargs=kwargs),))


SEEN_BY_IQA_READERS = statuses(assessor=200, prosecutor=200, dip_sampler=200)
AUTHOR_POSTS = statuses(assessor=302)
SCRUTINISERS = statuses(scrutiny=200)
NAMED_OR_OVER = statuses(scrutiny=200, case_review_manager=200)

MATRIX = {
    # Log-in and passwords (django.contrib.auth's views, served at our URLs)
    "login": page(everyone(302, anonymous=200)),
    "logout": page(everyone(405, anonymous=405), everyone(302, anonymous=302), post_writes=True),
    "password_change": page(everyone(200)),
    "password_change_done": page(everyone(200), everyone(405)),
    "password_reset": page(everyone(200, anonymous=200)),
    "password_reset_done": page(everyone(200, anonymous=200), everyone(405, anonymous=405)),
    "password_reset_confirm": page(everyone(200, anonymous=200), kwargs={"uidb64": "MQ", "token": "a-b"}),
    "password_reset_complete": page(everyone(200, anonymous=200), everyone(405, anonymous=405)),
    # Organisation
    "home": page(everyone(200)),
    "role_page": role_pages(),
    "people_list": filtered(everyone(200), query=lambda p: {"role": "assessor", "q": p.people["assessed"].email}),
    "person_detail": scoped(
        lambda p: {"pk": p.people["assessed"].pk},
        statuses(
            assessor=200, prosecutor=200, dip_sampler=200, performance=200, comments=200, scrutiny=200, national=200
        ),
        outside_get={
            "nextdoor": statuses(performance=200, comments=200, national=200),
            "south": statuses(national=200),
        },
        outside_post={
            "nextdoor": statuses(performance=200, comments=200, national=200),
            "south": statuses(national=200),
        },
        post_writes=True,  # the access log
    ),
    "session_keepalive": page(everyone(405, anonymous=405), everyone(200, anonymous=401)),
    # Recording IQAs
    "iqa_list": filtered(statuses(assessor=200), query=lambda p: {"assessed": p.people["assessed"].pk}),
    "own_iqas": filtered(everyone(200), query=lambda p: {"assessed": p.people["assessed"].pk}),
    "iqa_start": page(statuses(assessor=200)),
    # Signed out, a post to a draft is sent to log in, or refused (a cross-site or session-less post).
    "draft_edit": scoped(
        lambda p: {"pk": p.draft.pk},
        statuses(assessor=200),
        statuses(assessor=200, anonymous=frozenset({LOGIN, 403})),
        post_writes=True,  # the draft keeps what was typed
    ),
    "draft_autosave": scoped(
        lambda p: {"pk": p.draft.pk},
        everyone(405, anonymous=405),
        statuses(assessor=200, anonymous=frozenset({200, 403})),
        post_writes=True,
    ),
    "draft_discard": scoped(lambda p: {"pk": p.draft.pk}, post_only(), statuses(assessor=302), post_writes=True),
    # The assessor's own draft, with the URN of a case in each purview: outside the purview, the case's facts (its
    # unit, its sensitive categories) are not given away.
    "case_lookup": Entry(
        tuple(
            Probe(
                f"own draft, URN of a case in {name}",
                statuses(assessor=200),
                statuses(405),
                kwargs=lambda world: {"pk": world.purviews["north"].draft.pk},
                query=lambda world, name=name: {"urn": world.purviews[name].iqa.case.urn},
                absent=(lambda world, name=name: (world.purviews[name].unit.name, "Rape"))
                if name != "north"
                else (lambda world: ()),
            )
            for name in PURVIEWS
        )
        + (
            Probe(
                "another's draft",
                statuses(),
                statuses(405),
                kwargs=lambda world: {"pk": world.purviews["south"].draft.pk},
                query=lambda world: {"urn": world.purviews["south"].iqa.case.urn},
            ),
        ),
    ),
    "iqa_detail": scoped(lambda p: {"pk": p.iqa.pk}, SEEN_BY_IQA_READERS, post_writes=True),  # the access log
    "iqa_amend": scoped(lambda p: {"pk": p.iqa.pk}, post_only(), AUTHOR_POSTS, post_writes=True),
    "iqa_another_case": scoped(lambda p: {"pk": p.iqa.pk}, post_only(), AUTHOR_POSTS, post_writes=True),
    "iqa_action_taken": scoped(lambda p: {"pk": p.iqa.pk}, post_only(), AUTHOR_POSTS),
    "iqa_close": scoped(lambda p: {"pk": p.iqa.pk}, post_only(), AUTHOR_POSTS),
    # The feedback form refused shows the IQA page again, which logs the access.
    "iqa_feedback": scoped(lambda p: {"pk": p.iqa.pk}, post_only(), statuses(assessor=200), post_writes=True),
    "iqa_acknowledge": scoped(
        lambda p: {"pk": p.iqa.pk}, statuses(prosecutor=200), statuses(prosecutor=302), post_writes=True
    ),
    "answer_challenge": scoped(lambda p: {"pk": p.unchallenged_answer.pk}, statuses(prosecutor=200)),
    "challenge_list": page(statuses(dip_sampler=200)),
    "challenge_decide": scoped(lambda p: {"pk": p.challenge.pk}, statuses(dip_sampler=200)),
    "plan_list": page(statuses(assessor=200)),
    "plan_cancel": scoped(lambda p: {"pk": p.plan.pk}, post_only(), statuses(assessor=302), post_writes=True),
    # Dip sampling
    "dip_sample_queue": filtered(
        statuses(dip_sampler=200), query=lambda p: {"team": p.team.pk, "assessor": p.people["assessor"].pk}
    ),
    "dip_sample_start": scoped(lambda p: {"pk": p.iqa2.pk}, post_only(), statuses(dip_sampler=302), post_writes=True),
    "dip_sample_propose": page(statuses(dip_sampler=200)),
    "dip_sample_mine": page(statuses(dip_sampler=200)),
    "dip_sample_record": scoped(lambda p: {"pk": p.dip_sample.pk}, statuses(dip_sampler=200)),
    "dip_sample_selections": page(statuses(dip_sampler=200)),
    "dip_sample_selection": scoped(lambda p: {"pk": p.selection.pk}, statuses(dip_sampler=200)),
    "dip_sample_remarks": page(statuses(dip_sampler=200)),
    "dip_sample_rates": page(statuses(dip_sampler=200)),
    "accreditation_list": page(statuses(dip_sampler=200)),
    "exercise_list": page(everyone(200)),
    "exercise_new": page(statuses(dip_sampler=200)),
    "exercise_detail": scoped(lambda p: {"pk": p.exercise.pk}, statuses(assessor=200, dip_sampler=200)),
    # The organiser closes answering; an invited assessor is told they cannot.
    "exercise_close": scoped(
        lambda p: {"pk": p.exercise.pk}, post_only(), statuses(assessor=302, dip_sampler=302), post_writes=True
    ),
    # Case-review scrutiny
    "scrutiny_case_list": page(everyone(200)),
    # A case review manager is sent to their own cases rather than left at a 404.
    "scrutiny_overview": page(statuses(scrutiny=200, case_review_manager=302)),
    # An empty selection is told the list is up to date.
    "scrutiny_mot_selection": page(
        statuses(scrutiny=200, case_review_manager=302), statuses(scrutiny=302, case_review_manager=302)
    ),
    "scrutiny_case_detail": scoped(lambda p: {"pk": p.case_review.pk}, NAMED_OR_OVER),
    "scrutiny_one_to_one": scoped(lambda p: {"pk": p.case_review.pk}, post_only(), NAMED_OR_OVER),
    "scrutiny_case_open": page(NAMED_OR_OVER),
    "scrutiny_case_edit": scoped(lambda p: {"pk": p.case_review.pk}, NAMED_OR_OVER),
    "scrutiny_case_close": scoped(lambda p: {"pk": p.case_review.pk}, NAMED_OR_OVER),
    # The case is open: reopening it is refused with a message on the case page.
    "scrutiny_case_reopen": scoped(
        lambda p: {"pk": p.case_review.pk}, post_only(), statuses(scrutiny=302, case_review_manager=302)
    ),
    "scrutiny_milestone_record": scoped(lambda p: {"pk": p.pending_milestone.pk}, SCRUTINISERS),
    # The action's owner is the case review manager.
    "scrutiny_action_follow_up": scoped(lambda p: {"pk": p.action.pk}, NAMED_OR_OVER),
    "scrutiny_closed_list": page(everyone(200)),
    "scrutiny_closed_review": scoped(lambda p: {"pk": p.closed_item.pk}, SCRUTINISERS),
    # Reporting
    "reporting:dashboard": reports(),
    "reporting:compare": Entry(
        reports().probes
        + tuple(
            Probe(
                f"compare teams of {name}",
                statuses(performance=200, national=200),
                statuses(performance=200, national=200),
                query=lambda world, name=name: {
                    "dimension": "team",
                    "values": [world.purviews["north"].team.pk, world.purviews[name].team.pk],
                },
            )
            for name in PURVIEWS
        )
    ),
    "reporting:consistency": reports(),
    "reporting:drilldown": reports(),
    "reporting:committee_pack": reports(),
    "reporting:chart": Entry(
        tuple(
            Probe(
                chart,
                statuses(performance=status, national=status),
                statuses(performance=status, national=status),
                kwargs=lambda world, chart=chart: {"name": chart},
            )
            for chart, status in (("questions", 200), ("trend", 200), ("timing", 200), ("nosuchchart", 404))
        )
    ),
    "reporting:export": Entry(
        tuple(
            probe
            for page_name in ("dashboard", "compare", "consistency", "drilldown")
            # Every table of each page in one workbook, unfiltered and with a refused filter.
            for probe in reports(
                {"page": page_name, "table": "all", "fmt": "xlsx"},
                base=compared_teams if page_name == "compare" else None,
                purviews=["south"],
            ).probes
        )
        + reports({"page": "drilldown", "table": "drilldown", "fmt": "csv"}, purviews=["south"]).probes
    ),
    "reporting:measures": page(statuses(performance=200, national=200)),
    "reporting:comments": comments_extract(),
    "reporting:comments_export": Entry(
        comments_extract({"fmt": "xlsx"}).probes + comments_extract({"fmt": "csv"}).probes
    ),
    # Our views inside the admin site
    "admin:assessments_questionset_import": page(
        statuses(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, question_sets=200, admin=200)
    ),
    "admin:assessments_questionset_delete": admin_locked_delete(lambda world: {"object_id": world.question_set.pk}),
    "admin:assessments_question_delete": admin_locked_delete(
        lambda world: {"object_id": world.question_set.questions.first().pk}
    ),
    "admin:assessments_reason_delete": admin_locked_delete(
        lambda world: {"object_id": Reason.objects.filter(question__question_set=world.question_set).first().pk}
    ),
}


# --- The world, built once for the module -------------------------------------------------------------------------


@dataclass
class Setting:
    world: object
    sessions: dict  # role → the session key of its persona's log-in (anonymous: none), kept for the module
    clients: dict = field(default_factory=dict)

    def client(self, role, *, enforce_csrf_checks=False) -> Client:
        """A client of the role, with no cookie but its session's: nothing carries over from another test. One client
        serves every test: a new one would load the middleware again, WhiteNoise scanning every static file."""
        client = self.clients.setdefault(enforce_csrf_checks, Client(enforce_csrf_checks=enforce_csrf_checks))
        client.cookies = SimpleCookie()
        if self.sessions[role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


@pytest.fixture(scope="module")
def setting(django_db_setup, django_db_blocker):
    """The three purviews and a log-in per persona, built once and rolled back after the module's last test (each
    test rolls back its own writes inside that)."""
    # Module fixtures run outside the tests' fast password hashing.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        world = build_world()
        sessions = {role: _log_in(world, role) for role in ROLES}
        yield Setting(world, sessions)
        transaction.set_rollback(True)


def _log_in(world, role):
    if role == "anonymous":
        return None
    client = Client()
    client.force_login(world.personas[role])
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Writes:
    """The SQL statements that wrote, while in use as the connection's execute wrapper. A logged-in session's expiry
    moves with every request (an UPDATE of its row); anything else, a new session included, is a write."""

    VERBS = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE", "COPY"}

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        words = sql.split(None, 2)
        if words and words[0].upper() in self.VERBS and not sql.startswith('UPDATE "django_session"'):
            self.statements.append(" ".join(sql.split())[:100])
        return execute(sql, params, many, context)


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX workbook: the cells are in its XML parts
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return "".join(workbook.read(part).decode() for part in workbook.namelist() if part.endswith(".xml"))
    return content.decode(errors="replace")


def matches(response, expected) -> bool:
    if isinstance(expected, frozenset):  # any one of these
        return any(matches(response, one) for one in expected)
    if expected in LOGIN_PREFIXES:
        return response.status_code == 302 and response["Location"].startswith(LOGIN_PREFIXES[expected])
    return response.status_code == expected


def problems_with(response, expected, role, what, absent=()) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{what}: {status}"]
    found = []
    if not matches(response, expected):
        found.append(f"{what}: {status} {response.get('Location', '')}, expected {expected}")
    body = body_text(response)
    leaked = sorted(text for text in ALL_MARKERS - VISIBLE[role] if text in body)
    leaked += [text for text in absent if text in body]
    if leaked:
        found.append(f"{what}: shows {leaked}")
    return found


def send(client, method, world, url_name, probe):
    url = reverse(url_name, kwargs=probe.kwargs(world))
    query = probe.query(world)
    if method == "GET":
        return client.get(url, query)
    # An empty body; a query string rides on the URL, as a form's action would carry it.
    return client.post(f"{url}?{urlencode(query, doseq=True)}" if query else url)


def probes_for(entry, role):
    """Every probe; but where the role is refused alike on all of them (a page of a role it does not hold), the
    first and the last (inside and outside the purviews) say as much as all."""
    outcomes = {(probe.get[role], probe.post[role]) for probe in entry.probes}
    if len(entry.probes) > 2 and len(outcomes) == 1 and set(*outcomes) <= REFUSED:
        return (entry.probes[0], entry.probes[-1])
    return entry.probes


def conclude(url_name, role, found: dict[str, list[str]]):
    """Fail on any problem, except the known ones of another branch's issue: those are expected failures, strictly
    (a known case that passes fails, so that its entry is removed with the fix)."""
    known = MATRIX[url_name].known
    unexpected = [problem for method, problems in found.items() if (role, method) not in known for problem in problems]
    assert not unexpected, "\n".join(unexpected)
    fixed = [method for method in found if (role, method) in known and not found[method]]
    assert not fixed, f"{fixed} of {url_name} as {role} now pass: remove their `known` entry"
    reasons = [known[role, method] for method in found if (role, method) in known]
    if reasons:
        pytest.xfail("; ".join(reasons) + "\n" + "\n".join(p for problems in found.values() for p in problems))


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), [(url_name, role) for url_name in MATRIX for role in ROLES])
def test_every_role_gets_what_its_purview_allows(setting, url_name, role):
    entry, world = MATRIX[url_name], setting.world
    client = setting.client(role)
    probes = probes_for(entry, role)
    found = {"GET": [], "POST": []}
    for probe in probes:
        what = f"GET {url_name} ({probe.name}) as {role}"
        response = send(client, "GET", world, url_name, probe)
        found["GET"] += problems_with(response, probe.get[role], role, what, probe.absent(world))
    for probe in probes:
        what = f"POST {url_name} ({probe.name}) as {role}"
        expected = probe.post[role]
        writes = Writes()
        with connection.execute_wrapper(writes):
            response = send(client, "POST", world, url_name, probe)
        found["POST"] += problems_with(response, expected, role, what, probe.absent(world))
        # Nothing an anonymous visitor posts is kept, nor anything a refused post carries.
        if writes.statements and (expected in REFUSED or not entry.post_writes or role == "anonymous"):
            found["POST"].append(f"{what} wrote: {writes.statements}")
    conclude(url_name, role, found)


# --- The matrix covers every URL --------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry():
    assert missing_entries() == [], "URLs without an entry in MATRIX: say who may see them"
    known = {name for name, _, _ in url_patterns()}
    assert sorted(set(MATRIX) - known) == [], "entries of URLs that no longer exist"


def test_a_url_added_without_an_entry_is_caught():
    def view(request):
        raise AssertionError("never called")

    added = [
        path("new/", view, name="brand_new"),
        path("reports/new/", include(([path("x/", view, name="x")], "reporting"))),
        path("unnamed/", view),
        # A view of ours added to the admin, as a model admin's get_urls() adds one.
        path("admin/ours/", include(([path("y/", iqa_list, name="y")], "admin"))),
    ]
    resolver = URLResolver(RegexPattern(r"^/"), [*get_resolver().url_patterns, *added])
    assert missing_entries(resolver) == ["<unnamed unnamed/>", "admin:y", "brand_new", "reporting:x"]


# --- The markers are there to be found --------------------------------------------------------------------------

# Pages on which each persona sees every marker it may see: the matrix's "never shown" means something only if what
# may be shown is shown.
SHOWCASE = {
    "anonymous": [("login", lambda world: {})],
    "assessor": [
        ("iqa_detail", lambda world: {"pk": world.purviews["north"].iqa.pk}),
        ("draft_edit", lambda world: {"pk": world.purviews["north"].draft.pk}),
    ],
    "prosecutor": [("iqa_detail", lambda world: {"pk": world.purviews["north"].iqa.pk})],
    "dip_sampler": [("iqa_detail", lambda world: {"pk": world.purviews["north"].iqa.pk})],
    "performance": [("reporting:drilldown", lambda world: {})],
    "comments": [("reporting:comments", lambda world: {})],
    "scrutiny": [("scrutiny_case_detail", lambda world: {"pk": world.purviews["north"].case_review.pk})],
    "case_review_manager": [("scrutiny_case_detail", lambda world: {"pk": world.purviews["north"].case_review.pk})],
    "national": [("reporting:drilldown", lambda world: {})],
    "question_sets": [("role_page", lambda world: {"role": "question_set_admin"})],
    "admin": [("home", lambda world: {})],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_persona_is_shown_the_markers_it_may_see(setting, role):
    client = setting.client(role)
    seen = set()
    for url_name, kwargs in SHOWCASE[role]:
        response = client.get(reverse(url_name, kwargs=kwargs(setting.world)))
        assert response.status_code == 200, url_name
        seen |= {text for text in ALL_MARKERS if text in body_text(response)}
    assert seen == VISIBLE[role]


# --- Forged posts -----------------------------------------------------------------------------------------------

# Posted from another site's page (its Origin, no CSRF token), every URL refuses (403) and writes nothing. The draft
# form keeps for its owner what a page left open too long posts (assessments/rescue.py), so it answers; but what
# another site posts never reaches the draft.
FORGED_STATUS = {"draft_edit": {302, 403}, "draft_autosave": {200, 403}}
FORGED_ROLES = ("anonymous", "assessor", "prosecutor")
FORGED_TEXT = "FORGED-BY-ANOTHER-SITE"
CROSS_SITE = {"HTTP_ORIGIN": "https://attacker.example", "HTTP_REFERER": "https://attacker.example/form"}
FORGED_KNOWN: dict = {}  # (url name, role): why it is expected to fail today, until its fix lands


def forge(client, world, url_name, probe):
    url = reverse(url_name, kwargs=probe.kwargs(world))
    query = probe.query(world)
    data = {"overall_comment": FORGED_TEXT} if url_name in FORGED_STATUS else {}
    return client.post(f"{url}?{urlencode(query, doseq=True)}" if query else url, data, **CROSS_SITE)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(MATRIX))
def test_a_post_from_another_site_is_refused_and_writes_nothing(setting, url_name):
    entry, world = MATRIX[url_name], setting.world
    problems, known = [], []
    for role in FORGED_ROLES:
        found = []
        client = setting.client(role, enforce_csrf_checks=True)
        for probe in (*entry.probes[:1], *entry.probes[1:][-1:]):  # inside the purview and outside
            what = f"forged POST {url_name} ({probe.name}) as {role}"
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = forge(client, world, url_name, probe)
            if response.status_code not in FORGED_STATUS.get(url_name, {403}):
                found.append(f"{what}: {response.status_code}")
            found += problems_with(response, response.status_code, role, what, probe.absent(world))
            if writes.statements:
                found.append(f"{what} wrote: {writes.statements}")
        if url_name in FORGED_STATUS and role == "assessor":
            # The owner opens their draft afterwards: nothing another site posted is in it.
            response = client.get(reverse("draft_edit", args=[world.purviews["north"].draft.pk]))
            if FORGED_TEXT in body_text(response):
                found.append(f"the owner's draft holds what was posted to {url_name} from another site")
        if (url_name, role) in FORGED_KNOWN:
            assert found, f"{url_name} as {role} now passes: remove it from FORGED_KNOWN"
            known += [FORGED_KNOWN[url_name, role], *found]
        else:
            problems += found
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail("\n".join(known))
