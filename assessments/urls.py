from django.urls import path

from assessments.views import challenges, drafts, feedback, iqas, plans

urlpatterns = [
    path("", iqas.iqa_list, name="iqa_list"),
    path("of-my-work/", iqas.own_iqas, name="own_iqas"),
    path("new/", drafts.iqa_start, name="iqa_start"),
    path("drafts/<uuid:pk>/", drafts.draft_edit, name="draft_edit"),
    path("drafts/<uuid:pk>/autosave/", drafts.draft_autosave, name="draft_autosave"),
    path("drafts/<uuid:pk>/discard/", drafts.draft_discard, name="draft_discard"),
    path("drafts/<uuid:pk>/case/", drafts.case_lookup, name="case_lookup"),
    path("<int:pk>/", iqas.iqa_detail, name="iqa_detail"),
    path("<int:pk>/amend/", iqas.iqa_amend, name="iqa_amend"),
    path("<int:pk>/another-case/", iqas.iqa_another_case, name="iqa_another_case"),
    path("<int:pk>/action-taken/", iqas.iqa_action_taken, name="iqa_action_taken"),
    path("<int:pk>/close/", iqas.iqa_close, name="iqa_close"),
    path("<int:pk>/feedback/", feedback.iqa_feedback, name="iqa_feedback"),
    path("<int:pk>/acknowledge/", challenges.iqa_acknowledge, name="iqa_acknowledge"),
    path("answers/<int:pk>/challenge/", challenges.answer_challenge, name="answer_challenge"),
    path("challenges/", challenges.challenge_list, name="challenge_list"),
    path("challenges/<int:pk>/", challenges.challenge_decide, name="challenge_decide"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/cancel/", plans.plan_cancel, name="plan_cancel"),
]
