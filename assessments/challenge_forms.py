"""Forms for the assessed person's response and challenges, and for the dip sampler's decision."""

from django import forms

from assessments import challenges

TEXT_LIMIT = 5000


class AcknowledgeForm(forms.Form):
    response = forms.CharField(
        label="Your response (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything you want to say about this assessment. The assessor and dip samplers can read it.",
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
    decision = forms.ChoiceField(
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to uphold the challenge.", "invalid_choice": "Choose a decision."},
    )
    note = forms.CharField(
        label="Your reasons",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Both the assessed person and the assessor can read this. If you uphold a change to "
        "'Not met – other', this becomes the answer's comment: say what, outside their control, meant it was not met.",
        error_messages={
            "required": challenges.NOTE_MESSAGE,
            "max_length": f"Keep your reasons to {TEXT_LIMIT} characters (they have %(show_value)d).",
        },
    )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == "upheld"
