from django.urls import path

from dipsampling.views import exercises, queue, samples, selections, tables

urlpatterns = [
    path("", queue.queue, name="dip_sample_queue"),
    path("iqas/<int:pk>/start/", queue.start, name="dip_sample_start"),
    path("select/", selections.propose, name="dip_sample_propose"),
    path("mine/", queue.mine, name="dip_sample_mine"),
    path("selections/", selections.selection_list, name="dip_sample_selections"),
    path("selections/<int:pk>/", selections.selection_detail, name="dip_sample_selection"),
    path("<int:pk>/", samples.record, name="dip_sample_record"),
    path("re-marks/", tables.remark_tables, name="dip_sample_remarks"),
    path("rates/", tables.rate_table, name="dip_sample_rates"),
    path("accreditations/", tables.accreditations, name="accreditation_list"),
    path("exercises/", exercises.exercise_list, name="exercise_list"),
    path("exercises/new/", exercises.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", exercises.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/close/", exercises.exercise_close, name="exercise_close"),
]
