"""The dip sample form: both comments, the date, the outcome and optional re-marks. Read-only once recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from dipsampling import remarks, selectors, services
from dipsampling.forms import DipSampleForm
from dipsampling.views.shared import DIP_SAMPLE_RELATED, require_dip_sampler

FORM_FIELDS = ("sampled_on", "iqa_comment", "casework_comment", "outcome")


@login_required
def record(request, pk):
    require_dip_sampler(request)
    dip_sample = get_object_or_404(
        selectors.dip_samples_in_scope(request.user).select_related(*DIP_SAMPLE_RELATED, "dip_sampler", "selection"),
        pk=pk,
    )
    assessment = dip_sample.assessment
    answers = list(assessment.answers.select_related("question").order_by("question__number"))
    if dip_sample.is_recorded:
        context = {"dip_sample": dip_sample, "iqa": assessment, "rows": remarks.remark_rows(dip_sample, answers)}
        return render(request, "dipsampling/dip_sample_detail.html", context)
    form = DipSampleForm(request.POST or None, assessment=assessment, questions=[a.question for a in answers])
    if request.method == "POST" and form.is_valid() and _recorded(request, dip_sample, form):
        messages.success(request, "The dip sample is recorded. The assessor will be e-mailed the outcome.")
        return redirect("dip_sample_record", dip_sample.pk)
    by_question = {answer.question_id: answer for answer in answers}
    rows = [(question, field, comment, by_question[question.pk]) for question, field, comment in form.remark_rows()]
    context = {"dip_sample": dip_sample, "iqa": assessment, "form": form, "rows": rows}
    return render(request, "dipsampling/dip_sample_form.html", context)


def _recorded(request, dip_sample, form) -> bool:
    """Record the dip sample from the valid form; False with the refusal on the form."""
    try:
        services.dip_sample_record(
            dip_sample=dip_sample,
            user=request.user,
            remarks=form.remarks(),
            **{name: form.cleaned_data[name] for name in FORM_FIELDS},
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
