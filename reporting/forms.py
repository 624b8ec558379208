"""The comparison form: one dimension and two or more of its values, each inside the viewer's purview."""

from django import forms
from django.forms.utils import ErrorDict

from assessments.models import Activity
from qa_platform import periods
from reporting.figures import DIMENSIONS

MIN_VALUES_MESSAGE = "Choose two or more to compare."
MAX_VALUES = 8
MAX_VALUES_MESSAGE = f"Compare at most {MAX_VALUES} at a time."


class CompareForm(forms.Form):
    dimension = forms.ChoiceField(label="Compare", choices=DIMENSIONS.items(), initial="team")
    values = forms.MultipleChoiceField(label="Which", required=False)
    periods = forms.CharField(
        label="Periods",
        required=False,
        help_text="When comparing periods: two or more, separated by commas, e.g. 2024-25 Q3, 2025-26 Q3.",
    )

    def __init__(self, *args, report_filter, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen_dimension = self._dimension()
        self.fields["values"].choices = self._choices(report_filter)
        # "Show choices" only lists the new dimension's values: nothing has been chosen yet, so nothing is wrong yet.
        self.choosing = self.is_bound and self.data.get("show") == "choices"

    def full_clean(self):
        if self.choosing:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.choosing and super().is_valid()

    def _dimension(self) -> str:
        value = self.data.get("dimension") if self.is_bound else None
        return value if value in DIMENSIONS else "team"

    def _choices(self, report_filter) -> list[tuple[str, str]]:
        if self.chosen_dimension == "activity":
            return list(Activity.choices)
        if self.chosen_dimension == "period":
            return []
        return report_filter.choices_for(self.chosen_dimension)

    def clean_values(self):
        if self.chosen_dimension == "period":
            return []
        return self.cleaned_data["values"]

    def clean_periods(self):
        if self.chosen_dimension != "period":
            return []
        chosen, errors = [], []
        for label in filter(None, (part.strip() for part in self.cleaned_data["periods"].split(","))):
            try:
                chosen.append(periods.parse(label))
            except periods.PeriodError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return chosen

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("periods") if self.chosen_dimension == "period" else cleaned.get("values")
        field = "periods" if self.chosen_dimension == "period" else "values"
        if chosen is not None and field not in self.errors:
            if len(chosen) < 2:
                self.add_error(field, MIN_VALUES_MESSAGE)
            elif len(chosen) > MAX_VALUES:
                self.add_error(field, MAX_VALUES_MESSAGE)
        return cleaned

    def keys_and_labels(self) -> tuple[list, list[str], list]:
        """The group keys as the figures return them, their labels, and (for periods) the periods."""
        if self.chosen_dimension == "period":
            chosen = self.cleaned_data["periods"]
            return [p.label for p in chosen], [p.label for p in chosen], chosen
        labels = dict(self.fields["values"].choices)
        values = self.cleaned_data["values"]
        keys = values if self.chosen_dimension == "activity" else [int(value) for value in values]
        return keys, [labels[value] for value in values], []


MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class MeasuresUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of measures",
        help_text="Columns: area, business_year, quarter, measure, value, activity (optional). One row per area, "
        "quarter and measure.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8."
            ) from error
