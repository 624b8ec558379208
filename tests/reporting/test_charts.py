"""Charts: server-drawn SVG of the dashboard's figures, inline beside each data table and drawn from it (one
computation per page), no inline script or style; reporting:chart still serves each as an image."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from reporting import charts
from reporting.stats import Rate
from reporting.views import dashboard as dashboard_views
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


def _inline_charts(body: str) -> dict[str, ElementTree.Element]:
    """Each chart drawn in the page, parsed, by the name of the table it draws."""
    figures = re.findall(r'<figure[^>]*data-testid="chart-(\w+)">\s*(<svg.*?</svg>)', body, re.DOTALL)
    return {name: ElementTree.fromstring(svg) for name, svg in figures}  # noqa: S314 - our own output


def _bars(svg: ElementTree.Element) -> dict[str, str | None]:
    """Each bar's label and drawn width (None where there is nothing to draw), in the order drawn."""
    bars, label = {}, None
    for element in svg:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "text" and element.get("text-anchor") == "end":
            label = element.text
            bars[label] = None
        elif tag == "rect" and element.get("x") is not None and label is not None:
            bars[label] = element.get("width")
    return bars


def _width(rate, plot_width=charts.WIDTH - charts.LABEL_WIDTH - 20) -> str | None:
    return None if rate.value is None else f"{plot_width * rate.value:.1f}"


@pytest.mark.parametrize("page", ["reporting:dashboard", "reporting:committee_pack"])
def test_it_draws_each_chart_inline_beside_its_table_without_requesting_it(
    client, performance_viewer, small_dataset, page
):
    client.force_login(performance_viewer)
    body = client.get(reverse(page), {"period": Q3.label}).content.decode()
    drawn = _inline_charts(body)
    assert set(drawn) == {"questions", "trend", "timing"}
    for name, svg in drawn.items():
        assert f'data-testid="table-{name}"' in body
        assert svg.get("aria-label") == dashboard_views.CHARTS[name]
        assert all("style" not in element.attrib and not element.tag.endswith("style") for element in svg.iter())
    # No page asks for the chart images: a dashboard view is one computation.
    assert reverse("reporting:chart", args=["questions"]).rsplit("/", 1)[0] not in body
    assert not re.search(r"<img[^>]*chart", body)
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert not re.search(r"<style", body)
    assert not re.search(r"<[^>]+\sstyle=", body)


@pytest.mark.parametrize("team", [None, "team_a1a"])
def test_it_draws_the_bars_from_the_tables_figures(client, performance_viewer, org, small_dataset, team):
    client.force_login(performance_viewer)
    params = {"period": Q3.label, **({"team": getattr(org, team).pk} if team else {})}
    response = client.get(reverse("reporting:dashboard"), params)
    page_tables = {table.name: table for table in response.context["tables"]}
    drawn = {name: _bars(svg) for name, svg in _inline_charts(response.content.decode()).items()}

    questions = page_tables["questions"].rows  # activity, code, wording, answers not N/A, fully met, …
    assert drawn["questions"] == {f"{row[1].value} {row[0].value}": _width(row[4].value) for row in questions}
    assert drawn["trend"] == {row[0].value: _width(row[1].value) for row in page_tables["trend"].rows}
    timing = page_tables["timing"].rows
    counts = [(row[0].value, row[1].value) for row in timing] + [(row[3].value, row[4].value) for row in timing]
    largest = max(count for _, count in counts)
    plot_width = charts.WIDTH - charts.LABEL_WIDTH - 60
    assert drawn["timing"] == {label: f"{plot_width * count / largest:.1f}" for label, count in counts}
    if team:  # hand-counted: Q9 of case progression fully met in 1 of team A1a's 2 IQAs (b's not met)
        assert drawn["questions"]["Q9 Case progression"] == "210.0"


def test_the_chart_image_draws_what_the_dashboard_draws(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    params = {"period": Q3.label, "team": org.team_a1a.pk}
    drawn = _inline_charts(client.get(reverse("reporting:dashboard"), params).content.decode())
    assert set(drawn) == set(dashboard_views.CHARTS)
    for name, svg in drawn.items():
        image = client.get(reverse("reporting:chart", args=[name]), params).content
        assert _bars(ElementTree.fromstring(image)) == _bars(svg)  # noqa: S314 - our own output


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
