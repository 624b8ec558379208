"""The migrations' frozen fact SQL against the live code: the last migration that wrote the triggers wrote what
reporting/fact_sql.py writes now. When this fails, the facts' SQL changed: add a migration that writes it."""

import importlib

from reporting import fact_sql

latest = importlib.import_module("reporting.migrations.0007_feedback_in_time_by_stored_due_date")


def test_it_wrote_the_triggers_the_code_writes():
    assert fact_sql.create_triggers_sql() == latest.CREATE_TRIGGERS


def test_it_rebuilt_the_iqa_facts_as_the_code_does():
    assert fact_sql.rebuild_sql(latest.IQA_FACTS) == latest.REBUILD_IQA_FACTS
