"""Admin of the catalogue: the editing UI until the back office exists.

Every write goes through :mod:`yiwang.catalog.services`, so the admin enforces the same
workflow as any other channel: a version is edited only while it is a draft (or returned) and
only by a 事项编制员 of its organisation; 提交审核 / 退回 / 发布 are buttons of the version page
(and 提交审核 / 发布 actions of the list) that call the services. What the services would
refuse is checked in the forms first, so the message appears next to the values typed;
a refusal of a workflow button re-shows the page with the message and the opinion typed.
Published versions are read-only and show their changes against the previous version.

Who may open which page follows the catalogue roles, not Django's model permissions (those
still count, e.g. a superuser's): a 事项编制员 or 事项审核员 sees the 实施清单 and versions of the
organisations their role covers, an editor changes drafts there, a reviewer keeps the code
lists and the 目录清单 (what ``require_catalogue_editor`` allows). The services check the same
roles again on every write.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from yiwang.accounts.permissions import (
    ADMIN_SITE_ROLES,
    Role,
    has_role,
    organizations_for,
    roles_of,
)
from yiwang.catalog import application_forms, rules, selectors, services
from yiwang.catalog.constants import EDITABLE_STATUSES
from yiwang.catalog.diff import diff_versions
from yiwang.catalog.fields import MultiChoiceField
from yiwang.catalog.models import (
    BasicItem,
    Fee,
    HandlingItem,
    ItemType,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
    Theme,
)
from yiwang.catalog.rules import RuleViolation
from yiwang.core.errors import DomainError
from yiwang.regions.models import ServiceHall, Window

CATALOGUE_ROLES = tuple(ADMIN_SITE_ROLES)  # the roles whose work is done here


def _actor(request) -> services.Actor:
    from yiwang.core.http import client_ip

    return services.Actor(request.user, client_ip(request))


def _form_error(form: forms.BaseForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class ServiceCheckedForm(forms.ModelForm):
    """Runs ``service_check(instance, actor)`` after the model's own validation; a refusal
    becomes a form error (next to its field), so the values typed are kept."""

    actor: services.Actor | None = None
    service_check = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.service_check is None:
            return
        try:
            type(self).service_check(self.instance, actor=self.actor)
        except DomainError as exc:
            _form_error(self, exc)


def _with_actor(form_class, request, check):
    return type(
        form_class.__name__, (form_class,), {"actor": _actor(request), "service_check": check}
    )


# --- who may open what --------------------------------------------------------------------------


def _held_roles(request) -> set[str]:
    """The roles the user holds anywhere, read once per request (the admin asks many times)."""
    if not hasattr(request, "_catalogue_roles"):
        user = request.user
        held = {a.role for a in roles_of(user)} if user.is_authenticated else set()
        request._catalogue_roles = held
    return request._catalogue_roles


def _role_allows(request, roles, organization=None) -> bool:
    """Whether the user holds one of ``roles`` (for ``organization`` when given)."""
    if not _held_roles(request).intersection(roles):
        return False
    if organization is None:
        return True
    return any(has_role(request.user, role, organization) for role in roles)


class CatalogueRoleAdmin(admin.ModelAdmin):
    """Opens the page to the catalogue roles besides Django's model permissions.

    ``view_roles`` may look, ``write_roles`` may add and change; with :meth:`organization_of`
    an object is open only to a role covering its organisation, and the lists show only those.
    """

    view_roles: tuple[str, ...] = CATALOGUE_ROLES
    write_roles: tuple[str, ...] = ()
    organization_path: str | None = None  # e.g. "item__organization", to scope the lists

    def organization_of(self, obj):
        return None

    def _allows(self, request, roles, obj=None) -> bool:
        return _role_allows(request, roles, None if obj is None else self.organization_of(obj))

    def has_module_permission(self, request):
        return super().has_module_permission(request) or _role_allows(request, CATALOGUE_ROLES)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._allows(
            request, (*self.view_roles, *self.write_roles), obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._allows(
            request, self.write_roles, obj
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) or _role_allows(request, self.write_roles)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.organization_path is None or super().has_view_permission(request):
            return queryset
        # A role covers organisations, not rows: list only theirs (an object outside them
        # would be refused on its own page anyway).
        organizations = None
        for role in (*self.view_roles, *self.write_roles):
            scoped = organizations_for(request.user, role)
            organizations = scoped if organizations is None else organizations | scoped
        return queryset.filter(**{f"{self.organization_path}__in": organizations.values("pk")})


# --- code lists and the 目录清单 ---------------------------------------------------------------


class CodeListAdmin(CatalogueRoleAdmin):
    write_roles = (Role.CATALOG_REVIEWER,)  # what services.save_code allows

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_actor(ServiceCheckedForm, request, None)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_code(obj, actor=_actor(request))

    def has_delete_permission(self, request, obj=None):
        return False  # guides refer to them; rename instead


@admin.register(ItemType)
class ItemTypeAdmin(CodeListAdmin):
    list_display = ("code", "name", "order")
    search_fields = ("code", "name")


@admin.register(Theme)
class ThemeAdmin(CodeListAdmin):
    list_display = ("code", "name", "audience", "order")
    list_filter = ("audience",)
    search_fields = ("code", "name")


@admin.register(BasicItem)
class BasicItemAdmin(CatalogueRoleAdmin):
    write_roles = (Role.CATALOG_REVIEWER,)  # require_catalogue_editor
    list_display = ("code", "name", "item_type", "level", "parent", "is_active")
    list_filter = ("item_type", "level", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("item_type", "parent")
    autocomplete_fields = ("parent",)
    fields = ("code", "name", "item_type", "legal_basis", "level", "parent", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_actor(ServiceCheckedForm, request, services.check_basic_item)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        who = _actor(request)
        values = {name: form.cleaned_data[name] for name in self.fields if name != "code"}
        if change:
            services.update_basic_item(BasicItem.objects.get(pk=obj.pk), actor=who, **values)
        else:
            obj.pk = services.create_basic_item(code=obj.code, actor=who, **values).pk

    def has_delete_permission(self, request, obj=None):
        return False


# --- 实施清单 -----------------------------------------------------------------------------------


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogueRoleAdmin):
    view_roles = (Role.CATALOG_REVIEWER,)
    write_roles = (Role.CATALOG_EDITOR,)  # 谁编制谁维护: the editor adds items and drafts
    organization_path = "organization"
    list_display = ("code", "basic_item", "organization", "exercise_level", "status", "current")
    list_filter = ("status", "exercise_level")
    search_fields = ("code", "basic_item__name", "basic_item__code", "organization__name")
    list_select_related = ("basic_item", "organization", "current_version")
    autocomplete_fields = ("basic_item", "organization")
    actions = ("start_drafts", "retire_items")

    def organization_of(self, obj):
        return obj.organization

    def get_autocomplete_fields(self, request):
        if request.user.has_perm("regions.view_organization"):
            return self.autocomplete_fields
        # The organisation search belongs to the regions admin, closed to catalogue staff:
        # they choose among the organisations they draft for.
        return ("basic_item",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and "organization" not in self.get_autocomplete_fields(
            request
        ):
            kwargs["queryset"] = organizations_for(request.user, Role.CATALOG_EDITOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="当前版本")
    def current(self, obj):
        return f"第{obj.current_version.number}版" if obj.current_version_id else "未发布"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("basic_item", "organization")
        return (
            "code",
            "basic_item",
            "organization",
            "region",
            "exercise_level",
            "status",
            "current_version",
            "view_count",
            "application_count",
            "created_at",
            "retired_at",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_actor(ServiceCheckedForm, request, None)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.create_service_item(
                basic_item=obj.basic_item, organization=obj.organization, actor=_actor(request)
            )
        except DomainError as exc:
            raise _Refused(exc) from exc
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        return _refusal_as_message(self, request, super().add_view, form_url, extra_context)

    @admin.action(description="编制新版本（草稿）")
    def start_drafts(self, request, queryset):
        for item in queryset.select_related("organization", "basic_item"):
            try:
                draft = services.start_draft(item, actor=_actor(request))
            except DomainError as exc:
                self.message_user(request, f"{item}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"已为{item}新建草稿：第{draft.number}版")

    @admin.action(description="取消事项")
    def retire_items(self, request, queryset):
        """Two steps, like Django's delete confirmation: the items and a required reason, then
        the service (a reviewer of the item's organisation decides; the reason is public)."""
        items = list(queryset.select_related("organization", "basic_item"))
        reason = request.POST.get("reason", "").strip()
        error = ""
        if request.POST.get("apply"):
            for item in items:
                try:
                    services.retire_item(item, actor=_actor(request), reason=reason)
                except DomainError as exc:
                    if exc.field == "retirement_reason":
                        error = exc.message
                        break
                    self.message_user(request, f"{item}：{exc.message}", messages.ERROR)
                else:
                    self.message_user(request, f"已取消{item}")
            if not error:
                return None
        return TemplateResponse(
            request,
            "admin/catalog/serviceitem/retire.html",
            {
                **self.admin_site.each_context(request),
                "title": "取消事项",
                "items": items,
                "reason": reason,
                "error": error,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "back": request.get_full_path(),
                "opts": self.model._meta,
            },
        )

    def has_delete_permission(self, request, obj=None):
        return False


class _Refused(Exception):
    """A service refused a write the form had accepted (a race): roll back, tell the user."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        self.error = error


def _refusal_as_message(model_admin, request, view, *args):
    try:
        return view(request, *args)
    except _Refused as refused:
        model_admin.message_user(request, refused.error.message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


# --- versions ---------------------------------------------------------------------------------


def _editable(request, version: ItemVersion | None) -> bool:
    if version is None or version.status not in EDITABLE_STATUSES:
        return False
    try:
        services.check_editable(version, actor=_actor(request))
    except DomainError:
        return False
    return True


class PartInline(admin.StackedInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        # Without a version (Django asks so for the rows' queryset) the parent page decides.
        organization = None if obj is None else obj.item.organization
        return _role_allows(request, CATALOGUE_ROLES, organization)

    def _editable(self, request, obj):
        return _editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


class MaterialInline(PartInline):
    model = Material
    fields = (
        ("name", "order"),
        ("kind", "source", "issuing_department"),
        ("requirement", "condition"),
        ("copies", "paper_format", "electronic_required"),
        ("blank_form", "sample"),
        "acceptance_standard",
        "notes",
        "legal_basis",
    )


class StepInline(PartInline):
    model = ProcessStep
    fields = (("name", "order"), ("role", "time_limit"), ("review_method", "on_the_spot"))


class HandlingItemInline(PartInline):
    model = HandlingItem
    fields = (("name", "order"), "description", "materials")
    filter_horizontal = ("materials",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A situation chooses among this version's own materials.
        version_id = request.resolver_match.kwargs.get("object_id")
        kwargs["queryset"] = Material.objects.filter(version_id=version_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FeeInline(PartInline):
    model = Fee
    fields = (("name", "order"), "standard", "legal_basis")


GUIDE_FIELDSETS = (
    (
        "基本信息",
        {
            "fields": (
                "name",
                "service_objects",
                "themes",
                "legal_basis",
                "conditions",
                "review_criteria",
            )
        },
    ),
    (
        "办理方式",
        {
            "fields": (
                "handling_forms",
                "online_depth",
                "max_visits",
                "handling_scope",
                ("appointment_supported", "online_payment_supported", "express_delivery_supported"),
            )
        },
    ),
    ("时限与收费", {"fields": (("statutory_time_limit", "promised_time_limit"), "is_free")}),
    ("办理结果", {"fields": ("result_name", "result_type", "result_sample")}),
    ("申请材料", {"fields": ("no_materials_required",)}),
    ("申请表单", {"fields": ("application_form",)}),
    (
        "办理地点与联系方式",
        {
            "fields": (
                "halls",
                "windows",
                "handling_address",
                "working_hours",
                "consultation_phone",
                "supervision_phone",
            )
        },
    ),
)
HISTORY_FIELDS = (
    "item",
    "number",
    "status",
    "is_fully_online",
    "drafted_by_name",
    "created_at",
    "submitted_at",
    "reviewed_by_name",
    "reviewed_at",
    "review_opinion",
    "published_at",
    "superseded_at",
    "publish_check",
    "changes",
)
# The list-valued elements, shown read-only by their Chinese labels instead of their codes.
MULTI_CHOICE = tuple(
    f.name for f in ItemVersion._meta.concrete_fields if isinstance(f, MultiChoiceField)
)
WORKFLOW = {
    "_catalog_submit": "提交审核",
    "_catalog_return": "退回",
    "_catalog_publish": "发布",
}


def _labels_of(name: str):
    field = ItemVersion._meta.get_field(name)

    @admin.display(description=field.verbose_name)
    def labels(model_admin, obj):
        return "、".join(field.labels(getattr(obj, name))) or "—"

    return labels


def _read_only(fields):
    """``fields`` of a fieldset with each list-valued element replaced by its label display
    and the 申请表单 by its indented JSON."""
    return tuple(
        _read_only(f)
        if isinstance(f, tuple)
        else f"{f}_labels"
        if f in MULTI_CHOICE
        else "application_form_text"
        if f == "application_form"
        else f
        for f in fields
    )


_SCHEMA_KEYS = ("$schema", "type", "title", "description", "properties", "required")
_PROPERTY_KEYS = ("type", "title", "description")


def _schema_text(value) -> str:
    """The 申请表单 as indented JSON in reading order (type and title first, the properties in
    their x-order): the same text on every database, since jsonb keeps no order of keys."""
    if isinstance(value, dict) and isinstance(value.get("properties"), dict):
        value = {k: value[k] for k in _SCHEMA_KEYS if k in value} | dict(sorted(value.items()))
        value["properties"] = {
            name: {k: prop[k] for k in _PROPERTY_KEYS if k in prop} | dict(sorted(prop.items()))
            if isinstance(prop, dict)
            else prop
            for name, prop in application_forms.ordered_properties(value)
        }
    return json.dumps(value, ensure_ascii=False, indent=2)


class ApplicationFormField(forms.JSONField):
    """The 申请表单 as JSON text: shown indented, checked against the supported subset
    (:func:`application_forms.check_schema`) with the Chinese reason on the field, and, when
    refused, shown again exactly as typed. Empty means the default form."""

    def __init__(self, **kwargs):
        kwargs["widget"] = forms.Textarea(
            attrs={"rows": 20, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(
                    f"申请表单不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有误",
                    code="invalid",
                ) from exc
        return super().to_python(value)

    def clean(self, value):
        schema = super().clean(value)
        try:
            return application_forms.prepare(schema)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="schema") from exc

    def bound_data(self, data, initial):
        if self.disabled or not isinstance(data, str):
            return super().bound_data(data, initial)
        return forms.fields.InvalidJSONInput(data)  # the text as typed, not re-serialised

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return _schema_text(value)


@admin.register(ItemVersion)
class ItemVersionAdmin(CatalogueRoleAdmin):
    write_roles = (Role.CATALOG_EDITOR,)  # reviewers act through the workflow buttons
    organization_path = "item__organization"
    list_display = ("__str__", "item", "number", "status", "drafted_by_name", "published_at")
    list_filter = ("status",)
    search_fields = ("name", "item__code", "item__organization__name")
    list_select_related = ("item__basic_item",)
    autocomplete_fields = ("halls", "windows")
    filter_horizontal = ("themes",)
    inlines = (MaterialInline, StepInline, HandlingItemInline, FeeInline)
    actions = ("submit_versions", "publish_versions")
    change_form_template = "admin/catalog/itemversion/change_form.html"

    service_objects_labels = _labels_of("service_objects")
    handling_forms_labels = _labels_of("handling_forms")
    online_depth_labels = _labels_of("online_depth")

    @admin.display(description="申请表单")
    def application_form_text(self, obj):
        if not obj.application_form:
            return "默认表单（申请人姓名、联系电话、联系地址、申请事由）"
        return format_html("<pre>{}</pre>", _schema_text(obj.application_form))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "application_form":
            kwargs["form_class"] = ApplicationFormField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def organization_of(self, obj):
        return obj.item.organization

    def _guide_fieldsets(self, request, obj):
        if _editable(request, obj):
            return GUIDE_FIELDSETS
        return tuple(
            (title, {**opts, "fields": _read_only(opts["fields"])})
            for title, opts in GUIDE_FIELDSETS
        )

    def get_fieldsets(self, request, obj=None):
        return (*self._guide_fieldsets(request, obj), ("审核与历史", {"fields": HISTORY_FIELDS}))

    def get_readonly_fields(self, request, obj=None):
        if _editable(request, obj):
            return HISTORY_FIELDS
        guide = self._guide_fieldsets(request, obj)
        return [f for _, opts in guide for f in _flat(opts["fields"])] + list(HISTORY_FIELDS)

    def get_autocomplete_fields(self, request):
        # The hall and window searches belong to the regions admin, which catalogue staff may
        # not open; they pick from the item's own region instead (formfield_for_manytomany).
        allowed = {"halls": "regions.view_servicehall", "windows": "regions.view_window"}
        return tuple(
            name for name in self.autocomplete_fields if request.user.has_perm(allowed[name])
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("halls", "windows") and db_field.name not in (
            self.get_autocomplete_fields(request)
        ):
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, is_stacked=False)
            kwargs["queryset"] = self._places_nearby(db_field.name, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _places_nearby(self, name, request):
        version = (
            ItemVersion.objects.select_related("item")
            .filter(pk=request.resolver_match.kwargs.get("object_id"))
            .first()
        )
        if version is None:
            return ServiceHall.objects.none() if name == "halls" else Window.objects.none()
        chosen = list(getattr(version, name).values_list("pk", flat=True))
        if name == "halls":
            return ServiceHall.objects.filter(
                Q(region_id=version.item.region_id) | Q(pk__in=chosen)
            )
        return Window.objects.filter(
            Q(hall__region_id=version.item.region_id) | Q(pk__in=chosen)
        ).select_related("hall")

    def has_add_permission(self, request):
        return False  # a version is started from its item (编制新版本)

    def has_delete_permission(self, request, obj=None):
        return False  # history is data

    @admin.display(description="发布检查")
    def publish_check(self, obj):
        if obj.is_frozen:
            return "—"
        violations = rules.check_version(obj)
        if not violations:
            return "符合全部发布规则"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(v),) for v in violations))
        )

    @admin.display(description="与上一发布版本的差异")
    def changes(self, obj):
        if obj.is_frozen:
            previous, changes = selectors.version_with_diff(obj)
        else:
            previous = obj.item.current_version
            changes = diff_versions(previous, obj)
        if previous is None:
            return "首个版本"
        if not changes:
            return f"与第{previous.number}版相同"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((c.field, c.old, c.new) for c in changes),
        )
        return format_html(
            "<p>对比第{}版</p><table><tr><th>要素</th><th>原内容</th><th>新内容</th></tr>{}</table>",
            previous.number,
            rows,
        )

    # --- saving a draft through the services ---

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_actor(ServiceCheckedForm, request, services.check_editable)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        stored = ItemVersion.objects.select_related("item__organization").get(pk=obj.pk)
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.drafted_fields()
        }
        if not fields:
            return
        try:
            services.update_draft(stored, actor=_actor(request), **fields)
        except DomainError as exc:
            raise _Refused(exc) from exc

    def save_related(self, request, form, formsets, change):
        # The version's many-to-many values went through update_draft; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        who = _actor(request)
        noun = formset.model._meta.model_name.replace("processstep", "step").replace(
            "handlingitem", "handling_item"
        )
        try:
            for row in formset.deleted_objects:
                getattr(services, f"remove_{noun}")(row, actor=who)
            for inline_form in formset.saved_forms:
                self._save_part(inline_form, noun, who)
        except DomainError as exc:
            raise _Refused(exc) from exc

    def _save_part(self, inline_form, noun, who):
        row = inline_form.instance
        values = {
            name: inline_form.cleaned_data[name]
            for name in inline_form.changed_data
            if name not in ("id", "version", "DELETE")
        }
        if row._state.adding or row.pk is None:
            values = {
                name: inline_form.cleaned_data[name]
                for name in inline_form.fields
                if name not in ("id", "version", "DELETE")
            }
            getattr(services, f"add_{noun}")(row.version, actor=who, **values)
        elif values:
            stored = type(row).objects.select_related("version__item__organization").get(pk=row.pk)
            getattr(services, f"update_{noun}")(stored, actor=who, **values)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        action = next((key for key in WORKFLOW if key in request.POST), None)
        if request.method == "POST" and action and object_id:
            return self._workflow(request, object_id, action, extra_context)
        return _refusal_as_message(
            self, request, super().changeform_view, object_id, form_url, extra_context
        )

    def _workflow(self, request, object_id, action, extra_context):
        version = ItemVersion.objects.select_related("item__organization").get(pk=object_id)
        if not self.has_view_permission(request, version):
            raise PermissionDenied  # the services check the catalogue roles themselves
        opinion = request.POST.get("opinion", "")
        who = _actor(request)
        try:
            with transaction.atomic():
                if action == "_catalog_submit":
                    services.submit_for_review(version, actor=who)
                elif action == "_catalog_return":
                    services.return_draft(version, actor=who, opinion=opinion)
                else:
                    services.publish(version, actor=who, opinion=opinion)
        except DomainError as exc:
            self._refusal(request, exc)
            request.method = "GET"  # show the page again, with the opinion as typed
            context = {**(extra_context or {}), "catalog_opinion": opinion}
            return super().changeform_view(request, object_id, "", context)
        self.message_user(request, f"{version}：{WORKFLOW[action]}成功")
        return HttpResponseRedirect(request.get_full_path())

    def _refusal(self, request, exc: DomainError) -> None:
        self.message_user(request, exc.message, messages.ERROR)
        if isinstance(exc, RuleViolation):
            for violation in exc.violations[1:]:
                self.message_user(request, str(violation), messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.setdefault("catalog_opinion", "")
        context["catalog_workflow"] = obj is not None and obj.status in (
            *EDITABLE_STATUSES,
            "submitted",
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="提交审核")
    def submit_versions(self, request, queryset):
        self._bulk(request, queryset, services.submit_for_review, "已提交审核")

    @admin.action(description="发布（审核通过）")
    def publish_versions(self, request, queryset):
        self._bulk(request, queryset, services.publish, "已发布")

    def _bulk(self, request, queryset, service, done):
        for version in queryset.select_related("item__organization"):
            try:
                service(version, actor=_actor(request))
            except DomainError as exc:
                self.message_user(request, f"{version}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{version}{done}")


def _flat(fields):
    for field in fields:
        if isinstance(field, tuple):
            yield from field
        else:
            yield field


# The search engine's admin pages (同义词, 无结果搜索词, …).
from yiwang.catalog.search import admin as search_admin  # noqa: E402, F401
