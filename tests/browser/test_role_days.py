"""Each role's day, from the home page, through links and buttons only, with axe run on every page reached.

Each test signs a persona in (the log-in page is the only address typed), then does the work of that role's day
by clicking what a user would click, checking what the user should see at each step and running axe-core (WCAG 2.2
A/AA, no serious or critical violation) on every page it reaches. The data each day needs is made with the
factories. The case review manager's and the group leader's work on case reviews themselves (open, edit, close,
reopen) is walked in its own module.
"""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from assessments.challenges import challenge_raise
from assessments.models import (
    Acknowledgement,
    Activity,
    AnswerValue,
    Assessment,
    Challenge,
    Feedback,
    QuestionSet,
    Reason,
)
from dipsampling.models import DipSample
from organisation.models import PurviewLevel, Role
from qa_platform.periods import last_quarter
from scrutiny import closed_sample, services
from scrutiny.models import DecidedBy, Decision
from tests.browser.axe import assert_accessible
from tests.browser.test_iqa_recording import choose, field, fill_case
from tests.factories import PASSWORD, AssessmentFactory, PersonFactory, RoleGrantFactory
from tests.scrutiny.factories import CaseReviewFactory

pytestmark = pytest.mark.browser

NAV = "[data-testid=main-navigation]"
CASE_PROGRESSION_QUESTIONS = [f"Q{number}" for number in range(9, 18)]


class Day:
    """One persona's browser tab, moved on only by clicking: every page it reaches is checked with axe."""

    def __init__(self, page: Page):
        self.page = page

    def check(self) -> None:
        assert_accessible(self.page)

    def follow(self, target: Locator) -> None:
        """Click a link or a button that loads a page, then check the page reached."""
        with self.page.expect_navigation():
            target.click()
        self.page.wait_for_load_state("load")
        self.check()

    def nav(self, key: str) -> None:
        self.follow(self.page.locator(f"{NAV} a[data-nav={key}]"))

    def link(self, name, *, within: Locator | Page | None = None, exact: bool = True) -> None:
        self.follow((within or self.page).get_by_role("link", name=name, exact=exact).first)

    def button(self, name, *, within: Locator | Page | None = None, exact: bool = True) -> None:
        self.follow((within or self.page).get_by_role("button", name=name, exact=exact).first)

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def status(self, text: str) -> Locator:
        return self.page.get_by_role("status").filter(has_text=text)


@pytest.fixture
def start_day(new_page, log_in):
    """Sign a persona in through the log-in form: the home page is where each day starts."""

    def start(person) -> Day:
        page = new_page()
        log_in(page, person.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {person.get_short_name()}")
        day = Day(page)
        day.check()
        return day

    return start


def iqa_pk(page: Page) -> int:
    match = re.search(r"/iqas/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


# --- The assessor ---------------------------------------------------------------------------------------------


def answer_every_question_fully_met(page: Page) -> None:
    for code in CASE_PROGRESSION_QUESTIONS:
        choose(page, code, "Fully met")


def test_the_assessors_day(transactional_db, org, assessor, assessed, start_day):
    """Feedback overdue on the home card is recorded from there; then two IQAs from one half-day are recorded,
    found in "My IQAs", and the feedback on the new one given."""
    three_weeks_ago = timezone.now() - timedelta(days=21)
    overdue = AssessmentFactory(
        assessor=assessor,
        assessed=assessed,
        team=org.team_a1a,
        work_date=timezone.localdate(three_weeks_ago),
        recorded_at=three_weeks_ago,
    )
    day = start_day(assessor)
    page = day.page

    # The home card lists the IQA whose feedback is overdue; the assessor records the feedback from it.
    card = page.get_by_test_id("home-feedback")
    expect(card.get_by_test_id("overdue-feedback")).to_contain_text(f"IQA {overdue.pk}")
    expect(card.get_by_test_id("overdue-feedback")).to_contain_text("Alex Assessed")
    expect(page.get_by_test_id("no-drafts")).to_be_visible()
    day.link(f"IQA {overdue.pk}", within=card)
    expect(day.heading()).to_have_text(f"IQA {overdue.pk}: Case progression")
    section = page.get_by_test_id("feedback")
    expect(section.get_by_test_id("feedback-status")).to_contain_text("overdue")
    section.get_by_label("Face to face", exact=True).check()
    section.get_by_label("Positive points").fill("A thorough review of the disclosure schedule.")
    day.button("Record the feedback")
    expect(day.status("The feedback is recorded.")).to_be_visible()
    expect(page.get_by_test_id("feedback-given")).to_contain_text("A thorough review of the disclosure schedule.")

    day.nav("home")
    expect(page.get_by_test_id("overdue-feedback-empty")).to_be_visible()

    # Record an IQA: whose work, the activity and the date, then the case and the answers.
    day.link("Record an IQA")
    expect(day.heading()).to_have_text("Start an IQA")
    field(page, "Whose work").select_option(label=assessed.full_name)
    page.get_by_label("Case progression", exact=True).check()
    field(page, "Date the work was done").fill(timezone.localdate().isoformat())
    day.button("Continue to the questions")
    expect(day.heading()).to_have_text("Record an IQA")
    expect(page.get_by_test_id("iqa-header")).to_contain_text("Alex Assessed")
    fill_case(page, "01XY0000126")
    answer_every_question_fully_met(page)
    page.get_by_label("Overall comment").fill("A well-run file.")
    day.button("Record the IQA")
    expect(day.status("The IQA has been recorded.")).to_be_visible()
    first = iqa_pk(page)
    expect(page.get_by_test_id("iqa-summary")).to_contain_text("A well-run file.")

    # A second case from the same half-day: the person, activity and date carry over.
    day.button("Assess another case from this half-day")
    expect(page.get_by_test_id("iqa-header")).to_contain_text("Alex Assessed")
    fill_case(page, "01XY0000226")
    answer_every_question_fully_met(page)
    day.button("Record the IQA")
    expect(day.status("The IQA has been recorded.")).to_be_visible()
    second = iqa_pk(page)
    assert second != first
    expect(page.get_by_test_id("iqa-summary")).to_contain_text(f"IQA {first} (01XY0000126)")
    assert Assessment.objects.get(pk=first).half_day_id == Assessment.objects.get(pk=second).half_day_id

    # "My IQAs" lists all three; the assessor opens the first of today's and records the feedback given.
    day.nav("assessor")
    expect(day.heading()).to_have_text("My IQAs")
    table = page.get_by_test_id("iqa-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).to_contain_text("01XY0000126")
    expect(table).to_contain_text("01XY0000226")
    day.link(f"View IQA {first}", within=table)
    expect(day.heading()).to_have_text(f"IQA {first}: Case progression")
    section = page.get_by_test_id("feedback")
    section.get_by_label("Video call", exact=True).check()
    section.get_by_label("Issues to address").fill("Note the reasons for each review decision.")
    day.button("Record the feedback")
    expect(day.status("The feedback is recorded.")).to_be_visible()
    assert Feedback.objects.filter(assessment_id__in=[overdue.pk, first]).count() == 2
    assert page.console_errors == [], page.console_errors


# --- The assessed person ----------------------------------------------------------------------------------------


def test_the_assessed_persons_day(transactional_db, org, assessor, assessed, dip_sampler, start_day):
    """The home card lists the IQA waiting for acknowledgement; the assessed person reads it, acknowledges it with a
    response and challenges an answer, then finds it among the IQAs of their work."""
    iqa = AssessmentFactory(
        assessor=assessor, assessed=assessed, team=org.team_a1a, work_date=timezone.localdate() - timedelta(days=1)
    )
    day = start_day(assessed)
    page = day.page

    waiting = page.get_by_test_id("awaiting-acknowledgement")
    expect(waiting).to_contain_text(f"IQA {iqa.pk}: Case progression work")
    expect(waiting).to_contain_text("by Dana Assessor")
    day.link(f"IQA {iqa.pk}", within=waiting)
    expect(day.heading()).to_have_text(f"IQA {iqa.pk}: Case progression")
    response = page.get_by_test_id("response")
    expect(response.get_by_test_id("not-acknowledged")).to_have_text("You have not acknowledged this IQA yet.")
    expect(response.get_by_test_id("challenge-window")).to_contain_text("you can challenge it until")

    response.get_by_label("Your response (optional)").fill("Thank you; I will record the strategy from now on.")
    day.button("Acknowledge", within=response)
    expect(page.get_by_test_id("acknowledged")).to_contain_text("Acknowledged by Alex Assessed on")
    expect(page.get_by_test_id("acknowledgement-response")).to_contain_text("I will record the strategy")
    assert Acknowledgement.objects.filter(assessment=iqa).exists()

    # Q11 was marked fully met; they think it should not apply.
    day.link(re.compile(r"^Challenge this answer \(Q11\)"), within=page.get_by_test_id("challenges"), exact=False)
    expect(day.heading()).to_have_text("Challenge an answer")
    expect(page.get_by_test_id("challenged-answer")).to_contain_text("Fully met")
    page.get_by_label("Not applicable", exact=True).check()
    field(page, "Why the answer should change").fill("There was no trial, so no trial preparation was needed.")
    day.button("Raise the challenge")
    row = page.get_by_test_id("challenge-row-Q11")
    expect(row.get_by_test_id("challenge-status")).to_have_text("Awaiting a decision")
    expect(row).to_contain_text("proposed: Not applicable")
    assert Challenge.objects.filter(answer__assessment=iqa, status="pending").count() == 1

    # Home again: nothing waits for them now; "See every IQA of your work" lists it.
    day.nav("home")
    expect(page.get_by_test_id("awaiting-acknowledgement")).to_have_count(0)
    day.link("See every IQA of your work")
    expect(page.get_by_role("link", name=re.compile(rf"IQA {iqa.pk}\b"))).to_be_visible()
    assert page.console_errors == [], page.console_errors


# --- The dip sampler --------------------------------------------------------------------------------------------


def test_the_dip_samplers_day(transactional_db, org, assessor, assessed, dip_sampler, start_day):
    """The home card counts a challenge waiting; the dip sampler upholds it, then takes an IQA from the queue, records
    the dip sample with a re-mark, and reads the re-mark tables and the rates."""
    yesterday = timezone.localdate() - timedelta(days=1)
    challenged, *others = [
        AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a, work_date=yesterday)
        for _ in range(3)
    ]
    q11 = challenged.answers.get(question__code="Q11")
    challenge_raise(
        answer=q11,
        raised_by=assessed,
        reasons="There was no trial, so no trial preparation was needed.",
        proposed_value="not_applicable",
    )
    day = start_day(dip_sampler)
    page = day.page

    card = page.get_by_test_id("dip-sampling-card")
    expect(card).to_contain_text("No selected dip sample is waiting to be recorded.")
    day.link("1 challenge to answers waiting for your decision", within=card)
    expect(day.heading()).to_have_text("Challenges to decide")
    queue = page.get_by_test_id("challenge-queue")
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue).to_contain_text("Alex Assessed")
    expect(queue).to_contain_text("Fully met → Not applicable")
    day.link(f"Decide the challenge to Q11 of IQA {challenged.pk}", within=queue)
    expect(day.heading()).to_have_text("Decide a challenge")
    expect(page.get_by_test_id("proposed")).to_have_text("Not applicable")
    page.get_by_label("Uphold: change the answer as proposed").check()
    field(page, "Your reasons").fill("Agreed: the case ended before any trial was listed.")
    day.button("Record the decision")
    expect(day.status("The challenge is upheld: the answer is changed.")).to_be_visible()
    expect(page.get_by_test_id("challenge-queue-empty")).to_be_visible()
    q11.refresh_from_db()
    assert q11.value == "not_applicable"

    # The dip sampling queue: the three IQAs; the dip sampler takes the challenged one and records a dip sample.
    day.nav("dip_sampler")
    expect(day.heading()).to_have_text("Dip sampling")
    queue = page.get_by_test_id("dip-queue")
    expect(queue.locator("tbody tr")).to_have_count(3)
    day.button(f"Dip sample IQA {others[0].pk}", within=queue)
    page.get_by_label("Q9 re-mark").select_option("not_met")
    page.get_by_label("Q9 comment").fill("No strategy on the file")
    field(page, "Comment on the standard of the IQA").fill("Q9 was marked fully met with no strategy on file.")
    field(page, "Comment on the work done on the case").fill("Prompt work; the case strategy is missing.")
    page.get_by_label("IQA too lenient").check()
    day.button("Record the dip sample")
    expect(day.status("The dip sample is recorded")).to_be_visible()
    expect(page.get_by_test_id("agreement-Q9")).to_have_text("Assessor's answer too lenient")
    assert DipSample.objects.get(assessment=others[0]).recorded_at is not None

    # "My dip samples" shows it recorded; the queue no longer offers it; the tables count the re-mark.
    day.link("My dip samples", within=page.get_by_test_id("dip-nav"))
    mine = page.get_by_test_id("my-dip-samples")
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(mine).to_contain_text("IQA too lenient")
    day.link("Queue", within=page.get_by_test_id("dip-nav"))
    expect(page.get_by_test_id("dip-queue").locator("tbody tr")).to_have_count(2)
    day.link("Re-mark tables", within=page.get_by_test_id("dip-nav"))
    expect(day.heading()).to_be_visible()
    day.link("Rates", within=page.get_by_test_id("dip-nav"))
    expect(day.heading()).to_be_visible()
    assert page.console_errors == [], page.console_errors


# --- Case scrutiny (the group leader's scrutiny pages) ---------------------------------------------------------


def yes_or_no(page: Page, name: str, answer: str) -> None:
    page.locator(f"#div_id_{name}").get_by_label(answer, exact=True).check()


def test_the_case_scrutiny_day(transactional_db, org, group_leader, case_review_manager, start_day):
    """Two cases past their 6-week MOT show as overdue on the home card: the group leader records one's MOT, selects
    the other for the MOT dip sample, then reviews the closed case drawn for them and reads the overview."""
    today = timezone.localdate()
    eight_weeks_ago = today - timedelta(weeks=8)
    mine = {"team": org.team_a1a, "group_leader": group_leader, "case_review_manager": case_review_manager}
    first = CaseReviewFactory(reference="CCRC/00101/2026", allocated_on=eight_weeks_ago, **mine)
    second = CaseReviewFactory(reference="CCRC/00102/2026", allocated_on=eight_weeks_ago, **mine)
    closed = CaseReviewFactory(reference="CCRC/00099/2025", allocated_on=today - timedelta(days=400), team=org.team_a1a)
    services.case_review_close(
        case_review=closed,
        user=closed.group_leader,
        decision=Decision.NON_REFERRAL,
        decided_by=DecidedBy.SINGLE,
        heard_by_lrcc=False,
        closed_on=today.replace(day=1) - timedelta(days=1),
    )
    drawn = closed_sample.closed_case_sample_draw(today=today, force=True).items.get()
    assert drawn.reviewer == group_leader
    day = start_day(group_leader)
    page = day.page

    # The home card: both MOTs overdue; the link lists them.
    day.link("2 overdue", within=page.locator("section", has=page.get_by_role("heading", name="Scrutiny milestones")))
    expect(day.heading()).to_have_text("Case reviews")
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("6-week case-plan MOT")
    expect(rows.first).to_contain_text("Overdue")

    # Open the first case and record its MOT.
    day.link(first.reference)
    expect(page.get_by_test_id("applicant")).to_have_text(first.applicant_name)
    card = page.get_by_test_id("milestone-mot")
    expect(card.get_by_test_id("milestone-status")).to_have_text("Pending")
    day.link("Record the 6-week case-plan MOT", within=card)
    expect(day.heading()).to_have_text("Record the 6-week case-plan MOT")
    expect(field(page, "Date of the scrutiny")).to_have_value(today.isoformat())
    yes_or_no(page, "case_plan_fit_for_purpose", "Yes")
    field(page, "Outcome").fill("The plan is sound; the expert's report is the next step.")
    day.button("Record the 6-week case-plan MOT")
    expect(day.status("The 6-week case-plan MOT is recorded.")).to_be_visible()
    expect(page.get_by_test_id("milestone-mot").get_by_test_id("milestone-status")).to_have_text("Done")
    expect(page.get_by_test_id("timeline")).to_contain_text("6-week case-plan MOT done")

    # MOT selection: only the second case is left to decide; it is selected for the MOT dip sample.
    day.link("Case reviews")
    day.link("MOT selection", within=page.get_by_role("list", name="Case scrutiny"))
    expect(day.heading()).to_have_text("Case-plan MOT selection")
    form = page.get_by_test_id("mot-form")
    expect(form.locator("tbody tr")).to_have_count(1)
    expect(form).to_contain_text(second.reference)
    form.get_by_label(f"Select {second.reference}").check()
    day.button("Record the selection")
    expect(day.status("1 selected for the case-plan MOT, 0 not selected.")).to_be_visible()
    expect(page.get_by_test_id("mot-empty")).to_be_visible()

    # The closed case drawn for them: they review it, a quality not met with the reason why.
    day.link("Closed-case dip sample", within=page.get_by_role("list", name="Case scrutiny"))
    table = page.get_by_test_id("closed-table")
    expect(table).to_contain_text("To review")
    day.link(closed.reference, within=table)
    expect(day.heading()).to_have_text(f"Dip sample of closed case {closed.reference}")
    for name in ("factually_correct", "logically_and_legally_sound", "accurate", "timely"):
        yes_or_no(page, name, "Yes")
    yes_or_no(page, "clearly_reasoned", "No")
    yes_or_no(page, "in_the_interests_of_justice", "Yes")
    yes_or_no(page, "should_reopen", "No")
    field(page, "Comments").fill("The reasons do not address the fresh witness statement.")
    day.button("Record the review")
    expect(day.status(f"Your review of {closed.reference} is recorded.")).to_be_visible()
    expect(page.get_by_test_id("closed-table")).to_contain_text(f"Reviewed {today:%-d %b %Y}")
    drawn.refresh_from_db()
    assert (drawn.clearly_reasoned, drawn.should_reopen) == (False, False)

    day.link("Overview", within=page.get_by_role("list", name="Case scrutiny"))
    expect(day.heading()).to_be_visible()
    assert page.console_errors == [], page.console_errors


# --- The reporting roles ----------------------------------------------------------------------------------------

Q9_COMMENT = "No prosecution strategy on the file."
A1B_COMMENT = "Clear, prompt review of the disclosure schedule."
NEW_Q9_WORDING = "Has the prosecutor formed, recorded and kept under review a prosecution strategy for the case?"


def set_answer(iqa, code: str, value: str, comment: str = "") -> None:
    answer = iqa.answers.get(question__code=code)
    answer.value, answer.comment = value, comment
    answer.save()
    if value == AnswerValue.NOT_MET:
        answer.reasons.set(Reason.objects.filter(question=answer.question, is_other=False).order_by("number")[:1])


@pytest.fixture
def last_quarters_iqas(transactional_db, org, assessor, assessed, neighbour, outsider):
    """Last quarter's IQAs: six in team A1a (two with Q9 not met), four in team A1b, three in area B."""
    work_date = last_quarter().start + timedelta(days=3)
    a1a = [
        AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a, work_date=work_date)
        for _ in "123456"
    ]
    a1b = [
        AssessmentFactory(assessor=assessor, assessed=neighbour, team=org.team_a1b, work_date=work_date) for _ in "1234"
    ]
    b1a = [AssessmentFactory(assessed=outsider, team=org.team_b1a, work_date=work_date) for _ in "123"]
    for iqa in a1a[:2]:
        set_answer(iqa, "Q9", AnswerValue.NOT_MET, Q9_COMMENT)
    set_answer(a1b[0], "Q15", AnswerValue.FULLY_MET, A1B_COMMENT)
    set_answer(b1a[0], "Q15", AnswerValue.FULLY_MET, "A comment from area B.")
    return {"a1a": a1a, "a1b": a1b, "b1a": b1a}


def reports_tab(day: Day, name: str) -> None:
    day.link(name, within=day.page.get_by_role("list", name="Reports"))


def test_the_performance_viewers_day(org, last_quarters_iqas, performance_viewer, start_day):
    """The dashboard for last quarter and one team, a figure drilled down to the IQAs behind it, then two
    teams compared and the comparison downloaded, and the performance measures read."""
    day = start_day(performance_viewer)
    page = day.page
    quarter = last_quarter()

    day.nav("performance_viewer")
    expect(day.heading()).to_have_text("Performance dashboard")
    day.link(f"last quarter ({quarter.label})")
    expect(page.get_by_test_id("period")).to_have_text(quarter.label)
    questions = page.get_by_test_id("table-questions")
    q9 = questions.get_by_role("row").filter(has=page.get_by_role("link", name="Q9", exact=True))
    expect(q9).to_contain_text("n=10")
    expect(page.get_by_text("Area B")).to_have_count(0)

    # Narrowed to team A1a: Q9 is not met in two of its six IQAs, too few to judge a rate by.
    page.get_by_label("Team").select_option(label="Team A1a, Unit A1")
    day.button("Show")
    expect(page.get_by_test_id("period")).to_have_text(quarter.label)
    expect(q9).to_contain_text("too few to judge (2 of 6)")

    # The figure leads to the IQAs behind it, described in words; one of them opens.
    day.follow(q9.locator("a[href*='answer=not_met&']").or_(q9.locator("a[href$='answer=not_met']")).first)
    expect(day.heading()).to_have_text("IQAs behind the figure")
    expect(page.get_by_test_id("drill-conditions")).to_contain_text("Q9")
    expect(page.get_by_text("2 IQAs in your purview.")).to_be_visible()
    drilled = page.locator("main table").locator("tbody tr")
    expect(drilled).to_have_count(2)
    expect(drilled.first).to_contain_text("Alex Assessed")
    # A performance viewer reads figures, not IQAs (assessments.selectors.IQA_READER_ROLES): no number is a link
    # that would lead to a 404.
    expect(drilled.get_by_role("link")).to_have_count(0)

    # Compare the two teams over last quarter and download the comparison.
    day.nav("performance_viewer")
    reports_tab(day, "Compare")
    expect(page.get_by_test_id("compare-empty")).to_be_visible()
    page.get_by_label("Period", exact=True).fill(quarter.label)
    page.get_by_label("Which").select_option(label=["Team A1a, Unit A1", "Team A1b, Unit A1"])
    day.button("Compare")
    side_by_side = page.get_by_test_id("table-compare")
    expect(side_by_side.get_by_role("columnheader", name="Team A1a, Unit A1", exact=True)).to_be_visible()
    expect(side_by_side.get_by_role("columnheader", name="Team A1b, Unit A1", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("compare-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert "Side by side" in workbook.sheetnames

    reports_tab(day, "Performance measures")
    expect(day.heading()).to_be_visible()
    assert page.console_errors == [], page.console_errors


def test_the_national_viewers_day(org, last_quarters_iqas, national_viewer, start_day):
    """Last quarter across the country: the two areas compared, the assessors' consistency, and the committee
    pack printed from the dashboard."""
    day = start_day(national_viewer)
    page = day.page
    quarter = last_quarter()

    day.nav("national_viewer")
    expect(day.heading()).to_have_text("Performance dashboard")
    day.link(f"last quarter ({quarter.label})")
    q9 = (
        page.get_by_test_id("table-questions")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name="Q9", exact=True))
    )
    expect(q9).to_contain_text("n=13")

    # Compare areas: "Show choices" lists the areas, with no error before any is chosen.
    reports_tab(day, "Compare")
    expect(page.get_by_test_id("period")).to_have_text(quarter.label)
    page.get_by_label("Compare", exact=True).select_option(label="Area")
    day.button("Show choices")
    expect(page.locator(".invalid-feedback, .alert-danger")).to_have_count(0)
    page.get_by_label("Which").select_option(label=["Area A", "Area B"])
    day.button("Compare")
    side_by_side = page.get_by_test_id("table-compare")
    expect(side_by_side.get_by_role("columnheader", name="Area A", exact=True)).to_be_visible()
    expect(side_by_side.get_by_role("columnheader", name="Area B", exact=True)).to_be_visible()

    reports_tab(day, "Assessor consistency")
    expect(day.heading()).to_have_text("Assessor consistency")
    expect(page.locator("main table").first).to_contain_text("Dana Assessor")

    reports_tab(day, "Committee pack")
    expect(day.heading()).to_have_text("Casework quality committee pack")
    expect(page.get_by_test_id("pack-scope")).to_contain_text(f"Period {quarter.label}")
    day.link("Back to the dashboard")
    expect(page.get_by_test_id("period")).to_have_text(quarter.label)
    assert page.console_errors == [], page.console_errors


def test_the_comments_viewers_day(org, last_quarters_iqas, start_day):
    """The comments in their area for last quarter, narrowed to one team, and downloaded as CSV."""
    viewer = PersonFactory(full_name="Cleo Comments")
    RoleGrantFactory(person=viewer, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    day = start_day(viewer)
    page = day.page
    quarter = last_quarter()

    day.nav("comments_viewer")
    expect(day.heading()).to_have_text("Comments extract")
    day.link(f"last quarter ({quarter.label})")
    expect(page.get_by_test_id("period")).to_have_text(quarter.label)
    expect(page.get_by_text("3 comments.")).to_be_visible()
    table = page.locator("main table")
    expect(table).to_contain_text(Q9_COMMENT)
    expect(table).to_contain_text(A1B_COMMENT)
    expect(table).not_to_contain_text("area B")

    page.get_by_label("Team").select_option(label="Team A1b, Unit A1")
    day.button("Show")
    expect(page.get_by_text("1 comment.")).to_be_visible()
    expect(table).to_contain_text(A1B_COMMENT)
    expect(table).not_to_contain_text(Q9_COMMENT)

    with page.expect_download() as download:
        page.get_by_test_id("comments-csv").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 2, rows
    assert A1B_COMMENT in rows[1]
    assert page.console_errors == [], page.console_errors


# --- The question set administrator --------------------------------------------------------------------------


def test_the_question_set_administrators_day(transactional_db, org, assessor, assessed, start_day):
    """The case progression set in force has answers, so it is read-only: the administrator copies it as a new
    version, rewords a question in the copy and saves it, and the copy shows the new wording."""
    AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
    in_force = QuestionSet.objects.current(Activity.CASE_PROGRESSION, timezone.localdate())
    admin = PersonFactory(full_name="Quinn Questions")
    RoleGrantFactory(person=admin, role=Role.QUESTION_SET_ADMIN, level=PurviewLevel.NATIONAL, team=None)
    day = start_day(admin)
    page = day.page

    day.nav("question_set_admin")
    expect(day.heading()).to_have_text("Question sets")
    day.link("Open the question sets")
    expect(day.heading()).to_have_text("Select question set to change")
    # Every version is listed; the one in force is read-only, and says how to change it.
    row = page.locator("#result_list tbody tr").filter(has=page.locator(f"a[href$='/{in_force.pk}/change/']"))
    expect(row).to_contain_text(in_force.name)
    day.follow(row.get_by_role("link", name=in_force.name))
    expect(page.get_by_text("This version of the question set has answers, so it is read-only")).to_be_visible()
    day.link("Question sets", within=page.locator(".breadcrumbs"))

    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Copy as a new version to edit")
    day.button("Go")
    expect(page.locator(".messagelist")).to_contain_text("Copied as")
    copy = QuestionSet.objects.get(code=in_force.code, version=in_force.version + 1)
    assert copy.applies_from is None

    q9 = page.locator("#questions-group tr.form-row").filter(has=page.locator("input[value=Q9]"))
    wording = q9.locator("textarea[name$='-wording']")
    expect(wording).to_have_value(in_force.questions.get(code="Q9").wording)
    wording.fill(NEW_Q9_WORDING)
    day.button("Save and continue editing")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#questions-group textarea[name$='-wording']").first).to_have_value(NEW_Q9_WORDING)
    assert copy.questions.get(code="Q9").wording == NEW_Q9_WORDING
    assert in_force.questions.get(code="Q9").wording != NEW_Q9_WORDING
    # axe-core, preloading an admin change page's style sheets for its checks, adds <style> elements the Content
    # Security Policy blocks: axe's doing, not the page's.
    errors = [error for error in page.console_errors if not error.startswith("Applying inline style violates")]
    assert errors == [], errors
