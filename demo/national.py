"""Generated demo IQAs: five business years for every team (`seed_demo --scale national`), or a few months for
some teams (the default demo's area, reporting/demo.py), by the same rules.

Nationally, about 300,000 IQAs and 3 million answers for the ~3,000 staff the organisation seeding makes at scale
1.2, shaped like the scheme's own data (seed 001, annex B and C): most answers fully met, some questions much lower
(Q7, Q14), not-met answers with a reason (sometimes "other") and a comment, IQAs bunched towards the end of each
month and quarter, about one in eight dip-sampled (more in later years), some with re-marks that find the assessor too
lenient more often than too robust, feedback mostly within five working days and acknowledged by the assessed
person a few days later, a few assessors who mark generously. Demo log-ins that hold a role are not assessed: they
are there to look at the figures, not to be in them.

How it loads quickly, and why it is safe:

- Rows are streamed with PostgreSQL COPY (psycopg's `cursor.copy`), one area at a time, in one transaction: all or
  nothing. Ids come from each table's own sequence: the tables are locked against other writers (SHARE ROW
  EXCLUSIVE) for the load, so a run of ids from `nextval` is ours, and the sequence is moved past them at the end.
- The audit triggers (pghistory) would write an event row for every one of the ~3.5 million inserts. Demo data
  needs no history of its own creation, so the load runs with `SET LOCAL session_replication_role = replica`,
  which skips triggers for this transaction only (it also skips the foreign-key triggers, so the loader only
  writes ids it has just read or made). `pgtrigger.ignore` was the alternative, but it works by rewriting the
  queries Django sends, which COPY bypasses. The setting needs a superuser, as the local and compose databases are.
  It skips the reporting facts' triggers too: the facts are rebuilt from the raw rows at the end, in the same
  transaction (a set-based count, far cheaper than a trigger per COPY batch).
- Idempotent: if national demo IQAs exist (their cases have URNs with "ND" in the force letters), it does nothing.
  Teams that already hold the default demo's generated IQAs ("DM") are left as they are, so no team is loaded twice.
"""

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import (
    Acknowledgement,
    Activity,
    Answer,
    AnswerReason,
    AnswerValue,
    Assessment,
    Case,
    CaseStage,
    CaseStatus,
    Court,
    Feedback,
    FeedbackMode,
    HalfDay,
    QuestionSet,
    SensitiveCategory,
    State,
)
from assessments.rules import feedback_due_after
from demo.organisation import ASSESSED_LOGIN, DEMO_DOMAIN
from dipsampling.models import DipSample, ReMark
from organisation.models import Person, PurviewLevel, Role, RoleGrant, RoleType, TeamMembership, UnitType
from qa_platform.periods import business_year, business_year_of, quarter_of
from qa_platform.working_days import add_working_days, is_working_day, next_working_day
from reporting import fact_sql

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


def _draw(rng: random.Random, weights: dict):
    """One key of `weights`, drawn with those weights."""
    return rng.choices(list(weights), list(weights.values()))[0]


def _demo_logins_not_assessed():
    """Demo log-ins other than the assessed one: they look at the figures or manage case reviews, and are not in
    the figures."""
    demo_logins = Person.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    return demo_logins.exclude(email=ASSESSED_LOGIN).values("pk")


@dataclass
class _Place:
    """What the loader needs to know of a team: its unit and area, assessor and dip sampler."""

    team_id: int
    unit_id: int
    area_id: int
    area_number: int
    unit_type: str
    assessor_id: int | None
    dip_sampler_id: int | None


@dataclass
class _Ids:
    """Ids handed out from each table's sequence during the load."""

    next: dict = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def generated_iqas(mark: str):
    """The IQAs loaded here with the given URN mark (URN_MARK or DEMO_URN_MARK)."""
    return Assessment.objects.filter(case__urn__regex=rf"^\d\d{mark}")


def national_demo_present() -> bool:
    return generated_iqas(URN_MARK).exists()


def seed_national_iqas(*, today: date, iqas: int = 300_000, years: int = 5, seed: int = 2018) -> dict:
    """Load `iqas` IQAs (roughly) over the last `years` business years up to yesterday. Returns row counts."""
    if national_demo_present():
        return {}
    teams_with_demo = set(generated_iqas(DEMO_URN_MARK).values_list("team_id", flat=True).distinct())
    return load_iqas(
        today=today,
        first_day=business_year(business_year_of(today) - years + 1).start,
        iqas=iqas,
        exclude_team_ids=teams_with_demo,
        urn_mark=URN_MARK,
        seed=seed,
    )


def load_iqas(
    *,
    today: date,
    first_day: date,
    urn_mark: str,
    iqas: int | None = None,
    per_person_year: float | None = None,
    team_ids=None,
    exclude_team_ids=(),
    demo_logins_in_post: bool = False,
    seed: int = 2018,
) -> dict:
    """Load IQAs of the work of the staff in post in the teams (`team_ids`, or all less `exclude_team_ids`) from
    `first_day` to yesterday, with their answers, feedback, acknowledgements, dip samples and re-marks: `iqas` of
    them in all, or `per_person_year` for each person in post. With `demo_logins_in_post`, a demo log-in holding an
    assessor or dip sampler grant over a team or unit is the one who assesses or dip-samples there (otherwise the
    team's own DCP and the unit's Senior DCP are). The reporting facts are rebuilt in the same transaction. Returns
    the rows added per table."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    with transaction.atomic(), connection.cursor() as cursor:
        # Acknowledgements draw from a stream of their own, so adding them changed no other row of a given seed.
        acknowledgement_rng = random.Random(f"{seed}-acknowledgements")  # noqa: S311 - as above
        loader = _Loader(cursor, rng, acknowledgement_rng, today=today, first_day=first_day, urn_mark=urn_mark)
        loader.begin()
        places = loader.places(team_ids, set(exclude_team_ids), demo_logins_in_post=demo_logins_in_post)
        loader.load(places, iqas=iqas, per_person_year=per_person_year)
        loader.finish()  # on an error the transaction rolls back, the setting with it
        # The load ran without triggers, so the reporting facts did not follow it: counted afresh, in its transaction.
        fact_sql.rebuild(cursor)
    return dict(loader.counts)


class _Loader:
    def __init__(self, cursor, rng, acknowledgement_rng, *, today: date, first_day: date, urn_mark: str):
        self.cursor, self.rng, self.acknowledgement_rng, self.today = cursor, rng, acknowledgement_rng, today
        self.first_day = first_day
        self.last_day = today - timedelta(days=1)
        self.urn_mark = urn_mark
        self.ids = _Ids()
        self.counts = defaultdict(int)
        self._recorded_on = {}
        self._aware = {}
        self.reason_text = {}

    # --- set-up --------------------------------------------------------------------------------------------

    def begin(self):
        self.cursor.execute(f"LOCK TABLE {', '.join(TABLES)} IN SHARE ROW EXCLUSIVE MODE")
        self.cursor.execute("SET LOCAL session_replication_role = replica")
        for table in TABLES:
            self.cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            self.ids.next[table] = self.cursor.fetchone()[0]

    def finish(self):
        self.cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for table in TABLES:
            self.cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, self.ids.next[table]]
            )
            # Fresh statistics at once, so the first report plans for millions of rows rather than none.
            self.cursor.execute(f"ANALYZE {table}")

    def places(self, team_ids, exclude_team_ids: set, *, demo_logins_in_post: bool) -> dict[int, _Place]:
        """The teams to load, with their assessor and their unit's dip sampler."""
        # dict() keeps the last grant per team (unit): by -pk the earliest, the team's own DCP (the unit's Senior
        # DCP); by pk the latest, the demo log-in's (made after the staff's).
        order = "pk" if demo_logins_in_post else "-pk"
        assessors = dict(
            RoleGrant.objects.filter(role=Role.ASSESSOR, level=PurviewLevel.TEAM)
            .order_by(order)
            .values_list("team_id", "person_id")
        )
        samplers = dict(
            RoleGrant.objects.filter(role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT)
            .order_by(order)
            .values_list("unit_id", "person_id")
        )
        places, area_numbers = {}, {}
        rows = TeamMembership.objects.values_list(
            "team_id", "team__unit_id", "team__unit__area_id", "team__unit__unit_type"
        ).distinct()
        if team_ids is not None:
            rows = rows.filter(team_id__in=list(team_ids))
        for team_id, unit_id, area_id, unit_type in sorted(rows):
            if team_id in exclude_team_ids:
                continue
            area_numbers.setdefault(area_id, len(area_numbers) + 1)
            places[team_id] = _Place(
                team_id,
                unit_id,
                area_id,
                area_numbers[area_id],
                unit_type,
                assessors.get(team_id),
                samplers.get(unit_id),
            )
        return places

    def _question_sets(self):
        """Per activity: (question set id, [(question id, code, [reason ids], other reason id)]); disclosure too."""
        day = self.first_day
        sets = {}
        for question_set in QuestionSet.objects.in_force_on(day).prefetch_related("questions__reasons"):
            if question_set.code in sets:
                continue
            questions = [
                (
                    question.pk,
                    question.code,
                    [reason.pk for reason in question.reasons.all() if not reason.is_other],
                    next((reason.pk for reason in question.reasons.all() if reason.is_other), None),
                )
                for question in question_set.questions.all()
            ]
            self.reason_text.update(
                (reason.pk, reason.text)
                for question in question_set.questions.all()
                for reason in question.reasons.all()
            )
            sets[question_set.code] = (question_set.pk, questions)
        return sets

    # --- the load ------------------------------------------------------------------------------------------

    def load(self, places: dict[int, _Place], *, iqas: int | None, per_person_year: float | None):
        self.sets = self._question_sets()
        memberships = list(
            TeamMembership.objects.filter(team_id__in=list(places), starts_on__lte=self.last_day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.first_day))
            .exclude(person__in=_demo_logins_not_assessed())
            .order_by("pk")
            .values_list("person_id", "person__role_type", "team_id", "starts_on", "ends_on")
        )
        spans = []
        for person_id, role_type, team_id, starts_on, ends_on in memberships:
            start, end = max(starts_on, self.first_day), min(ends_on or self.last_day, self.last_day)
            place = places[team_id]
            if start <= end and self._assessor(place, person_id):
                spans.append((person_id, role_type, place, start, end))
        mean_per_half_day = sum(k * w for k, w in IQAS_PER_HALF_DAY_WEIGHTS.items()) / sum(
            IQAS_PER_HALF_DAY_WEIGHTS.values()
        )
        if per_person_year is not None:
            half_days_per_day = per_person_year / mean_per_half_day / 365.25
        else:
            person_days = sum((end - start).days + 1 for *_, start, end in spans) or 1
            half_days_per_day = iqas / mean_per_half_day / person_days
        # A few generous markers, so the consistency page has outliers to find (seed 001, 5.19–5.22).
        self.leniency = defaultdict(float)
        for place in places.values():
            if place.assessor_id and self.rng.random() < 0.12:
                self.leniency[place.assessor_id] = 0.09
        self.urn_serial = defaultdict(int)
        # Half-days already recorded (the hand-made demo IQAs): a drawn IQA of the same work joins its half-day.
        self.half_days = {
            (assessor_id, assessed_id, activity, work_date): pk
            for pk, assessor_id, assessed_id, activity, work_date in HalfDay.objects.filter(
                work_date__range=(self.first_day, self.last_day)
            ).values_list("pk", "assessor_id", "assessed_id", "activity", "work_date")
        }
        by_area = defaultdict(list)
        for span in spans:
            by_area[span[2].area_id].append(span)
        for area_id in sorted(by_area):
            self._load_area(by_area[area_id], half_days_per_day)

    def _load_area(self, spans, half_days_per_day):
        rows = defaultdict(list)
        for person_id, role_type, place, start, end in spans:
            expected = half_days_per_day * ((end - start).days + 1)
            count = int(expected) + (self.rng.random() < expected - int(expected))
            for _ in range(count):
                self._half_day(rows, person_id, role_type, place, start, end)
        for table in TABLES:
            self._copy(table, rows[table])

    def _work_date(self, start: date, end: date) -> date | None:
        """A working day in start..end, bunched towards the end of the month and the quarter (annex C)."""
        rng = self.rng
        for _ in range(6):
            day = start + timedelta(days=rng.randrange((end - start).days + 1))
            quarter_start = quarter_of(day).start  # a quarter never spans calendar years: Jan–Mar is Q4
            month_number = quarter_start.month + rng.choices(range(3), cum_weights=MONTH_CUMULATIVE)[0]
            year = quarter_start.year
            third = rng.choices(range(3), cum_weights=THIRD_CUMULATIVE)[0]
            first, last = (1, 10) if third == 0 else (11, 20) if third == 1 else (21, 28)
            candidate = date(year, month_number, rng.randint(first, last))
            if start <= candidate <= end and is_working_day(candidate):
                return candidate
        return None

    def _recorded(self, work_date: date, delay: int):
        key = (work_date, delay)
        if key not in self._recorded_on:
            recorded_on = work_date if delay == 0 else add_working_days(work_date, delay)
            recorded_on = min(recorded_on, self.today)
            self._recorded_on[key] = (recorded_on, recorded_on <= next_working_day(work_date))
        return self._recorded_on[key]

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        key = (day, hour, minute)
        if key not in self._aware:
            self._aware[key] = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self._aware[key]

    @staticmethod
    def _assessor(place: _Place, person_id: int) -> int | None:
        """The team's DCP assesses; the unit's Senior DCP assesses the DCP (nobody assesses themselves)."""
        for candidate in (place.assessor_id, place.dip_sampler_id):
            if candidate not in (None, person_id):
                return candidate
        return None

    def _half_day(self, rows, person_id, role_type, place: _Place, start, end):
        rng = self.rng
        work_date = self._work_date(start, end)
        if work_date is None:
            return
        assessor_id = self._assessor(place, person_id)
        # Advocates are assessed in court; everyone else on office-based work.
        court = role_type == RoleType.ADVOCACY
        activity = Activity.CASE_PRESENTATION if court else _draw(rng, OFFICE_ACTIVITY_WEIGHTS)
        delay = _draw(rng, RECORDING_DELAY_WEIGHTS)
        recorded_on, on_time = self._recorded(work_date, delay)
        recorded_at = self._at(recorded_on, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
        # One half-day per assessor, person, activity and date of the work (the unique constraint): a second draw of
        # the same adds its IQAs to the first.
        key = (assessor_id, person_id, activity, work_date)
        half_day_id = self.half_days.get(key)
        if half_day_id is None:
            half_day_id = self.half_days[key] = self.ids.take("assessments_halfday")
            rows["assessments_halfday"].append((half_day_id, *key, recorded_at))
        count = _draw(rng, IQAS_PER_HALF_DAY_WEIGHTS)
        for _ in range(count):
            self._iqa(rows, person_id, place, activity, work_date, half_day_id, assessor_id, recorded_at, on_time)

    def _case(self, rows, place: _Place, activity, work_date, assessor_id, recorded_at) -> tuple:
        """A new case; returns its id and, as the IQA keeps them, its status, stage, court and sensitive categories."""
        rng = self.rng
        case_id = self.ids.take("assessments_case")
        year = work_date.year % 100
        self.urn_serial[(place.area_id, year)] += 1
        urn = f"{place.area_number:02d}{self.urn_mark}{self.urn_serial[(place.area_id, year)]:05d}{year:02d}"
        if place.unit_type == UnitType.RASSO:
            sensitive = [
                rng.choice([SensitiveCategory.RAPE, SensitiveCategory.RAPE, SensitiveCategory.OTHER_SERIOUS_SEXUAL])
            ]
        else:
            draw = rng.random()
            sensitive = (
                [SensitiveCategory.DOMESTIC_ABUSE] if draw < 0.18 else [rng.choice(HATE_CRIME)] if draw < 0.22 else []
            )
        court = (
            Court.MAGISTRATES
            if place.unit_type == UnitType.MAGISTRATES_COURTS
            or (place.unit_type == UnitType.OTHER and rng.random() < 0.7)
            else Court.CROWN
        )
        status = CaseStatus.FINALISED if rng.random() < 0.1 else CaseStatus.LIVE
        stage = rng.choice(STAGE_BY_ACTIVITY[activity])
        rows["assessments_case"].append(
            (case_id, urn, place.area_id, place.unit_id, court, sensitive, [], status, stage, assessor_id, recorded_at)
        )
        return case_id, status, stage, court, sensitive

    def _iqa(self, rows, person_id, place, activity, work_date, half_day_id, assessor_id, recorded_at, on_time):
        rng = self.rng
        case_id, *case_as_assessed = self._case(rows, place, activity, work_date, assessor_id, recorded_at)
        iqa_id = self.ids.take("assessments_assessment")
        question_set_id, questions = self.sets[activity]
        disclosure_set_id = None
        if activity == Activity.CASE_PROGRESSION and "disclosure" in self.sets and rng.random() < DISCLOSURE_SHARE:
            disclosure_set_id, disclosure = self.sets["disclosure"]
            questions = questions + disclosure
        age = (self.today - work_date).days
        action = rng.random() < 0.12
        action_taken_on = add_working_days(work_date, rng.randint(3, 20)) if action and age > 30 else None
        closed = age > 45 and (not action or action_taken_on is not None) and rng.random() < 0.8
        state = State.CLOSED if closed else State.ACTION_TAKEN if action_taken_on else State.RECORDED
        closed_at = self._at(work_date + timedelta(days=rng.randint(10, 40)), 12) if closed else None
        rows["assessments_assessment"].append(
            (
                iqa_id,
                assessor_id,
                person_id,
                place.team_id,
                activity,
                question_set_id,
                disclosure_set_id,
                case_id,
                *case_as_assessed,  # status, stage, court, sensitive categories
                half_day_id,
                work_date,
                recorded_at,
                on_time,
                feedback_due_after(timezone.localdate(recorded_at)),
                True if activity == Activity.ADVICE else None,
                action,
                "Discuss the case strategy and record it on the file." if action else "",
                "",
                state,
                action_taken_on,
                "Discussed and recorded." if action_taken_on else "",
                closed_at,
                1,
                recorded_at,
            )
        )
        answers = self._answers(rows, iqa_id, questions, assessor_id, work_date)
        given_on = None
        if rng.random() < FEEDBACK_SHARE:
            delay = _draw(rng, dict(enumerate(FEEDBACK_DELAY_WEIGHTS)))
            given_on = add_working_days(recorded_at.date(), delay) if delay else recorded_at.date()
            if given_on < self.today:
                rows["assessments_feedback"].append(
                    (
                        self.ids.take("assessments_feedback"),
                        iqa_id,
                        given_on,
                        rng.choice(FEEDBACK_MODES),
                        "Clear, well-reasoned work.",
                        "See the comments on the answers not fully met."
                        if any(a != "fully_met" for _, a in answers)
                        else "",
                        assessor_id,
                        self._at(given_on, 17),
                    )
                )
        self._acknowledgement(rows, iqa_id, recorded_at, given_on)
        self._dip_sample(rows, iqa_id, place, work_date, recorded_at, answers, assessor_id)

    def _answers(self, rows, iqa_id, questions, assessor_id, work_date):
        rng = self.rng
        # Fully met rates drift up a little over the years, and generous assessors add to them.
        drift = 0.01 * (business_year_of(work_date) - business_year_of(self.first_day))
        lenient = self.leniency[assessor_id]
        answers = []
        for question_id, code, reason_ids, other_reason_id in questions:
            if rng.random() < NOT_APPLICABLE.get(code, DEFAULT_NOT_APPLICABLE):
                value, comment = AnswerValue.NOT_APPLICABLE, ""
            elif rng.random() < min(0.99, FULLY_MET.get(code, DEFAULT_FULLY_MET) + drift + lenient):
                value, comment = AnswerValue.FULLY_MET, ""
            elif rng.random() < NOT_MET_OTHER_SHARE:
                value, comment = AnswerValue.NOT_MET_OTHER, "The police supplied the file late despite chasing."
            else:
                value, comment = AnswerValue.NOT_MET, "Not to the standard; discussed at feedback."
            reason_id = None
            if value == AnswerValue.NOT_MET and (reason_ids or other_reason_id):
                # Rule 1: a reason and a comment; the "other" reason is explained in the comment.
                use_other = other_reason_id and (not reason_ids or rng.random() < OTHER_REASON_SHARE)
                reason_id = other_reason_id if use_other else rng.choice(reason_ids)
                comment = (
                    "Other: the plan was not shared with the officer." if use_other else self.reason_text[reason_id]
                )
            answer_id = self.ids.take("assessments_answer")
            rows["assessments_answer"].append((answer_id, iqa_id, question_id, value, comment))
            if reason_id is not None:
                rows["assessments_answerreason"].append(
                    (self.ids.take("assessments_answerreason"), answer_id, reason_id)
                )
            answers.append((question_id, value))
        return answers

    def _acknowledgement(self, rows, iqa_id, recorded_at, given_on):
        """Most IQAs more than two weeks old are acknowledged by the assessed person, a few days after the feedback
        (or the recording); the newest are still waiting on their home page."""
        rng = self.acknowledgement_rng
        seen_on = max(recorded_at.date(), given_on or recorded_at.date()) + timedelta(days=rng.randint(1, 5))
        if seen_on >= self.today - timedelta(days=14) or rng.random() >= ACKNOWLEDGED_SHARE:
            return
        response = (
            "Thank you: agreed, and I have noted the points for next time."
            if (rng.random() < ACKNOWLEDGEMENT_RESPONSE_SHARE)
            else ""
        )
        rows["assessments_acknowledgement"].append(
            (self.ids.take("assessments_acknowledgement"), iqa_id, self._at(seen_on, 10, 30), response)
        )

    def _dip_sample(self, rows, iqa_id, place, work_date, recorded_at, answers, assessor_id):
        rng = self.rng
        span = max(1, (self.last_day - self.first_day).days)
        share = DIP_SAMPLE_SHARE_FIRST_YEAR + (DIP_SAMPLE_SHARE_LAST_YEAR - DIP_SAMPLE_SHARE_FIRST_YEAR) * (
            (work_date - self.first_day).days / span
        )
        if place.dip_sampler_id is None or place.dip_sampler_id == assessor_id or rng.random() >= share:
            return
        dip_sample_id = self.ids.take("dipsampling_dipsample")
        sampled_on = recorded_at.date() + timedelta(days=rng.randint(5, 40))
        created_at = self._at(recorded_at.date() + timedelta(days=rng.randint(1, 4)), 9)
        if sampled_on >= self.today:  # selected, not yet done
            rows["dipsampling_dipsample"].append(
                (dip_sample_id, iqa_id, place.dip_sampler_id, None, None, "", "", "", None, created_at)
            )
            return
        outcome = _draw(rng, OUTCOME_WEIGHTS)
        rows["dipsampling_dipsample"].append(
            (
                dip_sample_id,
                iqa_id,
                place.dip_sampler_id,
                None,
                sampled_on,
                "The answers and comments reflect the file; feedback was apt.",
                "Sound casework overall.",
                outcome,
                self._at(sampled_on, 15),
                created_at,
            )
        )
        if rng.random() >= REMARKED_SHARE:
            return
        lenient = self.leniency[assessor_id]
        for question_id, value in answers:
            draw = rng.random()
            if value == AnswerValue.FULLY_MET:
                # Annex B: too lenient far more often than too robust; generous markers more so.
                remark = (
                    AnswerValue.NOT_MET
                    if draw < 0.10 + 2 * lenient
                    else AnswerValue.NOT_APPLICABLE
                    if draw > 0.98
                    else value
                )
            elif value == AnswerValue.NOT_APPLICABLE:
                remark = AnswerValue.FULLY_MET if draw < 0.3 else value
            else:
                remark = AnswerValue.FULLY_MET if draw < 0.12 else value
            rows["dipsampling_remark"].append(
                (self.ids.take("dipsampling_remark"), dip_sample_id, question_id, value, remark, "")
            )

    def _copy(self, table: str, rows: list[tuple]):
        if not rows:
            return
        columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
        with self.cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.counts[table] += len(rows)
