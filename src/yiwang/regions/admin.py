"""Admin of regions, organisations, halls, windows and stations.

Regions come from imports (``yiwang regions import``): the admin may rename or deactivate one but
not add, move or delete it. Every foreign key to a region or organisation uses an autocomplete
widget — a select with 3 000+ regions would make each form megabytes large.
"""

from django.contrib import admin
from django.db import transaction

from yiwang.core import audit
from yiwang.regions.models import Organization, Region, ServiceHall, ServiceStation, Window


def _row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete made in the admin is an audit event, like the services' writes.

    The rules of :mod:`yiwang.regions.rules` run in the models' ``clean()``, so the admin form
    refuses what the services would refuse.
    """

    audit_type = ""

    def _record(self, request, action, pk, before, after):
        user = request.user
        audit.record(
            f"{self.audit_type}.{action}",
            actor=f"user:{user.pk}" if user.is_authenticated else "anonymous",
            actor_label=user.get_username() if user.is_authenticated else "",
            object_type=self.audit_type,
            object_id=pk,
            before=before,
            after=after,
            ip=request.META.get("REMOTE_ADDR") or None,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            old = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
            super().save_model(request, obj, form, change)
            self._record(
                request, "change" if change else "create", obj.pk, old and _row(old), _row(obj)
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk, before = obj.pk, _row(obj)  # delete() clears obj.pk
            super().delete_model(request, obj)
            self._record(request, "delete", pk, before, None)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    audit_type = "region"
    list_display = ("code", "name", "level", "full_name", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "full_name")
    ordering = ("code",)
    readonly_fields = ("code", "level", "parent", "full_name")
    fields = ("code", "name", "level", "parent", "full_name", "is_active")
    show_full_result_count = False  # no COUNT(*) over the whole table on every filtered page
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    audit_type = "organization"
    list_display = ("name", "short_name", "level", "kind", "region", "uscc", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("name", "short_name", "uscc", "region__name", "region__code")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region",)
    ordering = ("region", "id")


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    fields = ("number", "name", "kind", "organizations", "is_active")
    autocomplete_fields = ("organizations",)


@admin.register(ServiceHall)
class ServiceHallAdmin(AuditedAdmin):
    audit_type = "hall"
    list_display = ("name", "level", "region", "organization", "phone", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "region__name", "region__code", "address")
    autocomplete_fields = ("region", "organization")
    list_select_related = ("region", "organization")
    readonly_fields = ("level",)
    inlines = (WindowInline,)


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    audit_type = "window"
    list_display = ("number", "name", "kind", "hall", "is_active")
    list_filter = ("kind", "hall__level", "is_active")
    search_fields = ("number", "name", "hall__name")
    autocomplete_fields = ("hall", "organizations")
    list_select_related = ("hall",)


@admin.register(ServiceStation)
class ServiceStationAdmin(AuditedAdmin):
    audit_type = "station"
    list_display = ("name", "region", "hall", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "region__name", "region__code", "hall__name")
    autocomplete_fields = ("region", "hall")
    list_select_related = ("region", "hall")
