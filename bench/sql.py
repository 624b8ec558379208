"""Hand-written SQL for the figures each reporting page shows, to time the pages against.

Each function runs, on a plain cursor, the aggregates a careful analyst would write for the same figures over the
same rows (scope, filters, period), fetching every row. They are the naive yardstick: the national dashboard, read
from the pre-aggregated facts, should take at most a twentieth of its SQL's time (`make bench` prints the ratio).
"""

from dataclasses import dataclass, field
from datetime import date

from qa_platform.periods import Period, business_year_of, quarter_number, quarters_in, recent_quarters

OFFICE = ("advice", "charging_review", "case_progression")


@dataclass
class Scope:
    """Where and when: the whole organisation, or one area or one team, over a period."""

    name: str
    period: Period
    area_id: int | None = None
    team_id: int | None = None
    extra: dict = field(default_factory=dict)

    def where(self, alias: str = "a", periods: list[Period] | None = None, day: str = "") -> tuple[str, list]:
        """The WHERE clause for IQAs (alias a, with its team t and unit u joined) of this scope and period (or any
        of these periods), by the date of the work unless `day` gives another date expression."""
        periods = periods or [self.period]
        day = day or f"{alias}.work_date"
        sql = "(" + " OR ".join(f"{day} BETWEEN %s AND %s" for _ in periods) + ")"
        params = [day for period in periods for day in (period.start, period.end)]
        if self.area_id:
            sql, params = sql + " AND u.area_id = %s", [*params, self.area_id]
        if self.team_id:
            sql, params = sql + f" AND {alias}.team_id = %s", [*params, self.team_id]
        return sql, params


IQAS = (
    "FROM assessments_assessment a JOIN organisation_team t ON t.id = a.team_id "
    "JOIN organisation_unit u ON u.id = t.unit_id "
)


def _iqa_counts(key: str) -> str:
    return (
        f"SELECT {key} AS key, count(*), "
        f"count(*) FILTER (WHERE a.activity IN {OFFICE!r}), "
        "count(*) FILTER (WHERE a.activity = 'case_presentation'), "
        "count(*) FILTER (WHERE a.recorded_on_time), count(f.id), "
        "count(*) FILTER (WHERE f.id IS NOT NULL OR a.feedback_due_on < %s), "
        "count(*) FILTER (WHERE f.given_on <= a.feedback_due_on), "
        "count(*) FILTER (WHERE a.case_status = 'live'), count(*) FILTER (WHERE a.case_status = 'finalised'), "
        "count(d.id) FILTER (WHERE d.recorded_at IS NOT NULL), count(*) FILTER (WHERE a.action_required) "
        + IQAS
        + "LEFT JOIN assessments_feedback f ON f.assessment_id = a.id "
        "LEFT JOIN dipsampling_dipsample d ON d.assessment_id = a.id "
    )


ANSWER_COUNTS = (
    "count(*), count(*) FILTER (WHERE b.value = 'fully_met'), count(*) FILTER (WHERE b.value = 'not_met'), "
    "count(*) FILTER (WHERE b.value = 'not_met_other'), count(*) FILTER (WHERE b.value = 'not_applicable') "
)
ANSWERS = (
    "FROM assessments_answer b JOIN assessments_assessment a ON a.id = b.assessment_id "
    "JOIN organisation_team t ON t.id = a.team_id JOIN organisation_unit u ON u.id = t.unit_id "
)
QUESTIONS = (
    "JOIN assessments_question q ON q.id = b.question_id JOIN assessments_questionset qs ON qs.id = q.question_set_id "
)


def _period_case(periods: list[Period], params: list) -> str:
    whens = []
    for period in periods:
        whens.append("WHEN a.work_date BETWEEN %s AND %s THEN %s")
        params += [period.start, period.end, period.label]
    return f"(CASE {' '.join(whens)} END)"


def _fetch(cursor, sql: str, params: list) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _due_before(today: date) -> date:
    # The same cut-off as the page: feedback due (rule 4, the date stored on the IQA) before today.
    return today


def overview(cursor, scope: Scope, today: date, key: str = "1", group: str = "", answers: bool = True) -> None:
    where, params = scope.where()
    sql = _iqa_counts(key) + f"WHERE {where} {group}"
    _fetch(cursor, sql, [_due_before(today), *params])
    if answers:
        _fetch(cursor, f"SELECT {key}, {ANSWER_COUNTS}{ANSWERS}WHERE {where} {group}", params)


def dashboard(cursor, scope: Scope, today: date) -> None:
    """Summary, activities (with dip sample rates), questions and their trend, reasons, timing, leniency, target."""
    where, params = scope.where()
    # The answer totals, per activity and per quarter are sums of the per-question rows below, so only the IQA
    # counts are fetched for them (as the page does).
    overview(cursor, scope, today, answers=False)
    overview(cursor, scope, today, key="a.activity", group="GROUP BY a.activity", answers=False)
    _fetch(
        cursor,
        f"SELECT q.code, qs.activity, max(q.wording), {ANSWER_COUNTS}{ANSWERS}{QUESTIONS}"
        f"WHERE {where} GROUP BY q.code, qs.activity",
        params,
    )
    quarters = recent_quarters(4, scope.period.end)
    trend_where, trend_params = scope.where(periods=[Period(quarters[0].start, quarters[-1].end, "", "custom")])
    case_params: list = []
    quarter = _period_case(quarters, case_params)
    _fetch(
        cursor,
        f"SELECT q.code, qs.activity, {quarter}, {ANSWER_COUNTS}{ANSWERS}{QUESTIONS}"
        f"WHERE {trend_where} GROUP BY 1, 2, 3",
        case_params + trend_params,
    )
    _fetch(
        cursor,
        "SELECT rq.code, r.code, r.text, r.is_other, count(*) FROM assessments_answerreason ar "
        "JOIN assessments_answer b ON b.id = ar.answer_id JOIN assessments_assessment a ON a.id = b.assessment_id "
        "JOIN organisation_team t ON t.id = a.team_id JOIN organisation_unit u ON u.id = t.unit_id "
        "JOIN assessments_reason r ON r.id = ar.reason_id JOIN assessments_question rq ON rq.id = r.question_id "
        f"WHERE {where} GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC",
        params,
    )
    # The trend table: every figure per quarter over the recent quarters.
    case_params = []
    quarter = _period_case(quarters, case_params)
    _grouped_counts(cursor, today, trend_where, trend_params, quarter, case_params, answers=False)
    timing(cursor, scope)
    annex_b(cursor, scope)
    proxy_target(cursor, scope)
    measures(cursor, scope)


def timing(cursor, scope: Scope) -> None:
    """Annex C: the IQAs recorded in the period (London days), by the third of the month and the month of the
    quarter they were recorded in."""
    where, params = scope.where(day="(a.recorded_at AT TIME ZONE 'Europe/London')::date")
    day = "extract(day FROM a.recorded_at AT TIME ZONE 'Europe/London')"
    month = "extract(month FROM a.recorded_at AT TIME ZONE 'Europe/London')"
    _fetch(
        cursor,
        f"SELECT count(*), count(*) FILTER (WHERE {day} <= 10), count(*) FILTER (WHERE {day} BETWEEN 11 AND 20), "
        f"count(*) FILTER (WHERE {month} IN (4, 7, 10, 1)), count(*) FILTER (WHERE {month} IN (5, 8, 11, 2)) "
        f"{IQAS}WHERE {where}",
        params,
    )


# Each re-mark is compared with the assessor's answer it kept when its dip sample was recorded (rm.assessor_value).
AGREEMENT = (
    "CASE WHEN rm.assessor_value = rm.answer THEN 'agreed' WHEN rm.assessor_value = 'not_applicable' THEN 'wrongly_na' "
    "WHEN rm.answer = 'not_applicable' THEN 'should_have_been_na' "
    "WHEN (CASE rm.assessor_value WHEN 'fully_met' THEN 0 WHEN 'not_met_other' THEN 1 ELSE 2 END) "
    "< (CASE rm.answer WHEN 'fully_met' THEN 0 WHEN 'not_met_other' THEN 1 ELSE 2 END) THEN 'too_lenient' "
    "ELSE 'too_robust' END"
)


def annex_b(cursor, scope: Scope) -> None:
    where, params = scope.where()
    _fetch(
        cursor,
        f"SELECT q.code, q.wording, qs.activity, {AGREEMENT}, count(*), "
        "count(*) FILTER (WHERE rm.assessor_value = 'fully_met'), count(*) FILTER (WHERE rm.answer = 'fully_met') "
        "FROM dipsampling_remark rm JOIN dipsampling_dipsample d ON d.id = rm.dip_sample_id "
        "JOIN assessments_assessment a ON a.id = d.assessment_id JOIN organisation_team t ON t.id = a.team_id "
        "JOIN organisation_unit u ON u.id = t.unit_id "
        "JOIN assessments_question q ON q.id = rm.question_id "
        "JOIN assessments_questionset qs ON qs.id = q.question_set_id "
        f"WHERE d.recorded_at IS NOT NULL AND {where} GROUP BY 1, 2, 3, 4",
        params,
    )


def measures(cursor, scope: Scope) -> None:
    """The areas' performance measures for the period's quarters, beside fully met per area, activity and quarter."""
    quarters = quarters_in(scope.period)
    where, params = scope.where(periods=quarters)
    case_params: list = []
    quarter = _period_case(quarters, case_params)
    _fetch(
        cursor,
        f"SELECT u.area_id, a.activity, {quarter}, {ANSWER_COUNTS}{ANSWERS}WHERE {where} GROUP BY 1, 2, 3",
        case_params + params,
    )
    _fetch(
        cursor,
        "SELECT m.*, ar.name FROM reporting_performancemeasure m JOIN organisation_area ar ON ar.id = m.area_id "
        "WHERE (m.business_year, m.quarter) IN (SELECT * FROM unnest(%s::int[], %s::int[]))",
        [[business_year_of(q.start) for q in quarters], [quarter_number(q.start) for q in quarters]],
    )


def proxy_target(cursor, scope: Scope) -> None:
    """Days in post in the period per team, role and unit type (the rest is arithmetic on a few hundred rows)."""
    start, end = scope.period.start, scope.period.end
    sql = (
        "SELECT m.team_id, p.role_type, u.unit_type, "
        "sum(LEAST(coalesce(m.ends_on, %s), %s) - GREATEST(m.starts_on, %s) + 1) "
        "FROM organisation_teammembership m JOIN organisation_person p ON p.id = m.person_id "
        "JOIN organisation_team t ON t.id = m.team_id JOIN organisation_unit u ON u.id = t.unit_id "
        "WHERE m.starts_on <= %s AND (m.ends_on IS NULL OR m.ends_on >= %s)"
    )
    params = [end, end, start, end, start]
    if scope.area_id:
        sql, params = sql + " AND u.area_id = %s", [*params, scope.area_id]
    if scope.team_id:
        sql, params = sql + " AND m.team_id = %s", [*params, scope.team_id]
    _fetch(cursor, sql + " GROUP BY 1, 2, 3", params)
    _fetch(cursor, "SELECT * FROM reporting_targetoverride", [])
    _fetch(cursor, "SELECT * FROM reporting_iqasperhalfday", [])


KEYS = {
    "team": "a.team_id",
    "area": "u.area_id",
    "unit": "t.unit_id",
    "assessor": "a.assessor_id",
    "activity": "a.activity",
}


def compare(cursor, scope: Scope, today: date) -> None:
    """Every figure per compared group, per question per group, and (within a period of several quarters) per
    quarter. scope.extra: dimension, and values (ids) or periods."""
    dimension = scope.extra["dimension"]
    if dimension == "period":
        chosen = scope.extra["periods"]
        where, params = scope.where(periods=chosen)
        key_params: list = []
        key = _period_case(chosen, key_params)
        _grouped(cursor, today, where, params, key, key_params)
        return
    where, params = scope.where()
    values = scope.extra["values"]
    where += f" AND {KEYS[dimension]} = ANY(%s)"
    params = [*params, values]
    _grouped(cursor, today, where, params, KEYS[dimension], [])
    quarter_params: list = []
    quarters = quarters_in(scope.period)
    if len(quarters) > 1:
        quarter = _period_case(quarters, quarter_params)
        _fetch(
            cursor,
            f"SELECT {KEYS[dimension]}, {quarter}, {ANSWER_COUNTS}{ANSWERS}WHERE {where} GROUP BY 1, 2",
            quarter_params + params,
        )


def _grouped_counts(cursor, today, where, params, key, key_params, answers=True):
    """The IQA figures and (unless summed from per-question rows) the answer counts per group."""
    _fetch(
        cursor,
        _iqa_counts(key) + f"WHERE {where} GROUP BY 1",
        key_params + [_due_before(today), *params],
    )
    if answers:
        _fetch(cursor, f"SELECT {key}, {ANSWER_COUNTS}{ANSWERS}WHERE {where} GROUP BY 1", key_params + params)


def _grouped(cursor, today, where, params, key, key_params):
    _grouped_counts(cursor, today, where, params, key, key_params)
    _fetch(
        cursor,
        f"SELECT q.code, qs.activity, {key}, {ANSWER_COUNTS}{ANSWERS}{QUESTIONS}WHERE {where} GROUP BY 1, 2, 3",
        key_params + params,
    )


def consistency(cursor, scope: Scope, today: date) -> None:
    """Per assessor and unit: answer counts (summed to units and areas), IQAs dip-sampled, re-mark disagreement."""
    where, params = scope.where()
    _fetch(
        cursor,
        f"SELECT a.assessor_id, p.full_name, t.unit_id, u.name, u.area_id, ar.name, {ANSWER_COUNTS}{ANSWERS}"
        "JOIN organisation_person p ON p.id = a.assessor_id JOIN organisation_area ar ON ar.id = u.area_id "
        f"WHERE {where} GROUP BY 1, 2, 3, 4, 5, 6",
        params,
    )
    _fetch(
        cursor,
        "SELECT a.assessor_id, t.unit_id, count(*), count(d.id) FILTER (WHERE d.recorded_at IS NOT NULL) "
        f"{IQAS}LEFT JOIN dipsampling_dipsample d ON d.assessment_id = a.id WHERE {where} GROUP BY 1, 2",
        params,
    )
    rank = "(CASE {} WHEN 'fully_met' THEN 0 WHEN 'not_met_other' THEN 1 WHEN 'not_met' THEN 2 END)"
    _fetch(
        cursor,
        f"SELECT a.assessor_id, t.unit_id, count(*), count(*) FILTER (WHERE {rank.format('rm.assessor_value')} < "
        f"{rank.format('rm.answer')}), "
        f"count(*) FILTER (WHERE {rank.format('rm.assessor_value')} > {rank.format('rm.answer')}) "
        "FROM dipsampling_remark rm JOIN dipsampling_dipsample d ON d.id = rm.dip_sample_id "
        "JOIN assessments_assessment a ON a.id = d.assessment_id JOIN organisation_team t ON t.id = a.team_id "
        "JOIN organisation_unit u ON u.id = t.unit_id "
        f"WHERE d.recorded_at IS NOT NULL AND {where} GROUP BY 1, 2",
        params,
    )


def drilldown(cursor, scope: Scope, today: date) -> None:
    """The first page of IQAs with a given answer to a question, with who, where and the case; and their count."""
    where, params = scope.where()
    question, value = scope.extra["question"], scope.extra["answer"]
    matching = (
        "a.id IN (SELECT b.assessment_id FROM assessments_answer b JOIN assessments_question q ON q.id = b.question_id "
        "WHERE q.code = %s AND b.value = %s)"
    )
    _fetch(cursor, f"SELECT count(*) {IQAS}WHERE {where} AND {matching}", [*params, question, value])
    _fetch(
        cursor,
        "SELECT a.*, t.name, u.name, ar.name, p1.full_name, p2.full_name, c.urn "
        f"{IQAS}JOIN organisation_area ar ON ar.id = u.area_id JOIN organisation_person p1 ON p1.id = a.assessor_id "
        "JOIN organisation_person p2 ON p2.id = a.assessed_id JOIN assessments_case c ON c.id = a.case_id "
        f"WHERE {where} AND {matching} ORDER BY a.work_date DESC, a.id DESC LIMIT 50",
        [*params, question, value],
    )
