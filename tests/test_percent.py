"""One rounding rule for every percentage: half-up to one decimal place, as the inspection tables print them (seed 001
prints 9 of 144 as 6.3%; Python's round() and format specs give 6.2%)."""

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from dipsampling.templatetags.dip_sampling import percent as dip_sampling_percent
from qa_platform.percent import percent, percent_of, percent_text, points_text
from reporting import exports
from reporting.stats import Rate
from reporting.tables import Cell, Column, Table
from reporting.templatetags.reporting_tags import percent as reporting_percent
from reporting.templatetags.reporting_tags import table_rows

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("proportion", "expected"),
    [
        (Fraction(9, 144), "6.3"),  # exactly 6.25%
        (9 / 144, "6.3"),
        (0.145, "14.5"),  # 14.499999999999998 as a float times 100
        (Fraction(1, 80), "1.3"),
        (Fraction(1, 3), "33.3"),
        (Fraction(2, 3), "66.7"),
        (1, "100.0"),
        (0, "0.0"),
        (-0.0001, "0.0"),  # no "-0.0"
        (-0.0625, "-6.3"),  # half away from zero, as the tables print a negative difference
        (Decimal("0.5"), "50.0"),
    ],
)
def test_it_rounds_half_up_to_one_decimal(proportion, expected):
    assert str(percent(proportion)) == expected


def test_it_gives_nothing_when_there_is_nothing_to_divide():
    assert percent(None) is None
    assert percent_of(3, 0) is None
    assert percent_text(None) == "–"
    assert points_text(None) == "–"


def test_it_prints_9_of_144_as_6_3_percent_everywhere():
    assert percent_of(9, 144) == Decimal("6.3")
    assert percent_text(9 / 144) == "6.3%"
    assert points_text(Fraction(9, 144)) == "+6.3 pts"
    # The re-mark tables and dip sample rates (dipsampling's template filter), and the reporting templates' filter.
    assert dip_sampling_percent(9 / 144) == "6.3%"
    assert reporting_percent(9 / 144) == "6.3%"
    # A reporting table on a page, and its export.
    table = Table(
        "t",
        "T",
        [Column("Name"), Column("Rate", "rate"), Column("Share", "share"), Column("Difference", "difference")],
        [[Cell("x"), Cell(Rate(9, 144)), Cell(Fraction(9, 144)), Cell(9 / 144)]],
    )
    html = str(table_rows(table))
    assert "6.3%" in html and html.count("6.3") == 3 and "+6.3 pts" in html
    assert exports.values(table) == [
        ["x", Decimal("6.3"), Decimal("3.3"), Decimal("11.5"), 144, Decimal("6.3"), Decimal("6.3")]
    ]
    assert str(Rate(9, 144)).startswith("6.3% ")


def test_the_dashboard_prints_shares_to_one_decimal_as_its_exports_do():
    table = Table("t", "T", [Column("Part"), Column("Share", "share")], [[Cell("First"), Cell(1 / 3)]])
    assert "33.3%" in str(table_rows(table))
    assert exports.values(table) == [["First", Decimal("33.3")]]


# Format specs and round() that print a percentage their own way: "{x:.0%}", "{x * 100:.1f}", round(x * 100, 1).
OWN_ROUNDING = re.compile(r"\{[^{}\n]*:[^{}\n]*%\}|\*\s*100\s*:[^}]*f\}|round\([^)\n]*100")
TEMPLATE_ROUNDING = re.compile(r"(floatformat|widthratio)[^%\n]*%\s*$|(floatformat|widthratio)[^\n]*\}\}\s*%")


def test_no_percentage_is_rounded_outside_the_one_function():
    offenders = []
    for app in ("assessments", "dipsampling", "notifications", "organisation", "reporting", "scrutiny", "qa_platform"):
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "percent.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if OWN_ROUNDING.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE_ROUNDING.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "percentages go through qa_platform.percent:\n" + "\n".join(offenders)
