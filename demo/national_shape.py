"""The national demo's shape: how often each answer, reason, activity, delay and outcome comes up (seed 001, annex B
and C), and the small records the loader (demo/national.py) hands around."""

import itertools
import random
from dataclasses import dataclass, field

from assessments.models import (
    Acknowledgement,
    Activity,
    Answer,
    AnswerReason,
    Assessment,
    Case,
    CaseStage,
    Feedback,
    FeedbackMode,
    HalfDay,
    SensitiveCategory,
)
from demo.organisation import ASSESSED_LOGIN, DEMO_DOMAIN
from dipsampling.models import DipSample, ReMark
from organisation.models import Person

URN_MARK = "ND"  # the force letters of every national demo case: 01ND0000123
DEMO_URN_MARK = "DM"  # those of the default demo's generated cases (reporting/demo.py)
# Loaded in this order; each row is a tuple in the order of the model's concrete fields.
MODELS = [Case, HalfDay, Assessment, Answer, AnswerReason, Feedback, Acknowledgement, DipSample, ReMark]
TABLES = [model._meta.db_table for model in MODELS]
COLUMNS = {model._meta.db_table: [f.column for f in model._meta.concrete_fields] for model in MODELS}

# Fully met share of answers that are not N/A, per question code (seed 001, annex C, quarters 1–3 of 2017-18).
FULLY_MET = {
    "Q1": 0.89, "Q2": 0.90, "Q3": 0.90, "Q4": 0.91, "Q5": 0.83, "Q6": 0.90, "Q7": 0.55, "Q8": 0.88,
    "Q9": 0.82, "Q10": 0.94, "Q11": 0.84, "Q12": 0.86, "Q13": 0.86, "Q14": 0.75, "Q15": 0.87, "Q16": 0.92,
    "Q17": 0.86, "Q18": 0.90, "Q19": 0.88, "Q20": 0.85, "Q21": 0.91, "Q22": 0.87, "Q23": 0.89, "Q24": 0.84,
    "Q25": 0.90, "Q26": 0.86, "Q27": 0.92, "Q28": 0.88,
}  # fmt: skip
DEFAULT_FULLY_MET = 0.82  # the disclosure questions and anything new
# Share of answers that are N/A: proceeds of crime (Q7), custody time limits (Q15) and victims (Q16) often are.
NOT_APPLICABLE = {"Q7": 0.55, "Q15": 0.40, "Q16": 0.25, "Q6": 0.10, "Q1": 0.05}
DEFAULT_NOT_APPLICABLE = 0.03
NOT_MET_OTHER_SHARE = 0.25  # of answers not fully met: reasons outside the person's control
OTHER_REASON_SHARE = 0.15  # of not_met answers: the "other" reason
# When in the month and the quarter IQAs were done (seed 001, annex C): bunched towards the end.
THIRD_OF_MONTH_WEIGHTS = [24.8, 30.2, 45.0]
MONTH_OF_QUARTER_WEIGHTS = [29.1, 32.9, 38.0]
THIRD_CUMULATIVE = list(itertools.accumulate(THIRD_OF_MONTH_WEIGHTS))
MONTH_CUMULATIVE = list(itertools.accumulate(MONTH_OF_QUARTER_WEIGHTS))
# Office-based activities a non-advocacy lawyer's IQAs fall in; advice is early investigative advice, rarer.
OFFICE_ACTIVITY_WEIGHTS = {Activity.ADVICE: 7, Activity.CHARGING_REVIEW: 35, Activity.CASE_PROGRESSION: 58}
DISCLOSURE_SHARE = 0.7  # case progression IQAs with the optional disclosure questions
IQAS_PER_HALF_DAY_WEIGHTS = {1: 40, 2: 35, 3: 25}
DIP_SAMPLE_SHARE_FIRST_YEAR, DIP_SAMPLE_SHARE_LAST_YEAR = 0.08, 0.16  # ~12% overall, rising (annex C)
REMARKED_SHARE = 0.4  # of recorded dip samples: the dip sampler re-marked every question
OUTCOME_WEIGHTS = {"robust": 70, "too_lenient": 18, "too_robust": 4, "mixed": 8}
FEEDBACK_SHARE = 0.85
# Working days after recording that feedback was given: most within five (rule 4), a tail beyond.
FEEDBACK_DELAY_WEIGHTS = [20, 20, 15, 12, 10, 8, 6, 4, 3, 2]
RECORDING_DELAY_WEIGHTS = {0: 55, 1: 30, 2: 7, 3: 4, 5: 4}  # working days after the work (rule 2: 0 or 1)
HATE_CRIME = [
    SensitiveCategory.HATE_RACE,
    SensitiveCategory.HATE_RELIGION,
    SensitiveCategory.HATE_DISABILITY,
    SensitiveCategory.HATE_SEXUAL_ORIENTATION,
    SensitiveCategory.HATE_TRANSGENDER,
]
STAGE_BY_ACTIVITY = {
    Activity.ADVICE: [CaseStage.PRE_CHARGE],
    Activity.CHARGING_REVIEW: [CaseStage.PRE_CHARGE, CaseStage.POST_CHARGE],
    Activity.CASE_PROGRESSION: [CaseStage.POST_CHARGE, CaseStage.BEFORE_TRIAL],
    Activity.CASE_PRESENTATION: [CaseStage.BEFORE_TRIAL, CaseStage.TRIAL, CaseStage.AFTER_TRIAL],
}
ACKNOWLEDGED_SHARE = 0.85  # of IQAs more than two weeks old: the assessed person has acknowledged them
ACKNOWLEDGEMENT_RESPONSE_SHARE = 0.2  # of acknowledgements: with a response
FEEDBACK_MODES = [FeedbackMode.FACE_TO_FACE, FeedbackMode.FACE_TO_FACE, FeedbackMode.VIDEO, FeedbackMode.EMAIL]


def draw_weighted(rng: random.Random, weights: dict):
    """One key of `weights`, drawn with those weights."""
    return rng.choices(list(weights), list(weights.values()))[0]


def demo_logins_not_assessed():
    """Demo log-ins other than the assessed one: they look at the figures or manage case reviews, and are not in
    the figures."""
    demo_logins = Person.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    return demo_logins.exclude(email=ASSESSED_LOGIN).values("pk")


@dataclass
class Place:
    """What the loader needs to know of a team: its unit and area, assessor and dip sampler."""

    team_id: int
    unit_id: int
    area_id: int
    area_number: int
    unit_type: str
    assessor_id: int | None
    dip_sampler_id: int | None


@dataclass
class Ids:
    """Ids handed out from each table's sequence during the load."""

    next: dict = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value
