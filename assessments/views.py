"""Recording, amending and reading IQAs. Every page reads through selectors and scoping: a foreign id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.forms.utils import pretty_name
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessments import accreditation, challenge_views, feedback_forms, iqa_page, rescue, rules, selectors, services
from assessments.filters import IQAFilter
from assessments.forms import ActionTakenForm, IQAForm, StartForm, question_sets_for
from assessments.models import Assessment, Draft, State
from organisation import scoping
from organisation.models import Person, Role
from organisation.services import access_log_record

PAGE_SIZE = 25
IQA_RELATED = ("assessor", "assessed", "team__unit", "case")


@login_required
def iqa_start(request):
    scoping.require_role(request.user, Role.ASSESSOR)
    form = StartForm(request.POST or None, user=request.user)
    warning = accreditation.start_warning_for(request.user, timezone.localdate())
    if warning and request.method == "GET":
        messages.warning(request, warning)
    if request.method == "POST" and form.is_valid():
        draft = services.start_draft(request.user, **form.cleaned_data)
        return redirect("draft_edit", draft.pk)
    return render(request, "assessments/start.html", {"form": form})


def _own_draft(request, pk) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("assessed", "amends"), pk=pk, owner=request.user)
    draft.owner = request.user
    return draft


def _iqa_form(draft, data=None):
    if draft.amends_id:
        main, extra = draft.amends.question_set, draft.amends.disclosure_set
    else:
        main, extra = question_sets_for(draft.activity, draft.work_date, draft.with_disclosure)
    if main is None:
        raise Http404("No question set applies to this draft's date.")
    form = IQAForm(data, draft=draft, question_set=main, disclosure_set=extra)
    if data is None:
        form.initial = form.initial_from(draft.data)
    return form


def _may_record(draft, user) -> str:
    """Why the user may not record this draft now, or ''."""
    if draft.amends_id:
        return rules.amend_refusal(draft.amends, user)
    if not scoping.assessable_people(user).filter(pk=draft.assessed_id).exists():
        return f"{draft.assessed} is no longer in your assessor purview, so this IQA cannot be recorded."
    return ""


def draft_edit(request, pk):
    """The IQA form. Every post first keeps what was typed; only a valid one is recorded."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            messages.warning(request, rescue.stash(request, pk) or rescue.KEPT_MESSAGE)
        return redirect_to_login(reverse("draft_edit", args=[pk]))
    draft = _own_draft(request, pk)
    if draft.submitted_as_id:
        messages.info(request, "This IQA has been recorded.")
        return redirect("iqa_detail", draft.submitted_as_id)
    conflict = None
    if request.method == "POST":
        services.autosave(draft, services.typed_data(request.POST))
        form = _iqa_form(draft, request.POST)
        problem = _may_record(draft, request.user) or accreditation.refusal_for(
            request.user, request.POST.get("status", ""), timezone.localdate()
        )
        if problem:
            form.add_error(None, problem)
        if form.is_valid():
            overwrite = request.POST.get("overwrite_version", "")
            try:
                assessment, created = services.record(
                    draft.pk, form, request.user, overwrite_version=int(overwrite) if overwrite.isdigit() else None
                )
            except services.EditConflictError as error:
                conflict = _conflict(form, error.current)
            except services.AmendmentRefusedError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(request, "The IQA has been recorded." if not draft.amends_id else "Amended.")
                return redirect("iqa_detail", assessment.pk)
    else:
        if rescue.restore(request, draft):
            messages.warning(request, rescue.RESTORED_MESSAGE)
        form = _iqa_form(draft)
    context = {"draft": draft, "form": form, "conflict": conflict, "half_day": _half_day_iqas(draft)}
    return render(request, "assessments/draft_form.html", context, status=409 if conflict else 200)


def _half_day_iqas(draft):
    """The IQAs already recorded from the half-day the draft belongs to: its owner's of the same person's work on
    the same activity and date, however each was started."""
    recorded = Assessment.objects.filter(
        half_day__assessor=draft.owner_id,
        half_day__assessed=draft.assessed_id,
        half_day__activity=draft.activity,
        half_day__work_date=draft.work_date,
    )
    return list(recorded.exclude(pk=draft.amends_id).select_related("case").order_by("pk"))


def _conflict(form, current):
    """The fields where the saved IQA and the user's version differ, labelled for people."""
    theirs = services.assessment_data(current)
    yours = services.typed_data(form.data)
    rows = []
    for name, field in form.fields.items():
        if name == "urn":
            mine, saved = [rules.normalise_urn(v) for v in yours.get(name, [])], theirs.get(name, [])
        else:
            mine, saved = yours.get(name, []), theirs.get(name, [])
        if [v for v in mine if v] != [v for v in saved if v]:
            label = name.replace("-", " ") if "-" in name else field.label or pretty_name(name)
            rows.append({"field": label, "theirs": _display(field, saved), "yours": _display(field, mine)})
    return {"current": current, "rows": rows}


def _display(field, values):
    choices = {str(key): label for key, label in getattr(field, "choices", None) or []}
    return ", ".join(str(choices.get(value, value)) for value in values if value) or "—"


@require_POST
def draft_autosave(request, pk):
    """htmx: keep the form as typed. Answers with a short status line for the page."""
    if not request.user.is_authenticated:
        problem = rescue.stash(request, pk)
        return render(request, "assessments/_autosave_status.html", {"state": "logged_out", "problem": problem})
    draft = _own_draft(request, pk)
    saved = services.autosave(draft, services.typed_data(request.POST))
    return render(
        request, "assessments/_autosave_status.html", {"state": "saved" if saved else "recorded", "now": timezone.now()}
    )


@login_required
@require_POST
def draft_discard(request, pk):
    draft = _own_draft(request, pk)
    if draft.submitted_as_id is None:
        services.discard(draft)
        messages.info(request, "The draft has been discarded.")
    return redirect("home")


@login_required
@require_GET
def case_lookup(request, pk):
    """htmx: is the URN typed on this draft a case already registered in the area? Its details only if the
    assessor may see an IQA on it."""
    draft = _own_draft(request, pk)
    urn = rules.normalise_urn(request.GET.get("urn", ""))[:20]
    registered, case, same_work = False, None, []
    if rules.is_valid_urn(urn):
        area_id, _ = IQAForm.area_and_unit_of(draft)
        registered, case = selectors.registered_case(request.user, area_id=area_id, urn=urn)
    if registered:  # said as soon as the URN is typed, not only when recording
        same_work = selectors.same_work(
            request.user,
            assessed_id=draft.assessed_id,
            activity=draft.activity,
            work_date=draft.work_date,
            area_id=area_id,
            urn=urn,
            excluding=draft.amends_id,
        )
    context = {
        "draft": draft,
        "urn": urn,
        "valid": rules.is_valid_urn(urn),
        "registered": registered,
        "case": case,
        "same_work": same_work,
    }
    return render(request, "assessments/_case_lookup.html", context)


def _visible_iqa(request, pk):
    # With its dip sample (if any) in the same query: the page shows it and it decides whether the IQA can be amended.
    related = (*IQA_RELATED, "dip_sample__dip_sampler")
    return get_object_or_404(selectors.visible_assessments(request.user).select_related(*related), pk=pk)


@login_required
def iqa_detail(request, pk, feedback_form=None):
    """The IQA page; `feedback_form` is a submitted feedback form to show again with its errors."""
    assessment = _visible_iqa(request, pk)
    user = request.user
    is_author = assessment.assessor_id == user.pk
    if assessment.assessed_id != user.pk:
        purpose = "author" if is_author else scoping.purpose_for_viewing(user, assessment.assessed)
        access_log_record(viewer=user, subject=assessment.assessed, what=request.path, purpose=purpose)
    answers = assessment.answers.select_related("question__question_set").prefetch_related("reasons")
    can_close, close_problem = rules.can_close(assessment)
    # Another case from the same half-day can still be assessed once this IQA is closed, while the person is in the
    # author's purview (one query, for the author only).
    can_assess_another = is_author and scoping.assessable_people(user).filter(pk=assessment.assessed_id).exists()
    amend_refusal = rules.amend_refusal(assessment, user) if is_author else ""
    context = {
        "iqa": assessment,
        "answers": answers,
        "is_author": is_author,
        "amend_refusal": amend_refusal,
        "can_assess_another": can_assess_another,
        # A closed IQA has nothing to amend, close or mark taken: the box shows only what is left to do.
        "show_manage": is_author and (assessment.state != State.CLOSED or can_assess_another),
        "can_close": is_author and can_close,
        "close_problem": close_problem if is_author else "",
        "action_form": ActionTakenForm() if is_author and _action_open(assessment) else None,
        "half_day": assessment.half_day.assessments.exclude(pk=assessment.pk).select_related("case"),
    }
    context.update(challenge_views.response_context(assessment, user, answers))
    context.update(feedback_forms.feedback_section(user, assessment, form=feedback_form))
    context.update(iqa_page.sections_context(assessment, context["answers"]))
    return render(request, "assessments/iqa_detail.html", context)


def _action_open(assessment):
    return assessment.action_required and assessment.state == State.RECORDED


def _authored_iqa(request, pk):
    return get_object_or_404(selectors.visible_assessments(request.user).filter(assessor=request.user), pk=pk)


@login_required
@require_POST
def iqa_amend(request, pk):
    assessment = _authored_iqa(request, pk)
    refusal = rules.amend_refusal(assessment, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("iqa_detail", pk)
    draft = services.amendment_draft(assessment, request.user)
    return redirect("draft_edit", draft.pk)


@login_required
@require_POST
def iqa_another_case(request, pk):
    """The next case of the same half-day's work, with the shared fields carried over."""
    assessment = _authored_iqa(request, pk)
    if not scoping.assessable_people(request.user).filter(pk=assessment.assessed_id).exists():
        raise Http404("The person is no longer in your assessor purview.")
    draft = services.another_case_draft(assessment, request.user)
    return redirect("draft_edit", draft.pk)


@login_required
@require_POST
def iqa_action_taken(request, pk):
    assessment = _authored_iqa(request, pk)
    form = ActionTakenForm(request.POST)
    if not _action_open(assessment):
        messages.error(request, "There is no open action on this IQA.")
    elif form.is_valid():
        services.mark_action_taken(assessment, **form.cleaned_data)
        messages.success(request, "The action is marked taken.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("iqa_detail", pk)


@login_required
@require_POST
def iqa_close(request, pk):
    assessment = _authored_iqa(request, pk)
    closed, problem = services.close(assessment)
    if closed:
        messages.success(request, "The IQA is closed.")
    else:
        messages.error(request, problem)
    return redirect("iqa_detail", pk)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def iqa_list(request):
    """The IQAs the user recorded, with their drafts."""
    scoping.require_role(request.user, Role.ASSESSOR)
    mine = selectors.visible_assessments(request.user).filter(assessor=request.user)
    people = Person.objects.filter(pk__in=mine.values("assessed_id")).order_by("full_name")
    filterset = IQAFilter(request.GET or None, queryset=mine.select_related(*IQA_RELATED), people=people)
    page = _page(request, filterset.qs.order_by("-work_date", "-pk"))
    context = {
        "filter": filterset,
        "page": page,
        "query_string": _without_page(request),
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
        "page": _page(request, filterset.qs.order_by("-work_date", "-pk")),
        "query_string": _without_page(request),
        "recent_count": received.filter(work_date__gte=since).count(),
        "since": since,
    }
    return render(request, "assessments/own_iqas.html", context)


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
