from django.urls import path

from scrutiny.views import case_changes, cases, closed, milestones, overview

urlpatterns = [
    path("", cases.case_list, name="scrutiny_case_list"),
    path("overview/", overview.overview, name="scrutiny_overview"),
    path("mot-selection/", milestones.mot_selection, name="scrutiny_mot_selection"),
    path("cases/<int:pk>/", cases.case_detail, name="scrutiny_case_detail"),
    path("cases/<int:pk>/one-to-one/", cases.one_to_one_record, name="scrutiny_one_to_one"),
    path("cases/new/", case_changes.case_open, name="scrutiny_case_open"),
    path("cases/<int:pk>/edit/", case_changes.case_edit, name="scrutiny_case_edit"),
    path("cases/<int:pk>/close/", case_changes.case_close, name="scrutiny_case_close"),
    path("cases/<int:pk>/reopen/", case_changes.case_reopen, name="scrutiny_case_reopen"),
    path("milestones/<int:pk>/record/", milestones.milestone_record, name="scrutiny_milestone_record"),
    path("actions/<int:pk>/follow-up/", milestones.action_follow_up, name="scrutiny_action_follow_up"),
    path("closed-cases/", closed.closed_list, name="scrutiny_closed_list"),
    path("closed-cases/<int:pk>/", closed.closed_review, name="scrutiny_closed_review"),
]
