"""Admin for question sets and their versions, questions and reasons.

A question set version that has answers is read-only here, as the models insist: the administrator copies it as
a new version, edits the copy and publishes it by giving it an "applies from" date.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from assessments import question_sets
from assessments.models import (
    Question,
    QuestionSet,
    QuestionSetLockedError,
    Reason,
)
from qa_platform.text import strip_control_characters_from

LOCKED_MESSAGE = (
    "This version of the question set has answers, so it is read-only: changing it would change IQAs already "
    "recorded. To change it, select it in the list of question sets, run the action “Copy as a new version to "
    "edit”, edit the copy, and publish the copy by giving it an “applies from” date."
)
MAX_IMPORT_BYTES = 1_000_000  # the largest scheme set is about 60 kB


def _has_answers(question_set):
    # Remembered on the instance: the admin asks about permissions several times per page.
    if question_set.pk is None:
        return False
    if not hasattr(question_set, "_admin_has_answers"):
        question_set._admin_has_answers = question_set.has_answers()
    return question_set._admin_has_answers


class LockedVersionAdminMixin:
    """Shows a question, reason or question set of a version with answers read-only, and says what to do instead."""

    def question_set_of(self, obj):
        raise NotImplementedError

    def is_locked(self, obj):
        return obj is not None and obj.pk is not None and _has_answers(self.question_set_of(obj))

    def has_change_permission(self, request, obj=None):
        # Without change permission Django shows every field and inline read-only, and refuses a POST.
        return super().has_change_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if self.is_locked(obj):
            if request.method == "POST":
                # A form opened before the first answer arrived: explain rather than answer 403.
                messages.error(request, "Nothing was saved: this version now has answers.")
                return HttpResponseRedirect(request.path)
            messages.warning(request, LOCKED_MESSAGE)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if self.is_locked(obj):
            messages.error(request, "It was not deleted: this version has answers.")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)


class LockedWithQuestionSetForm(forms.ModelForm):
    """Turns the model's refusal to change a version with answers into a form error instead of a 500."""

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance._question_set().check_editable()
        except ObjectDoesNotExist:
            pass  # no question (set) chosen: that field has its own error
        except QuestionSetLockedError as error:
            self.add_error(None, str(error))


class QuestionSetForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        code, version = self.instance.code, self.instance.version
        if self.instance.pk is None:
            code = cleaned_data.get("code")
            if code and QuestionSet.objects.filter(code=code).exists():
                self.add_error(
                    "code",
                    "A question set with this code exists. To make a new version, select its latest version in "
                    "the list and run the action “Copy as a new version to edit”.",
                )
                return cleaned_data
            version = question_sets.next_version(code)
        applies_from = cleaned_data.get("applies_from")
        if code and applies_from and "applies_from" in self.changed_data:
            try:
                question_sets.check_applies_from(code=code, version=version, applies_from=applies_from)
            except ValidationError as error:
                self.add_error("applies_from", error)
        return cleaned_data


class QuestionInline(admin.TabularInline):
    """Questions in order; a question's guidance and reasons are edited on its own page (the change link)."""

    model = Question
    form = LockedWithQuestionSetForm
    fields = ["number", "code", "wording", "number_of_reasons"]
    readonly_fields = ["number_of_reasons"]
    extra = 0
    show_change_link = True
    # Narrow enough that the table, beside the admin's sidebar, fits a 1,280 px screen: a code is a few characters
    # (the admin's usual 20em text box is not needed), and the wording wraps over more rows instead.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 8})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 50})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_reasons=Count("reasons"))

    @admin.display(description="Reasons")
    def number_of_reasons(self, question):
        return getattr(question, "number_of_reasons", 0)


class PublishedListFilter(admin.SimpleListFilter):
    title = "published"
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", "Published"), ("no", "Draft")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(applies_from__isnull=self.value() == "no")
        return queryset


class ImportForm(forms.Form):
    file = forms.FileField(
        label="JSON file",
        help_text="One question set, or a list of them as “Export as JSON” writes for several.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file is larger than 1 MB, far larger than any question set.")
        try:
            return strip_control_characters_from(json.loads(upload.read().decode("utf-8")))
        except UnicodeDecodeError as error:
            raise ValidationError("The file is not UTF-8 text. Save it as UTF-8 JSON and try again.") from error
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
            ) from error
        except RecursionError as error:
            raise ValidationError("The file is not a question set: it is nested far too deeply.") from error


@admin.register(QuestionSet)
class QuestionSetAdmin(LockedVersionAdminMixin, admin.ModelAdmin):
    form = QuestionSetForm
    change_list_template = "admin/assessments/questionset/change_list.html"
    list_display = ["name", "code", "activity", "version", "applies_from", "optional", "number_of_questions"]
    list_filter = ["activity", "optional", PublishedListFilter]
    search_fields = ["name", "code"]
    fields = ["name", "code", "activity", "optional", "version", "applies_from", "description", "created_at"]
    inlines = [QuestionInline]
    actions = ["copy_as_new_version", "export_as_json"]

    def question_set_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_questions=Count("questions"))

    def get_readonly_fields(self, request, obj=None):
        # A version's identity is fixed once made; a new version comes from copying, not from re-coding.
        if obj is None:
            return ["version", "created_at"]
        return ["code", "activity", "optional", "version", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = question_sets.next_version(obj.code)
        super().save_model(request, obj, form, change)

    @admin.display(description="Questions", ordering="number_of_questions")
    def number_of_questions(self, question_set):
        return question_set.number_of_questions

    @admin.action(description="Copy as a new version to edit", permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        copies = [question_sets.copy_as_new_version(question_set) for question_set in queryset]
        for copy in copies:
            url = reverse("admin:assessments_questionset_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    "Copied as <a href='{}'>{}</a>. Edit it, then publish it by giving it an “applies from” date.",
                    url,
                    copy,
                ),
                messages.SUCCESS,
            )
        if len(copies) == 1:
            return redirect("admin:assessments_questionset_change", copies[0].pk)
        return None

    @admin.action(description="Export as JSON", permissions=["view"])
    def export_as_json(self, request, queryset):
        data = [question_sets.export_question_set(qs) for qs in queryset.prefetch_related("questions__reasons")]
        filename = "question-sets.json"
        if len(data) == 1:
            data = data[0]
            filename = f"{data['code']}-v{data['version']}.json"
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_urls(self):
        import_url = path(
            "import/", self.admin_site.admin_view(self.import_view), name="assessments_questionset_import"
        )
        return [import_url, *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:assessments_questionset_changelist"))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = question_sets.import_question_sets(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                for question_set in created:
                    self.message_user(request, f"Imported {question_set}.", messages.SUCCESS)
                if len(created) == 1:
                    return redirect("admin:assessments_questionset_change", created[0].pk)
                return redirect("admin:assessments_questionset_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import question sets from JSON",
            "form": form,
        }
        return TemplateResponse(request, "admin/assessments/questionset/import.html", context)


class ReasonInline(admin.TabularInline):
    model = Reason
    form = LockedWithQuestionSetForm
    fields = ["number", "code", "text", "is_other"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(LockedVersionAdminMixin, admin.ModelAdmin):
    form = LockedWithQuestionSetForm
    list_display = ["code", "short_wording", "question_set", "number"]
    list_filter = ["question_set__activity", "question_set__optional"]
    list_select_related = ["question_set"]
    search_fields = ["code", "wording", "question_set__name"]
    autocomplete_fields = ["question_set"]
    fields = ["question_set", "number", "code", "wording", "guidance"]
    inlines = [ReasonInline]

    def question_set_of(self, obj):
        return obj.question_set

    def get_readonly_fields(self, request, obj=None):
        return ["question_set"] if obj else []

    @admin.display(description="Wording", ordering="wording")
    def short_wording(self, question):
        return question.wording if len(question.wording) <= 90 else f"{question.wording[:89]}…"


@admin.register(Reason)
class ReasonAdmin(LockedVersionAdminMixin, admin.ModelAdmin):
    form = LockedWithQuestionSetForm
    list_display = ["code", "text", "is_other", "question_set"]
    list_filter = ["is_other", "question__question_set__activity"]
    list_select_related = ["question__question_set"]
    search_fields = ["code", "text", "question__code"]
    autocomplete_fields = ["question"]
    fields = ["question", "number", "code", "text", "is_other"]

    def question_set_of(self, obj):
        return obj.question.question_set

    def get_readonly_fields(self, request, obj=None):
        return ["question"] if obj else []

    @admin.display(description="Question set", ordering="question__question_set")
    def question_set(self, reason):
        return reason.question.question_set
