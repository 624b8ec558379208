"""Recording the feedback given on an IQA. Only its author may: anyone else gets a 404, as for every IQA action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import feedback
from assessments.feedback_forms import FeedbackForm
from assessments.views import iqas

NOT_RECORDED_MESSAGE = "The feedback has not been recorded: put right what is marked below. Nothing you typed is lost."


@login_required
@require_POST
def iqa_feedback(request, pk):
    """Record or correct the feedback; bad input shows the IQA page again with the form as typed and its errors."""
    assessment = iqas.authored_iqa(request, pk)
    if not feedback.may_record_feedback(assessment, request.user, feedback.feedback_of(assessment)):
        messages.error(request, feedback.CLOSED_MESSAGE)
        return redirect("iqa_detail", pk)
    form = FeedbackForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            _, created = feedback.feedback_record(assessment=assessment, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            # Closed, or the rules changed their answer, since the form was checked.
            form.add_error(None, error)
        else:
            messages.success(request, "The feedback is recorded." if created else "The feedback record is corrected.")
            return redirect(reverse("iqa_detail", args=[pk]) + "#feedback")
    messages.error(request, NOT_RECORDED_MESSAGE)
    return iqas.iqa_detail(request, pk, feedback_form=form)
