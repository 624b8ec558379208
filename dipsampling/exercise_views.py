"""Consistency exercise pages: the organiser sets one up, assessors answer, everyone compares, the organiser concludes.

An exercise is visible only to its organiser and the assessors invited to it; any other id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dipsampling import exercises, selectors
from dipsampling.forms import AnswersForm, ConcludeForm, ExerciseForm
from organisation import once, scoping
from organisation.models import Role

PAGE_SIZE = 25


@login_required
def exercise_list(request):
    """Exercises the user organises or is invited to, newest first."""
    rows = selectors.exercises_for(request.user).select_related("organiser", "case").order_by("-created_at", "-pk")
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_string": "",
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
        except (exercises.ExerciseError, once.FormExpired) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The exercise is set. The assessors invited see it under Consistency exercises.")
            return redirect("exercise_detail", exercise.pk) if exercise else redirect("exercise_list")
    return render(request, "dipsampling/exercise_new.html", {"form": form})


def _exercise(request, pk):
    return get_object_or_404(
        selectors.exercises_for(request.user).select_related("organiser", "case__unit", "question_set"), pk=pk
    )


@login_required
def exercise_detail(request, pk):
    """Answer (an invited assessor, while answering is open), or compare and conclude once it has closed."""
    exercise = _exercise(request, pk)
    user = request.user
    is_organiser = exercise.organiser_id == user.pk
    participants = list(exercise.participants.select_related("assessor").order_by("assessor__full_name"))
    mine = next((p for p in participants if p.assessor_id == user.pk), None)
    questions = list(exercise.question_set.questions.order_by("number"))
    answering_open = exercises.answering_open(exercise)
    answer_form = conclude_form = None
    if answering_open and mine is not None and mine.submitted_at is None:
        answer_form = AnswersForm(request.POST or None, questions=questions)
        if request.method == "POST" and answer_form.is_valid():
            try:
                exercises.answers_submit(participant=mine, answers=answer_form.answers())
            except exercises.ExerciseError as error:
                answer_form.add_error(None, str(error))
            else:
                messages.success(request, "Your answers are recorded. You will see everyone's when answering closes.")
                return redirect("exercise_detail", exercise.pk)
    results = None if answering_open else exercises.results(exercise)
    if results is not None and is_organiser:
        initial = {}
        for row in results.questions:
            if row.agreed:
                initial[f"answer-{row.question.pk}"] = row.agreed.value
                initial[f"comment-{row.question.pk}"] = row.agreed.note
            elif row.most_common:
                initial[f"answer-{row.question.pk}"] = row.most_common.value
        initial["learning_points"] = exercise.learning_points
        conclude_form = ConcludeForm(
            request.POST or None,
            questions=questions,
            initial=initial,
            required_message="Record the agreed answer to this question.",
        )
        if request.method == "POST" and conclude_form.is_valid():
            try:
                exercises.exercise_conclude(
                    exercise=exercise,
                    user=user,
                    agreed=conclude_form.answers(),
                    learning_points=conclude_form.cleaned_data["learning_points"],
                )
            except exercises.ExerciseError as error:
                conclude_form.add_error(None, str(error))
            else:
                messages.success(request, "The agreed answers and learning points are recorded.")
                return redirect("exercise_detail", exercise.pk)
    context = {
        "exercise": exercise,
        "is_organiser": is_organiser,
        "participants": participants,
        "mine": mine,
        "answering_open": answering_open,
        "answer_form": answer_form,
        "results": results,
        "conclude_form": conclude_form,
        "answered": sum(1 for p in participants if p.submitted_at),
    }
    return render(request, "dipsampling/exercise_detail.html", context)


@login_required
@require_POST
def exercise_close(request, pk):
    exercise = _exercise(request, pk)
    try:
        exercises.answering_close(exercise=exercise, user=request.user)
    except exercises.ExerciseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Answering is closed: everyone in the exercise can now compare the answers.")
    return redirect("exercise_detail", exercise.pk)
