"""Journeys: recording an IQA as an assessor meets it, and reading it as the assessed person and an outsider.

The assessor (over team A1a) records case-progression IQAs of Alex Assessed's work: a "Not met" without its
reason is sent back with the error beside the question and nothing typed lost; a draft survives the browser
closing; a session ended on the server keeps what was typed through the log-in; a double-clicked "Record"
records one IQA.
"""

import re
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import services
from assessments.forms import IQAForm, question_sets_for
from assessments.models import Activity, Assessment, Case, Draft
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

QUESTIONS = [f"Q{number}" for number in range(9, 18)]
DRAFT_URL = re.compile(r"/iqas/drafts/[0-9a-f-]{36}/$")
# A redirect keeps the fragment of the page it came from (e.g. #id_Q9-reasons_0 after an error summary link).
IQA_URL = re.compile(r"/iqas/(\d+)/(#[\w-]*)?$")
URN = "42AB0123426"
Q9_REASON = "No prosecution strategy formed or recorded"
REASON_MISSING = "Choose at least one reason why the standard was not met."


@pytest.fixture
def people(transactional_db, assessor, assessed, outsider):
    """The personas, made in the live server's database (a transactional test: the server sees every row)."""
    return {"assessor": assessor, "assessed": assessed, "outsider": outsider}


# Helpers: what a user does on the pages.


def question(page: Page, code: str):
    return page.locator(f"fieldset[data-question={code}]")


def choose(page: Page, code: str, answer: str) -> None:
    question(page, code).get_by_label(answer, exact=True).check()


def comment_box(page: Page, code: str):
    return question(page, code).get_by_role("textbox", name="Comment")


def field(page: Page, label: str):
    # Required fields' labels end with crispy-forms' "*".
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\b"))


def autosave_status(page: Page):
    return page.locator("#autosave-status")


def start_iqa(page: Page, assessed) -> None:
    """From the home page: "Record an IQA", whose work, the activity and the date, then on to the questions."""
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Record an IQA", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Start an IQA"
    field(page, "Whose work").select_option(label=assessed.full_name)
    page.get_by_label("Case progression", exact=True).check()
    field(page, "Date the work was done").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to the questions").click()
    assert DRAFT_URL.search(page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Record an IQA"
    expect(page.get_by_test_id("iqa-header")).to_contain_text(assessed.full_name)


def fill_case(page: Page, urn: str = URN) -> None:
    field(page, "URN").fill(urn)
    page.get_by_label("Live", exact=True).check()
    field(page, "Stage").select_option(label="Before trial")
    # A new draft opens "Registration details": the unit is the assessed person's, the court is chosen.
    expect(page.get_by_test_id("registration")).to_have_attribute("open", "")
    field(page, "Unit").select_option(label="Unit A1 (Area A)")
    page.get_by_label("Magistrates' court", exact=True).check()


def record(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Record the IQA").click()


def autosaved_with(page: Page, action, **expected: str) -> None:
    """Do `action` and wait until an autosave carrying `expected` (field: value) has been answered."""

    def carries(response) -> bool:
        if not response.url.endswith("/autosave/") or response.request.method != "POST":
            return False
        posted = parse_qs(response.request.post_data or "", keep_blank_values=True)
        return all(posted.get(name) == [value] for name, value in expected.items())

    with page.expect_response(carries) as response:
        action()
    assert response.value.status == 200
    expect(autosave_status(page)).to_contain_text("Draft saved at")


def iqa_page_answers(page: Page):
    return page.get_by_test_id("answers")


def answer_row(page: Page, code: str):
    return iqa_page_answers(page).locator("tr").filter(has=page.locator(f"th .badge:text-is('{code}')"))


def test_a_not_met_without_a_reason_is_sent_back_with_everything_kept_then_recorded(
    people, org, new_page, log_in, page_checks, live_server
):
    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    start_iqa(page, people["assessed"])
    page_checks.assets_loaded(page)
    page_checks.accessible(page)
    draft_url = page.url

    fill_case(page)
    choose(page, "Q9", "Not met")
    # Choosing "Not met" opens the question's reasons (static/js/iqa_form.js): the assessor does not tick one.
    expect(question(page, "Q9").locator("details.reasons")).to_have_attribute("open", "")
    comment_box(page, "Q9").fill("No strategy on file for the trial.")
    for code in QUESTIONS[1:]:
        choose(page, code, "Fully met")
    choose(page, "Q12", "Not applicable")
    choose(page, "Q13", "Not met – other")
    comment_box(page, "Q13").fill("The police sent the witness list late.")
    comment_box(page, "Q15").fill("Custody time limits well managed.")
    page.get_by_label("Overall comment").fill("A careful file apart from the strategy.")

    record(page)

    # Sent back to the same form, not recorded, with the error beside Q9 and in the summary.
    assert page.url == draft_url
    assert Assessment.objects.count() == 0
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("1 thing needs attention")
    expect(summary).to_contain_text("Nothing you typed has been lost.")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_text(f"Q9: {REASON_MISSING}")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"
    q9 = question(page, "Q9")
    expect(q9).to_contain_text(REASON_MISSING)
    expect(q9.locator("details.reasons")).to_have_attribute("open", "")
    expect(q9.get_by_label(Q9_REASON)).to_be_visible()
    for code in QUESTIONS[1:]:
        expect(question(page, code)).not_to_contain_text(REASON_MISSING)
    expect(page.locator("fieldset[data-question].border-danger")).to_have_count(1)
    # The error summary and the errors beside the fields are readable: contrast, names, roles.
    page_checks.accessible(page)

    # Nothing typed is lost.
    expect(field(page, "URN")).to_have_value(URN)
    expect(page.get_by_label("Live", exact=True)).to_be_checked()
    expect(field(page, "Stage")).to_have_value("before_trial")
    expect(field(page, "Unit")).to_have_value(str(org.unit_a1.pk))
    expect(page.get_by_label("Magistrates' court", exact=True)).to_be_checked()
    expect(q9.get_by_label("Not met", exact=True)).to_be_checked()
    expect(comment_box(page, "Q9")).to_have_value("No strategy on file for the trial.")
    expect(question(page, "Q10").get_by_label("Fully met", exact=True)).to_be_checked()
    expect(question(page, "Q12").get_by_label("Not applicable", exact=True)).to_be_checked()
    expect(question(page, "Q13").get_by_label("Not met – other", exact=True)).to_be_checked()
    expect(comment_box(page, "Q13")).to_have_value("The police sent the witness list late.")
    expect(comment_box(page, "Q15")).to_have_value("Custody time limits well managed.")
    expect(question(page, "Q17").get_by_label("Fully met", exact=True)).to_be_checked()
    expect(page.get_by_label("Overall comment")).to_have_value("A careful file apart from the strategy.")

    # The summary's link leads to the reasons; the assessor ticks one and records.
    summary.get_by_role("link").click()
    q9.get_by_label(Q9_REASON).check()
    record(page)

    match = IQA_URL.search(page.url)
    assert match, page.url
    assessment = Assessment.objects.get()
    assert int(match.group(1)) == assessment.pk
    expect(page.get_by_role("status").filter(has_text="The IQA has been recorded.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"IQA {assessment.pk}: Case progression")
    summary = page.get_by_test_id("iqa-summary")
    expect(summary).to_contain_text("Alex Assessed")
    expect(summary).to_contain_text(f"{URN}, Magistrates' court, live, before trial")
    expect(summary).to_contain_text("A careful file apart from the strategy.")
    expect(iqa_page_answers(page).locator("tbody tr")).to_have_count(len(QUESTIONS))
    q9_row = answer_row(page, "Q9")
    expect(q9_row.locator("td").first).to_have_text("Not met")
    expect(q9_row.get_by_role("listitem")).to_have_text([Q9_REASON])
    expect(q9_row).to_contain_text("No strategy on file for the trial.")
    expect(answer_row(page, "Q10").locator("td").first).to_have_text("Fully met")
    expect(answer_row(page, "Q12").locator("td").first).to_have_text("Not applicable")
    expect(answer_row(page, "Q13").locator("td").first).to_have_text("Not met – other")
    expect(answer_row(page, "Q13")).to_contain_text("The police sent the witness list late.")
    expect(answer_row(page, "Q15")).to_contain_text("Custody time limits well managed.")

    page_checks.assets_loaded(page)
    page_checks.accessible(page)
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors


def test_a_draft_survives_closing_the_browser(people, new_page, log_in, page_checks, live_server):
    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    start_iqa(page, people["assessed"])
    draft_url = page.url
    expect(autosave_status(page)).to_have_text("Your answers are saved as a draft as you type.")

    fill_case(page, urn="42ab 01234 26")  # typed loosely: kept as typed in the draft
    choose(page, "Q9", "Not met")
    question(page, "Q9").get_by_label(Q9_REASON).check()
    comment_box(page, "Q9").fill("Strategy missing at the first review.")
    choose(page, "Q10", "Fully met")
    choose(page, "Q11", "Not applicable")
    page.get_by_label("Overall comment").fill("Half done: to finish tomorrow.")
    # Leaving the last box (Tab) saves at once; wait for the save that carries it.
    autosaved_with(page, lambda: page.keyboard.press("Tab"), overall_comment="Half done: to finish tomorrow.")
    assert page.console_errors == [], page.console_errors

    page.context.close()  # the whole browser session goes: its cookies too

    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    assert page.url == live_server.url + "/"
    drafts = page.get_by_test_id("draft-list")
    expect(drafts.get_by_role("link")).to_have_count(1)
    link = drafts.get_by_role("link", name=re.compile(r"^Alex Assessed, Case progression, work of "))
    with page.expect_navigation():
        link.click()
    assert page.url == draft_url

    expect(autosave_status(page)).to_contain_text("Draft saved at")
    expect(field(page, "URN")).to_have_value("42ab 01234 26")
    expect(page.get_by_label("Live", exact=True)).to_be_checked()
    expect(field(page, "Stage")).to_have_value("before_trial")
    expect(page.get_by_label("Magistrates' court", exact=True)).to_be_checked()
    expect(question(page, "Q9").get_by_label("Not met", exact=True)).to_be_checked()
    expect(question(page, "Q9").locator("details.reasons")).to_have_attribute("open", "")
    expect(question(page, "Q9").get_by_label(Q9_REASON)).to_be_checked()
    expect(comment_box(page, "Q9")).to_have_value("Strategy missing at the first review.")
    expect(question(page, "Q10").get_by_label("Fully met", exact=True)).to_be_checked()
    expect(question(page, "Q11").get_by_label("Not applicable", exact=True)).to_be_checked()
    for code in QUESTIONS[3:]:
        expect(question(page, code).get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.get_by_label("Overall comment")).to_have_value("Half done: to finish tomorrow.")

    for code in QUESTIONS[3:]:
        choose(page, code, "Fully met")
    record(page)

    assert IQA_URL.search(page.url), page.url
    assessment = Assessment.objects.get()
    assert assessment.case.urn == URN  # stored one way
    expect(page.get_by_test_id("iqa-summary")).to_contain_text("Half done: to finish tomorrow.")
    expect(answer_row(page, "Q9")).to_contain_text(Q9_REASON)
    expect(answer_row(page, "Q9")).to_contain_text("Strategy missing at the first review.")
    expect(answer_row(page, "Q11").locator("td").first).to_have_text("Not applicable")
    expect(answer_row(page, "Q17").locator("td").first).to_have_text("Fully met")

    # The draft is done: the home page no longer lists it.
    page.goto("/")
    expect(page.get_by_test_id("no-drafts")).to_be_visible()
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors


def _recorded_iqa(assessor, assessed, unit) -> Assessment:
    """An IQA recorded the way the form records one (the recording itself is the first test's journey)."""
    draft = services.draft_start(
        owner=assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=timezone.localdate()
    )
    main, extra = question_sets_for(draft.activity, draft.work_date, draft.with_disclosure)
    data = {
        "urn": URN,
        "unit": str(unit.pk),
        "court": "crown",
        "status": "live",
        "stage": "trial",
        "overall_comment": "Good preparation overall.",
    }
    for code in QUESTIONS:
        data[f"{code}-answer"] = "fully_met"
        data[f"{code}-comment"] = ""
    data.update(
        {
            "Q14-answer": "not_met",
            "Q14-reasons": ["Q14.1"],
            "Q14-comment": "Initial disclosure was served a week late.",
            "Q16-comment": "Special measures sought in good time.",
        }
    )
    form = IQAForm(data, draft=draft, question_set=main, disclosure_set=extra)
    assert form.is_valid(), form.errors
    assessment, created = services.iqa_record(draft_id=draft.pk, assessor=assessor, entry=form.entry())
    assert created
    return assessment


def test_the_assessed_person_sees_the_iqa_and_an_outsider_gets_a_404(
    people, org, new_page, log_in, page_checks, live_server
):
    assessment = _recorded_iqa(people["assessor"], people["assessed"], org.unit_a1)
    reason = assessment.answers.get(question__code="Q14").reasons.get().text

    page = new_page()
    log_in(page, people["assessed"].email, PASSWORD)
    assert page.url == live_server.url + "/"
    expect(page.get_by_test_id("own-assessments-count")).to_have_text("1 IQA of your work in the last six months.")
    page_checks.accessible(page)

    with page.expect_navigation():
        page.locator("[data-testid=main-navigation] a[data-nav=own_iqas]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IQAs of my work")
    expect(page.get_by_test_id("recent-count")).to_contain_text("1 IQA of your work in the last six months")
    rows = page.get_by_test_id("iqa-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Dana Assessor")
    expect(rows.first).to_contain_text("Case progression")
    expect(rows.first).to_contain_text(URN)
    page_checks.accessible(page)
    with page.expect_navigation():
        rows.first.get_by_role("link", name=f"View IQA {assessment.pk}").click()

    assert page.url == f"{live_server.url}/iqas/{assessment.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"IQA {assessment.pk}: Case progression")
    expect(page.get_by_test_id("iqa-summary")).to_contain_text("Dana Assessor")
    expect(page.get_by_test_id("iqa-summary")).to_contain_text("Good preparation overall.")
    q14 = answer_row(page, "Q14")
    expect(q14.locator("td").first).to_have_text("Not met")
    expect(q14).to_contain_text(reason)
    expect(q14).to_contain_text("Initial disclosure was served a week late.")
    expect(answer_row(page, "Q16")).to_contain_text("Special measures sought in good time.")
    expect(answer_row(page, "Q9").locator("td").first).to_have_text("Fully met")
    # Reading it, not managing it.
    expect(page.get_by_role("heading", name="Manage this IQA")).to_have_count(0)
    page_checks.accessible(page)
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors

    outsider = new_page()
    log_in(outsider, people["outsider"].email, PASSWORD)
    expect(outsider.get_by_test_id("own-assessments-count")).to_have_text("0 IQAs of your work in the last six months.")
    response = outsider.goto(f"/iqas/{assessment.pk}/")
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(outsider.get_by_text("Initial disclosure was served a week late.")).to_have_count(0)
    page_checks.accessible(outsider)
    page_checks.no_csp_violations(outsider)


def test_a_session_ended_on_the_server_keeps_what_was_typed_through_the_log_in(
    people, new_page, log_in, page_checks, live_server
):
    from django.contrib.sessions.models import Session

    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    start_iqa(page, people["assessed"])
    draft_path = page.url.removeprefix(live_server.url)

    fill_case(page)
    for code in QUESTIONS:
        choose(page, code, "Fully met")
    choose(page, "Q17", "Not met")
    question(page, "Q17").get_by_label("Record not made promptly").check()
    comment_box(page, "Q17").fill("Review notes added two weeks later.")
    autosaved_with(page, lambda: page.keyboard.press("Tab"), **{"Q17-comment": "Review notes added two weeks later."})

    # The session ends on the server (as after a restart of the session store, or an administrator's log-out).
    Session.objects.all().delete()

    # Typed after the session ended, so it can only come back through what the Record post kept.
    page.get_by_label("Overall comment").fill("Typed after the session ended.")
    record(page)

    assert page.url == f"{live_server.url}/accounts/login/?next={draft_path}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("status").filter(has_text="Your session had ended")).to_contain_text(
        "what you typed has been kept"
    )
    assert Assessment.objects.count() == 0

    log_in(page, people["assessor"].email, PASSWORD, path=None)

    assert page.url == live_server.url + draft_path
    expect(page.get_by_role("status").filter(has_text="What you typed is back below")).to_be_visible()
    expect(page.get_by_label("Overall comment")).to_have_value("Typed after the session ended.")
    expect(field(page, "URN")).to_have_value(URN)
    expect(field(page, "Stage")).to_have_value("before_trial")
    expect(question(page, "Q17").get_by_label("Not met", exact=True)).to_be_checked()
    expect(question(page, "Q17").get_by_label("Record not made promptly")).to_be_checked()
    expect(comment_box(page, "Q17")).to_have_value("Review notes added two weeks later.")
    expect(question(page, "Q9").get_by_label("Fully met", exact=True)).to_be_checked()
    # ...and it is in the draft on the server again, not only on this page.
    draft = Draft.objects.get()
    assert draft.data["overall_comment"] == ["Typed after the session ended."]

    record(page)

    assert IQA_URL.search(page.url), page.url
    expect(page.get_by_role("status").filter(has_text="The IQA has been recorded.")).to_be_visible()
    expect(page.get_by_test_id("iqa-summary")).to_contain_text("Typed after the session ended.")
    expect(answer_row(page, "Q17")).to_contain_text("Record not made promptly")
    expect(answer_row(page, "Q17")).to_contain_text("Review notes added two weeks later.")
    assert Assessment.objects.count() == 1
    page_checks.no_csp_violations(page)


def _ready_to_record(page: Page, people, comment: str) -> str:
    start_iqa(page, people["assessed"])
    fill_case(page)
    for code in QUESTIONS:
        choose(page, code, "Fully met")
    page.get_by_label("Overall comment").fill(comment)
    return page.url


def _assert_one_iqa(page: Page, live_server, comment: str) -> None:
    assert Assessment.objects.count() == 1
    assert Case.objects.filter(urn=URN).count() == 1
    assessment = Assessment.objects.get()
    assert Draft.objects.get().submitted_as_id == assessment.pk
    assert page.url == f"{live_server.url}/iqas/{assessment.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"IQA {assessment.pk}: Case progression")
    expect(page.get_by_test_id("iqa-summary")).to_contain_text(comment)


def test_a_double_clicked_record_records_one_iqa(people, new_page, log_in, page_checks, live_server):
    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    _ready_to_record(page, people, "Recorded with a double click.")

    with page.expect_navigation(url=IQA_URL):
        page.get_by_role("button", name="Record the IQA").dblclick()

    _assert_one_iqa(page, live_server, "Recorded with a double click.")
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors


def test_the_form_posted_twice_at_once_records_one_iqa(people, new_page, log_in, live_server):
    """Chromium merges a fast double click into one post; a slower browser or a retry sends two at once."""
    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    draft_url = _ready_to_record(page, people, "Posted twice at once.")

    # The form as the button submits it, posted twice without waiting for the first answer.
    landed = page.evaluate(
        """async () => {
            // Not form.action: the submit button is named "action", which shadows that property.
            const form = document.getElementById("iqa-form");
            const post = () => {
                const data = new FormData(form);
                data.append("action", "record");
                return fetch(window.location.href, {method: "POST", body: data, credentials: "same-origin"})
                    .then((response) => ({status: response.status, url: response.url}));
            };
            return Promise.all([post(), post()]);
        }"""
    )

    assert page.url == draft_url
    assert [answer["status"] for answer in landed] == [200, 200], landed
    assert landed[0]["url"] == landed[1]["url"], landed
    assert IQA_URL.search(landed[0]["url"]), landed
    page.goto(landed[0]["url"])
    _assert_one_iqa(page, live_server, "Posted twice at once.")


def test_recording_the_same_work_again_warns_and_needs_a_confirmation(
    people, org, new_page, log_in, page_checks, live_server
):
    earlier = _recorded_iqa(people["assessor"], people["assessed"], org.unit_a1)
    page = new_page()
    log_in(page, people["assessor"].email, PASSWORD)
    # Started afresh (not from "Assess another case"): the same person, activity, date of the work and case.
    draft_url = _ready_to_record(page, people, "A second look at the same file.")
    comment_box(page, "Q9").fill("Strategy clear and recorded.")
    record(page)

    assert page.url == draft_url
    assert Assessment.objects.count() == 1
    warning = page.get_by_test_id("same-work")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        f"An IQA of Alex Assessed’s case progression work on {timezone.localdate():%-d %B %Y} for case {URN} "
        "was already recorded by Dana Assessor"
    )
    expect(warning.get_by_role("link", name=f"IQA {earlier.pk}")).to_have_attribute("href", f"/iqas/{earlier.pk}/")
    expect(page.get_by_test_id("error-summary")).to_contain_text("Record it anyway")
    # Nothing typed is lost while the warning shows.
    expect(page.get_by_label("Overall comment")).to_have_value("A second look at the same file.")
    expect(comment_box(page, "Q9")).to_have_value("Strategy clear and recorded.")
    expect(question(page, "Q17").get_by_label("Fully met", exact=True)).to_be_checked()

    warning.get_by_label("Record it anyway").check()
    record(page)

    match = IQA_URL.search(page.url)
    assert match, page.url
    second = Assessment.objects.get(pk=int(match.group(1)))
    assert second.pk != earlier.pk and second.half_day_id == earlier.half_day_id
    expect(page.get_by_role("status").filter(has_text="The IQA has been recorded.")).to_be_visible()
    expect(page.get_by_test_id("iqa-summary")).to_contain_text(f"IQA {earlier.pk} ({URN})")  # the same half-day
    expect(answer_row(page, "Q9")).to_contain_text("Strategy clear and recorded.")
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors
