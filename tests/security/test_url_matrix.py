"""Every URL × every demo role (and anonymous) × records inside and outside the role's purview, GET and POST.

`MATRIX` holds one entry per URL pattern the resolver knows (a new URL without an entry fails
`test_every_url_pattern_has_an_entry`), each with its probes: the records or query strings to request it with (NORTH,
inside the personas' purviews; NEXTDOOR, another unit of the same area; SOUTH, another area: see
tests/security/purviews.py) and the status each role must get for GET and for a POST with an empty body.

For every request: the expected status, never a 5xx, and no marker text of a purview (or a purpose: answer comments,
applicants' names) that the role may not see, in the body of any response, exports' workbooks included. A POST
answered 401, 403, 404, 405 or with the log-in page must have written nothing at all (every table compared, and no
new session); so must any POST to a URL not marked as writing on an accepted POST. A second pass posts without a
CSRF token, as a forged cross-site form would, and nothing may be written.
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
from assessments.views import iqa_list
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
    # Cases the matrix finds failing today, fixed by another branch: (role, what) → why. Strict xfails, so the
    # fix makes them fail until the marker is removed.
    known: Mapping = field(default_factory=dict)


def page(get, post=None, *, kwargs=None, post_writes=False, known=None):
    """A URL without an object: one probe, with the same expectations for every purview."""
    probe = Probe("page", get, get if post is None else post, kwargs=lambda world: kwargs or {})
    return Entry((probe,), post_writes=post_writes, known=known or {})


def filtered(get, post=None, *, query):
    """A list with filters: unfiltered, and filtered on each purview's records (`query(purview)`): a choice outside
    the purview is refused next to its field, and the list stays the purview's."""
    post = get if post is None else post
    probes = [Probe("page", get, post)]
    for name in PURVIEWS:
        probes.append(
            Probe(f"filtered on {name}", get, post, query=lambda world, name=name: query(world.purviews[name]))
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
    query=None,
    post_writes=False,
    known=None,
    only=PURVIEWS,
):
    """A URL on one record: probes for the record of each purview. `kwargs(purview)` builds the path arguments. NORTH
    gets `get`/`post`; the other purviews `outside_get`/`outside_post[purview]` (default: 404 for every logged-in
    role, and for a URL that refuses GET, 405)."""
    post = get if post is None else post
    probes = []
    for name in only:
        if name == "north":
            expected_get, expected_post = get, post
        else:
            refused_get = everyone(405, anonymous=get["anonymous"]) if get["assessor"] == 405 else statuses()
            expected_get = (outside_get or {}).get(name, refused_get)
            expected_post = (outside_post or {}).get(name, statuses(anonymous=post["anonymous"]))
        probes.append(
            Probe(
                name,
                expected_get,
                expected_post,
                kwargs=lambda world, name=name: kwargs(world.purviews[name]),
                query=(lambda world, name=name: query(world.purviews[name])) if query else (lambda world: {}),
            )
        )
    return Entry(tuple(probes), post_writes=post_writes, known=known or {})


def reports(extra_probes=(), *, kwargs=None, query=None, purviews=PURVIEWS):
    """A reporting page: performance and national viewers only. Probes: no filter, and filtered on each purview's
    team and assessor (a team outside the purview is refused next to the field: still a 200, without its data)."""
    ok = statuses(performance=200, national=200)
    base = query or (lambda world: {})
    probes = [Probe("page", ok, ok, kwargs=lambda world: kwargs or {}, query=base)]
    for name in purviews:
        probes.append(
            Probe(
                f"filtered on {name}",
                ok,
                ok,
                kwargs=lambda world: kwargs or {},
                query=lambda world, name=name: {**base(world), **report_filters(world.purviews[name])},
            )
        )
    return Entry((*probes, *extra_probes))


def report_filters(purview):
    return {
        "area": purview.area.pk,
        "unit": purview.unit.pk,
        "team": purview.team.pk,
        "assessor": purview.people["assessor"].pk,
    }


def compared_teams(world):
    return {"dimension": "team", "values": [world.purviews[name].team.pk for name in ("north", "nextdoor")]}


def comments_extract(kwargs=None):
    ok = statuses(comments=200)
    probes = [Probe("page", ok, ok, kwargs=lambda world: kwargs or {})]
    for name in PURVIEWS:
        probes.append(
            Probe(
                f"filtered on {name}",
                ok,
                ok,
                kwargs=lambda world: kwargs or {},
                query=lambda world, name=name: report_filters(world.purviews[name]),
            )
        )
    return Entry(tuple(probes))


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
DRAFT_RESCUE = (
    "issue 14, point 2 (h14a): a post to a draft from a browser without a session of this site is kept in a new "
    "session row; it must write nothing"
)
URN_LOOKUP = (
    "issue 14, point 5 (h14b): the URN look-up answers for any case in the area, naming the unit of a case in "
    "another unit of the assessor's area"
)

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
    "draft_edit": scoped(
        lambda p: {"pk": p.draft.pk},
        statuses(assessor=200),
        post_writes=True,  # the draft keeps what was typed
        known={("anonymous", "POST"): DRAFT_RESCUE},
    ),
    "draft_autosave": scoped(
        lambda p: {"pk": p.draft.pk},
        everyone(405, anonymous=405),
        statuses(assessor=200, anonymous=200),
        outside_post={name: statuses(anonymous=200) for name in ("nextdoor", "south")},
        post_writes=True,
        known={("anonymous", "POST"): DRAFT_RESCUE},
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
        known={("assessor", "GET"): URN_LOOKUP},
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
    "scrutiny_overview": page(SCRUTINISERS),
    # An empty selection is told the list is up to date.
    "scrutiny_mot_selection": page(SCRUTINISERS, statuses(scrutiny=302)),
    "scrutiny_case_detail": scoped(lambda p: {"pk": p.case_review.pk}, NAMED_OR_OVER),
    "scrutiny_one_to_one": scoped(lambda p: {"pk": p.case_review.pk}, post_only(), NAMED_OR_OVER),
    "scrutiny_case_status": scoped(lambda p: {"pk": p.case_review.pk}, post_only(), SCRUTINISERS),
    "scrutiny_milestone_record": scoped(lambda p: {"pk": p.pending_milestone.pk}, SCRUTINISERS),
    "scrutiny_action_follow_up": scoped(lambda p: {"pk": p.action.pk}, SCRUTINISERS),
    "scrutiny_closed_list": page(everyone(200)),
    "scrutiny_closed_review": scoped(lambda p: {"pk": p.closed_item.pk}, SCRUTINISERS),
    # Reporting
    "reporting:dashboard": reports(),
    "reporting:compare": reports(
        tuple(
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
                kwargs={"page": page_name, "table": "all", "fmt": "xlsx"},
                query=compared_teams if page_name == "compare" else None,
                purviews=["south"],
            ).probes
        )
        + reports(kwargs={"page": "drilldown", "table": "drilldown", "fmt": "csv"}, purviews=["south"]).probes
    ),
    "reporting:measures": page(statuses(performance=200, national=200)),
    "reporting:comments": comments_extract(),
    "reporting:comments_export": Entry(
        comments_extract({"fmt": "xlsx"}).probes + comments_extract({"fmt": "csv"}).probes
    ),
    # Our views inside the admin site
    "admin:assessments_questionset_import": page(
        statuses(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, question_sets=302, admin=200)
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


def problems_with(response, expected, role, what, absent=()) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{what}: {status}"]
    found = []
    if expected in LOGIN_PREFIXES:
        if status != 302 or not response["Location"].startswith(LOGIN_PREFIXES[expected]):
            found.append(f"{what}: {status} {response.get('Location', '')}, expected {expected}")
    elif status != expected:
        found.append(f"{what}: {status}, expected {expected}")
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

# Posted without a CSRF token, as a form on another site would post, every URL refuses (403) and writes nothing.
# The draft form keeps what a stale page posts for its owner (assessments/rescue.py): it answers, but the draft
# itself is untouched.
FORGED_STATUS = {"draft_edit": {302, 403}, "draft_autosave": {200, 403}}
FORGED_ROLES = ("anonymous", "assessor", "prosecutor")
FORGED_KNOWN = {("draft_edit", "anonymous"): DRAFT_RESCUE, ("draft_autosave", "anonymous"): DRAFT_RESCUE}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(MATRIX))
def test_a_post_without_a_csrf_token_is_refused_and_writes_nothing(setting, url_name):
    entry, world = MATRIX[url_name], setting.world
    problems, known = [], []
    for role in FORGED_ROLES:
        found = []
        client = setting.client(role, enforce_csrf_checks=True)
        for probe in (*entry.probes[:1], *entry.probes[1:][-1:]):  # inside the purview and outside
            what = f"forged POST {url_name} ({probe.name}) as {role}"
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = send(client, "POST", world, url_name, probe)
            if response.status_code not in FORGED_STATUS.get(url_name, {403}):
                found.append(f"{what}: {response.status_code}")
            found += problems_with(response, response.status_code, role, what, probe.absent(world))
            if writes.statements:
                found.append(f"{what} wrote: {writes.statements}")
        if (url_name, role) in FORGED_KNOWN:
            assert found, f"{url_name} as {role} now passes: remove it from FORGED_KNOWN"
            known += found
        else:
            problems += found
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail(FORGED_KNOWN[url_name, "anonymous"] + "\n" + "\n".join(known))
