"""Tables as CSV and XLSX, safe to open in a spreadsheet.

A text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, so a comment such as "=HYPERLINK(...)" typed into an IQA stays text. Control
characters that no XLSX file can hold are dropped first, whatever is stored, so an export never fails on them and
none can hide a formula behind it.
Row-by-row exports (the drill-down's IQAs, the comments extract) stream as CSV: every row, read in chunks of
STREAM_CHUNK_SIZE from a server-side cursor, each chunk made into the page's own table and written at once, so memory
stays flat whatever the row count and the first bytes leave before the last row is read. An XLSX workbook is built
whole in memory, so it keeps XLSX_ROW_LIMIT rows and the page says the CSV has them all.
A rate column becomes four: the percentage, the low and high ends of its 95% interval, and the count behind it; a
count in a rate column (the comparison's IQAs) goes in its count. Percentages are the pages' own, from
qa_platform.percent: every exported cell is the number its page shows.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from itertools import islice

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qa_platform.percent import percent
from reporting.stats import Rate
from reporting.tables import Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the database, made into a table and written at a time: a few MB of model instances at most.
STREAM_CHUNK_SIZE = 2_000
# Rows an XLSX export of a row-by-row table keeps (the workbook is built whole in memory); the CSV has every row.
XLSX_ROW_LIMIT = 10_000


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


class _Echo:
    """A file that hands back what is written to it, so csv.writer yields lines instead of keeping them."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(make_table: Callable[[list], Table], rows: Iterable, chunk_size: int | None = None) -> Iterator[str]:
    """The CSV text of make_table(rows), a chunk of rows at a time: the header (from an empty table), then each
    chunk's rows. The same bytes as to_csv(make_table(list(rows)))."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header(make_table([])))
    iterator = iter(rows)
    while chunk := list(islice(iterator, chunk_size or STREAM_CHUNK_SIZE)):
        yield "".join(writer.writerow(row) for row in values(make_table(chunk)))


def streamed_csv(make_table: Callable[[list], Table], queryset: QuerySet, name: str) -> StreamingHttpResponse:
    """Every row of the queryset as a CSV download, streamed.

    The queryset is pinned to the database it reads from now, in the view: the reporting pages read the replica
    (ops/db_router.py) only while the view runs, and the rows are read after it has returned. On PostgreSQL,
    iterator() reads through a server-side cursor; outside a transaction Django declares it WITH HOLD, which holds
    across the autocommits. (A transaction-pooling pgbouncer would need DISABLE_SERVER_SIDE_CURSORS; none is used.)
    """
    rows = queryset.using(queryset.db).iterator(chunk_size=STREAM_CHUNK_SIZE)
    response = StreamingHttpResponse(csv_chunks(make_table, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
