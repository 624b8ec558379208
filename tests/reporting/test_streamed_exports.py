"""The drill-down and comments CSV exports stream every row, a chunk at a time, in the same queries however many."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, AnswerValue, Assessment
from organisation.models import PurviewLevel, Role
from reporting import exports
from reporting.tables import Cell, Column, Table
from tests.factories import PersonFactory, RoleGrantFactory
from tests.reporting.conftest import Q3, answer

pytestmark = pytest.mark.django_db
OLD_CAP = 10_000  # where both exports used to stop


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def _export(client, **params):
    return client.get(
        reverse("reporting:export", args=["drilldown", "drilldown", "csv"]), {"period": Q3.label, **params}
    )


def _counted(client, get):
    """Queries of a streamed export, the rows read after the view returned included."""
    with CaptureQueriesContext(connection) as context:
        rows = _rows(get())
    return len(context), rows


def _table(rows):
    table = Table("t", "T", [Column("Name"), Column("N", "number")])
    table.rows = [[Cell(name), Cell(n)] for name, n in rows]
    return table


def test_the_chunks_are_the_bytes_of_the_whole_table():
    rows = [(f"=row {n}", n) for n in range(7)]
    streamed = "".join(exports.csv_chunks(_table, rows, chunk_size=3))
    assert streamed == exports.to_csv(_table(rows))
    assert "".join(exports.csv_chunks(_table, [], chunk_size=3)) == exports.to_csv(_table([]))


def test_it_streams_every_drilldown_row_in_chunks(client, performance_viewer, small_dataset, monkeypatch):
    client.force_login(performance_viewer)
    whole = _rows(_export(client))
    monkeypatch.setattr(exports, "STREAM_CHUNK_SIZE", 3)
    chunked = _rows(_export(client))
    assert chunked == whole
    assert [int(row[0]) for row in chunked[1:]] == [small_dataset[name].pk for name in "dcba"]


def _insert(sql: str, params: list) -> None:
    """An INSERT … SELECT with the triggers (audit history, facts) off for the statement: 10,000 rows through them
    take 5-10 s here, and the exports read the rows themselves."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _clone(iqa, count, *, answers=False):
    """`count` copies of an IQA (and of its answers, if asked), in one statement each."""
    before = Assessment.objects.order_by("-pk").values_list("pk", flat=True).first()
    columns = ", ".join(f'"{f.column}"' for f in Assessment._meta.concrete_fields if not f.primary_key)
    _insert(
        f"INSERT INTO assessments_assessment ({columns}) SELECT {columns} "  # noqa: S608
        "FROM assessments_assessment, generate_series(1, %s) WHERE id = %s",
        [count, iqa.pk],
    )
    if answers:
        _insert(
            "INSERT INTO assessments_answer (assessment_id, question_id, value, comment) "
            "SELECT copy.id, a.question_id, a.value, a.comment FROM assessments_answer a, assessments_assessment copy "
            "WHERE a.assessment_id = %s AND copy.id > %s",
            [iqa.pk, before],
        )
    # Fresh statistics, as after any bulk load (seed_demo does the same): with the tables' figures from earlier tests
    # the planner may join the copies in a loop over every row, minutes instead of seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_assessment, assessments_answer")


def test_the_drilldown_export_streams_every_chunk_in_the_same_queries(
    client, performance_viewer, small_dataset, monkeypatch
):
    monkeypatch.setattr(exports, "STREAM_CHUNK_SIZE", 10)
    client.force_login(performance_viewer)
    few, rows = _counted(client, lambda: _export(client))
    assert len(rows) == 1 + 4
    _clone(small_dataset["a"], 5)
    same_chunk, rows = _counted(client, lambda: _export(client))
    assert (len(rows), same_chunk) == (1 + 9, few)
    _clone(small_dataset["a"], 10)
    # One more chunk, no more queries: its assessors, assessed people and cases are joined in the one stream.
    one_more, rows = _counted(client, lambda: _export(client))
    assert (len(rows), one_more) == (1 + 19, few)


def test_the_drilldown_export_goes_past_the_old_cap(client, performance_viewer, small_dataset):
    _clone(small_dataset["a"], OLD_CAP)
    client.force_login(performance_viewer)
    rows = _rows(_export(client))
    assert len(rows) == 1 + OLD_CAP + 4
    assert len({row[0] for row in rows[1:]}) == OLD_CAP + 4


def test_the_drilldown_page_says_the_xlsx_keeps_fewer_rows(client, performance_viewer, small_dataset, monkeypatch):
    client.force_login(performance_viewer)
    url = reverse("reporting:drilldown")
    assert 'data-testid="xlsx-limit"' not in client.get(url, {"period": Q3.label}).content.decode()
    monkeypatch.setattr(exports, "XLSX_ROW_LIMIT", 2)
    assert "The CSV download has all 4 rows" in client.get(url, {"period": Q3.label}).content.decode()


@pytest.fixture
def comments_viewer(org):
    reader = PersonFactory()
    RoleGrantFactory(person=reader, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    return reader


def _comments(client):
    return client.get(reverse("reporting:comments_export", args=["csv"]), {"period": Q3.label})


def test_it_streams_every_comment_in_one_query_past_the_chunk(client, comments_viewer, small_dataset, monkeypatch):
    client.force_login(comments_viewer)
    answer(small_dataset["c"], "Q18", AnswerValue.NOT_MET_OTHER, comment="Court listed it late.")
    whole = _rows(_comments(client))
    monkeypatch.setattr(exports, "STREAM_CHUNK_SIZE", 1)
    queries, chunked = _counted(client, lambda: _comments(client))
    assert chunked == whole and len(chunked) > 2
    Answer.objects.filter(assessment=small_dataset["a"]).update(comment="Well reasoned.")
    more_queries, more = _counted(client, lambda: _comments(client))
    assert len(more) > len(chunked) and more_queries == queries, "the teams and questions are joined, not fetched"


def test_the_comments_export_goes_past_the_old_cap(client, comments_viewer, small_dataset):
    iqa = small_dataset["a"]
    Answer.objects.filter(assessment=iqa).update(comment="Fine.")
    copies = OLD_CAP // Answer.objects.filter(assessment=iqa).count() + 1
    _clone(iqa, copies, answers=True)
    client.force_login(comments_viewer)
    rows = _rows(_comments(client))
    assert len(rows) - 1 > OLD_CAP
    assert sum(row[-1] == "Fine." for row in rows) == (copies + 1) * Answer.objects.filter(assessment=iqa).count()
