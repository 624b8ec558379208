"""The assessments admin, by what it administers: question sets (their versions, questions and reasons) and the IQA
records. Importing the modules registers their ModelAdmins."""

from assessments.admin import iqas, question_sets  # noqa: F401 - registers the ModelAdmins
