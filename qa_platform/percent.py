"""Percentages as the inspection tables print them: half-up to one decimal place, in this one module.

Python's round() and its format specs round half to even, on the binary float: 9/144 (6.25%) prints as 6.2%, where
seed 001's tables print 6.3%. Every percentage on a page, a chart, an export or the committee pack goes through
`percent` (a number) or `percent_text` (its text), so the same figure reads the same everywhere.
"""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

ONE_DECIMAL = Decimal("0.1")
# A float's last binary digits are noise (0.145 * 100 is 14.499999999999998): they are rounded away first.
FLOAT_NOISE = Decimal("1e-9")


def percent(proportion) -> Decimal | None:
    """A proportion (0–1) as a percentage, half-up to one decimal: 0.0625 or Fraction(9, 144) → Decimal("6.3").

    A Fraction or an int is exact; a float is taken at its shortest decimal. None (nothing to divide) stays None.
    """
    if proportion is None:
        return None
    if isinstance(proportion, Fraction | int):
        proportion = Fraction(proportion)
        exact = Decimal(proportion.numerator * 100) / Decimal(proportion.denominator)
    elif isinstance(proportion, Decimal):
        exact = proportion * 100
    else:
        exact = (Decimal(repr(float(proportion))) * 100).quantize(FLOAT_NOISE, rounding=ROUND_HALF_EVEN)
    # Adding 0 turns a negative zero (a difference of -0.01 points) into 0.0.
    return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) + 0


def percent_of(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage (exact, then half-up to one decimal); None when whole is 0."""
    return percent(Fraction(part, whole)) if whole else None


def percent_text(proportion, empty: str = "–") -> str:
    """'6.3%', or `empty` when there is nothing to divide."""
    value = percent(proportion)
    return empty if value is None else f"{value}%"


def points_text(difference, empty: str = "–") -> str:
    """A difference between two proportions in percentage points, signed: '+6.3 pts', '-2.0 pts'."""
    value = percent(difference)
    return empty if value is None else f"{value:+} pts"
