"""Starting and filling in the IQA form. Every draft is read through its owner: anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessments import accreditation, form_diff, rescue, rules, selectors, services
from assessments.forms import IQAForm, StartForm, question_sets_for
from assessments.models import Draft
from organisation import scoping
from organisation.models import Role


@login_required
def iqa_start(request):
    scoping.require_role(request.user, Role.ASSESSOR)
    form = StartForm(request.POST or None, user=request.user)
    warning = accreditation.start_warning_for(request.user, timezone.localdate())
    if warning and request.method == "GET":
        messages.warning(request, warning)
    if request.method == "POST" and form.is_valid():
        draft = services.draft_start(owner=request.user, **form.cleaned_data)
        return redirect("draft_edit", draft.pk)
    return render(request, "assessments/start.html", {"form": form})


def own_draft(request, pk) -> Draft:
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


def draft_edit(request, pk):
    """The IQA form. Every post first keeps what was typed; only a valid one is recorded."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            messages.warning(request, rescue.stash(request, pk) or rescue.KEPT_MESSAGE)
        return redirect_to_login(reverse("draft_edit", args=[pk]))
    draft = own_draft(request, pk)
    if draft.submitted_as_id:
        messages.info(request, "This IQA has been recorded.")
        return redirect("iqa_detail", draft.submitted_as_id)
    if request.method == "POST":
        return _post_draft(request, draft)
    if rescue.restore(request, draft):
        messages.warning(request, rescue.RESTORED_MESSAGE)
    return _draft_page(request, draft, _iqa_form(draft))


def _draft_page(request, draft, form, conflict=None):
    context = {"draft": draft, "form": form, "conflict": conflict, "half_day": form_diff.half_day_iqas(draft)}
    return render(request, "assessments/draft_form.html", context, status=409 if conflict else 200)


def _post_draft(request, draft):
    """Keep what was typed, then record it if it is valid: the IQA's page, or the form again with what is wrong."""
    services.draft_autosave(draft=draft, data=services.typed_data(request.POST))
    form = _iqa_form(draft, request.POST)
    if not form.is_valid():
        # Said with the form's own errors, so nothing is put right in vain; recording checks it again.
        status = request.POST.get("status", "")
        refusal = services.recording_refusal(draft=draft, assessor=request.user, case_status=status)
        if refusal:
            form.add_error(None, refusal)
        return _draft_page(request, draft, form)
    overwrite = request.POST.get("overwrite_version", "")
    try:
        assessment, created = services.iqa_record(
            draft_id=draft.pk,
            assessor=request.user,
            entry=form.entry(),
            overwrite_version=int(overwrite) if overwrite.isdigit() else None,
        )
    except services.EditConflictError as error:
        return _draft_page(request, draft, form, conflict=form_diff.conflict(form, error.current))
    except ValidationError as error:  # the assessor may not record it (purview, accreditation, amendment)
        form.add_error(None, error)
        return _draft_page(request, draft, form)
    if created:
        messages.success(request, "The IQA has been recorded." if not draft.amends_id else "Amended.")
    return redirect("iqa_detail", assessment.pk)


@require_POST
def draft_autosave(request, pk):
    """htmx: keep the form as typed. Answers with a short status line for the page."""
    if not request.user.is_authenticated:
        problem = rescue.stash(request, pk)
        return render(request, "assessments/_autosave_status.html", {"state": "logged_out", "problem": problem})
    draft = own_draft(request, pk)
    saved = services.draft_autosave(draft=draft, data=services.typed_data(request.POST))
    return render(
        request, "assessments/_autosave_status.html", {"state": "saved" if saved else "recorded", "now": timezone.now()}
    )


@login_required
@require_POST
def draft_discard(request, pk):
    draft = own_draft(request, pk)
    if draft.submitted_as_id is None:
        services.draft_discard(draft=draft)
        messages.info(request, "The draft has been discarded.")
    return redirect("home")


@login_required
@require_GET
def case_lookup(request, pk):
    """htmx: is the URN typed on this draft a case already registered in the area? Its details only if the
    assessor may see an IQA on it."""
    draft = own_draft(request, pk)
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
    context = {"draft": draft, "urn": urn, "valid": rules.is_valid_urn(urn), "registered": registered}
    context.update(case=case, same_work=same_work)
    return render(request, "assessments/_case_lookup.html", context)
