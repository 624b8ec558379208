"""Frozen: reporting/fact_sql.py as migrations 0003 to 0005 ran it (commit b85454e), kept here unchanged so that
they (and 0007's reverse) never import app code. Do not edit it: a change to the facts' SQL is a new migration.

The SQL that keeps the reporting facts (reporting.models: AnswerFact, ReasonFact, IqaFact) equal to the raw rows.

Each fact table is a count of a join of raw tables grouped by its key:

- answers: answer ⋈ IQA;
- reasons: answer reason ⋈ answer ⋈ IQA;
- IQAs: IQA ⟕ feedback ⟕ dip sample (each at most one per IQA);
- re-marks: re-mark ⋈ recorded dip sample ⋈ IQA (annex B and the consistency page's leniency).

Each is kept twice: by team and assessor (the tables above), and by area, without team or assessor (the area facts,
`reporting_*areafact`), a third to a half as many rows, which the pages read when the purview and filters are whole
areas or the nation. The area is the IQA's team's unit's as it is now, so the area facts join the IQAs to the teams
and units, and a team moved to another unit or a unit to another area moves its counts (triggers on those too).

PostgreSQL keeps them, in the transaction of every write, whoever writes (a service, the admin, `.update()`,
`bulk_create`, a delete, raw SQL): a statement-level AFTER trigger per raw table and operation sees the rows the
statement changed (its transition tables) and adds what they count now and subtracts what they counted before.
Since only that one table changed in the statement, for the inner joins that is the changed rows joined to the other
tables as they are; for the IQA facts, whose feedback and dip sample are outer-joined, the IQAs concerned are counted
again with the feedback or dip samples as they were (the table now, less the new rows, plus the old ones) and as
they are. The changes are summed per key, applied in key order (so two writers lock rows in the same order, never
deadlocking) with INSERT … ON CONFLICT DO UPDATE, and keys whose count reaches zero are removed.

Updates that change no key column (an IQA's comment, the feedback's points) count nothing. Triggers do not run
under `session_replication_role = replica` (the national demo's bulk load): `rebuild` recomputes every fact from the
raw rows after it.

Feedback in time (rule 4: five working days) needs the bank holidays: `reporting_feedback_in_time` holds them as a
constant, written from the `holidays` package by the migration and again by every rebuild.
"""

from dataclasses import dataclass, replace
from datetime import date

import holidays as holidays_package

FEEDBACK_WORKING_DAYS = 5  # rule 4, as assessments.rules had it

# --- Each fact as a query over given relations ---------------------------------------------------------------

IQA_COLUMNS = (
    "id, work_date, team_id, assessor_id, activity, case_court, case_status, recorded_on_time, action_required, "
    "recorded_at"
)
ANSWER_COLUMNS = "id, assessment_id, question_id, value"
REASON_COLUMNS = "id, answer_id, reason_id"
FEEDBACK_COLUMNS = "id, assessment_id, given_on"
DIP_SAMPLE_COLUMNS = "id, assessment_id, recorded_at"
REMARK_COLUMNS = "id, dip_sample_id, question_id, assessor_value, answer"

COMMON_KEY = "month, team_id, assessor_id, activity, case_court"
ANSWER_KEY = f"{COMMON_KEY}, question_id, value"
REASON_KEY = f"{COMMON_KEY}, reason_id"
REMARK_KEY = f"{COMMON_KEY}, question_id, assessor_value, answer"
IQA_KEY = (
    f"{COMMON_KEY}, case_status, recorded_on_time, action_required, dip_sampled, feedback_given, feedback_in_time, "
    "pending_recorded_on, work_third, recorded_month, recorded_third"
)

AREA_KEY = "month, area_id, activity, case_court"
TEAM_COLUMNS = "id, unit_id"
UNIT_COLUMNS = "id, area_id"
TEAMS = f"(SELECT {TEAM_COLUMNS} FROM organisation_team)"
UNITS = f"(SELECT {UNIT_COLUMNS} FROM organisation_unit)"


@dataclass(frozen=True)
class Level:
    """How finely a fact table counts: by team and assessor (`Level()`), or by area, with the teams and units the
    IQAs are joined to for their area (the tables as they are, or a trigger's transition rows)."""

    area: bool = False
    teams: str = TEAMS
    units: str = UNITS

    def common(self, key: str) -> str:
        return key.replace(COMMON_KEY, AREA_KEY) if self.area else key

    def select(self) -> str:
        place = "u.area_id" if self.area else "s.team_id, s.assessor_id"
        return f"date_trunc('month', s.work_date)::date AS month, {place}, s.activity, s.case_court"

    def join(self) -> str:
        if not self.area:
            return ""
        return f" JOIN {self.teams} t ON t.id = s.team_id JOIN {self.units} u ON u.id = t.unit_id"


BY_TEAM, BY_AREA = Level(), Level(area=True)
_LONDON_DAY = "(s.recorded_at AT TIME ZONE 'Europe/London')::date"


def _third(day: str) -> str:
    return f"(CASE WHEN extract(day FROM {day}) <= 10 THEN 1 WHEN extract(day FROM {day}) <= 20 THEN 2 ELSE 3 END)"


def answer_rows(answers: str, iqas: str, level: Level = BY_TEAM) -> str:
    return (
        f"SELECT {level.select()}, a.question_id, a.value, count(*) AS n "
        f"FROM {answers} a JOIN {iqas} s ON s.id = a.assessment_id{level.join()} GROUP BY {level.common(ANSWER_KEY)}"
    )


def reason_rows(reasons: str, answers: str, iqas: str, level: Level = BY_TEAM) -> str:
    return (
        f"SELECT {level.select()}, r.reason_id, count(*) AS n "
        f"FROM {reasons} r JOIN {answers} a ON a.id = r.answer_id JOIN {iqas} s ON s.id = a.assessment_id"
        f"{level.join()} GROUP BY {level.common(REASON_KEY)}"
    )


def iqa_rows(iqas: str, feedback: str, dip_samples: str, level: Level = BY_TEAM) -> str:
    return (
        f"SELECT {level.select()}, s.case_status, s.recorded_on_time, s.action_required, "
        "d.recorded_at IS NOT NULL AS dip_sampled, f.id IS NOT NULL AS feedback_given, "
        f"coalesce(reporting_feedback_in_time(f.given_on, {_LONDON_DAY}), false) AS feedback_in_time, "
        f"CASE WHEN f.id IS NULL THEN {_LONDON_DAY} END AS pending_recorded_on, "
        f"{_third('s.work_date')} AS work_third, "
        f"date_trunc('month', {_LONDON_DAY})::date AS recorded_month, {_third(_LONDON_DAY)} AS recorded_third, "
        "count(*) AS n "
        f"FROM {iqas} s{level.join()} LEFT JOIN {feedback} f ON f.assessment_id = s.id "
        f"LEFT JOIN {dip_samples} d ON d.assessment_id = s.id GROUP BY {level.common(IQA_KEY)}"
    )


def remark_rows(remarks: str, dip_samples: str, iqas: str, level: Level = BY_TEAM) -> str:
    """Re-marks of recorded dip samples, by the IQA's key, the question and the pair of answers compared."""
    return (
        f"SELECT {level.select()}, rm.question_id, rm.assessor_value, rm.answer, count(*) AS n "
        f"FROM {remarks} rm JOIN {dip_samples} d ON d.id = rm.dip_sample_id JOIN {iqas} s ON s.id = d.assessment_id"
        f"{level.join()} WHERE d.recorded_at IS NOT NULL GROUP BY {level.common(REMARK_KEY)}"
    )


IQAS = f"(SELECT {IQA_COLUMNS} FROM assessments_assessment)"
ANSWERS = f"(SELECT {ANSWER_COLUMNS} FROM assessments_answer)"
REASONS = f"(SELECT {REASON_COLUMNS} FROM assessments_answerreason)"
FEEDBACK = f"(SELECT {FEEDBACK_COLUMNS} FROM assessments_feedback)"
DIP_SAMPLES = f"(SELECT {DIP_SAMPLE_COLUMNS} FROM dipsampling_dipsample)"
REMARKS = f"(SELECT {REMARK_COLUMNS} FROM dipsampling_remark)"

# Fact table: (key, query over the raw tables as they are).
FACTS = {
    "reporting_answerfact": (ANSWER_KEY, answer_rows(ANSWERS, IQAS)),
    "reporting_reasonfact": (REASON_KEY, reason_rows(REASONS, ANSWERS, IQAS)),
    "reporting_iqafact": (IQA_KEY, iqa_rows(IQAS, FEEDBACK, DIP_SAMPLES)),
    "reporting_remarkfact": (REMARK_KEY, remark_rows(REMARKS, DIP_SAMPLES, IQAS)),
    "reporting_answerareafact": (BY_AREA.common(ANSWER_KEY), answer_rows(ANSWERS, IQAS, BY_AREA)),
    "reporting_reasonareafact": (BY_AREA.common(REASON_KEY), reason_rows(REASONS, ANSWERS, IQAS, BY_AREA)),
    "reporting_iqaareafact": (BY_AREA.common(IQA_KEY), iqa_rows(IQAS, FEEDBACK, DIP_SAMPLES, BY_AREA)),
    "reporting_remarkareafact": (BY_AREA.common(REMARK_KEY), remark_rows(REMARKS, DIP_SAMPLES, IQAS, BY_AREA)),
}
AREA_FACTS = tuple(table for table in FACTS if table.endswith("areafact"))


# --- Applying a change -----------------------------------------------------------------------------------------


def _apply(table: str, key: str, plus: str | None, minus: str | None) -> str:
    """Add the `plus` rows' counts and subtract the `minus` rows' to the fact table, in key order; drop zeros."""
    parts = []
    if plus:
        parts.append(f"SELECT {key}, n FROM ({plus}) AS p")
    if minus:
        parts.append(f"SELECT {key}, -n AS n FROM ({minus}) AS m")
    changes = " UNION ALL ".join(parts)
    return (
        f"INSERT INTO {table} AS f ({key}, n) "
        f"SELECT {key}, sum(n) FROM ({changes}) AS c GROUP BY {key} HAVING sum(n) <> 0 ORDER BY {key} "
        f"ON CONFLICT ({key}) DO UPDATE SET n = f.n + EXCLUDED.n;\n"
        f"DELETE FROM {table} WHERE n = 0;\n"
    )


def _changed(columns: str, rows: str, other: str) -> str:
    """The transition rows whose key columns differ from every row of the other transition table."""
    return f"(SELECT {columns} FROM {rows} EXCEPT SELECT {columns} FROM {other})"


def _transition(columns: str) -> dict[str, tuple[str | None, str | None]]:
    """Per operation: the (new, old) relations of the rows the statement changed."""
    return {
        "INSERT": (f"(SELECT {columns} FROM new_rows)", None),
        "DELETE": (None, f"(SELECT {columns} FROM old_rows)"),
        "UPDATE": (_changed(columns, "new_rows", "old_rows"), _changed(columns, "old_rows", "new_rows")),
    }


def _join_changes(table: str, key: str, build, columns: str) -> dict[str, str]:
    """SQL per operation for a fact that is an inner join: the changed rows joined to the other tables as they are."""
    result = {}
    for operation, (new, old) in _transition(columns).items():
        result[operation] = _apply(table, key, build(new) if new else None, build(old) if old else None)
    return result


def _outer_changes(table: str, level: Level, columns: str, raw_table: str, joined: str) -> dict[str, str]:
    """SQL per operation for feedback or dip samples (outer-joined, one per IQA): the IQAs concerned counted
    with the table as it was (now, less the new rows, plus the old) and as it is."""
    key = level.common(IQA_KEY)
    result = {}
    for operation, (new, old) in _transition(columns).items():
        concerned = " UNION ".join(f"SELECT assessment_id FROM {rows}" for rows in (new, old) if rows)
        iqas = f"(SELECT {IQA_COLUMNS} FROM assessments_assessment WHERE id IN ({concerned}))"
        now = f"(SELECT {columns} FROM {raw_table} WHERE assessment_id IN ({concerned}))"
        before_parts = [
            f"SELECT {columns} FROM {raw_table} WHERE assessment_id IN ({concerned})"
            + (f" AND id NOT IN (SELECT id FROM {new})" if new else "")
        ]
        if old:
            before_parts.append(f"SELECT {columns} FROM {old}")
        before = f"({' UNION ALL '.join(before_parts)})"
        if joined == "feedback":
            plus, minus = iqa_rows(iqas, now, DIP_SAMPLES, level), iqa_rows(iqas, before, DIP_SAMPLES, level)
        else:
            plus, minus = iqa_rows(iqas, FEEDBACK, now, level), iqa_rows(iqas, FEEDBACK, before, level)
        result[operation] = _apply(table, key, plus, minus)
    return result


def _merge(*per_operation: dict[str, str]) -> dict[str, str]:
    return {op: "".join(sql[op] for sql in per_operation) for op in ("INSERT", "UPDATE", "DELETE")}


def _places(table: str, key: str, build) -> dict[str, dict[str, str]]:
    """For an area fact, SQL per operation on the teams and units, whose unit and area place its counts:
    `build(level)` is the fact's query with the IQAs joined to that level's teams and units."""
    return {
        "organisation_team": _join_changes(table, key, lambda t: build(replace(BY_AREA, teams=t)), TEAM_COLUMNS),
        "organisation_unit": _join_changes(table, key, lambda u: build(replace(BY_AREA, units=u)), UNIT_COLUMNS),
    }


def _level_facts(level: Level, suffix: str) -> dict[str, dict[str, dict[str, str]]]:
    """Per fact table of a level (suffix "fact" or "areafact"): per raw table whose writes change it, the SQL per
    operation."""
    answers, reasons, iqas, remarks = (f"reporting_{name}{suffix}" for name in ("answer", "reason", "iqa", "remark"))
    answer_key, reason_key, iqa_key, remark_key = map(level.common, (ANSWER_KEY, REASON_KEY, IQA_KEY, REMARK_KEY))
    result = {
        answers: {
            "assessments_assessment": _join_changes(
                answers, answer_key, lambda s: answer_rows(ANSWERS, s, level), IQA_COLUMNS
            ),
            "assessments_answer": _join_changes(
                answers, answer_key, lambda a: answer_rows(a, IQAS, level), ANSWER_COLUMNS
            ),
        },
        reasons: {
            "assessments_assessment": _join_changes(
                reasons, reason_key, lambda s: reason_rows(REASONS, ANSWERS, s, level), IQA_COLUMNS
            ),
            "assessments_answer": _join_changes(
                reasons, reason_key, lambda a: reason_rows(REASONS, a, IQAS, level), ANSWER_COLUMNS
            ),
            "assessments_answerreason": _join_changes(
                reasons, reason_key, lambda r: reason_rows(r, ANSWERS, IQAS, level), REASON_COLUMNS
            ),
        },
        iqas: {
            "assessments_assessment": _join_changes(
                iqas, iqa_key, lambda s: iqa_rows(s, FEEDBACK, DIP_SAMPLES, level), IQA_COLUMNS
            ),
            "assessments_feedback": _outer_changes(iqas, level, FEEDBACK_COLUMNS, "assessments_feedback", "feedback"),
            "dipsampling_dipsample": _outer_changes(
                iqas, level, DIP_SAMPLE_COLUMNS, "dipsampling_dipsample", "dip_samples"
            ),
        },
        remarks: {
            "assessments_assessment": _join_changes(
                remarks, remark_key, lambda s: remark_rows(REMARKS, DIP_SAMPLES, s, level), IQA_COLUMNS
            ),
            "dipsampling_dipsample": _join_changes(
                remarks, remark_key, lambda d: remark_rows(REMARKS, d, IQAS, level), DIP_SAMPLE_COLUMNS
            ),
            "dipsampling_remark": _join_changes(
                remarks, remark_key, lambda r: remark_rows(r, DIP_SAMPLES, IQAS, level), REMARK_COLUMNS
            ),
        },
    }
    if level.area:
        result[answers] |= _places(answers, answer_key, lambda lv: answer_rows(ANSWERS, IQAS, lv))
        result[reasons] |= _places(reasons, reason_key, lambda lv: reason_rows(REASONS, ANSWERS, IQAS, lv))
        result[iqas] |= _places(iqas, iqa_key, lambda lv: iqa_rows(IQAS, FEEDBACK, DIP_SAMPLES, lv))
        result[remarks] |= _places(remarks, remark_key, lambda lv: remark_rows(REMARKS, DIP_SAMPLES, IQAS, lv))
    return result


def _by_fact() -> dict[str, dict[str, dict[str, str]]]:
    """Per fact table: per raw table whose writes change it, the SQL per operation."""
    return _level_facts(BY_TEAM, "fact") | _level_facts(BY_AREA, "areafact")


def triggers(facts=tuple(FACTS)) -> dict[str, dict[str, str]]:
    """Per raw table, the SQL per operation that keeps the given fact tables (all, by default). A migration names the
    facts it creates, so that its triggers never write to a fact table a later migration adds."""
    per_raw: dict[str, list[dict[str, str]]] = {}
    for fact, raw_tables in _by_fact().items():
        if fact in facts:
            for raw_table, sql in raw_tables.items():
                per_raw.setdefault(raw_table, []).append(sql)
    return {raw_table: _merge(*sqls) for raw_table, sqls in per_raw.items()}


_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _function_name(table: str, operation: str) -> str:
    return f"reporting_facts_{table}_{operation.lower()}"


def create_triggers_sql(facts=tuple(FACTS)) -> str:
    statements = []
    for table, per_operation in triggers(facts).items():
        for operation, body in per_operation.items():
            name = _function_name(table, operation)
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                f"BEGIN\n{body}RETURN NULL;\nEND\n$body$;\n"
                f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} {_REFERENCING[operation]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
            )
    return "".join(statements)


def drop_triggers_sql(facts=tuple(FACTS)) -> str:
    statements = []
    for table, per_operation in triggers(facts).items():
        for operation in per_operation:
            name = _function_name(table, operation)
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};\nDROP FUNCTION IF EXISTS {name}();\n")
    statements.append("DROP FUNCTION IF EXISTS reporting_feedback_in_time(date, date);\n")
    return "".join(statements)


# --- Feedback in time ------------------------------------------------------------------------------------------

# The rule as figures.FeedbackInTime counts it in a query, over the bank holidays as a constant.
_FEEDBACK_IN_TIME = (
    "SELECT given <= recorded + 5 OR (given <= recorded + 14 AND "
    "(SELECT count(*) FROM generate_series(1, given - recorded) AS step(n) "
    "WHERE extract(isodow FROM recorded + step.n) < 6 "
    "AND (recorded + step.n) <> ALL('{holidays}'::date[])) <= {days})"
)


def feedback_in_time_function_sql(today: date) -> str:
    """The function, with the bank holidays from 2000 to a few years after `today` (the `holidays` package's)."""
    holidays = sorted(holidays_package.country_holidays("GB", subdiv="ENG", years=range(2000, today.year + 5)))
    body = _FEEDBACK_IN_TIME.replace("{holidays}", "{" + ",".join(day.isoformat() for day in holidays) + "}")
    body = body.replace("{days}", str(FEEDBACK_WORKING_DAYS))
    return (
        "CREATE OR REPLACE FUNCTION reporting_feedback_in_time(given date, recorded date) RETURNS boolean "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$ {body} $body$;\n"
    )


# --- Rebuilding ------------------------------------------------------------------------------------------------


def _from_fine(table: str) -> str:
    """An area fact summed from its fact by team (exact, or rebuilt just before): the same counts as its query over
    the raw rows, from ~700,000 fact rows rather than ~3 million answers (seconds off the national demo's load)."""
    key = FACTS[table][0]
    fine = table.replace("areafact", "fact")
    return (
        f"SELECT {key}, sum(n) AS n FROM (SELECT f.*, u.area_id FROM {fine} f "
        f"JOIN organisation_team t ON t.id = f.team_id JOIN organisation_unit u ON u.id = t.unit_id) AS x "
        f"GROUP BY {key}"
    )


def rebuild_sql(facts=tuple(FACTS)) -> str:
    """The given facts (all, by default) recomputed from the raw rows (the area facts from the facts by team, which
    are exact: kept by the triggers, or rebuilt first when among `facts`)."""
    statements = [f"TRUNCATE {', '.join(facts)};\n"]
    for table in sorted(facts, key=lambda table: table in AREA_FACTS):
        key, query = FACTS[table]
        if table in AREA_FACTS:
            query = _from_fine(table)
        statements.append(f"INSERT INTO {table} ({key}, n) {query} ORDER BY {key};\nANALYZE {table};\n")
    return "".join(statements)


def rebuild(cursor, today: date) -> None:
    """Rebuild every fact (and the bank holidays the rule reads) in the cursor's transaction."""
    cursor.execute(feedback_in_time_function_sql(today))
    cursor.execute(rebuild_sql())
