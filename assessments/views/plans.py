"""The assessor's diary of planned IQAs. Plans are only ever visible to their own assessor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import planning
from assessments.models import PlannedAssessment
from assessments.plan_forms import PlanForm
from organisation import once, scoping
from organisation.models import Role
from qa_platform.pagination import page_of

SHOW_CHOICES = {"open": "Open", "done": "Done", "all": "All"}


def _plans(user, show):
    plans = PlannedAssessment.objects.filter(assessor=user).select_related("assessed")
    if show == "open":
        return plans.filter(assessment__isnull=True).order_by("week_starting", "pk")
    if show == "done":
        # Most recent first: the ones an assessor is likely to look back on.
        return plans.filter(assessment__isnull=False).order_by("-week_starting", "-pk")
    is_done = ExpressionWrapper(Q(assessment__isnull=False), output_field=BooleanField())
    return plans.order_by(is_done, "week_starting", "pk")


@login_required
def plan_list(request):
    scoping.require_role(request.user, Role.ASSESSOR)
    today = timezone.localdate()
    if request.method == "POST":
        form = PlanForm(request.POST, user=request.user, today=today)
        if form.is_valid():
            try:
                plan, _ = once.create_once(
                    request, lambda: planning.plan_create(assessor=request.user, **form.cleaned_data)
                )
            except once.FormExpired as error:
                form.add_error(None, str(error))
            else:
                if plan is not None:  # a repeated post of a plan since cancelled just goes back to the list
                    messages.success(request, f"Planned: {plan}.")
                return redirect("plan_list")
    else:
        form = PlanForm(user=request.user, today=today)

    show = request.GET.get("show", "open")
    if show not in SHOW_CHOICES:
        show = "open"
    page = page_of(request, _plans(request.user, show))
    for plan in page:
        plan.status = planning.plan_status(plan, today)
    context = {"form": form, "page": page, "show": show, "show_choices": SHOW_CHOICES}
    return render(request, "assessments/plan_list.html", context)


@login_required
@require_POST
def plan_cancel(request, pk):
    scoping.require_role(request.user, Role.ASSESSOR)
    # Scoped to the user's own open plans: anyone else's plan, or a done one, is a 404.
    plan = get_object_or_404(planning.open_plans(request.user).select_related("assessed"), pk=pk)
    planning.plan_cancel(plan=plan)
    messages.success(request, f"Cancelled: {plan}.")
    return redirect("plan_list")
