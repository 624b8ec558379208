from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation import scoping
from organisation.models import in_force_on
from organisation.navigation import ROLE_SECTIONS
from organisation.selectors import current_memberships
from qa_platform.pagination import page_of


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
    page = page_of(request, teams)
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
    people = people.prefetch_related(current_memberships()).order_by("full_name", "pk")
    page = page_of(request, people)
    roles = [(r, ROLE_SECTIONS[r]) for r in scoping.PEOPLE_ROLES if r in held]
    context = {"page": page, "query": query, "role": role, "roles": roles}
    return render(request, "organisation/people_list.html", context)


@require_POST
def session_keepalive(request):
    """Touch the session (SESSION_SAVE_EVERY_REQUEST restarts its clock) and say how long it now has."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False}, status=401)
    return JsonResponse({"authenticated": True, "expires_in": request.session.get_expiry_age()})
