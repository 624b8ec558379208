"""Forms for dip sampling: the dip sample with its re-marks, selections, consistency exercises."""

import django_filters
from django import forms
from django.utils import timezone

from assessments.models import Activity, AnswerValue
from dipsampling import services
from dipsampling.models import Outcome, SelectionKind
from organisation.models import Person, Team
from qa_platform import periods

TEXT_LIMIT = 5000
DATE_INPUT = {"type": "date"}
NOT_REMARKED = [("", "— not re-marked —")]


def _text(label, message, help_text="", required=True, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={
            "required": message,
            "max_length": f"Keep this to {TEXT_LIMIT} characters (it has %(show_value)d).",
        },
    )


class DipSampleForm(forms.Form):
    """Both comments are required (rule 6); each re-mark is optional, one per question of the IQA."""

    sampled_on = forms.DateField(
        label="Date of the dip sample",
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"required": "Give the date of the dip sample.", "invalid": "Enter a date, e.g. 14/03/2018."},
    )
    iqa_comment = _text(
        "Comment on the standard of the IQA",
        services.IQA_COMMENT_MESSAGE,
        "Were the answers, reasons and comments right? Was anything missed or marked too generously?",
    )
    casework_comment = _text(
        "Comment on the work done on the case",
        services.CASEWORK_COMMENT_MESSAGE,
        "The standard of the prosecutor's work on the case, good or bad, including anything the IQA missed.",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome: the assessor is told it."},
    )

    def __init__(self, *args, assessment, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.questions = list(questions)
        self.fields["sampled_on"].initial = timezone.localdate()
        for question in self.questions:
            self.fields[f"remark-{question.pk}"] = forms.ChoiceField(
                label=f"{question.code} re-mark",
                required=False,
                choices=NOT_REMARKED + list(AnswerValue.choices),
                error_messages={"invalid_choice": "Choose one of the four answers, or leave it not re-marked."},
            )
            self.fields[f"remark_comment-{question.pk}"] = forms.CharField(
                label=f"{question.code} comment", required=False, max_length=TEXT_LIMIT
            )

    def clean_sampled_on(self):
        sampled_on = self.cleaned_data["sampled_on"]
        problem = services.check_sampled_on(sampled_on, self.assessment, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return sampled_on

    def remark_rows(self):
        """(question, answer field, comment field) for the template."""
        return [(q, self[f"remark-{q.pk}"], self[f"remark_comment-{q.pk}"]) for q in self.questions]

    def remarks(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            q.pk: (data[f"remark-{q.pk}"], data[f"remark_comment-{q.pk}"])
            for q in self.questions
            if data.get(f"remark-{q.pk}")
        }


def period_or_error(text: str):
    """(period, error message): the period a label names, or why it names none."""
    try:
        return periods.parse(text), ""
    except periods.PeriodError as error:
        return None, str(error)


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Selection",
        choices=SelectionKind.choices,
        initial=SelectionKind.RANDOM,
        error_messages={"invalid_choice": "Choose one of the selections listed."},
    )
    period = forms.CharField(
        label="Quarter",
        max_length=40,
        help_text="A business-year quarter, e.g. 2017-18 Q3 (or a year, month or range of dates).",
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="Leave empty for a fresh random draw; give a stored seed to repeat a draw.",
    )

    def clean_period(self):
        period, problem = period_or_error(self.cleaned_data["period"])
        if problem:
            raise forms.ValidationError(problem)
        return period


class PeriodField(forms.CharField):
    """A period label (2017-18 Q3, 2017-18, 2017-05 or a range), cleaned to a Period."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        period, problem = period_or_error(value)
        if problem:
            raise forms.ValidationError(problem)
        return period


class PeriodFilter(django_filters.Filter):
    """IQAs of work done in the period. A bad label is an error next to the field and filters nothing."""

    field_class = PeriodField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(work_date__gte=value.start, work_date__lte=value.end)


class QueueFilter(django_filters.FilterSet):
    activity = django_filters.ChoiceFilter(choices=Activity.choices, empty_label="Any activity")
    assessor = django_filters.ModelChoiceFilter(queryset=Person.objects.none(), empty_label="Any assessor")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="Any team")
    period = PeriodFilter(label="Period", help_text="e.g. 2017-18 Q3, 2017-18 or 2017-05", max_length=40)

    def __init__(self, *args, assessors, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["assessor"].queryset = assessors
        self.filters["team"].queryset = teams


class ExerciseForm(forms.Form):
    title = forms.CharField(max_length=150, error_messages={"required": "Give the exercise a title."})
    activity = forms.ChoiceField(choices=Activity.choices)
    urn = forms.CharField(
        label="Case URN",
        required=False,
        max_length=20,
        help_text="A case registered in your purview; or leave empty and write a case study.",
    )
    case_study = _text("Case study", "", "The facts and the work to assess, when there is no case.", required=False)
    assessors = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Invite at least two assessors."},
    )

    def __init__(self, *args, assessors, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = assessors
        self.cases = cases

    def clean_assessors(self):
        chosen = self.cleaned_data["assessors"]
        if len(chosen) < 2:
            raise forms.ValidationError("Invite at least two assessors: agreement needs two answers or more.")
        return chosen

    def clean(self):
        cleaned = super().clean()
        urn = (cleaned.get("urn") or "").strip().upper().replace(" ", "")
        cleaned["case"] = None
        if urn:
            cleaned["case"] = self.cases.filter(urn=urn).first()
            if cleaned["case"] is None:
                self.add_error("urn", f"No case {urn} is registered in your purview.")
        elif not (cleaned.get("case_study") or "").strip():
            self.add_error("case_study", "Give a case URN or write a case study.")
        return cleaned


class AnswersForm(forms.Form):
    """One answer per question (all required) with an optional comment: a participant's or the agreed answers."""

    def __init__(self, *args, questions, required_message="Answer this question.", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"answer-{question.pk}"] = forms.ChoiceField(
                label=f"{question.code} {question.wording}",
                choices=AnswerValue.choices,
                widget=forms.RadioSelect,
                error_messages={"required": required_message},
            )
            self.fields[f"comment-{question.pk}"] = forms.CharField(
                label=f"{question.code} comment", required=False, max_length=TEXT_LIMIT
            )

    def rows(self):
        return [(q, self[f"answer-{q.pk}"], self[f"comment-{q.pk}"]) for q in self.questions]

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {q.pk: (data[f"answer-{q.pk}"], data[f"comment-{q.pk}"]) for q in self.questions}


class ConcludeForm(AnswersForm):
    learning_points = _text(
        "Learning points",
        "Record the learning points: what the exercise showed and what to do about it.",
        "Recurring issues and good practice to share with assessors (HMCPSI 2018, 5.41).",
    )
