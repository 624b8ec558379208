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

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q

from assessments.models import (
    Assessment,
    HalfDay,
    QuestionSet,
)
from demo.national_rows import RowMaker
from demo.national_shape import (
    COLUMNS,
    DEMO_URN_MARK,
    IQAS_PER_HALF_DAY_WEIGHTS,
    TABLES,
    URN_MARK,
    Ids,
    Place,
    demo_logins_not_assessed,
)
from organisation.models import PurviewLevel, Role, RoleGrant, TeamMembership
from qa_platform.periods import business_year, business_year_of
from reporting import fact_sql


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


class _Loader(RowMaker):
    def __init__(self, cursor, rng, acknowledgement_rng, *, today: date, first_day: date, urn_mark: str):
        self.cursor, self.rng, self.acknowledgement_rng, self.today = cursor, rng, acknowledgement_rng, today
        self.first_day = first_day
        self.last_day = today - timedelta(days=1)
        self.urn_mark = urn_mark
        self.ids = Ids()
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

    def places(self, team_ids, exclude_team_ids: set, *, demo_logins_in_post: bool) -> dict[int, Place]:
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
            places[team_id] = Place(
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

    def load(self, places: dict[int, Place], *, iqas: int | None, per_person_year: float | None):
        self.sets = self._question_sets()
        memberships = list(
            TeamMembership.objects.filter(team_id__in=list(places), starts_on__lte=self.last_day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.first_day))
            .exclude(person__in=demo_logins_not_assessed())
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

    def _copy(self, table: str, rows: list[tuple]):
        if not rows:
            return
        columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
        with self.cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.counts[table] += len(rows)
