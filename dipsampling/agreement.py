"""Agreement between several assessors answering the same questions: percentage agreement and Fleiss' kappa.

Each question is a *subject* and each assessor a *rater*; the categories are the four answers. A question's
percentage agreement is the share of pairs of assessors who gave the same answer (Fleiss' P_i). Fleiss' kappa
takes the agreement expected by chance out, over all the questions of an exercise:
κ = (P̄ − P̄e) / (1 − P̄e), where P̄ is the mean of P_i and P̄e the sum of squared overall category shares.
"""

from collections.abc import Sequence


def pairwise_agreement(counts: Sequence[int]) -> float | None:
    """Share of pairs of raters agreeing on one subject, from how many raters chose each category."""
    raters = sum(counts)
    if raters < 2:
        return None
    return (sum(count * count for count in counts) - raters) / (raters * (raters - 1))


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa for a table of subjects × categories, each cell the number of raters choosing it.

    Every subject needs the same number of raters (at least two). Returns None when kappa is undefined: no
    subjects, or every rater chose the same single category throughout (no variation to agree beyond chance).
    """
    rows = [list(row) for row in table if sum(row)]
    if not rows:
        return None
    raters = sum(rows[0])
    if raters < 2 or any(sum(row) != raters for row in rows):
        raise ValueError("Fleiss' kappa needs the same number of raters (two or more) for every subject.")
    subjects = len(rows)
    shares = [sum(row[j] for row in rows) / (subjects * raters) for j in range(len(rows[0]))]
    expected = sum(share * share for share in shares)
    if expected == 1:
        return None
    observed = sum(pairwise_agreement(row) for row in rows) / subjects
    return (observed - expected) / (1 - expected)
