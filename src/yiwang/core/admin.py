"""Back-office screens of the foundation app: the audit trail (read only) and the calendar."""

from __future__ import annotations

from django.contrib import admin

from yiwang.core import workdays
from yiwang.core.http import request_actor
from yiwang.core.models import AuditEvent, CalendarDay, Sequence


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only for everybody, superusers included: the trail is append-only by design."""

    list_display = (
        "id",
        "occurred_at",
        "actor",
        "actor_label",
        "acting_for",
        "action",
        "object_type",
        "object_id",
        "ip",
    )
    list_display_links = ("id", "action")
    # Exact match on the identifiers keeps the indexes usable on a large table.
    search_fields = ("action", "object_type", "=object_id", "=actor", "=acting_for")
    # No date_hierarchy or list_filter: both run DISTINCT queries over the whole table.
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is wasted
    actions = None
    readonly_fields = tuple(f.name for f in AuditEvent._meta.fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Operators enter each new year's State Council schedule here and correct seeded days.

    Every save marks the row ``manual`` (so ``yiwang calendar seed`` keeps it), is audited, and
    refreshes the working-day cache — all done by :mod:`yiwang.core.workdays`.
    """

    list_display = ("date", "weekday", "kind", "name", "source", "note")
    list_filter = ("kind", "source")
    search_fields = ("name", "note")
    date_hierarchy = "date"
    readonly_fields = ("source",)
    fields = ("date", "kind", "name", "note", "source")

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday_name

    def save_model(self, request, obj, form, change):
        workdays.save_calendar_day(obj, **request_actor(request))

    def delete_model(self, request, obj):
        workdays.delete_calendar_day(obj, **request_actor(request))

    def delete_queryset(self, request, queryset):
        for day in queryset:
            workdays.delete_calendar_day(day, **request_actor(request))


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    """Shown for diagnosis only: changing a counter by hand would duplicate or skip numbers."""

    list_display = ("kind", "scope", "day", "last_value")
    list_filter = ("kind",)
    search_fields = ("=scope",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
