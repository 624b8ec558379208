"""The question set admin page fits a 1,280 px wide screen: the question table does not run off the side."""

import pytest

from assessments.models import Activity, Question, QuestionSet
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.browser

WORDING = (
    "Was the case strategy recorded and reviewed at each stage, with the reasons for each decision set out in a way "
    "another lawyer could follow without asking, and with the victim's and witnesses' needs considered?"
)


def test_the_question_table_fits_a_1280_px_screen(page, log_in, transactional_db):
    admin = PersonFactory(is_staff=True, is_superuser=True)
    question_set = QuestionSet.objects.create(code="width-check", name="Width check", activity=Activity.ADVICE)
    for number in range(1, 4):
        Question.objects.create(question_set=question_set, code=f"Q{number}", number=number, wording=WORDING)
    log_in(page, admin.email, PASSWORD)

    page.goto(f"/admin/assessments/questionset/{question_set.pk}/change/")
    table = page.locator("#questions-group table")
    assert table.count() == 1
    width = table.evaluate("table => table.getBoundingClientRect().width")
    assert width < 1000, f"the question table is {width:.0f} px wide"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 1280, f"the page is {page_width} px wide at 1,280"
    # Still a usable form: the code and the whole wording are there to edit.
    assert page.locator("#id_questions-0-code").input_value() == "Q1"
    assert page.locator("#id_questions-0-wording").input_value() == WORDING
