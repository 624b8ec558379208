"""Forms of the scrutiny screens. Each refuses bad input with a message next to the field and keeps what was typed."""

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone

from organisation.models import Person, Team
from scrutiny import services
from scrutiny.models import DECISION_CRITERIA, DecidedBy, Decision

TEXT_LIMIT = 5000
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", "Yes"), ("no", "No")]


WORKING_DAY_HELP = "A date on a weekend or bank holiday moves to the next working day."


def _date_field(label, *, required=True, missing="Enter the date.", help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DATE_WIDGET,
        error_messages={"required": missing, "invalid": "Enter a real date, for example 27/11/2026."},
    )


def _yes_no(label, *, required=True, missing="Choose yes or no."):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=required,
        empty_value=None,
        error_messages={"required": missing},
    )


def _not_in_future(form, name):
    day = form.cleaned_data.get(name)
    if day and day > timezone.localdate():
        form.add_error(name, "This date is in the future.")


class MilestoneRecordForm(forms.Form):
    done_on = _date_field("Date of the scrutiny", missing="Enter the date the scrutiny took place.")
    case_plan_fit_for_purpose = _yes_no(
        "Is the case plan fit for purpose?", missing="Say whether the case plan is fit for purpose."
    )
    causes_of_delay = forms.CharField(
        label="Causes of delay",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything holding the review up, so it can be dealt with. Leave empty if there is none.",
    )
    outcome = forms.CharField(
        label="Outcome",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what the scrutiny found and decided."},
    )

    def __init__(self, *args, allocated_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allocated_on = allocated_on
        self.initial.setdefault("done_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "done_on")
        done_on = cleaned.get("done_on")
        if done_on and self.allocated_on and done_on < self.allocated_on:
            self.add_error("done_on", "The scrutiny cannot be before the case was allocated.")
        return cleaned


class ActionForm(forms.Form):
    """One action a scrutiny raises. A row left empty is ignored; a started one needs all three fields."""

    description = forms.CharField(label="Action", required=False, max_length=TEXT_LIMIT)
    owner = forms.ModelChoiceField(label="Owner", queryset=Person.objects.none(), required=False)
    due_on = _date_field("By", required=False, help_text=WORKING_DAY_HELP)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Person.objects.none()

    def clean(self):
        cleaned = super().clean()
        started = cleaned.get("description") or cleaned.get("owner") or cleaned.get("due_on")
        if started:
            if not (cleaned.get("description") or "").strip():
                self.add_error("description", "Describe the action.")
            if not cleaned.get("owner") and "owner" not in self.errors:
                self.add_error("owner", "Choose who owns the action.")
            if not cleaned.get("due_on") and "due_on" not in self.errors:
                self.add_error("due_on", "Enter the date the action is to be done by.")
        return cleaned


# A scrutiny starts with two empty action rows; "Add another action" adds one at a time up to MAX_ACTIONS, a
# ceiling well above any real scrutiny that keeps one page from growing without end.
ACTION_ROWS_TO_START = 2
MAX_ACTIONS = 20
TOO_MANY_ACTIONS = f"A scrutiny records at most {MAX_ACTIONS} actions here: combine some, or add more as follow-ups."


class BaseActionFormSet(BaseFormSet):
    default_error_messages = {**BaseFormSet.default_error_messages, "too_many_forms": TOO_MANY_ACTIONS}


ActionFormSet = formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=0, max_num=MAX_ACTIONS, absolute_max=MAX_ACTIONS, validate_max=True
)


class FollowUpForm(forms.Form):
    completed_on = _date_field("Completed on", required=False)
    follow_up = forms.CharField(
        label="Follow-up",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write what the follow-up found."},
    )

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "completed_on")
        return cleaned


class OneToOneForm(forms.Form):
    met_on = _date_field("Date of the 1:1", missing="Enter the date of the 1:1.")
    note = forms.CharField(
        label="What was discussed and agreed",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what was discussed and agreed."},
    )

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "met_on")
        return cleaned


class ClosedCaseReviewForm(forms.Form):
    """The closed-case dip sample review: the six qualities of a decision (seed 000, 1.2) and whether to reopen."""

    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required where any quality is not met: say why.",
    )
    should_reopen = _yes_no("Should the case be reopened?", missing="Say whether the case should be reopened.")
    reopen_reasons = forms.CharField(
        label="Why it should be reopened", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {
            name: _yes_no(f"{label}?", missing=f"Say whether the decision was {label.lower()}.")
            for name, label in DECISION_CRITERIA
        }
        self.fields = {**criteria, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) is False for name, _ in DECISION_CRITERIA) and not cleaned.get("comments", "").strip():
            self.add_error("comments", "Say why the decision falls short where a quality is not met.")
        if cleaned.get("should_reopen") and not cleaned.get("reopen_reasons", "").strip():
            self.add_error("reopen_reasons", "Say why the case should be reopened.")
        return cleaned


class CaseReviewForm(forms.Form):
    """Open a case review, or correct an open one's details (with `status`, under review or provisional decision).
    The checks are scrutiny.services' (case_review_open, case_review_update): the view puts them next to the fields."""

    reference = forms.CharField(
        label="CCRC case reference",
        max_length=30,
        error_messages={"required": "Enter the CCRC case reference."},
    )
    applicant_name = forms.CharField(
        label="Applicant",
        max_length=150,
        help_text="Shown only to the case review manager, the group leader and case scrutiny holders over the case.",
        error_messages={"required": "Enter the applicant's name."},
    )
    offence_summary = forms.CharField(
        label="Offence",
        max_length=300,
        help_text="e.g. 'Murder (2009), conviction and sentence'.",
        error_messages={"required": "Describe the offence and what the application is against."},
    )
    allocated_on = _date_field(
        "Allocated on",
        missing="Enter the date the case was allocated to its case review manager.",
        help_text="Every scrutiny milestone counts from this day (6 weeks, 10 months, 2 years); a milestone falling "
        "on a weekend or bank holiday is due the next working day.",
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), error_messages={"required": "Choose the team the case is in."}
    )
    case_review_manager = forms.ModelChoiceField(
        label="Case review manager",
        queryset=Person.objects.none(),
        error_messages={"required": "Choose the case review manager."},
    )
    group_leader = forms.ModelChoiceField(
        label="Group leader",
        queryset=Person.objects.none(),
        help_text="Scrutinises the case and receives the reminders.",
        error_messages={"required": "Choose the group leader."},
    )

    def __init__(self, *args, teams, people, with_status=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["case_review_manager"].queryset = people
        self.fields["group_leader"].queryset = people
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=[(status.value, status.label) for status in services.OPEN_STATUSES],
                help_text="Close the case on its own form, with its decision.",
            )

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "allocated_on")
        return cleaned


class CaseCloseForm(forms.Form):
    """Close a case with its decision (the checks of scrutiny.services.case_review_errors, put next to the fields)."""

    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision the case was closed with."},
    )
    decided_by = forms.ChoiceField(
        label="Decided by",
        choices=DecidedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who made the decision."},
    )
    heard_by_lrcc = forms.BooleanField(label="Heard by the Long-Running Cases Review Committee", required=False)
    closed_on = _date_field("Closed on", missing="Enter the date the case was closed.")

    def __init__(self, *args, case_review, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_review = case_review
        self.initial.setdefault("closed_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "closed_on")
        closed_on = cleaned.get("closed_on")
        if closed_on and closed_on < self.case_review.allocated_on and "closed_on" not in self.errors:
            self.add_error("closed_on", "A case cannot close before it was allocated.")
        return cleaned
