"""Percentage agreement and Fleiss' kappa, against the worked example in Fleiss (1971) as Wikipedia gives it."""

import pytest

from dipsampling.agreement import fleiss_kappa, pairwise_agreement

# Ten subjects, fourteen raters, five categories: the table of the Wikipedia "Fleiss' kappa" worked example.
WORKED_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_it_matches_the_worked_example():
    assert fleiss_kappa(WORKED_EXAMPLE) == pytest.approx(0.210, abs=0.0005)


def test_it_gives_each_subjects_agreement_as_in_the_worked_example():
    # P_2 = (0 + 4 + 36 + 16 + 4 − 14) / (14 × 13) = 0.253
    assert pairwise_agreement(WORKED_EXAMPLE[1]) == pytest.approx(0.253, abs=0.0005)
    assert pairwise_agreement(WORKED_EXAMPLE[0]) == 1.0


def test_it_is_one_for_complete_agreement_with_variation_between_subjects():
    assert fleiss_kappa([[3, 0, 0, 0], [0, 3, 0, 0], [3, 0, 0, 0]]) == pytest.approx(1.0)


def test_it_is_undefined_when_everyone_always_chose_the_same_answer():
    assert fleiss_kappa([[3, 0], [3, 0]]) is None
    assert fleiss_kappa([]) is None
    assert pairwise_agreement([1, 0]) is None


def test_it_refuses_subjects_with_different_numbers_of_raters():
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])
