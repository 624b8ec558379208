"""Reading and managing recorded IQAs. Every page reads through selectors and scoping: a foreign id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import feedback_forms, iqa_page, rules, selectors, services
from assessments.filters import IQAFilter
from assessments.forms import ActionTakenForm
from assessments.models import State
from assessments.views import challenges as challenge_views
from organisation import scoping
from organisation.models import Person, Role
from organisation.services import access_log_record
from qa_platform.pagination import page_of

IQA_RELATED = ("assessor", "assessed", "team__unit", "case")


def _visible_iqa(request, pk):
    # With its dip sample (if any) in the same query: the page shows it and it decides whether the IQA can be amended.
    related = (*IQA_RELATED, "dip_sample__dip_sampler")
    return get_object_or_404(selectors.visible_assessments(request.user).select_related(*related), pk=pk)


def _log_access(request, assessment) -> None:
    """Anyone but the assessed person opening the IQA is in the access log, with the purpose they see it for."""
    user = request.user
    if assessment.assessed_id != user.pk:
        is_author = assessment.assessor_id == user.pk
        purpose = "author" if is_author else scoping.purpose_for_viewing(user, assessment.assessed)
        access_log_record(viewer=user, subject=assessment.assessed, what=request.path, purpose=purpose)


def _manage_context(assessment, user) -> dict:
    """The author's box of what is left to do on the IQA: amend, close, mark the action taken, assess another case."""
    is_author = assessment.assessor_id == user.pk
    can_close, close_problem = rules.can_close(assessment)
    # Another case from the same half-day can still be assessed once this IQA is closed, while the person is in the
    # author's purview (one query, for the author only).
    can_assess_another = is_author and scoping.assessable_people(user).filter(pk=assessment.assessed_id).exists()
    return {
        "is_author": is_author,
        "amend_refusal": rules.amend_refusal(assessment, user) if is_author else "",
        "can_assess_another": can_assess_another,
        # A closed IQA has nothing to amend, close or mark taken: the box shows only what is left to do.
        "show_manage": is_author and (assessment.state != State.CLOSED or can_assess_another),
        "can_close": is_author and can_close,
        "close_problem": close_problem if is_author else "",
        "action_form": ActionTakenForm() if is_author and rules.action_open(assessment) else None,
    }


@login_required
def iqa_detail(request, pk, feedback_form=None):
    """The IQA page; `feedback_form` is a submitted feedback form to show again with its errors."""
    assessment = _visible_iqa(request, pk)
    user = request.user
    _log_access(request, assessment)
    answers = assessment.answers.select_related("question__question_set").prefetch_related("reasons")
    context = {"iqa": assessment, "answers": answers, **_manage_context(assessment, user)}
    context["half_day"] = assessment.half_day.assessments.exclude(pk=assessment.pk).select_related("case")
    context.update(challenge_views.response_context(assessment, user, answers))
    context.update(feedback_forms.feedback_section(user, assessment, form=feedback_form))
    context.update(iqa_page.sections_context(assessment, context["answers"]))
    return render(request, "assessments/iqa_detail.html", context)


def authored_iqa(request, pk):
    return get_object_or_404(selectors.visible_assessments(request.user).filter(assessor=request.user), pk=pk)


@login_required
@require_POST
def iqa_amend(request, pk):
    assessment = authored_iqa(request, pk)
    try:
        draft = services.iqa_amend(assessment=assessment, assessor=request.user)
    except ValidationError as refusal:
        return _back_to_iqa(request, pk, refusal=refusal)
    return redirect("draft_edit", draft.pk)


@login_required
@require_POST
def iqa_another_case(request, pk):
    """The next case of the same half-day's work, with the shared fields carried over; a 404 once the person is no
    longer in the assessor's purview."""
    try:
        draft = services.iqa_assess_another_case(assessment=authored_iqa(request, pk), assessor=request.user)
    except ValidationError as error:
        raise Http404("The person is no longer in your assessor purview.") from error
    return redirect("draft_edit", draft.pk)


@login_required
@require_POST
def iqa_action_taken(request, pk):
    assessment = authored_iqa(request, pk)
    form = ActionTakenForm(request.POST)
    try:
        if not rules.action_open(assessment):  # said first, whatever was typed
            raise ValidationError(services.NO_OPEN_ACTION_MESSAGE)
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.iqa_action_taken(assessment=assessment, **form.cleaned_data)
    except ValidationError as refusal:
        return _back_to_iqa(request, pk, refusal=refusal)
    return _back_to_iqa(request, pk, done="The action is marked taken.")


@login_required
@require_POST
def iqa_close(request, pk):
    try:
        services.iqa_close(assessment=authored_iqa(request, pk))
    except ValidationError as refusal:
        return _back_to_iqa(request, pk, refusal=refusal)
    return _back_to_iqa(request, pk, done="The IQA is closed.")


def _back_to_iqa(request, pk, *, done="", refusal: ValidationError | None = None):
    """Back to the IQA's page, saying what was done or each reason it was not."""
    if done:
        messages.success(request, done)
    for message in refusal.messages if refusal else []:
        messages.error(request, message)
    return redirect("iqa_detail", pk)


@login_required
def iqa_list(request):
    """The IQAs the user recorded, with their drafts."""
    scoping.require_role(request.user, Role.ASSESSOR)
    mine = selectors.visible_assessments(request.user).filter(assessor=request.user)
    people = Person.objects.filter(pk__in=mine.values("assessed_id")).order_by("full_name")
    filterset = IQAFilter(request.GET or None, queryset=mine.select_related(*IQA_RELATED), people=people)
    context = {
        "filter": filterset,
        "page": page_of(request, filterset.qs.order_by("-work_date", "-pk")),
        "drafts": selectors.open_drafts(request.user)[:10],
    }
    return render(request, "assessments/iqa_list.html", context)


@login_required
def own_iqas(request):
    """The IQAs of the user's own work: every one, with the count over the last six months."""
    received = selectors.visible_assessments(request.user).filter(assessed=request.user)
    filterset = IQAFilter(request.GET or None, queryset=received.select_related(*IQA_RELATED))
    since = selectors.six_months_before(timezone.localdate())
    context = {
        "filter": filterset,
        "page": page_of(request, filterset.qs.order_by("-work_date", "-pk")),
        "recent_count": received.filter(work_date__gte=since).count(),
        "since": since,
    }
    return render(request, "assessments/own_iqas.html", context)
