from django.contrib import admin

from yiwang.identity.models import AuthorizationContext


@admin.register(AuthorizationContext)
class AuthorizationContextAdmin(admin.ModelAdmin):
    """Read-only: who authorised which token, as themselves or for which enterprise."""

    list_display = ("created_at", "user", "enterprise", "access_token")
    list_select_related = ("user", "enterprise")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
