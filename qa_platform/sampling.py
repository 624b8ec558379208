"""The scheme's random dip samples, written once: how many to draw (a share rounded up) and a repeatable draw.

Both samples the scheme asks for are drawn this way:

- dip sampling of IQAs (rule 6; seed 001, 5.40): "10% of IQAs in each activity", so the share is 10 per cent,
  rounded up, stratified by activity (dipsampling/rates.py and dipsampling/selection.py);
- the monthly dip sample of closed cases (rule 8; seed 000, section 3(6) and its note 11):
  SCRUTINY_CLOSED_SAMPLE_PERCENT of each unit's eligible cases, at least one where there is any, stratified by unit
  (scrutiny/closed_sample.py).

A draw is repeatable: the seed is stored with it, and the same strata and seed always give the same ids, so a
reviewer can re-check it.
"""

import math
import random
import secrets
from collections.abc import Iterable, Sequence


def sample_size(population: int, percent: float) -> int:
    """How many to draw from a population for a share of `percent` per cent: rounded up, so any population at all
    gives at least one; none from none."""
    if population <= 0:
        return 0
    share = population * percent / 100
    # round() first so that 10% of 30 (3.0000000000000004 in floating point) is 3, not 4.
    return max(1, math.ceil(round(share, 9)))


def new_seed(bits: int) -> int:
    """A fresh seed for a draw, to be stored with it."""
    return secrets.randbits(bits)


def draw(strata: Iterable[tuple[Sequence[int], int]], *, seed: int) -> list[list[int]]:
    """Draw from each stratum, in the order given, (its ids, how many): the ids drawn from each, in drawn order.

    One generator seeded once serves every stratum in turn, each stratum's ids taken in ascending order, never more
    than it holds: the same strata and seed always give the same ids.
    """
    generator = random.Random(seed)  # noqa: S311 - a repeatable sample from a stored seed, not a secret
    drawn = []
    for ids, count in strata:
        pool = sorted(ids)
        drawn.append(generator.sample(pool, min(count, len(pool))))
    return drawn
