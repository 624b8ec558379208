from django.urls import path

from scrutiny import case_views, closed_views, views

urlpatterns = [
    path("", views.case_list, name="scrutiny_case_list"),
    path("overview/", views.overview, name="scrutiny_overview"),
    path("mot-selection/", views.mot_selection, name="scrutiny_mot_selection"),
    path("cases/<int:pk>/", views.case_detail, name="scrutiny_case_detail"),
    path("cases/<int:pk>/one-to-one/", views.one_to_one_record, name="scrutiny_one_to_one"),
    path("cases/new/", case_views.case_open, name="scrutiny_case_open"),
    path("cases/<int:pk>/edit/", case_views.case_edit, name="scrutiny_case_edit"),
    path("cases/<int:pk>/close/", case_views.case_close, name="scrutiny_case_close"),
    path("cases/<int:pk>/reopen/", case_views.case_reopen, name="scrutiny_case_reopen"),
    path("milestones/<int:pk>/record/", views.milestone_record, name="scrutiny_milestone_record"),
    path("actions/<int:pk>/follow-up/", views.action_follow_up, name="scrutiny_action_follow_up"),
    path("closed-cases/", closed_views.closed_list, name="scrutiny_closed_list"),
    path("closed-cases/<int:pk>/", closed_views.closed_review, name="scrutiny_closed_review"),
]
