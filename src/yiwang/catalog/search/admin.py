"""Admin of the search: synonyms (edited by operators), the 无结果搜索词 list and the daily query
figures (read only). Registered when ``yiwang.catalog.admin`` imports this module.

A change to a synonym group is audited and takes effect at once in this process and within a
minute in the others (:mod:`yiwang.catalog.search.synonyms`).
"""

from django.contrib import admin

from yiwang.catalog.search import synonyms
from yiwang.catalog.search.models import NoResultQuery, SearchQueryDay, Synonym
from yiwang.core import audit
from yiwang.core.http import request_actor


def _snapshot(obj: Synonym) -> dict:
    return {"terms": obj.terms, "one_way": obj.one_way, "is_active": obj.is_active}


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("__str__", "one_way", "is_active", "note", "updated_at")
    list_filter = ("one_way", "is_active")
    search_fields = ("terms", "note")

    def save_model(self, request, obj, form, change):
        before = _snapshot(Synonym.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            "catalog.search.synonym.change" if change else "catalog.search.synonym.create",
            object_type="synonym",
            object_id=obj.pk,
            before=before,
            after=_snapshot(obj),
            **request_actor(request),
        )
        synonyms.invalidate()

    def delete_model(self, request, obj):
        before, pk = _snapshot(obj), obj.pk
        super().delete_model(request, obj)
        audit.record(
            "catalog.search.synonym.delete",
            object_type="synonym",
            object_id=pk,
            before=before,
            **request_actor(request),
        )
        synonyms.invalidate()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoResultQuery)
class NoResultQueryAdmin(ReadOnlyAdmin):
    """Words citizens searched in vain: candidates for new synonyms or missing items."""

    list_display = ("query", "day", "no_result_searches", "searches")
    list_filter = ("day",)
    search_fields = ("query", "normalized")
    ordering = ("-day", "-no_result_searches", "query")
    date_hierarchy = "day"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(no_result_searches__gt=0)


@admin.register(SearchQueryDay)
class SearchQueryDayAdmin(ReadOnlyAdmin):
    list_display = ("query", "day", "searches", "no_result_searches")
    list_filter = ("day",)
    search_fields = ("query", "normalized")
    ordering = ("-day", "-searches", "query")
    date_hierarchy = "day"
