"""The forms for starting and recording an IQA.

Recording is in two steps. The start form fixes what a half-day's IQAs share (the person, the activity, the date
of the work); the IQA form then holds one case and the answers to the question set in force on that date. Answer
fields are named by question code (`Q9-answer`), so a draft keeps its meaning whatever the version.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone

from assessments import rules, selectors
from assessments.models import (
    Activity,
    AnswerValue,
    Case,
    CaseStage,
    CaseStatus,
    Court,
    ProtectedCharacteristic,
    QuestionSet,
    SensitiveCategory,
)
from assessments.services import IQAEntry
from organisation import scoping
from organisation.models import TeamMembership, Unit

DISCLOSURE_SET = "disclosure"


def DateInput():  # noqa: N802 - reads as the widget it makes
    """A browser date picker, given its value in the ISO format it reads."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


YES_NO = [("yes", "Yes"), ("no", "No")]


def question_sets_for(activity, work_date, with_disclosure):
    """The question set in force for the activity on the day, and the disclosure set if added (or None)."""
    main = QuestionSet.objects.filter(optional=False, activity=activity).in_force_on(work_date).first()
    extra = QuestionSet.objects.current(DISCLOSURE_SET, work_date) if with_disclosure else None
    return main, extra


class StartForm(forms.Form):
    """What every IQA of one half-day's work shares."""

    assessed = forms.ModelChoiceField(
        label="Whose work",
        queryset=None,
        empty_label="Choose a person",
        help_text="People in your assessor purview.",
        error_messages={"required": "Choose whose work you are assessing."},
    )
    activity = forms.ChoiceField(
        choices=Activity.choices,
        widget=forms.RadioSelect,
        help_text="Advice is only for early investigative advice the police asked for, not a pre-charge decision.",
        error_messages={"required": "Choose the activity assessed."},
    )
    work_date = forms.DateField(
        label="Date the work was done",
        widget=DateInput(),
        help_text="IQAs are recorded the same day as the work or the next working day.",
        error_messages={"required": "Enter the date the work was done.", "invalid": "Enter a real date."},
    )
    with_disclosure = forms.BooleanField(
        label="Add the optional disclosure questions",
        required=False,
        help_text="Case progression only: a fuller record of how disclosure was handled.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed"].queryset = scoping.assessable_people(user).order_by("full_name")

    def clean_work_date(self):
        work_date = self.cleaned_data["work_date"]
        if work_date > timezone.localdate():
            raise forms.ValidationError("The work cannot have been done in the future.")
        return work_date

    def clean(self):
        cleaned = super().clean()
        activity, work_date = cleaned.get("activity"), cleaned.get("work_date")
        if cleaned.get("with_disclosure") and activity and activity != Activity.CASE_PROGRESSION:
            self.add_error("with_disclosure", "The disclosure questions can only be added to case progression.")
        if activity and work_date:
            main, extra = question_sets_for(activity, work_date, cleaned.get("with_disclosure"))
            if main is None:
                self.add_error("work_date", "No question set for this activity applies to work done on that date.")
            elif cleaned.get("with_disclosure") and extra is None:
                self.add_error("with_disclosure", "No disclosure question set applies to work done on that date.")
        return cleaned


class QuestionBlock:
    """One question's three fields, for the template."""

    def __init__(self, form, question):
        self.question = question
        self.answer = form[f"{question.code}-answer"]
        self.reasons = form[f"{question.code}-reasons"]
        self.comment = form[f"{question.code}-comment"]

    @property
    def has_errors(self):
        return bool(self.answer.errors or self.reasons.errors or self.comment.errors)


class IQAForm(forms.Form):
    """One case and the answers to every question for it."""

    urn = forms.CharField(
        label="URN",
        max_length=20,
        help_text="e.g. 42AB0123418. A case already registered is found and reused.",
        error_messages={"required": "Enter the case's URN."},
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label="Choose a unit")
    court = forms.ChoiceField(choices=Court.choices, widget=forms.RadioSelect, required=False)
    sensitive_categories = forms.MultipleChoiceField(
        choices=SensitiveCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    protected_characteristics = forms.MultipleChoiceField(
        label="Defendant's protected characteristics",
        choices=ProtectedCharacteristic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Optional: only where the information is available.",
    )
    status = forms.ChoiceField(
        label="Case status",
        choices=CaseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the case is live or finalised."},
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("", "Choose a stage"), *CaseStage.choices],
        error_messages={"required": "Choose the stage the case has reached."},
    )
    early_advice_requested = forms.ChoiceField(
        label="Did the police ask for early investigative advice?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="Answer no if the police asked for a charging decision: that is assessed as charging and review.",
    )
    action_required = forms.BooleanField(label="Action required", required=False)
    action_description = forms.CharField(
        label="What action is required",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The IQA cannot be closed until this action is marked taken.",
    )
    overall_comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    record_anyway = forms.BooleanField(
        label="Record it anyway",
        required=False,
        help_text="A second IQA of the same person's work on the same activity, date and case.",
    )

    CASE_FIELDS = ("urn", "unit", "court", "sensitive_categories", "protected_characteristics", "status", "stage")

    def __init__(self, *args, draft, question_set, disclosure_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.question_set = question_set
        self.disclosure_set = disclosure_set
        self.existing_case = None
        self.same_work = []  # IQAs already recorded of this work, found once the URN is cleaned
        self.area_id, self.default_unit_id = self.area_and_unit_of(draft)
        self.fields["unit"].queryset = Unit.objects.filter(area_id=self.area_id).select_related("area").order_by("name")
        # As the URN is typed, say whether it is a case already registered (htmx fetches a short note).
        self.fields["urn"].widget.attrs.update(
            {
                "hx-get": reverse("case_lookup", args=[draft.pk]),
                "hx-trigger": "change, keyup changed delay:600ms",
                "hx-target": "#case-lookup",
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        )
        if draft.activity != Activity.ADVICE:
            del self.fields["early_advice_requested"]
        self.questions = list(question_set.questions.prefetch_related("reasons"))
        self.extra_questions = list(disclosure_set.questions.prefetch_related("reasons")) if disclosure_set else []
        for question in self.questions + self.extra_questions:
            self._add_question_fields(question)

    @staticmethod
    def area_and_unit_of(draft):
        """The assessed person's area (where the case's URN is looked up) and unit, on the day of the work."""
        membership = (
            TeamMembership.objects.active_on(draft.work_date)
            .filter(person_id=draft.assessed_id)
            .values("team__unit__area_id", "team__unit_id")
            .first()
        )
        return (membership["team__unit__area_id"], membership["team__unit_id"]) if membership else (None, None)

    def initial_from(self, data):
        """Initial values from what was typed (a draft), so it shows again exactly as it was left."""
        initial = {"status": CaseStatus.LIVE, "unit": self.default_unit_id}
        for name, field in self.fields.items():
            if name in data:
                values = data[name]
                initial[name] = values if isinstance(field, forms.MultipleChoiceField) else "".join(values[:1])
        return initial

    def _add_question_fields(self, question):
        code = question.code
        self.fields[f"{code}-answer"] = forms.ChoiceField(
            label=question.wording,
            choices=AnswerValue.choices,
            widget=forms.RadioSelect,
            error_messages={"required": f"Choose an answer for {code}."},
        )
        self.fields[f"{code}-reasons"] = forms.MultipleChoiceField(
            label="Reasons (for not met)",
            choices=[(reason.code, reason.text) for reason in question.reasons.all()],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields[f"{code}-comment"] = forms.CharField(
            label="Comment", widget=forms.Textarea(attrs={"rows": 2}), required=False
        )

    @property
    def question_blocks(self):
        return [QuestionBlock(self, question) for question in self.questions]

    @property
    def extra_question_blocks(self):
        return [QuestionBlock(self, question) for question in self.extra_questions]

    def clean_urn(self):
        urn = rules.normalise_urn(self.cleaned_data["urn"])
        if not rules.is_valid_urn(urn):
            raise forms.ValidationError(rules.URN_FORMAT_MESSAGE)
        return urn

    def clean(self):
        cleaned = super().clean()
        self._clean_case(cleaned)
        self._clean_same_work(cleaned)
        self._clean_answers(cleaned)
        if "early_advice_requested" in self.fields:
            value = cleaned.get("early_advice_requested")
            requested = {"yes": True, "no": False}.get(value)
            cleaned["early_advice_requested"] = requested
            for field, message in rules.advice_errors(self.draft.activity, requested).items():
                self.add_error(field, message)
        else:
            cleaned["early_advice_requested"] = None
        if cleaned.get("action_required") and not cleaned.get("action_description", "").strip():
            self.add_error("action_description", rules.ACTION_DESCRIPTION_MESSAGE)
        return cleaned

    def _clean_case(self, cleaned):
        urn = cleaned.get("urn")
        if urn and self.area_id:
            self.existing_case = Case.objects.filter(area_id=self.area_id, urn=urn).first()
        if self.existing_case is None:
            for field in ("unit", "court"):
                if not cleaned.get(field):
                    self.add_error(field, "Needed to register a new case.")

    def _clean_same_work(self, cleaned):
        """The same work assessed twice is refused until the assessor confirms it (nothing typed is lost)."""
        urn = cleaned.get("urn")
        if not (urn and self.area_id):
            return
        draft = self.draft
        self.same_work = selectors.same_work(
            draft.owner,
            assessed_id=draft.assessed_id,
            activity=draft.activity,
            work_date=draft.work_date,
            area_id=self.area_id,
            urn=urn,
            excluding=draft.amends_id,
        )
        if self.same_work and not cleaned.get("record_anyway"):
            self.add_error("record_anyway", rules.SAME_WORK_MESSAGE)

    def _clean_answers(self, cleaned):
        for question in self.questions + self.extra_questions:
            code = question.code
            value = cleaned.get(f"{code}-answer")
            if not value:
                continue
            chosen = set(cleaned.get(f"{code}-reasons") or [])
            reasons = [reason for reason in question.reasons.all() if reason.code in chosen]
            cleaned[f"{code}-reason-objects"] = reasons
            for part, message in rules.answer_errors(value, reasons, cleaned.get(f"{code}-comment", "")).items():
                self.add_error(f"{code}-{part}", message)

    def entry(self) -> IQAEntry:
        """What the valid form gives the recording service (services.iqa_record)."""
        cleaned = self.cleaned_data
        return IQAEntry(
            **{name: cleaned[name] for name in self.CASE_FIELDS},
            early_advice_requested=cleaned["early_advice_requested"],
            action_required=cleaned["action_required"],
            action_description=cleaned["action_description"],
            overall_comment=cleaned["overall_comment"],
            question_set=self.question_set,
            disclosure_set=self.disclosure_set,
            answers=self.answers(),
            area_id=self.area_id,
            existing_case=self.existing_case,
        )

    def answers(self):
        """(question, value, comment, reasons) for every question, once the form is valid."""
        return [
            (
                question,
                self.cleaned_data[f"{question.code}-answer"],
                self.cleaned_data[f"{question.code}-comment"].strip(),
                self.cleaned_data.get(f"{question.code}-reason-objects", []),
            )
            for question in self.questions + self.extra_questions
        ]


class ActionTakenForm(forms.Form):
    taken_on = forms.DateField(label="Date the action was taken", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError("The action cannot have been taken in the future.")
        return taken_on
