"""Importing performance measures from CSV: each bad row reported (row, column, message) and nothing saved
unless every row is good; a measure already held for the area and quarter has its value replaced.

The file has a header row with the columns `area` (its code or name), `business_year` (2025-26), `quarter`
(Q1–Q4 or 1–4), `measure` (e.g. "Conviction rate"), `value` (a number; a trailing % is allowed) and, optionally,
`activity` (advice, charging_review, case_progression, case_presentation, or their names).
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet

from assessments.models import Activity
from organisation.models import Area
from qa_platform import periods
from qa_platform.text import strip_control_characters
from reporting.models import PerformanceMeasure

REQUIRED_COLUMNS = ("area", "business_year", "quarter", "measure", "value")
MAX_ROWS = 5000
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
# The columns' sizes (PerformanceMeasure.measure and .value): a row that would not fit is a row error.
MEASURE_LENGTH = PerformanceMeasure._meta.get_field("measure").max_length
VALUE_LIMIT = Decimal(10) ** (
    PerformanceMeasure._meta.get_field("value").max_digits - PerformanceMeasure._meta.get_field("value").decimal_places
)
# An activity by its value or its name.
ACTIVITIES = {value: value for value in Activity.values} | {label.lower(): value for value, label in Activity.choices}


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file, the header being line 1
    column: str
    message: str


@dataclass(frozen=True)
class ParsedMeasure:
    area: Area
    business_year: int
    quarter: int
    measure: str
    value: Decimal
    activity: str


def parse(text: str, areas: QuerySet[Area]) -> tuple[list[ParsedMeasure], list[RowError]]:
    """Read and check every row; `areas` are those the importer may set measures for. One query (the areas).

    Control characters are dropped first (a lone carriage return ends a line, as in files from old Macs), so no
    row can carry one into the database or the dashboard's exports; a line the CSV reader cannot read ends the file
    with a row error."""
    reader = csv.DictReader(io.StringIO(strip_control_characters(text.lstrip("\ufeff")), newline=""))
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        return [], [RowError(1, "", _unreadable(error))]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), "The header row lacks these columns.")]
    reader.fieldnames = header
    by_key = {}
    for area in areas:
        by_key[area.code.lower()] = area
        by_key[area.name.lower()] = area
    parsed, errors, seen = [], [], {}
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                errors.append(RowError(line, "", f"A file may hold at most {MAX_ROWS} rows; split it."))
                break
            row = {key: (value or "").strip() for key, value in row.items() if key}
            if not any(row.values()):
                continue
            measure, row_errors = _check_row(line, row, by_key)
            if not row_errors:
                key = (measure.area.pk, measure.business_year, measure.quarter, measure.measure.lower())
                if key in seen:
                    row_errors.append(
                        RowError(line, "measure", f"Repeats row {seen[key]} (same area, quarter and measure).")
                    )
                seen[key] = line
            errors += row_errors
            if not row_errors:
                parsed.append(measure)
    except csv.Error as error:
        errors.append(RowError(line + 1, "", _unreadable(error)))
    if not parsed and not errors:
        errors.append(RowError(1, "", "The file holds no rows of measures."))
    return parsed, errors


def _check_row(line: int, row: dict[str, str], areas_by_key: dict) -> tuple[ParsedMeasure | None, list[RowError]]:
    """The row's measure, or its errors (one per bad column)."""
    errors = []
    area = areas_by_key.get(row["area"].lower())
    if area is None:
        errors.append(RowError(line, "area", f"“{row['area'][:50]}” is not an area you may import measures for."))
    year, problem = _business_year(row["business_year"])
    if problem:
        errors.append(RowError(line, "business_year", problem))
    quarter = _quarter(row["quarter"])
    if quarter is None:
        errors.append(RowError(line, "quarter", f"“{row['quarter'][:50]}” is not a quarter: use Q1 to Q4."))
    measure = row["measure"]
    if not measure:
        errors.append(RowError(line, "measure", "Name the measure."))
    elif len(measure) > MEASURE_LENGTH:
        errors.append(RowError(line, "measure", f"A measure's name is at most {MEASURE_LENGTH} characters."))
    value = _number(row["value"])
    if value is None:
        errors.append(
            RowError(line, "value", f"“{row['value'][:50]}” is not a number below {VALUE_LIMIT:,} (two decimals).")
        )
    activity = ACTIVITIES.get(row.get("activity", "").lower(), None) if row.get("activity") else ""
    if activity is None:
        errors.append(RowError(line, "activity", f"“{row['activity'][:50]}” is not an activity."))
    if errors:
        return None, errors
    return ParsedMeasure(area, year, quarter, measure, value, activity), []


def _unreadable(error: csv.Error) -> str:
    if "field limit" in str(error):
        return f"This line holds a value longer than {csv.field_size_limit() // 1024} KiB; nothing after it was read."
    return f"This line cannot be read as CSV ({error}); nothing after it was read."


def _business_year(text: str) -> tuple[int | None, str]:
    """(the year a business year starts in, or why the text is not one of those reported on)."""
    match = _YEAR.match(text)
    if not match or int(match.group(2)) != (int(match.group(1)) + 1) % 100:
        return None, f"“{text[:50]}” is not a business year such as 2025-26."
    try:
        periods.parse(text)
    except periods.PeriodError as error:
        return None, str(error)
    return int(match.group(1)), ""


def _quarter(text: str) -> int | None:
    text = text.upper().removeprefix("Q")
    return int(text) if text in ("1", "2", "3", "4") else None


def _number(text: str) -> Decimal | None:
    """The value to two decimals, if it fits the column (rounding 9999999999.995 up would not)."""
    try:
        value = Decimal(text.removesuffix("%").replace(",", "").strip())
        if not value.is_finite() or abs(value) >= VALUE_LIMIT:
            return None
        value = value.quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return value if abs(value) < VALUE_LIMIT else None


@transaction.atomic
def import_measures(measures: list[ParsedMeasure], *, imported_by) -> tuple[int, int]:
    """Save every measure, replacing the value already held for the same area, quarter and measure.

    Returns (created, replaced). Call only with a file that had no errors: all or nothing."""
    created = replaced = 0
    for item in measures:
        _, was_created = PerformanceMeasure.objects.update_or_create(
            area=item.area,
            business_year=item.business_year,
            quarter=item.quarter,
            measure=item.measure,
            defaults={"value": item.value, "activity": item.activity, "imported_by": imported_by},
        )
        created += was_created
        replaced += not was_created
    return created, replaced
