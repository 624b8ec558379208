"""Tables as CSV and XLSX, safe to open in a spreadsheet.

A text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, so a comment such as "=HYPERLINK(...)" typed into an IQA stays text. Control
characters that no XLSX file can hold are dropped first, whatever is stored, so an export never fails on them and
none can hide a formula behind it.
A rate column becomes four: the percentage, the low and high ends of its 95% interval, and the count behind it; a
count in a rate column (the comparison's IQAs) goes in its count. Percentages are the pages' own, from
qa_platform.percent: every exported cell is the number its page shows.
"""

import csv
import io
from fractions import Fraction

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qa_platform.percent import percent
from reporting.stats import Rate
from reporting.tables import Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text without the characters a spreadsheet cannot hold, and with a leading apostrophe if a spreadsheet would run
    it as a formula; numbers pass unchanged. Every text cell and title of both formats goes through here."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _rate_values(value) -> list:
    """A rate column's four cells: %, low %, high %, n."""
    if isinstance(value, Rate):
        return [value.percent, value.low_percent, value.high_percent, value.total]
    if isinstance(value, int):
        return [None, None, None, value]
    return [neutralise(value), None, None, None]


def _proportion_value(value):
    """A share or a difference cell: a proportion as its percentage (points); a count or a text as it is."""
    if isinstance(value, float | Fraction):
        return percent(value)
    return neutralise(value)


def header(table: Table) -> list[str]:
    titles = []
    for column in table.columns:
        if column.kind == "rate":
            titles += [f"{column.title} %", f"{column.title} low %", f"{column.title} high %", f"{column.title} n"]
        elif column.kind in ("share", "difference"):
            titles.append(f"{column.title} %" if column.kind == "share" else f"{column.title} (points)")
        else:
            titles.append(column.title)
    return [neutralise(title) for title in titles]


def values(table: Table) -> list[list]:
    """Each row as plain values: numbers stay numbers, rates are expanded, text is neutralised."""
    rows = []
    for row in table.rows:
        out = []
        for column, cell in zip(table.columns, row, strict=False):
            value = cell.value
            if column.kind == "rate":
                out += _rate_values(value)
            elif column.kind in ("share", "difference"):
                out.append(_proportion_value(value))
            else:
                out.append(neutralise(value))
        rows.append(out)
    return rows


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(table))
    writer.writerows(values(table))
    return buffer.getvalue()


def to_xlsx(tables: list[Table], *, title: str = "") -> bytes:
    """One sheet per table, the header bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, workbook.sheetnames))
        sheet.append(header(table))
        for row in values(table):
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index in range(1, len(header(table)) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    name = "".join(ch for ch in ILLEGAL_CHARACTERS_RE.sub("", title) if ch not in "[]:*?/\\")[:31] or "Sheet"
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name[:28]} {number}"
        number += 1
    return candidate


def filename(page: str, table: str, period_label: str, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{page}-{table}-{period_label}")
    return f"{safe}-{timezone.localdate():%Y%m%d}.{extension}"
