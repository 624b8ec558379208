"""Assessor accreditation (seed 001, 4.14–4.15): the rule is one of recording IQAs, so it lives in
assessments.accreditation; dip sampling records the accreditations (models.Accreditation) and reads the rule here."""

from assessments.accreditation import (  # noqa: F401 - dip sampling's pages and tests read the rule here
    REFUSAL_MESSAGE,
    START_WARNING,
    is_accredited,
    refusal_for,
    required,
    start_warning_for,
)
