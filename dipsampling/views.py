"""Dip sampling pages: the queue, the selection tool, the dip sample form, my dip samples, re-mark tables, rates.

Every page needs the dip sampler role and reads through dipsampling/selectors.py: an IQA or dip sample outside
the user's purview, or one they recorded or that is about their own work, is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.models import Assessment
from dipsampling import accreditation, rates, remarks, selection, selectors, services
from dipsampling.forms import DipSampleForm, ProposeForm, QueueFilter, period_or_error
from dipsampling.models import Accreditation, SelectionKind
from organisation import once, scoping
from organisation.models import Person, Role
from qa_platform import periods

PAGE_SIZE = 25
SHOWN_LIMIT = 200  # proposed IQAs listed on the selection page
IQA_RELATED = ("assessor", "assessed", "team__unit", "case")


def _require_dip_sampler(request):
    scoping.require_role(request.user, Role.DIP_SAMPLER)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def queue(request):
    """Recorded IQAs in the purview not yet selected for a dip sample, newest work first."""
    _require_dip_sampler(request)
    user = request.user
    unsampled = selectors.unsampled_assessments(user)
    filterset = QueueFilter(
        request.GET or None,
        queryset=unsampled.select_related(*IQA_RELATED),
        assessors=Person.objects.filter(pk__in=selectors.samplable_assessments(user).values("assessor_id")),
        teams=scoping.teams_in_scope(user, Role.DIP_SAMPLER).select_related("unit"),
    )
    context = {
        "filter": filterset,
        "page": _page(request, filterset.qs.order_by("-work_date", "-pk")),
        "query_string": _without_page(request),
        "to_do": selectors.dip_samples_in_scope(user).filter(dip_sampler=user, recorded_at__isnull=True).count(),
    }
    return render(request, "dipsampling/queue.html", context)


@login_required
@require_POST
def start(request, pk):
    """Take one IQA from the queue for a dip sample now."""
    _require_dip_sampler(request)
    assessment = get_object_or_404(selectors.samplable_assessments(request.user), pk=pk)
    dip_sample = services.dip_sample_start(user=request.user, assessment=assessment)
    return redirect("dip_sample_record", dip_sample.pk)


def _proposal(user, form):
    data = form.cleaned_data
    if data["kind"] == SelectionKind.RANDOM:
        return selection.propose_random(user, data["period"], seed=data["seed"])
    return selection.propose_targeted(user, data["period"], data["kind"])


@login_required
def propose(request):
    """The selection tool: propose a random or targeted sample for a quarter, then confirm it."""
    _require_dip_sampler(request)
    user = request.user
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            proposal = _proposal(user, form)
            chosen = proposal.assessment_ids
            if proposal.kind != SelectionKind.RANDOM:
                chosen = [int(value) for value in request.POST.getlist("iqa") if value.isdigit()]
            try:
                made, _ = once.create_once(
                    request, lambda: services.selection_confirm(user=user, proposal=proposal, assessment_ids=chosen)
                )
            except (services.DipSampleError, once.FormExpired) as error:
                messages.error(request, str(error))
            else:
                if made is not None:
                    count = made.dip_samples.count()
                    seed = f" (seed {made.seed})" if made.seed is not None else ""
                    messages.success(
                        request, f"{count} IQA{'s' if count != 1 else ''} selected for dip sampling{seed}."
                    )
                return redirect("dip_sample_mine")
    else:
        initial = {"period": periods.this_quarter().label}
        form = ProposeForm(request.GET or None, initial=initial)
    proposal = _proposal(user, form) if form.is_bound and form.is_valid() else None
    context = {"form": form, "proposal": proposal, "iqas": [], "not_shown": 0}
    if proposal is not None:
        # A national random sample can run to thousands: show the first SHOWN_LIMIT; confirming takes them all.
        context["iqas"] = list(
            selectors.samplable_assessments(user)
            .filter(pk__in=proposal.assessment_ids)
            .select_related(*IQA_RELATED)
            .order_by("activity", "work_date", "pk")[:SHOWN_LIMIT]
        )
        context["not_shown"] = len(proposal.assessment_ids) - len(context["iqas"])
        for iqa in context["iqas"]:
            iqa.why = proposal.notes.get(iqa.pk, "")
    return render(request, "dipsampling/propose.html", context)


@login_required
def record(request, pk):
    """The dip sample form: both comments, the date, the outcome and optional re-marks. Read-only once recorded."""
    _require_dip_sampler(request)
    dip_sample = get_object_or_404(
        selectors.dip_samples_in_scope(request.user).select_related(
            *(f"assessment__{name}" for name in IQA_RELATED), "dip_sampler", "selection"
        ),
        pk=pk,
    )
    assessment = dip_sample.assessment
    answers = list(assessment.answers.select_related("question").order_by("question__number"))
    questions = [answer.question for answer in answers]
    if dip_sample.is_recorded:
        context = {"dip_sample": dip_sample, "iqa": assessment, "rows": remarks.remark_rows(dip_sample, answers)}
        return render(request, "dipsampling/dip_sample_detail.html", context)
    form = DipSampleForm(request.POST or None, assessment=assessment, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.dip_sample_record(
                dip_sample=dip_sample,
                user=request.user,
                remarks=form.remarks(),
                **{name: form.cleaned_data[name] for name in ("sampled_on", "iqa_comment", "casework_comment")},
                outcome=form.cleaned_data["outcome"],
            )
        except services.DipSampleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The dip sample is recorded. The assessor will be e-mailed the outcome.")
            return redirect("dip_sample_record", dip_sample.pk)
    by_question = {answer.question_id: answer for answer in answers}
    rows = [(question, field, comment, by_question[question.pk]) for question, field, comment in form.remark_rows()]
    context = {"dip_sample": dip_sample, "iqa": assessment, "form": form, "rows": rows}
    return render(request, "dipsampling/dip_sample_form.html", context)


@login_required
def mine(request):
    """The user's dip samples: selected and still to do first, then recorded, newest first."""
    _require_dip_sampler(request)
    own = (
        selectors.dip_samples_in_scope(request.user)
        .filter(dip_sampler=request.user)
        .select_related(*(f"assessment__{name}" for name in IQA_RELATED), "selection")
        .order_by(F("recorded_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    return render(request, "dipsampling/mine.html", {"page": _page(request, own), "query_string": ""})


def _period_from(request):
    """The period asked for in ?period=, this quarter by default, with the error if the text names none."""
    text = request.GET.get("period", "").strip()
    if not text:
        return periods.this_quarter(), "", ""
    period, problem = period_or_error(text)
    return (period or periods.this_quarter()), problem, text


@login_required
def remark_tables(request):
    """Annex B of seed 001 for the re-marked dip samples recorded in the period, over the user's purview."""
    _require_dip_sampler(request)
    period, problem, typed = _period_from(request)
    recorded = selectors.dip_samples_in_scope(request.user).filter(
        recorded_at__isnull=False, sampled_on__gte=period.start, sampled_on__lte=period.end
    )
    context = {"period": period, "problem": problem, "typed": typed, "tables": remarks.annex_b(recorded)}
    return render(request, "dipsampling/remark_tables.html", context)


@login_required
def rate_table(request):
    """Dip sample rates per activity against the 10% target, for IQAs of work done in the period."""
    _require_dip_sampler(request)
    period, problem, typed = _period_from(request)
    in_purview = selectors.in_period(
        scoping.records_in_scope(request.user, Assessment.objects.all(), Role.DIP_SAMPLER), period
    )
    context = {"period": period, "problem": problem, "typed": typed, "rows": rates.dip_sample_rates(in_purview)}
    return render(request, "dipsampling/rates.html", context)


@login_required
def accreditations(request):
    """Read-only: the accreditations of assessors in the purview (administrators edit them in admin)."""
    _require_dip_sampler(request)
    today = timezone.localdate()
    people = scoping.people_in_scope(request.user, Role.DIP_SAMPLER)
    rows = Accreditation.objects.filter(assessor__in=people).select_related("assessor", "accredited_by")
    context = {
        "page": _page(request, rows.order_by("assessor__full_name", "-accredited_on")),
        "today": today,
        "required": accreditation.required(),
    }
    return render(request, "dipsampling/accreditations.html", context)
