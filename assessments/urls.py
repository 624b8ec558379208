from django.urls import path

from assessments import challenge_views, feedback_views, plan_views, views

urlpatterns = [
    path("", views.iqa_list, name="iqa_list"),
    path("of-my-work/", views.own_iqas, name="own_iqas"),
    path("new/", views.iqa_start, name="iqa_start"),
    path("drafts/<uuid:pk>/", views.draft_edit, name="draft_edit"),
    path("drafts/<uuid:pk>/autosave/", views.draft_autosave, name="draft_autosave"),
    path("drafts/<uuid:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("drafts/<uuid:pk>/case/", views.case_lookup, name="case_lookup"),
    path("<int:pk>/", views.iqa_detail, name="iqa_detail"),
    path("<int:pk>/amend/", views.iqa_amend, name="iqa_amend"),
    path("<int:pk>/another-case/", views.iqa_another_case, name="iqa_another_case"),
    path("<int:pk>/action-taken/", views.iqa_action_taken, name="iqa_action_taken"),
    path("<int:pk>/close/", views.iqa_close, name="iqa_close"),
    path("<int:pk>/feedback/", feedback_views.record_feedback, name="iqa_feedback"),
    path("<int:pk>/acknowledge/", challenge_views.iqa_acknowledge, name="iqa_acknowledge"),
    path("answers/<int:pk>/challenge/", challenge_views.answer_challenge, name="answer_challenge"),
    path("challenges/", challenge_views.challenge_list, name="challenge_list"),
    path("challenges/<int:pk>/", challenge_views.challenge_decide, name="challenge_decide"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/<int:pk>/cancel/", plan_views.plan_cancel, name="plan_cancel"),
]
