"""Admin for dip sampling. Dip samples, selections, re-marks and exercise answers are read-only here: the app
records them and their history is audited. Accreditations are edited here by administrators."""

from django.contrib import admin

from dipsampling.models import (
    Accreditation,
    AgreedAnswer,
    ConsistencyExercise,
    DipSample,
    ExerciseAnswer,
    ExerciseParticipant,
    ReMark,
    Selection,
)
from qa_platform.admin_read_only import ReadOnlyAdminMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Selection)
class SelectionAdmin(ReadOnlyAdmin):
    list_display = ("made_at", "made_by", "kind", "period_label", "purview", "seed", "eligible_count", "drawn_count")
    list_filter = ("kind", "period_label")
    search_fields = ("made_by__full_name", "made_by__email", "purview")
    list_select_related = ("made_by",)
    date_hierarchy = "made_at"


class ReMarkInline(admin.TabularInline):
    model = ReMark
    extra = 0
    fields = ("question", "answer", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DipSample)
class DipSampleAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "dip_sampler", "selection", "sampled_on", "outcome", "recorded_at")
    list_filter = ("outcome", "assessment__activity", ("recorded_at", admin.EmptyFieldListFilter))
    search_fields = ("dip_sampler__full_name", "assessment__assessor__full_name", "assessment__case__urn")
    list_select_related = ("assessment__assessed", "dip_sampler", "selection__made_by")
    raw_id_fields = ("assessment",)
    inlines = [ReMarkInline]


@admin.register(ReMark)
class ReMarkAdmin(ReadOnlyAdmin):
    list_display = ("dip_sample", "question", "answer")
    list_filter = ("answer", "question__question_set__activity")
    search_fields = ("question__code", "dip_sample__dip_sampler__full_name")
    list_select_related = ("dip_sample", "question")


class ParticipantInline(admin.TabularInline):
    model = ExerciseParticipant
    extra = 0
    fields = ("assessor", "invited_at", "submitted_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsistencyExercise)
class ConsistencyExerciseAdmin(ReadOnlyAdmin):
    list_display = ("title", "organiser", "activity", "created_at", "answering_closed_at", "concluded_at")
    list_filter = ("activity", ("concluded_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "organiser__full_name", "case__urn")
    list_select_related = ("organiser",)
    inlines = [ParticipantInline]


@admin.register(ExerciseParticipant)
class ExerciseParticipantAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "assessor", "invited_at", "submitted_at")
    list_filter = (("submitted_at", admin.EmptyFieldListFilter),)
    search_fields = ("exercise__title", "assessor__full_name")
    list_select_related = ("exercise", "assessor")


@admin.register(ExerciseAnswer)
class ExerciseAnswerAdmin(ReadOnlyAdmin):
    list_display = ("participant", "question", "value")
    list_filter = ("value",)
    search_fields = ("participant__assessor__full_name", "participant__exercise__title", "question__code")
    list_select_related = ("participant__assessor", "participant__exercise", "question")


@admin.register(AgreedAnswer)
class AgreedAnswerAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "question", "value")
    list_filter = ("value",)
    search_fields = ("exercise__title", "question__code")
    list_select_related = ("exercise", "question")


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ("assessor", "accredited_on", "accredited_by", "expires_on", "recorded_at")
    list_filter = ("accredited_on", "expires_on")
    search_fields = ("assessor__full_name", "assessor__email", "accredited_by__full_name", "training")
    list_select_related = ("assessor", "accredited_by")
    autocomplete_fields = ("assessor", "accredited_by")
    date_hierarchy = "accredited_on"
