"""Application forms (申请表单): what an applicant fills in online, defined per guide version.

Public API of the catalogue for online application (the cases app uses only this module):
:data:`DEFAULT_FORM`, :func:`form_schema`, :func:`check_schema`, :func:`prepare`,
:func:`ordered_properties`, :func:`build_form`, :func:`validate` and :func:`prefill`.

A form is a small subset of JSON Schema (Draft 2020-12) stored on :class:`ItemVersion`
(``application_form``), so it is drafted, reviewed and published with the rest of the guide and
a case keeps the form it was applied with (ADR 0005). The subset is what the server can render
as an accessible Django form *and* check identically when the same data arrives as JSON:

- top level ``{"type": "object", "properties": {…}, "required": […]}`` (optionally ``$schema``,
  ``title``, ``description``, ``additionalProperties: false`` and ``x-order``);
- at most :data:`MAX_PROPERTIES` properties named ``^[a-z][a-z0-9_]{0,39}$``, each with a
  Chinese ``title`` and optional ``description``, of type
  ``string`` (``maxLength`` ≤ :data:`MAX_TEXT_LENGTH`, ``minLength``, ``pattern``, ``enum`` with
  ``x-enumNames``, ``format`` ``date`` or ``email``, ``x-widget: "textarea"``),
  ``integer`` / ``number`` (``minimum``, ``maximum``) or ``boolean`` (``const: true``: a box that
  must be ticked, e.g. a 告知承诺);
- ``x-prefill`` on a string names what the platform already knows (:data:`PREFILL_SOURCES`):
  the mobile app and portal offer 表单预填 (guide ch. 5 (3) ①), and data the government holds
  must not be asked for again (国务院令第716号) — the applicant checks it instead of typing it.

Order: PostgreSQL's ``jsonb`` does not keep the order of an object's keys, so the order of the
properties is stored as ``x-order`` (:func:`prepare` writes it from the order typed); a form
without it (:data:`DEFAULT_FORM` in code, a schema not yet stored) follows ``properties``.

A string without ``maxLength`` holds at most :data:`MAX_TEXT_LENGTH` characters (an e-mail
address 320, Django's and RFC 3696's limit): the server never stores unbounded text.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from yiwang.core.errors import DomainError

__all__ = [
    "DEFAULT_FORM",
    "MAX_PROPERTIES",
    "MAX_TEXT_LENGTH",
    "PREFILL_SOURCES",
    "UNKNOWN_PROPERTY",
    "ApplicationForm",
    "build_form",
    "check_schema",
    "form_schema",
    "ordered_properties",
    "prefill",
    "prepare",
    "validate",
]

FIELD = "application_form"  # the ItemVersion field, named in every DomainError
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
MAX_PROPERTIES = 60
MAX_TEXT_LENGTH = 2000
EMAIL_MAX_LENGTH = 320  # Django's EmailValidator refuses longer addresses
UNKNOWN_PROPERTY = "表单中没有这一项"

# What x-prefill may name: the person signed in (accounts User) and the enterprise they act for.
PREFILL_SOURCES: dict[str, str] = {
    "person.name": "申请人姓名",
    "person.phone": "申请人手机号码",
    "person.id_number": "申请人公民身份号码",
    "person.address": "申请人联系地址",
    "person.email": "申请人电子邮箱",
    "enterprise.name": "企业名称",
    "enterprise.uscc": "统一社会信用代码",
    "enterprise.legal_representative": "法定代表人姓名",
}

# A mobile number, or a fixed line with its area code (0574-87654321).
PHONE_PATTERN = "^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"

DEFAULT_FORM: dict = {
    "type": "object",
    "properties": {
        "applicant_name": {
            "type": "string",
            "title": "申请人姓名",
            "maxLength": 50,
            "x-prefill": "person.name",
        },
        "phone": {
            "type": "string",
            "title": "联系电话",
            "description": "手机号码，或带区号的固定电话（如 0574-87654321）",
            "pattern": PHONE_PATTERN,
            "maxLength": 20,
            "x-prefill": "person.phone",
        },
        "address": {
            "type": "string",
            "title": "联系地址",
            "maxLength": 200,
            "x-prefill": "person.address",
        },
        "reason": {
            "type": "string",
            "title": "申请事由",
            "description": "简要说明申请办理的事项和理由",
            "maxLength": MAX_TEXT_LENGTH,
            "x-widget": "textarea",
        },
    },
    "required": ["applicant_name", "phone", "reason"],
    "x-order": ["applicant_name", "phone", "address", "reason"],
}

_TOP_KEYS = ("$schema", "type", "title", "description", "properties", "required")
_TOP_KEYS += ("additionalProperties", "x-order")
_COMMON_KEYS = frozenset({"type", "title", "description"})
_KEYS = {
    "string": _COMMON_KEYS
    | {"maxLength", "minLength", "pattern", "enum", "x-enumNames", "format", "x-widget"}
    | {"x-prefill"},
    "integer": _COMMON_KEYS | {"minimum", "maximum"},
    "number": _COMMON_KEYS | {"minimum", "maximum"},
    "boolean": _COMMON_KEYS | {"const"},
}
# Keywords that would contradict each other (or the widget chosen) on one string property.
_EXCLUSIVE = {
    "enum": ("format", "x-widget", "pattern", "minLength", "maxLength"),
    "format": ("x-widget", "pattern", "minLength"),
}
_NAME = re.compile("[a-z][a-z0-9_]{0,39}")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_ISO_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse(message: str) -> DomainError:
    return DomainError(message, field=FIELD)


# --- the schema ---------------------------------------------------------------------------------


def check_schema(schema: Any) -> None:
    """Refuse (:class:`DomainError` on ``application_form``) a form outside the supported subset
    (module docstring), or one that is not valid Draft 2020-12 JSON Schema at all."""
    if not isinstance(schema, dict):
        raise _refuse("申请表单须为 JSON 对象（以 { 开头）")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        path = list(exc.path)
        if exc.validator == "format" and len(path) == 3 and path[0::2] == ["properties", "pattern"]:
            # the metaschema checks a pattern compiles (with Python's re, as validation does)
            raise _refuse(f"表单项“{path[1]}”的 pattern 不是有效的正则表达式") from exc
        where = "/" + "/".join(str(part) for part in path) if path else "顶层"
        raise _refuse(f"申请表单不是有效的 JSON Schema（2020-12）：“{where}”处不符合规范") from exc
    for key in schema:
        if key not in _TOP_KEYS:
            raise _refuse(f"申请表单顶层不支持“{key}”；只能使用 {'、'.join(_TOP_KEYS)}")
    if "$schema" in schema and schema["$schema"] != DRAFT_2020_12:
        raise _refuse(f"申请表单只支持 JSON Schema 2020-12（$schema 须为 {DRAFT_2020_12}）")
    if schema.get("type") != "object":
        raise _refuse('申请表单顶层的 type 须为 "object"')
    if schema.get("additionalProperties", False) is not False:
        raise _refuse("申请表单不能接受未定义的项（additionalProperties 只能为 false）")
    properties = schema.get("properties")
    if not properties:
        raise _refuse("申请表单至少要有一项（properties 不能为空）")
    if len(properties) > MAX_PROPERTIES:
        raise _refuse(f"申请表单最多 {MAX_PROPERTIES} 项，现有 {len(properties)} 项")
    for name, prop in properties.items():
        if not _NAME.fullmatch(name):
            raise _refuse(
                f"表单项名称“{name}”不符合要求：须以小写字母开头，只含小写字母、数字和下划线，"
                "最长 40 个字符"
            )
        _check_property(name, prop)
    required = schema.get("required", [])
    for name in required:
        if name not in properties:
            raise _refuse(f"必填项“{name}”不是表单中的一项")
    for name, prop in properties.items():
        if prop.get("const") is True and name not in required:
            raise _refuse(f"须勾选的表单项“{name}”（const: true）须列入 required")
    order = schema.get("x-order", [])
    if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
        raise _refuse("x-order 须为表单项名称的列表")
    for name in order:
        if name not in properties:
            raise _refuse(f"x-order 中的“{name}”不是表单中的一项")
    if len(set(order)) != len(order):
        raise _refuse("x-order 中有重复的表单项")


def _check_property(name: str, prop: Any) -> None:
    if not isinstance(prop, dict):
        raise _refuse(f"表单项“{name}”须为 JSON 对象")
    kind = prop.get("type")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise _refuse(f"表单项“{name}”的 type 须为 string、integer、number 或 boolean")
    for key in prop:
        if key not in _KEYS[kind]:
            raise _refuse(f"表单项“{name}”（{kind}）不支持“{key}”")
    title = prop.get("title")
    if not isinstance(title, str) or not _HAN.search(title):
        raise _refuse(f"表单项“{name}”须有中文标题（title）")
    if kind == "string":
        _check_string(name, prop)
    elif kind in ("integer", "number"):
        _check_number(name, kind, prop)
    elif "const" in prop and prop["const"] is not True:
        raise _refuse(f"表单项“{name}”的 const 只能为 true（表示须勾选）")


def _check_string(name: str, prop: dict) -> None:
    for key, conflicts in _EXCLUSIVE.items():
        for other in conflicts:
            if key in prop and other in prop:
                raise _refuse(f"表单项“{name}”不能同时使用“{key}”和“{other}”")
    limit = prop.get("maxLength", MAX_TEXT_LENGTH)
    if limit > MAX_TEXT_LENGTH:
        raise _refuse(f"表单项“{name}”的 maxLength 不能超过 {MAX_TEXT_LENGTH}")
    if prop.get("minLength", 0) > limit:
        raise _refuse(f"表单项“{name}”的 minLength 不能大于 maxLength")
    if "enum" in prop:
        options = prop["enum"]
        if not options or not all(isinstance(o, str) and o.strip() for o in options):
            raise _refuse(f"表单项“{name}”的 enum 须为非空的文字选项")
        if len(set(options)) != len(options):
            raise _refuse(f"表单项“{name}”的 enum 中有重复的选项")
    if "x-enumNames" in prop:
        names = prop["x-enumNames"]
        if "enum" not in prop:
            raise _refuse(f"表单项“{name}”的 x-enumNames 须与 enum 一起使用")
        if (
            not isinstance(names, list)
            or len(names) != len(prop["enum"])
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise _refuse(f"表单项“{name}”的 x-enumNames 须为与 enum 一一对应的选项名称")
    if "format" in prop and prop["format"] not in ("date", "email"):
        raise _refuse(f"表单项“{name}”的 format 只能为 date 或 email")
    if prop.get("format") == "date" and "maxLength" in prop:
        raise _refuse(f"表单项“{name}”不能同时使用“format”和“maxLength”")
    if "x-widget" in prop and prop["x-widget"] != "textarea":
        raise _refuse(f"表单项“{name}”的 x-widget 只能为 textarea")
    if "x-prefill" in prop and prop["x-prefill"] not in PREFILL_SOURCES:
        raise _refuse(f"表单项“{name}”的 x-prefill 只能为 {'、'.join(PREFILL_SOURCES)} 之一")


def _check_number(name: str, kind: str, prop: dict) -> None:
    bounds = [prop[key] for key in ("minimum", "maximum") if key in prop]
    if kind == "integer" and not all(isinstance(b, int) for b in bounds):
        raise _refuse(f"表单项“{name}”是整数，minimum 和 maximum 须为整数")
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise _refuse(f"表单项“{name}”的 minimum 不能大于 maximum")


def prepare(schema: Any) -> dict:
    """The form as it is stored: ``{}`` (none of its own: :data:`DEFAULT_FORM` applies) for an
    empty one, else a checked copy whose ``x-order`` lists every property (the order typed,
    after those ``x-order`` already names), because ``jsonb`` forgets the order of keys."""
    if schema is None or schema == {}:
        return {}
    check_schema(schema)
    prepared = copy.deepcopy(schema)
    order = list(prepared.get("x-order", []))
    prepared["x-order"] = order + [name for name in prepared["properties"] if name not in order]
    return prepared


def form_schema(version) -> dict:
    """The form of ``version`` (an ItemVersion): its own, or :data:`DEFAULT_FORM` (a copy)."""
    return copy.deepcopy(version.application_form or DEFAULT_FORM)


def ordered_properties(schema: Mapping) -> list[tuple[str, dict]]:
    """``(name, property)`` in display order: ``x-order`` first, then the others as stored."""
    properties = schema.get("properties", {})
    order = [name for name in schema.get("x-order", []) if name in properties]
    order += [name for name in properties if name not in order]
    return [(name, properties[name]) for name in order]


def _effective(prop: dict) -> dict:
    """``prop`` with the server's own length limit on text without one."""
    if prop["type"] != "string" or "enum" in prop or prop.get("format") == "date":
        return prop
    limit = EMAIL_MAX_LENGTH if prop.get("format") == "email" else MAX_TEXT_LENGTH
    return {"maxLength": limit, **prop}


# --- Chinese messages, shared by the form and the JSON validation --------------------------------


def _title(prop: dict) -> str:
    # Django formats some field messages with %-parameters: a literal "%" in a title (持股比例
    # （%）) must not reach them, so messages use the full-width sign.
    return prop["title"].replace("%", "％")


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _required_message(prop: dict) -> str:
    if prop["type"] == "boolean" and prop.get("const") is True:
        return f"请勾选{_title(prop)}"
    return f"请填写{_title(prop)}"


_TYPE_MESSAGES = {
    "string": "{}应为文字",
    "integer": "{}应为整数",
    "number": "{}应为数字",
    "boolean": "{}应为“是”或“否”",
}


def _type_message(prop: dict) -> str:
    return _TYPE_MESSAGES[prop["type"]].format(_title(prop))


def _format_message(prop: dict) -> str:
    if prop.get("format") == "date":
        return f"{_title(prop)}应为日期，格式如 2025-01-31"
    return f"{_title(prop)}格式不正确"


def _keyword_message(keyword: str, prop: dict) -> str:
    if keyword == "type":
        return _type_message(prop)
    if keyword == "enum":
        return f"{_title(prop)}不在可选范围内"
    if keyword == "const":
        return _required_message(prop)
    if keyword == "maxLength":
        return f"不能超过 {_effective(prop)['maxLength']} 个字"
    if keyword == "minLength":
        return f"至少要填写 {prop['minLength']} 个字"
    if keyword == "pattern":
        return f"{_title(prop)}格式不正确"
    if keyword == "minimum":
        return f"不能小于 {_number(prop['minimum'])}"
    if keyword == "maximum":
        return f"不能大于 {_number(prop['maximum'])}"
    if keyword == "format":
        return _format_message(prop)
    return f"{_title(prop)}填写不正确"


def _null_message(prop: dict) -> str:
    return f"{_title(prop)}含有不允许的字符"


# When one value breaks several rules, the first of these is the one message reported.
_RANK = {
    keyword: rank
    for rank, keyword in enumerate(
        (
            "required",
            "type",
            "const",
            "enum",
            "format",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
        )
    )
}


# --- the Django form --------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    """A form built from a schema: one field per property, in order (:func:`build_form`)."""

    def __init__(self, schema: Mapping, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        required = set(schema.get("required", ()))
        for name, prop in ordered_properties(schema):
            self.fields[name] = _form_field(prop, name in required)


def build_form(
    schema: Mapping, *, data: Mapping | None = None, initial: Mapping | None = None
) -> ApplicationForm:
    """A Django form for ``schema``: labels are the titles, help texts the descriptions,
    messages Chinese and the same as :func:`validate` gives. Bound when ``data`` is given;
    ``initial`` (e.g. :func:`prefill`) fills an unbound one. Pass its ``cleaned_data`` to
    :func:`validate` for JSON values (dates as ISO strings)."""
    return ApplicationForm(schema, data=data, initial=initial)


def _form_field(prop: dict, required: bool) -> forms.Field:
    prop = _effective(prop)
    common = {
        "label": prop["title"],
        "help_text": prop.get("description", ""),
        "required": required,
    }
    messages = {"required": _required_message(prop)}
    kind = prop["type"]
    if kind == "boolean":
        # An unticked box is "no", not "missing": only a box that must be ticked is required.
        return forms.BooleanField(
            **{**common, "required": prop.get("const") is True}, error_messages=messages
        )
    if kind in ("integer", "number"):
        bounds = {
            "min_value": prop.get("minimum"),
            "max_value": prop.get("maximum"),
        }
        messages |= {"invalid": _type_message(prop)}
        messages |= {
            code: _keyword_message(keyword, prop)
            for code, keyword in (("min_value", "minimum"), ("max_value", "maximum"))
            if keyword in prop
        }
        if kind == "integer":
            return forms.IntegerField(**common, **bounds, error_messages=messages)
        decimal_bounds = {k: None if v is None else Decimal(str(v)) for k, v in bounds.items()}
        return forms.DecimalField(**common, **decimal_bounds, error_messages=messages)
    if "enum" in prop:
        names = prop.get("x-enumNames", prop["enum"])
        return forms.ChoiceField(
            **common,
            choices=[("", "请选择"), *zip(prop["enum"], names, strict=True)],
            error_messages=messages | {"invalid_choice": _keyword_message("enum", prop)},
        )
    if prop.get("format") == "date":
        return forms.DateField(
            **common,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages=messages | {"invalid": _format_message(prop)},
        )
    messages |= {
        "max_length": _keyword_message("maxLength", prop),
        "null_characters_not_allowed": _null_message(prop),
    }
    if "minLength" in prop:
        messages["min_length"] = _keyword_message("minLength", prop)
    lengths = {"max_length": prop["maxLength"], "min_length": prop.get("minLength")}
    if prop.get("format") == "email":
        return forms.EmailField(
            **common, **lengths, error_messages=messages | {"invalid": _format_message(prop)}
        )
    validators = []
    if "pattern" in prop:
        validators.append(
            RegexValidator(prop["pattern"], message=_keyword_message("pattern", prop))
        )
    widget = forms.Textarea if prop.get("x-widget") == "textarea" else forms.TextInput
    return forms.CharField(
        **common, **lengths, widget=widget, validators=validators, error_messages=messages
    )


# --- JSON input -----------------------------------------------------------------------------------


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports it
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        validate_email(value)  # the rule the Django form applies, so both agree
    except ValidationError:
        return False
    return True


_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date")(_is_date)
_FORMATS.checks("email")(_is_email)

_ABSENT = object()


def _json_value(value: Any) -> Any:
    """A submitted value as JSON: a form's dates and decimals converted, text trimmed, and
    empty text or None as absent (what a form field left blank gives)."""
    if value is None:
        return _ABSENT
    if isinstance(value, str):
        value = value.strip()
        return value if value else _ABSENT
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _not_finite(value: Any) -> bool:
    return (isinstance(value, float) and not math.isfinite(value)) or (
        isinstance(value, Decimal) and not value.is_finite()
    )


def validate(schema: Mapping, data: Mapping) -> tuple[dict, dict[str, str]]:
    """Check ``data`` (JSON from the API, or a form's ``cleaned_data``) against ``schema``.

    Returns ``(clean, errors)``: ``clean`` the JSON-serialisable values that passed, in form
    order (text trimmed, blank optional items left out, dates as ISO strings, whole numbers as
    integers), complete only when ``errors`` is empty; ``errors`` one Chinese message per
    property name (:data:`UNKNOWN_PROPERTY` for a name the form does not have). Runs
    Draft 2020-12 validation with format checking (``date``: ISO ``YYYY-MM-DD``; ``email``:
    Django's rule)."""
    properties = dict(ordered_properties(schema))
    errors: dict[str, str] = {}
    for key in data:
        if key not in properties:
            errors[str(key)] = UNKNOWN_PROPERTY
    instance = {}
    for name, prop in properties.items():
        value = _json_value(data.get(name))
        if value is _ABSENT:
            continue
        if _not_finite(value):
            errors[name] = _type_message(prop)
        elif isinstance(value, str) and "\x00" in value:
            errors[name] = _null_message(prop)  # PostgreSQL cannot store it in jsonb either
        else:
            instance[name] = value
    effective = {
        "type": "object",
        "properties": {name: _effective(prop) for name, prop in properties.items()},
        "required": [n for n in schema.get("required", ()) if n not in errors],
    }
    found: dict[str, tuple[int, str]] = {}
    for error in Draft202012Validator(effective, format_checker=_FORMATS).iter_errors(instance):
        for name, keyword in _error_targets(error):
            rank = _RANK.get(keyword, len(_RANK))
            if name not in found or rank < found[name][0]:
                message = (
                    _required_message(properties[name])
                    if keyword == "required"
                    else _keyword_message(keyword, properties[name])
                )
                found[name] = (rank, message)
    errors |= {name: message for name, (_, message) in found.items()}
    clean = {}
    for name, prop in properties.items():
        if name in instance and name not in errors:
            value = instance[name]
            clean[name] = int(value) if prop["type"] == "integer" else value
    return clean, {name: errors[name] for name in _error_order(properties, errors)}


def _error_targets(error) -> list[tuple[str, str]]:
    if error.validator == "required":
        return [(name, "required") for name in error.validator_value if name not in error.instance]
    return [(error.path[0], str(error.validator))] if error.path else []


def _error_order(properties: Mapping, errors: Mapping) -> list[str]:
    """Errors in form order, unknown names after."""
    return [n for n in properties if n in errors] + [n for n in errors if n not in properties]


# --- prefill ---------------------------------------------------------------------------------


def _source_value(source: str, person, enterprise) -> Any:
    owner, attribute = source.split(".")
    obj = person if owner == "person" else enterprise
    if obj is None:
        return None
    if attribute == "legal_representative":
        representative = obj.legal_representative
        return None if representative is None else representative.name
    return getattr(obj, attribute)


def prefill(schema: Mapping, *, person, enterprise=None) -> dict:
    """Initial values of the properties with ``x-prefill``: from ``person`` (an accounts User:
    name, phone, id_number, address, email) and ``enterprise`` (an accounts Enterprise, when
    acting for one: name, uscc, its legal representative's name). What is unknown stays empty;
    the applicant checks and may correct every prefilled value."""
    initial = {}
    for name, prop in ordered_properties(schema):
        source = prop.get("x-prefill")
        if source is None:
            continue
        value = _source_value(source, person, enterprise)
        if value:
            initial[name] = str(value)
    return initial
