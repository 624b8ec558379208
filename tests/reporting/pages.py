"""Read a reporting page's tables as a person sees them, and its exports as a spreadsheet reads them.

`page_tables` parses the rendered HTML (not the view's context), so a test compares what is on screen.
`expected_export_cells` says, from a page cell's text and the export's column titles, what the CSV and XLSX cells
must hold: the same figure, never one computed or rounded a second way.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
from django.urls import reverse


@dataclass
class PageTable:
    name: str
    title: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""

    def row(self, label: str) -> dict[str, str]:
        """The row whose first cell is `label`, by column title (a repeated title keeps its first cell)."""
        for row in self.rows:
            if row[0] == label:
                cells = {}
                for title, text in zip(self.columns, row, strict=True):
                    cells.setdefault(title, text)
                return cells
        raise AssertionError(f"No row {label!r} in {self.name}: {[row[0] for row in self.rows]}")


class _TablesParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, PageTable] = {}
        self.current: PageTable | None = None
        self.section_depth = 0
        self.in_head = self.in_title = False
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.empty: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        testid = attrs.get("data-testid") or ""
        if tag == "section" and testid.startswith("table-"):
            self.current = self.tables.setdefault(testid[len("table-") :], PageTable(testid[len("table-") :]))
            self.section_depth = 1
            return
        if self.current is None:
            return
        if tag == "section":
            self.section_depth += 1
        elif tag == "h2":
            self.in_title, self.cell = True, []
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = []
        elif tag in ("th", "td"):
            self.cell = []
        elif tag == "p" and testid.startswith("empty-"):
            self.empty = []

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "section":
            self.section_depth -= 1
            if not self.section_depth:
                self.current = None
        elif tag == "h2" and self.in_title:
            self.current.title, self.in_title, self.cell = _text(self.cell), False, None
        elif tag == "thead":
            self.in_head = False
        elif tag in ("th", "td") and self.cell is not None:
            text = _text(self.cell)
            if self.in_head:
                self.current.columns.append(text)
            elif self.row is not None:
                self.row.append(text)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.rows.append(self.row)
            self.row = None
        elif tag == "p" and self.empty is not None:
            self.current.empty, self.empty = _text(self.empty), None

    def handle_data(self, data):
        for part in (self.cell, self.empty):
            if part is not None:
                part.append(data)


def _text(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def page_tables(response) -> dict[str, PageTable]:
    parser = _TablesParser()
    parser.feed(response.content.decode())
    return parser.tables


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def xlsx_rows(response, sheet: str | None = None) -> list[list]:
    assert response.status_code == 200, response.status_code
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def export(client, page: str, table: str, fmt: str, params: dict):
    return client.get(reverse("reporting:export", args=[page, table, fmt]), params)


# --- A page cell's text → the export cells it stands for -------------------------------------------------------

NUMBER = r"-?\d+(?:\.\d+)?"
RATE = re.compile(rf"^({NUMBER})% ({NUMBER})–({NUMBER})% · n=(\d+)$")
TOO_FEW = re.compile(r"^too few to judge \((\d+) of (\d+)\)$")
PERCENT = re.compile(rf"^({NUMBER})%$")
POINTS = re.compile(rf"^([+-]{NUMBER}) pts$")
NOTHING = "–"


def column_kinds(page_columns: list[str], export_header: list[str]) -> list[str]:
    """Each page column's kind, read off the export's titles (a rate is four columns, a share "… %", a difference
    "… (points)"); asserts the export has exactly the page's columns, in order."""
    kinds, position = [], 0
    for title in page_columns:
        rest = export_header[position:]
        if rest[:4] == [f"{title} %", f"{title} low %", f"{title} high %", f"{title} n"]:
            kinds.append("rate")
            position += 4
        elif rest[:1] == [f"{title} %"]:
            kinds.append("share")
            position += 1
        elif rest[:1] == [f"{title} (points)"]:
            kinds.append("difference")
            position += 1
        else:
            assert rest[:1] == [title], f"page column {title!r} is not at export column {position}: {rest[:1]}"
            kinds.append("text")
            position += 1
    assert position == len(export_header), f"the export has columns the page has not: {export_header[position:]}"
    return kinds


def half_up(part: int, whole: int) -> Decimal:
    """part ÷ whole in percent, half-up to one decimal, worked out here independently of the product."""
    tenths, remainder = divmod(part * 1000, whole)
    tenths += 2 * remainder >= whole
    return Decimal(tenths) / 10


def expected_export_cells(kind: str, text: str) -> list:
    """The export cells (as Decimal, int, str or None) that a page cell of this kind and text stands for."""
    if kind == "rate":
        if text in ("", NOTHING):
            return [None, None, None, (None, 0)]  # nothing to divide: no percentages; a count of 0 or none
        if match := RATE.match(text):
            return [Decimal(match[1]), Decimal(match[2]), Decimal(match[3]), int(match[4])]
        if match := TOO_FEW.match(text):
            part, whole = int(match[1]), int(match[2])
            return [half_up(part, whole), "any", "any", whole]
        assert re.fullmatch(r"\d+", text), f"not a rate, a count or nothing: {text!r}"
        return [None, None, None, int(text)]
    if kind in ("share", "difference"):
        if text in ("", NOTHING):
            return [None]
        if match := PERCENT.match(text) if kind == "share" else POINTS.match(text):
            return [Decimal(match[1])]
        if re.fullmatch(r"[+-]?\d+", text):
            return [int(text)]
        return [text]
    if text == NOTHING:
        return [None]
    if re.fullmatch(NUMBER, text):
        return [Decimal(text)]  # a count or a target: the same number (a spreadsheet may drop a ".0")
    return ["'" + text if text[:1] in ("=", "+", "-", "@") else text]


def assert_export_matches_page(table: PageTable, csv_table: list[list[str]], xlsx_table: list[list]) -> None:
    """Every cell of the CSV and of the XLSX holds the figure of the page's cell (and nothing else)."""
    kinds = column_kinds(table.columns, csv_table[0])
    assert ["" if title is None else str(title) for title in xlsx_table[0]] == csv_table[0]
    assert len(csv_table) - 1 == len(xlsx_table) - 1 == len(table.rows), f"{table.name}: the row counts differ"
    for page_row, csv_row, xlsx_row in zip(table.rows, csv_table[1:], xlsx_table[1:], strict=True):
        expected = [
            cell for kind, text in zip(kinds, page_row, strict=True) for cell in expected_export_cells(kind, text)
        ]
        assert len(expected) == len(csv_row) == len(xlsx_row), f"{table.name}: {page_row} → {csv_row}"
        for want, in_csv, in_xlsx in zip(expected, csv_row, xlsx_row, strict=True):
            where = f"{table.name}, row {page_row[0]!r}: page {page_row} / csv {csv_row} / xlsx {xlsx_row}"
            if want == "any":
                continue
            _assert_cell(want, in_csv or None, where + " (CSV)")
            _assert_cell(want, in_xlsx, where + " (XLSX)")


def _assert_cell(want, got, where: str) -> None:
    if isinstance(want, tuple):  # one of several
        assert any(_same(option, got) for option in want), where
    else:
        assert _same(want, got), where


def _same(want, got) -> bool:
    if want is None:
        return got is None
    if isinstance(want, Decimal | int) and not isinstance(want, bool):
        try:
            return got is not None and Decimal(str(got)) == want
        except ArithmeticError:
            return False
    return str(got) == str(want)
