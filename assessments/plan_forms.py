from datetime import date, timedelta

from django import forms
from django.utils import timezone

from assessments.models import Activity, PlannedAssessment
from assessments.planning import week_start
from organisation import scoping
from organisation.models import Person

WEEK_PAST_MESSAGE = "That week is more than a week ago. Plan an IQA for last week, this week or a later week."
WEEK_FUTURE_MESSAGE = "That week is more than a year ahead. Plan IQAs for the coming year only."


class PlanForm(forms.Form):
    assessed = forms.ModelChoiceField(
        label="Person",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person whose IQA you are planning.",
            "invalid_choice": "Choose someone in your assessor purview.",
        },
    )
    activity = forms.ChoiceField(
        choices=[("", "Choose an activity"), *Activity.choices],
        error_messages={"required": "Choose the activity to assess."},
    )
    week = forms.DateField(
        help_text="Any day of the week: the plan is for the week starting that Monday.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose a day in the week you plan to do the IQA."},
    )
    note = forms.CharField(
        required=False,
        max_length=PlannedAssessment._meta.get_field("note").max_length,
        help_text="Optional, for example the case or hearing you have in mind.",
    )

    def __init__(self, *args, user: Person, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # Only people the user may assess can be chosen; anyone else is refused as an invalid choice.
        self.fields["assessed"].queryset = scoping.assessable_people(user, on=self.today).order_by("full_name", "pk")

    def clean_week(self) -> date:
        monday = week_start(self.cleaned_data["week"])
        if monday < week_start(self.today) - timedelta(weeks=1):
            raise forms.ValidationError(WEEK_PAST_MESSAGE)
        if monday > self.today + timedelta(days=365):
            raise forms.ValidationError(WEEK_FUTURE_MESSAGE)
        return monday
