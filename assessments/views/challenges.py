"""The assessed person's acknowledgement, response and challenges; the dip sampler's queue and decisions.

Every record is fetched through scoping: an IQA or answer that is not the user's own work, or a challenge outside
the user's dip sampler purview, is a 404.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessments import challenges, selectors
from assessments.challenge_forms import AcknowledgeForm, ChallengeForm, DecisionForm
from assessments.models import Acknowledgement, Answer, Challenge, ChallengeStatus
from organisation import scoping
from organisation.models import Role
from qa_platform.pagination import page_of

CHALLENGE_RELATED = (
    "answer__question",
    "answer__assessment__assessed",
    "answer__assessment__assessor",
    "answer__assessment__team__unit",
)


def response_context(assessment, user, answers) -> dict:
    """The IQA page's acknowledgement and challenges: two queries (acknowledgement, challenges), whatever the size,
    and for a dip sampler who is neither the assessed nor the assessor, one for whether they may read the response.

    Returns the answers, evaluated, each with its `challenge_list`, to replace the page's own answers.
    """
    is_assessed = assessment.assessed_id == user.pk
    acknowledgement = Acknowledgement.objects.filter(assessment=assessment).first()
    challenge_open, _ = challenges.can_challenge(assessment, user, timezone.localdate())
    answers = list(answers)
    by_answer = defaultdict(list)
    for challenge in (
        Challenge.objects.filter(answer__assessment=assessment).select_related("decided_by").order_by("raised_at")
    ):
        by_answer[challenge.answer_id].append(challenge)
    for answer in answers:
        answer.challenge_list = by_answer.get(answer.pk, [])
    return {
        "answers": answers,
        "has_challenges": bool(by_answer),
        "acknowledgement": acknowledgement,
        "can_see_response": challenges.can_see_response(user, assessment),
        "acknowledge_form": _acknowledge_form(acknowledgement) if is_assessed else None,
        "is_assessed": is_assessed,
        "challenge_deadline": challenges.challenge_deadline(assessment),
        "challenge_open": challenge_open,
    }


def _acknowledge_form(acknowledgement, data=None):
    return AcknowledgeForm(data, initial={"response": acknowledgement.response if acknowledgement else ""})


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def iqa_acknowledge(request, pk):
    """The assessed person acknowledges the IQA, with a response if they wish (it can be changed later)."""
    assessment = get_object_or_404(
        selectors.visible_assessments(request.user).filter(assessed=request.user).select_related("assessor"), pk=pk
    )
    acknowledgement = Acknowledgement.objects.filter(assessment=assessment).first()
    form = _acknowledge_form(acknowledgement, _posted(request))
    if form.is_bound and form.is_valid():
        challenges.iqa_acknowledge(assessment=assessment, assessed=request.user, response=form.cleaned_data["response"])
        messages.success(request, "Your response is saved." if acknowledgement else "You have acknowledged this IQA.")
        return redirect("iqa_detail", assessment.pk)
    context = {"iqa": assessment, "acknowledgement": acknowledgement, "form": form}
    return render(request, "assessments/acknowledge.html", context)


@login_required
def answer_challenge(request, pk):
    """The assessed person challenges one answer of an IQA of their own work."""
    own = selectors.visible_assessments(request.user).filter(assessed=request.user)
    answer = get_object_or_404(
        Answer.objects.filter(assessment__in=own).select_related("question", "assessment__assessor"), pk=pk
    )
    assessment = answer.assessment
    if request.method != "POST":
        problem = _why_not(answer, request.user)
        if problem:
            messages.error(request, problem)
            return redirect("iqa_detail", assessment.pk)
    form = ChallengeForm(_posted(request), answer=answer)
    if form.is_bound and form.is_valid():
        try:
            challenges.challenge_raise(answer=answer, raised_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your challenge is raised. A dip sampler will decide it; you will be e-mailed.")
            return redirect("iqa_detail", assessment.pk)
    context = {"iqa": assessment, "answer": answer, "form": form, "deadline": challenges.challenge_deadline(assessment)}
    return render(request, "assessments/challenge_form.html", context)


def _why_not(answer, user) -> str:
    allowed, problem = challenges.can_challenge(answer.assessment, user, timezone.localdate())
    if not allowed:
        return problem
    statuses = set(answer.challenges.values_list("status", flat=True))
    if ChallengeStatus.PENDING in statuses:
        return challenges.PENDING_MESSAGE
    return challenges.DECIDED_MESSAGE if statuses else ""


@login_required
def challenge_list(request):
    """The dip sampler's queue: challenges awaiting their decision, oldest first."""
    scoping.require_role(request.user, Role.DIP_SAMPLER)
    queue = (
        challenges.pending_challenges_for(request.user).select_related(*CHALLENGE_RELATED).order_by("raised_at", "pk")
    )
    page = page_of(request, queue)
    return render(request, "assessments/challenge_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def challenge_decide(request, pk):
    """A dip sampler decides a challenge in their queue. A double submit finds it decided and says so."""
    scoping.require_role(request.user, Role.DIP_SAMPLER)
    challenge = get_object_or_404(
        challenges.challenges_in_purview(request.user).select_related(*CHALLENGE_RELATED, "answer__assessment__case"),
        pk=pk,
    )
    if challenge.status != ChallengeStatus.PENDING:
        messages.info(request, challenges.ALREADY_DECIDED_MESSAGE)
        return redirect("challenge_list")
    form = DecisionForm(_posted(request), challenge=challenge)
    if form.is_bound and form.is_valid() and _decided(request, challenge, form):
        outcome = "upheld: the answer is changed" if form.upheld else "not upheld: the answer stands"
        messages.success(request, f"The challenge is {outcome}. Both sides will be e-mailed.")
        return redirect("challenge_list")
    context = {
        "challenge": challenge,
        "answer": challenge.answer,
        "iqa": challenge.answer.assessment,
        "reasons": list(challenge.answer.reasons.all()),
        "form": form,
    }
    return render(request, "assessments/challenge_decide.html", context)


def _decided(request, challenge, form) -> bool:
    """Decide the challenge as the valid form says; False, with the refusal on the form, if it may not be."""
    cleaned = form.cleaned_data
    decision = {"note": cleaned["note"], "comment": cleaned["comment"], "reasons": cleaned.get("reasons") or []}
    try:
        challenges.challenge_decide(challenge=challenge, decided_by=request.user, upheld=form.upheld, **decision)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
