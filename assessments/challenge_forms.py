"""Forms for the assessed person's response and challenges, and for the dip sampler's decision."""

from django import forms

from assessments import challenges
from assessments.models import AnswerValue

TEXT_LIMIT = 5000


class AcknowledgeForm(forms.Form):
    response = forms.CharField(
        label="Your response (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything you want to say about this assessment. Only the assessor and the dip samplers over your "
        "team can read it.",
        error_messages={"max_length": f"Keep your response to {TEXT_LIMIT} characters (it has %(show_value)d)."},
    )


class ChallengeForm(forms.Form):
    proposed_value = forms.ChoiceField(
        label="The answer you think is right",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the answer you think is right.",
            "invalid_choice": "Choose one of the answers listed.",
        },
    )
    reasons = forms.CharField(
        label="Why the answer should change",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": challenges.REASONS_MESSAGE,
            "max_length": f"Keep your reasons to {TEXT_LIMIT} characters (they have %(show_value)d).",
        },
    )

    def __init__(self, *args, answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_value"].choices = challenges.proposable_values(answer)
        self.fields["proposed_value"].help_text = (
            "'Not met' cannot be proposed: it needs reasons only the assessor chooses. "
            "'Not met – other' means the standard was not met for reasons outside your control."
        )


DECISIONS = [("upheld", "Uphold: change the answer as proposed"), ("rejected", "Do not uphold: the answer stands")]


class DecisionForm(forms.Form):
    """The decision, its reasons for both sides and, if upheld, the answer's new comment (and reasons, were the new
    value 'not met'), which replace the assessor's and are checked by rule 1."""

    decision = forms.ChoiceField(
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to uphold the challenge.", "invalid_choice": "Choose a decision."},
    )
    note = forms.CharField(
        label="Your reasons",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Both the assessed person and the assessor can read this.",
        error_messages={
            "required": challenges.NOTE_MESSAGE,
            "max_length": f"Keep your reasons to {TEXT_LIMIT} characters (they have %(show_value)d).",
        },
    )
    comment = forms.CharField(
        label="The answer's comment, if upheld",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the comment to {TEXT_LIMIT} characters (it has %(show_value)d)."},
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        proposed = challenge.get_proposed_value_display()
        self.fields["comment"].help_text = (
            f"Upheld, the answer becomes '{proposed}' with this comment in place of the assessor's comment and "
            "reasons, which stay on record as the original."
        )
        if challenge.proposed_value == AnswerValue.NOT_MET_OTHER:
            self.fields["comment"].help_text += " 'Not met – other' needs a comment: say what, outside their "
            self.fields["comment"].help_text += "control, meant the standard was not met."
        if challenge.proposed_value == AnswerValue.NOT_MET:
            self.fields["reasons"] = forms.ModelMultipleChoiceField(
                label="Reasons the standard was not met, if upheld",
                queryset=challenge.answer.question.reasons.order_by("number"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == "upheld"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "upheld" and "comment" in cleaned:
            reasons = list(cleaned.get("reasons") or [])
            errors = challenges.decision_errors(self.challenge, cleaned["comment"], reasons)
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned
