"""Charts: server-drawn SVG images of the dashboard's figures, each beside its data table, no inline script."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from reporting import charts
from reporting.stats import Rate
from tests.reporting.conftest import Q3

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["questions", "trend", "timing"])
def test_it_draws_each_chart_as_svg_in_scope(client, performance_viewer, small_dataset, name):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:chart", args=[name]), {"period": Q3.label})
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    assert b"<script" not in response.content


def test_it_draws_a_bar_per_question_with_its_interval(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    svg = client.get(reverse("reporting:chart", args=["questions"]), {"period": Q3.label}).content.decode()
    assert "Q9 Case progression" in svg
    assert 'stroke="#fd7e14"' in svg  # interval whiskers


def test_it_escapes_labels():
    svg = charts.rate_bars("<b>", [charts.Bar("<script>", Rate(1, 2))])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_it_shows_each_chart_beside_its_table_without_inline_script(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    body = client.get(reverse("reporting:dashboard"), {"period": Q3.label}).content.decode()
    for name in ("questions", "trend", "timing"):
        assert f'data-testid="chart-{name}"' in body
        assert f'data-testid="table-{name}"' in body
    assert "<svg" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert not re.search(r"<style", body)


def test_it_keeps_charts_from_outsiders(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:chart", args=["questions"])).status_code == 404


def test_it_is_a_404_for_an_unknown_chart(client, performance_viewer):
    client.force_login(performance_viewer)
    assert client.get(reverse("reporting:chart", args=["pie"])).status_code == 404


@pytest.mark.parametrize(("name", "queries"), [("questions", 8), ("trend", 8), ("timing", 8)])
def test_it_draws_charts_in_constant_queries(
    client, performance_viewer, org, django_assert_num_queries, small_dataset, name, queries
):
    # session, user, roles held, purview; the chart's figures (1: its table's); session save (3)
    client.force_login(performance_viewer)
    with django_assert_num_queries(queries):
        client.get(reverse("reporting:chart", args=[name]), {"period": Q3.label})
