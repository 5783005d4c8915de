"""Admin of regions, organisations, halls, windows and stations.

Regions come from imports (``yiwang regions import``): the admin may rename or deactivate one but
not add, move or delete it. Every foreign key to a region or organisation uses an autocomplete
widget — a select with 3 000+ regions would make each form megabytes large.

Every save and delete — windows edited inline on their hall's page included — goes through
:func:`yiwang.regions.services.save_object` / :func:`~yiwang.regions.services.delete_object`,
which validate, write and audit exactly as the services do for imports and the demo.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from yiwang.core.http import request_actor
from yiwang.regions import services
from yiwang.regions.models import Organization, Region, ServiceHall, ServiceStation, Window


class RulesForm(forms.ModelForm):
    """A model form that shows each problem once.

    The rules of :mod:`yiwang.regions.rules` run in the models' ``clean()`` even for a field that
    already failed its own validation (Django runs ``clean()`` regardless), where they would
    repeat "这个字段是必填项。" as "机构名称不能为空"; such second messages are dropped. A rule's
    message about a field the form does not show (read only) goes to the top of the form.
    """

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            kept: dict[str, list] = {}
            for name, messages in error.error_dict.items():
                if name != NON_FIELD_ERRORS and name in self._errors:
                    continue
                target = name if name in self.fields else NON_FIELD_ERRORS
                kept.setdefault(target, []).extend(messages)
            if not kept:
                return
            error = ValidationError(kept)
        super().add_error(field, error)


def _many(form) -> dict:
    """The many-to-many values the form edited (a window's 受理部门)."""
    return {
        field.name: form.cleaned_data[field.name]
        for field in form._meta.model._meta.many_to_many
        if field.name in form.cleaned_data
    }


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes through the services: checked by the rules, audited, and not written
    (nor audited) when nothing changed."""

    form = RulesForm

    def save_model(self, request, obj, form, change):
        services.save_object(obj, many=_many(form), **request_actor(request))

    def save_related(self, request, form, formsets, change):
        # save_model() has set the many-to-many values with the row; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # collects new, changed and deleted rows; writes nothing
        who = request_actor(request)
        for obj in formset.deleted_objects:
            services.delete_object(obj, **who)
        for inline_form in formset.saved_forms:
            services.save_object(inline_form.instance, many=_many(inline_form), **who)

    def delete_model(self, request, obj):
        services.delete_object(obj, **request_actor(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
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
    list_display = ("name", "short_name", "level", "kind", "region", "uscc", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("name", "short_name", "uscc", "region__name", "region__code")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region",)
    ordering = ("region", "id")


class WindowInline(admin.TabularInline):
    model = Window
    form = RulesForm
    extra = 0
    fields = ("number", "name", "kind", "organizations", "is_active")
    autocomplete_fields = ("organizations",)


@admin.register(ServiceHall)
class ServiceHallAdmin(AuditedAdmin):
    list_display = ("name", "level", "region", "organization", "phone", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "region__name", "region__code", "address")
    autocomplete_fields = ("region", "organization")
    list_select_related = ("region", "organization")
    readonly_fields = ("level",)
    inlines = (WindowInline,)


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ("number", "name", "kind", "hall", "is_active")
    list_filter = ("kind", "hall__level", "is_active")
    search_fields = ("number", "name", "hall__name")
    autocomplete_fields = ("hall", "organizations")
    list_select_related = ("hall",)


@admin.register(ServiceStation)
class ServiceStationAdmin(AuditedAdmin):
    list_display = ("name", "region", "hall", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "region__name", "region__code", "hall__name")
    autocomplete_fields = ("region", "hall")
    list_select_related = ("region", "hall")
