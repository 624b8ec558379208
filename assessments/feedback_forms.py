"""The form an assessor records feedback with. Its checks are the rules in assessments.feedback."""

from django import forms
from django.utils import timezone

from assessments import feedback
from assessments.models import FeedbackMode

TEXT_LIMIT = 5000


class FeedbackForm(forms.Form):
    given_on = forms.DateField(
        label="Date the feedback was given",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": feedback.GIVEN_ON_MISSING_MESSAGE,
            "invalid": "Enter the date the feedback was given as a real date, for example 27/11/2026.",
        },
    )
    mode = forms.ChoiceField(
        label="How it was given",
        choices=FeedbackMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": feedback.MODE_MESSAGE, "invalid_choice": feedback.MODE_MESSAGE},
    )
    positive_points = forms.CharField(
        label="Positive points", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    issues_to_address = forms.CharField(
        label="Issues to address", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, assessment, **kwargs):
        """Unbound, the form holds the feedback already recorded (to correct it) or today's date."""
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        existing = feedback.feedback_of(assessment)
        if existing is not None:
            self.initial = {name: getattr(existing, name) for name in self.fields}
        else:
            self.initial.setdefault("given_on", timezone.localdate())

    def clean(self):
        """The rules' messages, for every field that has not already been refused by its own checks."""
        cleaned = super().clean()
        errors = feedback.feedback_errors(
            assessment=self.assessment,
            today=timezone.localdate(),
            given_on=cleaned.get("given_on"),
            mode=cleaned.get("mode", ""),
            positive_points=cleaned.get("positive_points", ""),
            issues_to_address=cleaned.get("issues_to_address", ""),
        )
        text_refused = "positive_points" in self.errors or "issues_to_address" in self.errors
        for name, message in errors.items():
            if name == "__all__":
                if not text_refused:
                    self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name, message)
        return cleaned


def feedback_section(user, assessment, *, form=None) -> dict:
    """What the IQA page's feedback section (templates/assessments/_feedback.html) shows this user.

    `form` is a submitted form to show again with its errors; otherwise the author gets a fresh one while they
    may record or correct the feedback.
    """
    record = feedback.feedback_of(assessment)
    if form is None and feedback.may_record_feedback(assessment, user, record):
        form = FeedbackForm(assessment=assessment)
    return {
        "feedback_record": record,
        "feedback_status": feedback.feedback_status(assessment, timezone.localdate()),
        "feedback_readable": record is not None and feedback.may_read_feedback(assessment, user),
        "feedback_form": form,
    }
