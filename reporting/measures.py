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
from reporting.models import PerformanceMeasure

REQUIRED_COLUMNS = ("area", "business_year", "quarter", "measure", "value")
MAX_ROWS = 5000
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


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
    """Read and check every row; `areas` are those the importer may set measures for. One query (the areas)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), "The header row lacks these columns.")]
    reader.fieldnames = header
    by_key = {}
    for area in areas:
        by_key[area.code.lower()] = area
        by_key[area.name.lower()] = area
    activities = {value: value for value in Activity.values} | {
        label.lower(): value for value, label in Activity.choices
    }
    parsed, errors, seen = [], [], {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            errors.append(RowError(line, "", f"A file may hold at most {MAX_ROWS} rows; split it."))
            break
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        row_errors = []
        area = by_key.get(row["area"].lower())
        if area is None:
            row_errors.append(RowError(line, "area", f"“{row['area']}” is not an area you may import measures for."))
        year = _business_year(row["business_year"])
        if year is None:
            row_errors.append(
                RowError(line, "business_year", f"“{row['business_year']}” is not a business year such as 2025-26.")
            )
        quarter = _quarter(row["quarter"])
        if quarter is None:
            row_errors.append(RowError(line, "quarter", f"“{row['quarter']}” is not a quarter: use Q1 to Q4."))
        measure = row["measure"]
        if not measure:
            row_errors.append(RowError(line, "measure", "Name the measure."))
        elif len(measure) > 120:
            row_errors.append(RowError(line, "measure", "A measure's name is at most 120 characters."))
        value = _number(row["value"])
        if value is None:
            row_errors.append(RowError(line, "value", f"“{row['value']}” is not a number."))
        activity = activities.get(row.get("activity", "").lower(), None) if row.get("activity") else ""
        if activity is None:
            row_errors.append(RowError(line, "activity", f"“{row['activity']}” is not an activity."))
        if not row_errors:
            key = (area.pk, year, quarter, measure.lower())
            if key in seen:
                row_errors.append(
                    RowError(line, "measure", f"Repeats row {seen[key]} (same area, quarter and measure).")
                )
            seen[key] = line
        errors += row_errors
        if not row_errors:
            parsed.append(ParsedMeasure(area, year, quarter, measure, value, activity))
    if not parsed and not errors:
        errors.append(RowError(1, "", "The file holds no rows of measures."))
    return parsed, errors


def _business_year(text: str) -> int | None:
    match = _YEAR.match(text)
    if not match or int(match.group(2)) != (int(match.group(1)) + 1) % 100:
        return None
    return int(match.group(1))


def _quarter(text: str) -> int | None:
    text = text.upper().removeprefix("Q")
    return int(text) if text in ("1", "2", "3", "4") else None


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.removesuffix("%").replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        return None
    return value.quantize(Decimal("0.01"))


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
