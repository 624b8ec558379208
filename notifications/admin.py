from django.contrib import admin, messages
from django.db.models import Q

from notifications import outbox
from notifications.models import Message

STATUS_FILTERS = {
    "pending": Q(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True, attempts=0),
    "retrying": Q(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True, attempts__gt=0),
    "sent": Q(sent_at__isnull=False),
    "cancelled": Q(cancelled_at__isnull=False),
    "given up": Q(failed_at__isnull=False),
}


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status, status.capitalize()) for status in STATUS_FILTERS]

    def queryset(self, request, queryset):
        if self.value() in STATUS_FILTERS:
            return queryset.filter(STATUS_FILTERS[self.value()])
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["template", "recipient", "due_at", "status", "attempts", "sent_at", "last_error"]
    list_filter = [StatusFilter, "template", "due_at"]
    search_fields = ["recipient", "dedupe_key"]
    date_hierarchy = "due_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again at the next dispatch", permissions=["send_again"])
    def send_again(self, request, queryset):
        count = outbox.send_again(queryset)
        self.message_user(request, f"{count} message(s) will be sent at the next dispatch.", messages.SUCCESS)

    def has_send_again_permission(self, request):
        return request.user.is_superuser
