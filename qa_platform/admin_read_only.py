"""Admin pages for records the app writes: seen in Django admin, added and changed only through the screens that
apply the scheme's rules (every change there is audited)."""


class ReadOnlyAdminMixin:
    """No adding or changing here (deleting is left to the admin class)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KeptReadOnlyAdminMixin(ReadOnlyAdminMixin):
    """No adding, changing or deleting here."""

    def has_delete_permission(self, request, obj=None):
        return False
