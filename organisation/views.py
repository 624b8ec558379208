from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import challenges, feedback, planning, selectors
from assessments.models import Assessment
from dipsampling import selectors as dip_sampling
from organisation import scoping
from organisation.models import Role, RoleGrant, TeamMembership, in_force_on
from organisation.navigation import ROLE_SECTIONS, named_sections
from organisation.services import access_log_record
from scrutiny import selectors as scrutiny_selectors

PAGE_SIZE = 25


def _current_memberships():
    return Prefetch(
        "memberships",
        queryset=TeamMembership.objects.active_on(timezone.localdate()).select_related("team__unit__area"),
        to_attr="current_memberships",
    )


@login_required
def home(request):
    user = request.user
    grants = scoping.active_grants(user).select_related("team__unit", "unit__area", "area")
    memberships = TeamMembership.objects.active_on(timezone.localdate()).filter(person=user)
    held = {grant.role for grant in grants}
    today = timezone.localdate()
    is_assessor = Role.ASSESSOR in held
    # A case review manager holds no role: the milestones card shows them the cases naming them (see navigation).
    sees_case_reviews = Role.CASE_SCRUTINY in held or "case_reviews" in named_sections(request.session)
    context = {
        "grants": grants,
        "memberships": memberships.select_related("team__unit__area"),
        "assessable_count": scoping.assessable_people(user).count() if is_assessor else None,
        "own_recent_count": Assessment.objects.filter(
            assessed=user, work_date__gte=selectors.six_months_before(today)
        ).count(),
        "awaiting_acknowledgement": challenges.awaiting_acknowledgement(user),
        "drafts": list(selectors.open_drafts(user)[:10]),
        "plans": planning.plans_for_home(user, today) if is_assessor else None,
        "feedback_card": feedback.home_card(user, today) if is_assessor else None,
        "scrutiny_card": scrutiny_selectors.home_card(user, today) if sees_case_reviews else None,
        "is_scrutiny_holder": Role.CASE_SCRUTINY in held,
        "exercise_invitations": dip_sampling.exercises_awaiting_answers(user) if is_assessor else [],
        "dip_samples_to_record": dip_sampling.dip_samples_to_record(user) if Role.DIP_SAMPLER in held else None,
        "pending_challenges": challenges.pending_challenges_for(user).count() if Role.DIP_SAMPLER in held else None,
    }
    return render(request, "home.html", context)


@login_required
def role_page(request, role):
    if role not in ROLE_SECTIONS:
        raise Http404("No such section.")
    grants = list(scoping.active_grants(request.user, role).select_related("team__unit", "unit__area", "area"))
    if not grants:
        raise Http404("You do not hold this role.")
    in_post = in_force_on(timezone.localdate(), prefix="memberships__")
    teams = (
        scoping.teams_in_scope(request.user, role)
        .select_related("unit__area")
        .annotate(staff_in_post=Count("memberships", filter=in_post))
        .order_by("unit__area__name", "unit__name", "name")
    )
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"role": role, "section": ROLE_SECTIONS[role], "grants": grants, "page": page}
    return render(request, "organisation/role_page.html", context)


@login_required
def people_list(request):
    user = request.user
    held = scoping.roles_held(user)
    role = request.GET.get("role", "")
    if role in held and role in scoping.PEOPLE_ROLES:
        people = scoping.people_in_scope(user, role)
    else:
        role = ""
        people = scoping.visible_people(user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(
            Q(full_name__icontains=query) | Q(email__icontains=query) | Q(job_title__icontains=query)
        )
    people = people.prefetch_related(_current_memberships()).order_by("full_name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = [(r, ROLE_SECTIONS[r]) for r in scoping.PEOPLE_ROLES if r in held]
    context = {"page": page, "query": query, "role": role, "roles": roles}
    return render(request, "organisation/people_list.html", context)


@login_required
def person_detail(request, pk):
    person = get_object_or_404(scoping.visible_people(request.user).prefetch_related(_current_memberships()), pk=pk)
    access_log_record(
        viewer=request.user,
        subject=person,
        what=request.path,
        purpose=scoping.purpose_for_viewing(request.user, person),
    )
    context = {
        "person": person,
        "memberships": person.memberships.select_related("team__unit__area").order_by("-starts_on"),
        "grants": RoleGrant.objects.filter(person=person).select_related("team__unit", "unit__area", "area"),
        # Only those the viewer may open: seeing a person's page is not leave to read every IQA of their work.
        "page": Paginator(selectors.iqas_of_work_by(request.user, person), PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "organisation/person_detail.html", context)


@require_POST
def session_keepalive(request):
    """Touch the session (SESSION_SAVE_EVERY_REQUEST restarts its clock) and say how long it now has."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False}, status=401)
    return JsonResponse({"authenticated": True, "expires_in": request.session.get_expiry_age()})
