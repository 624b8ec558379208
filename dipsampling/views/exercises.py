"""Consistency exercise pages: the organiser sets one up, assessors answer, everyone compares, the organiser concludes.

An exercise is visible only to its organiser and the assessors invited to it; any other id is a 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dipsampling import exercises, selectors
from dipsampling.forms import AnswersForm, ConcludeForm, ExerciseForm
from organisation import once, scoping
from organisation.models import Role
from qa_platform.pagination import page_of


@login_required
def exercise_list(request):
    """Exercises the user organises or is invited to, newest first."""
    rows = selectors.exercises_for(request.user).select_related("organiser", "case").order_by("-created_at", "-pk")
    context = {
        "page": page_of(request, rows),
        "may_organise": Role.DIP_SAMPLER in scoping.roles_held(request.user),
    }
    return render(request, "dipsampling/exercise_list.html", context)


@login_required
def exercise_new(request):
    scoping.require_role(request.user, Role.DIP_SAMPLER)
    form = ExerciseForm(
        request.POST or None,
        assessors=exercises.invitable_assessors(request.user).order_by("full_name"),
        cases=exercises.cases_in_purview(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise, _ = once.create_once(
                request,
                lambda: exercises.exercise_create(
                    organiser=request.user,
                    title=data["title"],
                    activity=data["activity"],
                    case=data["case"],
                    case_study=data["case_study"],
                    assessors=list(data["assessors"]),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except once.FormExpired as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The exercise is set. The assessors invited see it under Consistency exercises.")
            return redirect("exercise_detail", exercise.pk) if exercise else redirect("exercise_list")
    return render(request, "dipsampling/exercise_new.html", {"form": form})


def _exercise(request, pk):
    return get_object_or_404(
        selectors.exercises_for(request.user).select_related("organiser", "case__unit", "question_set"), pk=pk
    )


@dataclass
class ExercisePage:
    """What the exercise page shows its user: who is in it, their own invitation, and the results once closed."""

    exercise: object
    user: object
    participants: list
    questions: list
    answering_open: bool
    results: exercises.ExerciseResults | None

    @property
    def is_organiser(self) -> bool:
        return self.exercise.organiser_id == self.user.pk

    @property
    def mine(self):
        return next((p for p in self.participants if p.assessor_id == self.user.pk), None)

    @property
    def may_answer(self) -> bool:
        """An invited assessor who has not answered, while answering is open."""
        return self.answering_open and self.mine is not None and self.mine.submitted_at is None

    @property
    def may_conclude(self) -> bool:
        return self.results is not None and self.is_organiser


def _exercise_page(exercise, user) -> ExercisePage:
    answering_open = exercises.answering_open(exercise)
    return ExercisePage(
        exercise=exercise,
        user=user,
        participants=list(exercise.participants.select_related("assessor").order_by("assessor__full_name")),
        questions=list(exercise.question_set.questions.order_by("number")),
        answering_open=answering_open,
        results=None if answering_open else exercises.results(exercise),
    )


@login_required
def exercise_detail(request, pk):
    """Answer (an invited assessor, while answering is open), or compare and conclude once it has closed."""
    page = _exercise_page(_exercise(request, pk), request.user)
    data = request.POST or None
    answer_form = AnswersForm(data, questions=page.questions) if page.may_answer else None
    conclude_form = _conclude_form(data, page) if page.may_conclude else None
    if answer_form is not None and answer_form.is_bound and _answered(answer_form, page):
        messages.success(request, "Your answers are recorded. You will see everyone's when answering closes.")
        return redirect("exercise_detail", pk)
    if conclude_form is not None and conclude_form.is_bound and _concluded(conclude_form, page):
        messages.success(request, "The agreed answers and learning points are recorded.")
        return redirect("exercise_detail", pk)
    context = {
        **{name: getattr(page, name) for name in ("exercise", "is_organiser", "participants", "mine")},
        **{name: getattr(page, name) for name in ("answering_open", "results")},
        "answer_form": answer_form,
        "conclude_form": conclude_form,
        "answered": sum(1 for p in page.participants if p.submitted_at),
    }
    return render(request, "dipsampling/exercise_detail.html", context)


def _conclude_form(data, page: ExercisePage) -> ConcludeForm:
    """The organiser's form, filled in with the agreed answers so far, or each question's most common answer."""
    initial = {"learning_points": page.exercise.learning_points}
    for row in page.results.questions:
        if row.agreed:
            initial[f"answer-{row.question.pk}"] = row.agreed.value
            initial[f"comment-{row.question.pk}"] = row.agreed.note
        elif row.most_common:
            initial[f"answer-{row.question.pk}"] = row.most_common.value
    return ConcludeForm(
        data, questions=page.questions, initial=initial, required_message="Record the agreed answer to this question."
    )


def _answered(form, page: ExercisePage) -> bool:
    """Submit the assessor's answers from the form if valid; False with any refusal on the form."""
    if not form.is_valid():
        return False
    try:
        exercises.exercise_answers_submit(participant=page.mine, answers=form.answers())
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _concluded(form, page: ExercisePage) -> bool:
    """Record the organiser's agreed answers and learning points from the form if valid; False with any refusal."""
    if not form.is_valid():
        return False
    try:
        exercises.exercise_conclude(
            exercise=page.exercise,
            user=page.user,
            agreed=form.answers(),
            learning_points=form.cleaned_data["learning_points"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
@require_POST
def exercise_close(request, pk):
    exercise = _exercise(request, pk)
    try:
        exercises.exercise_answering_close(exercise=exercise, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Answering is closed: everyone in the exercise can now compare the answers.")
    return redirect("exercise_detail", exercise.pk)
