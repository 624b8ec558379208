from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from organisation.models import AccessLogEntry, Area, Person, RoleGrant, Team, TeamMembership, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    show_change_link = True


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["person", "team"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["team", "unit", "area"]
    fk_name = "person"


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_geographic"]
    list_filter = ["is_geographic"]
    search_fields = ["name", "code"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "unit_type"]
    list_filter = ["unit_type", "area"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "area_name"]
    list_filter = ["unit__unit_type", "unit__area"]
    list_select_related = ["unit__area"]
    search_fields = ["name", "unit__name", "unit__area__name"]
    inlines = [MembershipInline]

    @admin.display(description="Area", ordering="unit__area__name")
    def area_name(self, team):
        return team.unit.area.name


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "role_type", "is_active", "is_staff"]
    list_filter = ["role_type", "is_active", "is_staff", "role_grants__role", "memberships__team__unit__area"]
    search_fields = ["full_name", "email", "job_title"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline, RoleGrantInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "role_type"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "full_name", "role_type", "password1", "password2"]},
        ),
    ]
    filter_horizontal = ["groups", "user_permissions"]

    def get_queryset(self, request):
        # The people filter joins memberships and grants; without distinct a person would show once per row.
        return super().get_queryset(request).distinct()


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "team", "starts_on", "ends_on"]
    list_filter = ["team__unit__unit_type", "team__unit__area"]
    list_select_related = ["person", "team__unit"]
    search_fields = ["person__full_name", "person__email", "team__name"]
    autocomplete_fields = ["person", "team"]
    date_hierarchy = "starts_on"


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "level", "purview_name", "starts_on", "ends_on"]
    list_filter = ["role", "level"]
    list_select_related = ["person", "team__unit", "unit__area", "area"]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person", "team", "unit", "area"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only (the database refuses changes too)."""

    list_display = ["viewed_at", "viewer", "subject", "purpose", "what"]
    list_filter = ["purpose"]
    list_select_related = ["viewer", "subject"]
    search_fields = ["viewer__full_name", "subject__full_name", "what"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
