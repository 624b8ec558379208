from django.urls import path

from dipsampling import exercise_views, selection_views, views

urlpatterns = [
    path("", views.queue, name="dip_sample_queue"),
    path("iqas/<int:pk>/start/", views.start, name="dip_sample_start"),
    path("select/", views.propose, name="dip_sample_propose"),
    path("mine/", views.mine, name="dip_sample_mine"),
    path("selections/", selection_views.selection_list, name="dip_sample_selections"),
    path("selections/<int:pk>/", selection_views.selection_detail, name="dip_sample_selection"),
    path("<int:pk>/", views.record, name="dip_sample_record"),
    path("re-marks/", views.remark_tables, name="dip_sample_remarks"),
    path("rates/", views.rate_table, name="dip_sample_rates"),
    path("accreditations/", views.accreditations, name="accreditation_list"),
    path("exercises/", exercise_views.exercise_list, name="exercise_list"),
    path("exercises/new/", exercise_views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", exercise_views.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/close/", exercise_views.exercise_close, name="exercise_close"),
]
