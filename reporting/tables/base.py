"""The shape of every reporting table: columns, cells and rows, which the pages render and the exports write."""

from collections.abc import Callable
from dataclasses import dataclass, field

from reporting.stats import Rate


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text, number, rate, share (a proportion 0–1), difference (points), target


@dataclass
class Cell:
    value: object = None
    href: str = ""


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""
    empty: str = "Nothing to show for these filters."


Drill = Callable[..., str]


def listing(name: str, title: str, columns: list[tuple[Column, Callable[..., Cell]]], items, **options) -> Table:
    """A table of one row per item: each column with the function that gives an item's cell in it."""
    table = Table(name, title, [column for column, _ in columns], **options)
    table.rows = [[cell(item) for _, cell in columns] for item in items]
    return table


def rate_row(label, rate: Rate, href="", note="") -> list[Cell]:
    return [Cell(label, href), Cell(rate.successes), Cell(rate.total), Cell(rate), Cell(note)]
