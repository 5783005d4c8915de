"""申请表单: the supported subset of JSON Schema, the server-rendered form and the JSON check
agreeing message for message, prefill from the applicant and the enterprise, and the form as
part of the guide (copied into a new draft, frozen once published, edited in the admin)."""

import copy
import datetime
import json

import pytest
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.accounts.models import Enterprise, User
from yiwang.catalog import services
from yiwang.catalog.application_forms import (
    DEFAULT_FORM,
    build_form,
    check_schema,
    form_schema,
    ordered_properties,
    prefill,
    prepare,
    validate,
)
from yiwang.catalog.models import ItemVersion
from yiwang.core.errors import Conflict, DomainError

from .factories import ItemVersionFactory
from .test_admin import catalogue_staff, form_data, sign_in, url

FULL = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "测试申请表",
    "properties": {
        "name": {"type": "string", "title": "姓名", "maxLength": 20, "x-prefill": "person.name"},
        "phone": {
            "type": "string",
            "title": "联系电话",
            "pattern": "^1[3-9][0-9]{9}$",
            "x-prefill": "person.phone",
        },
        "email": {
            "type": "string",
            "title": "电子邮箱",
            "format": "email",
            "x-prefill": "person.email",
        },
        "birth": {"type": "string", "title": "出生日期", "format": "date"},
        "kind": {
            "type": "string",
            "title": "申请类型",
            "enum": ["new", "renew"],
            "x-enumNames": ["新办", "延续"],
        },
        "reason": {
            "type": "string",
            "title": "申请事由",
            "description": "说明申请的理由",
            "minLength": 5,
            "maxLength": 200,
            "x-widget": "textarea",
        },
        "count": {"type": "integer", "title": "从业人数", "minimum": 1, "maximum": 99},
        "ratio": {"type": "number", "title": "持股比例（%）", "minimum": 0, "maximum": 100},
        "agree": {"type": "boolean", "title": "本人承诺所填信息真实", "const": True},
        "mailing": {"type": "boolean", "title": "需要邮寄"},
    },
    "required": ["name", "phone", "kind", "reason", "count", "agree"],
    "additionalProperties": False,
}
VALID_JSON = {
    "name": "张三",
    "phone": "13812345678",
    "email": "zhang@example.cn",
    "birth": "1990-05-01",
    "kind": "new",
    "reason": "新开一家便利店",
    "count": 3,
    "ratio": 12.5,
    "agree": True,
    "mailing": False,
}
VALID_POST = {
    "name": "张三",
    "phone": "13812345678",
    "email": "zhang@example.cn",
    "birth": "1990-05-01",
    "kind": "new",
    "reason": "新开一家便利店",
    "count": "3",
    "ratio": "12.5",
    "agree": "on",
}
SMALL = {
    "type": "object",
    "properties": {
        "shop_name": {"type": "string", "title": "店铺名称", "maxLength": 50},
        "opening": {"type": "string", "title": "开业日期", "format": "date"},
    },
    "required": ["shop_name"],
}
OTHER = {
    "type": "object",
    "properties": {"note": {"type": "string", "title": "备注"}},
    "required": [],
}
# SMALL as the admin shows it once stored: keys in reading order, whatever the database.
SMALL_TEXT = """{
  "type": "object",
  "properties": {
    "shop_name": {
      "type": "string",
      "title": "店铺名称",
      "maxLength": 50
    },
    "opening": {
      "type": "string",
      "title": "开业日期",
      "format": "date"
    }
  },
  "required": [
    "shop_name"
  ],
  "x-order": [
    "shop_name",
    "opening"
  ]
}"""
MISSING = object()


def _with(base: dict, name: str, value) -> dict:
    data = dict(base)
    if value is MISSING:
        data.pop(name, None)
    else:
        data[name] = value
    return data


def _schema(**prop) -> dict:
    return {"type": "object", "properties": {"item": {"title": "事项", **prop}}}


def _refusal(schema) -> str:
    with pytest.raises(DomainError) as refused:
        check_schema(schema)
    assert refused.value.field == "application_form"
    return refused.value.message


# --- the default form -------------------------------------------------------------------------


def test_the_default_form_asks_for_name_phone_address_and_reason():
    check_schema(DEFAULT_FORM)
    form = build_form(DEFAULT_FORM)
    fields = [(n, f.label, f.required, type(f.widget).__name__) for n, f in form.fields.items()]
    assert fields == [
        ("applicant_name", "申请人姓名", True, "TextInput"),
        ("phone", "联系电话", True, "TextInput"),
        ("address", "联系地址", False, "TextInput"),
        ("reason", "申请事由", True, "Textarea"),
    ]
    assert [p.get("x-prefill") for _, p in ordered_properties(DEFAULT_FORM)] == [
        "person.name",
        "person.phone",
        "person.address",
        None,
    ]


def test_a_version_without_a_form_uses_a_copy_of_the_default():
    version = ItemVersion(application_form={})
    schema = form_schema(version)
    assert schema == DEFAULT_FORM
    schema["properties"].clear()
    assert list(DEFAULT_FORM["properties"]) == ["applicant_name", "phone", "address", "reason"]
    assert form_schema(ItemVersion(application_form=prepare(SMALL))) == prepare(SMALL)


def test_the_default_form_checks_the_phone_number():
    base = {"applicant_name": "张三", "reason": "申请开办个体工商户"}
    for phone in ("13812345678", "0574-87654321", "057487654321"):
        assert validate(DEFAULT_FORM, {**base, "phone": phone})[1] == {}
    for phone in ("1381234567", "12812345678", "87654321"):
        assert validate(DEFAULT_FORM, {**base, "phone": phone})[1] == {
            "phone": "联系电话格式不正确"
        }


# --- the supported subset ---------------------------------------------------------------------


def test_a_schema_using_every_supported_keyword_is_accepted():
    check_schema(FULL)
    assert prepare(FULL) == {**FULL, "x-order": list(FULL["properties"])}
    assert prepare(None) == prepare({}) == {}


def test_sixty_properties_are_accepted_and_sixty_one_refused():
    sixty = {f"p{i}": {"type": "string", "title": f"第{i}项"} for i in range(60)}
    check_schema({"type": "object", "properties": sixty})
    sixty["p60"] = {"type": "string", "title": "第60项"}
    assert _refusal({"type": "object", "properties": sixty}) == "申请表单最多 60 项，现有 61 项"


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([], "申请表单须为 JSON 对象（以 { 开头）"),
        (
            {"type": "object", "properties": {"a": {"type": "string", "maxLength": -1}}},
            "申请表单不是有效的 JSON Schema（2020-12）：“/properties/a/maxLength”处不符合规范",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string", "pattern": 5}}},
            "申请表单不是有效的 JSON Schema（2020-12）：“/properties/a/pattern”处不符合规范",
        ),
        (
            {**SMALL, "minProperties": 1},
            "申请表单顶层不支持“minProperties”；只能使用 $schema、type、title、description、"
            "properties、required、additionalProperties、x-order",
        ),
        (
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
            "申请表单只支持 JSON Schema 2020-12（$schema 须为 "
            "https://json-schema.org/draft/2020-12/schema）",
        ),
        ({"type": "array"}, '申请表单顶层的 type 须为 "object"'),
        (
            {**SMALL, "additionalProperties": True},
            "申请表单不能接受未定义的项（additionalProperties 只能为 false）",
        ),
        ({"type": "object", "properties": {}}, "申请表单至少要有一项（properties 不能为空）"),
        (
            {"type": "object", "properties": {"Name": {"type": "string", "title": "姓名"}}},
            "表单项名称“Name”不符合要求：须以小写字母开头，只含小写字母、数字和下划线，"
            "最长 40 个字符",
        ),
        (
            {"type": "object", "properties": {"a" * 41: {"type": "string", "title": "姓名"}}},
            f"表单项名称“{'a' * 41}”不符合要求：须以小写字母开头，只含小写字母、数字和下划线，"
            "最长 40 个字符",
        ),
        (
            {"type": "object", "properties": {"item": True}},
            "表单项“item”须为 JSON 对象",
        ),
        (_schema(type="array"), "表单项“item”的 type 须为 string、integer、number 或 boolean"),
        (
            _schema(type=["string", "null"]),
            "表单项“item”的 type 须为 string、integer、number 或 boolean",
        ),
        (_schema(type="string", default="x"), "表单项“item”（string）不支持“default”"),
        (_schema(type="integer", maxLength=3), "表单项“item”（integer）不支持“maxLength”"),
        (_schema(type="boolean", enum=[True]), "表单项“item”（boolean）不支持“enum”"),
        (
            {"type": "object", "properties": {"item": {"type": "string"}}},
            "表单项“item”须有中文标题（title）",
        ),
        (
            {"type": "object", "properties": {"item": {"type": "string", "title": "Name"}}},
            "表单项“item”须有中文标题（title）",
        ),
        (_schema(type="string", maxLength=2001), "表单项“item”的 maxLength 不能超过 2000"),
        (
            _schema(type="string", minLength=30, maxLength=20),
            "表单项“item”的 minLength 不能大于 maxLength",
        ),
        (_schema(type="string", pattern="(?<=a+)b"), "表单项“item”的 pattern 不是有效的正则表达式"),
        (_schema(type="string", pattern="(["), "表单项“item”的 pattern 不是有效的正则表达式"),
        (_schema(type="string", enum=["a", ""]), "表单项“item”的 enum 须为非空的文字选项"),
        (_schema(type="string", enum=["a", 1]), "表单项“item”的 enum 须为非空的文字选项"),
        (_schema(type="string", enum=["a", "a"]), "表单项“item”的 enum 中有重复的选项"),
        (
            _schema(type="string", **{"x-enumNames": ["甲"]}),
            "表单项“item”的 x-enumNames 须与 enum 一起使用",
        ),
        (
            _schema(type="string", enum=["a", "b"], **{"x-enumNames": ["甲"]}),
            "表单项“item”的 x-enumNames 须为与 enum 一一对应的选项名称",
        ),
        (_schema(type="string", format="uri"), "表单项“item”的 format 只能为 date 或 email"),
        (
            _schema(type="string", enum=["a"], format="date"),
            "表单项“item”不能同时使用“enum”和“format”",
        ),
        (
            _schema(type="string", format="date", pattern="^2"),
            "表单项“item”不能同时使用“format”和“pattern”",
        ),
        (
            _schema(type="string", format="date", maxLength=10),
            "表单项“item”不能同时使用“format”和“maxLength”",
        ),
        (
            _schema(type="string", format="email", **{"x-widget": "textarea"}),
            "表单项“item”不能同时使用“format”和“x-widget”",
        ),
        (
            _schema(type="string", **{"x-widget": "radio"}),
            "表单项“item”的 x-widget 只能为 textarea",
        ),
        (
            _schema(type="string", **{"x-prefill": "person.birthday"}),
            "表单项“item”的 x-prefill 只能为 person.name、person.phone、person.id_number、"
            "person.address、person.email、enterprise.name、enterprise.uscc、"
            "enterprise.legal_representative 之一",
        ),
        (
            _schema(type="integer", **{"x-prefill": "person.name"}),
            "表单项“item”（integer）不支持“x-prefill”",
        ),
        (
            _schema(type="integer", minimum=0.5),
            "表单项“item”是整数，minimum 和 maximum 须为整数",
        ),
        (
            _schema(type="number", minimum=10, maximum=1),
            "表单项“item”的 minimum 不能大于 maximum",
        ),
        (_schema(type="boolean", const=False), "表单项“item”的 const 只能为 true（表示须勾选）"),
        ({**SMALL, "required": ["shop_name", "owner"]}, "必填项“owner”不是表单中的一项"),
        (
            _schema(type="boolean", const=True),
            "须勾选的表单项“item”（const: true）须列入 required",
        ),
        ({**SMALL, "x-order": ["opening", "owner"]}, "x-order 中的“owner”不是表单中的一项"),
        ({**SMALL, "x-order": ["opening", "opening"]}, "x-order 中有重复的表单项"),
        ({**SMALL, "x-order": "opening"}, "x-order 须为表单项名称的列表"),
    ],
)
def test_a_schema_outside_the_subset_is_refused_with_the_reason(schema, message):
    assert _refusal(schema) == message


# --- the JSON check and the Django form agree ------------------------------------------------


def test_valid_json_and_a_valid_form_give_the_same_clean_values():
    assert validate(FULL, VALID_JSON) == (VALID_JSON, {})
    form = build_form(FULL, data=VALID_POST)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth"] == datetime.date(1990, 5, 1)
    clean, errors = validate(FULL, form.cleaned_data)
    assert (clean, errors) == (VALID_JSON, {})
    assert json.loads(json.dumps(clean)) == VALID_JSON


def test_clean_values_are_trimmed_and_blank_optional_items_left_out():
    data = {**VALID_JSON, "name": "  张三 ", "email": " ", "birth": None, "count": 3.0}
    data.pop("ratio")
    clean, errors = validate(FULL, data)
    assert errors == {}
    assert clean == {
        "name": "张三",
        "phone": "13812345678",
        "kind": "new",
        "reason": "新开一家便利店",
        "count": 3,
        "agree": True,
        "mailing": False,
    }
    assert type(clean["count"]) is int


@pytest.mark.parametrize(
    ("name", "json_value", "post_value", "message"),
    [
        ("name", MISSING, MISSING, "请填写姓名"),
        ("name", "   ", "   ", "请填写姓名"),
        ("name", "张" * 21, "张" * 21, "不能超过 20 个字"),
        ("name", "张\x00三", "张\x00三", "姓名含有不允许的字符"),
        ("phone", "123", "123", "联系电话格式不正确"),
        ("email", "zhang@", "zhang@", "电子邮箱格式不正确"),
        ("birth", "2025-02-30", "2025-02-30", "出生日期应为日期，格式如 2025-01-31"),
        ("kind", MISSING, "", "请填写申请类型"),
        ("kind", "old", "old", "申请类型不在可选范围内"),
        ("reason", "太短了", "太短了", "至少要填写 5 个字"),
        ("count", MISSING, "", "请填写从业人数"),
        ("count", 0, "0", "不能小于 1"),
        ("count", 100, "100", "不能大于 99"),
        ("count", "三", "三", "从业人数应为整数"),
        ("ratio", -0.5, "-0.5", "不能小于 0"),
        ("ratio", 100.5, "100.5", "不能大于 100"),
        ("ratio", float("nan"), "NaN", "持股比例（％）应为数字"),
        ("agree", False, MISSING, "请勾选本人承诺所填信息真实"),
    ],
)
def test_the_form_and_the_json_check_give_the_same_chinese_message(
    name, json_value, post_value, message
):
    assert validate(FULL, _with(VALID_JSON, name, json_value)) == (
        {k: v for k, v in VALID_JSON.items() if k != name},
        {name: message},
    )
    form = build_form(FULL, data=_with(VALID_POST, name, post_value))
    assert form.errors == {name: [message]}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("name", 123, "姓名应为文字"),
        ("count", 2.5, "从业人数应为整数"),
        ("count", True, "从业人数应为整数"),
        ("ratio", "12", "持股比例（％）应为数字"),
        ("ratio", float("inf"), "持股比例（％）应为数字"),
        ("mailing", "yes", "需要邮寄应为“是”或“否”"),
        ("agree", MISSING, "请勾选本人承诺所填信息真实"),
        ("birth", "2025/01/31", "出生日期应为日期，格式如 2025-01-31"),
        ("birth", 20250131, "出生日期应为文字"),
        ("email", "zhang@example", "电子邮箱格式不正确"),
    ],
)
def test_json_of_the_wrong_kind_gets_one_chinese_message(name, value, message):
    assert validate(FULL, _with(VALID_JSON, name, value))[1] == {name: message}


def test_every_property_in_error_and_unknown_names_are_reported_in_form_order():
    data = {"unexpected": 1, "count": 0, "name": "", "phone": "1", "agree": True}
    clean, errors = validate(FULL, data)
    assert errors == {
        "name": "请填写姓名",
        "phone": "联系电话格式不正确",
        "kind": "请填写申请类型",
        "reason": "请填写申请事由",
        "count": "不能小于 1",
        "unexpected": "表单中没有这一项",
    }
    assert list(errors) == ["name", "phone", "kind", "reason", "count", "unexpected"]
    assert clean == {"agree": True}


def test_a_value_breaking_several_rules_gets_the_first_of_them():
    schema = _schema(type="string", minLength=3, maxLength=5, pattern="^[0-9]+$")
    assert validate(schema, {"item": "abcdefg"})[1] == {"item": "不能超过 5 个字"}
    assert validate(schema, {"item": "ab"})[1] == {"item": "至少要填写 3 个字"}
    assert validate(schema, {"item": "abcd"})[1] == {"item": "事项格式不正确"}


def test_text_without_a_limit_is_limited_to_two_thousand_characters():
    schema = _schema(type="string")
    assert validate(schema, {"item": "字" * 2000}) == ({"item": "字" * 2000}, {})
    assert validate(schema, {"item": "字" * 2001})[1] == {"item": "不能超过 2000 个字"}
    form = build_form(schema, data={"item": "字" * 2001})
    assert form.errors == {"item": ["不能超过 2000 个字"]}


_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
_VALID = {
    "name": _TEXT.map(str.strip).filter(lambda s: 0 < len(s) <= 20),
    "phone": st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    "email": st.one_of(st.just(""), st.emails().filter(lambda e: len(e) <= 100)),
    "birth": st.one_of(st.just(""), st.dates().map(lambda d: d.isoformat())),
    "kind": st.sampled_from(["new", "renew"]),
    "reason": st.text(st.characters(exclude_characters="\x00"), min_size=5, max_size=200).filter(
        lambda s: len(s.strip()) >= 5
    ),
    "count": st.integers(1, 99).map(str),
    "ratio": st.one_of(st.just(""), st.decimals(0, 100, places=3).map(str)),
    "agree": st.just("on"),
    "mailing": st.sampled_from(["on", ""]),
}


@st.composite
def _posts(draw, junk_rate: int | None = None):
    """POST data: each value valid or, one time in ``junk_rate``, any text at all (the junk is
    drawn at the top of the range: hypothesis shrinks towards valid values)."""
    post = {}
    for name, valid in _VALID.items():
        junk = junk_rate is not None and draw(st.integers(1, junk_rate)) == junk_rate
        post[name] = draw(st.text(max_size=12) if junk else valid)
    return post


@settings(max_examples=150, deadline=None)
@given(_posts())
def test_valid_input_passes_the_form_and_then_the_json_check(post):
    form = build_form(FULL, data=post)
    assert form.is_valid(), form.errors
    clean, errors = validate(FULL, form.cleaned_data)
    assert errors == {}
    assert set(clean) == {k for k, v in form.cleaned_data.items() if v not in ("", None)}
    json.dumps(clean)


@settings(max_examples=300, deadline=None)
@given(_posts(junk_rate=8))
def test_what_the_form_accepts_passes_the_json_check(post):
    form = build_form(FULL, data=post)
    if form.is_valid():
        assert validate(FULL, form.cleaned_data)[1] == {}


# --- rendering ---------------------------------------------------------------------------------


def test_the_form_renders_accessibly_with_labels_help_and_errors():
    form = build_form(FULL, data=_with(VALID_POST, "reason", ""))
    assert not form.is_valid()
    html = form.as_div()
    assert '<label for="id_reason">申请事由:</label>' in html
    assert '<div class="helptext" id="id_reason_helptext">说明申请的理由</div>' in html
    assert '<ul class="errorlist" id="id_reason_error"><li>请填写申请事由</li></ul>' in html
    assert (
        '<textarea name="reason" cols="40" rows="10" maxlength="200" minlength="5" required '
        'aria-invalid="true" aria-describedby="id_reason_helptext id_reason_error" '
        'id="id_reason">'
    ) in html
    assert '<input type="date" name="birth" value="1990-05-01" id="id_birth">' in html
    assert (
        '<select name="kind" required id="id_kind">\n  <option value="">请选择</option>\n\n'
        '  <option value="new" selected>新办</option>'
    ) in html
    assert '<input type="checkbox" name="agree" required id="id_agree" checked>' in html
    assert (
        '<input type="number" name="count" value="3" min="1" max="99" required id="id_count">'
        in html
    )
    assert list(form.fields) == list(FULL["properties"])


# --- prefill -------------------------------------------------------------------------------------

PREFILLED = {
    "type": "object",
    "properties": {
        source.replace(".", "_"): {"type": "string", "title": "预填项", "x-prefill": source}
        for source in (
            "person.name",
            "person.phone",
            "person.id_number",
            "person.address",
            "person.email",
            "enterprise.name",
            "enterprise.uscc",
            "enterprise.legal_representative",
        )
    }
    | {"shop_name": {"type": "string", "title": "店铺名称"}},
}


def _person(**fields) -> User:
    values = {
        "name": "张三",
        "phone": "13812345678",
        "id_number": "330203199001011234",
        "address": "浙江省宁波市海曙区中山西路1号",
        "email": "zhang@example.cn",
    }
    return User(**(values | fields))


def test_prefill_takes_the_person_and_the_enterprise_acted_for():
    enterprise = Enterprise(
        name="宁波示例科技有限公司",
        uscc="91330203MA2H123456",
        legal_representative=User(name="李四"),
    )
    assert prefill(PREFILLED, person=_person(), enterprise=enterprise) == {
        "person_name": "张三",
        "person_phone": "13812345678",
        "person_id_number": "330203199001011234",
        "person_address": "浙江省宁波市海曙区中山西路1号",
        "person_email": "zhang@example.cn",
        "enterprise_name": "宁波示例科技有限公司",
        "enterprise_uscc": "91330203MA2H123456",
        "enterprise_legal_representative": "李四",
    }


def test_prefill_leaves_what_is_unknown_empty():
    assert prefill(PREFILLED, person=_person(address="", email="")) == {
        "person_name": "张三",
        "person_phone": "13812345678",
        "person_id_number": "330203199001011234",
    }
    initial = prefill(DEFAULT_FORM, person=_person())
    assert initial == {
        "applicant_name": "张三",
        "phone": "13812345678",
        "address": "浙江省宁波市海曙区中山西路1号",
    }
    form = build_form(DEFAULT_FORM, initial=initial)
    assert 'name="applicant_name" value="张三"' in form.as_div()


# --- the form is part of the guide ------------------------------------------------------------


def test_the_order_survives_the_database(orgs):
    """PostgreSQL's jsonb sorts object keys; x-order keeps the order the form was typed in."""
    typed = {
        "type": "object",
        "properties": {
            "zz_a_rather_long_property": {"type": "string", "title": "甲"},
            "b": {"type": "string", "title": "乙"},
            "aaa": {"type": "string", "title": "丙"},
        },
    }
    draft = ItemVersionFactory(item__organization=orgs["haishu"], application_form=typed)
    stored = ItemVersion.objects.get(pk=draft.pk)
    assert stored.application_form["x-order"] == ["zz_a_rather_long_property", "b", "aaa"]
    form = build_form(form_schema(stored))
    assert [f.label for f in form.fields.values()] == ["甲", "乙", "丙"]


def test_ordered_properties_puts_those_x_order_omits_last():
    schema = {**SMALL, "x-order": ["opening"]}
    assert [name for name, _ in ordered_properties(schema)] == ["opening", "shop_name"]
    assert prepare(schema)["x-order"] == ["opening", "shop_name"]


def test_a_new_draft_copies_the_form_and_the_published_one_keeps_it(orgs):
    published = ItemVersionFactory(
        item__organization=orgs["haishu"], application_form=SMALL, published=True
    )
    draft = services.start_draft(published.item)
    assert draft.application_form == prepare(SMALL)
    assert ItemVersion.objects.get(pk=draft.pk).application_form == prepare(SMALL)

    services.update_draft(draft, application_form=OTHER)

    assert ItemVersion.objects.get(pk=draft.pk).application_form == prepare(OTHER)
    assert ItemVersion.objects.get(pk=published.pk).application_form == prepare(SMALL)


def test_update_draft_refuses_a_form_outside_the_subset(orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"], application_form=SMALL)
    bad = copy.deepcopy(SMALL)
    bad["properties"]["opening"]["format"] = "date-time"
    with pytest.raises(DomainError) as refused:
        services.update_draft(draft, application_form=bad)
    assert (refused.value.field, refused.value.message) == (
        "application_form",
        "表单项“opening”的 format 只能为 date 或 email",
    )
    assert ItemVersion.objects.get(pk=draft.pk).application_form == prepare(SMALL)
    services.update_draft(draft, application_form=None)
    assert ItemVersion.objects.get(pk=draft.pk).application_form == {}


def test_the_form_of_a_published_version_cannot_change(orgs):
    published = ItemVersionFactory(
        item__organization=orgs["haishu"], application_form=SMALL, published=True
    )
    published.application_form = prepare(OTHER)
    with pytest.raises(DomainError, match="已发布，不能修改"):
        published.save()
    stored = ItemVersion.objects.get(pk=published.pk)
    with pytest.raises(Conflict) as refused:
        services.update_draft(stored, application_form=OTHER)
    assert refused.value.message == f"{stored}的状态为“已发布”，只能修改草稿或已退回的版本"
    assert ItemVersion.objects.get(pk=published.pk).application_form == prepare(SMALL)


# --- the admin ---------------------------------------------------------------------------------


def test_the_admin_edits_the_form_of_a_draft_as_json(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"])
    sign_in(client, catalogue_staff(editor_of=orgs["haishu"]))
    page = client.get(url(draft))
    assert 'name="application_form"' in page.content.decode()
    data = form_data(page)
    assert data["application_form"] == "{}"
    data["application_form"] = json.dumps(SMALL, ensure_ascii=False)

    response = client.post(url(draft), data)

    assert response.status_code == 302
    assert ItemVersion.objects.get(pk=draft.pk).application_form == prepare(SMALL)
    html = client.get(url(draft)).content.decode()
    assert f'id="id_application_form">\n{escape(SMALL_TEXT)}</textarea>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"type": "object", "properties": {"shop": {"type": "string"}}}',
            "表单项“shop”须有中文标题（title）",
        ),
        (
            '{"type": "object",\n "properties": {"shop": {"type": "string", "title": "店"},}}',
            "申请表单不是有效的 JSON：第 2 行第 58 列附近有误",
        ),
        ('"申请表"', "申请表单须为 JSON 对象（以 { 开头）"),
    ],
)
def test_the_admin_refuses_a_bad_form_and_keeps_the_text(client, orgs, text, message):
    draft = ItemVersionFactory(item__organization=orgs["haishu"], application_form=SMALL)
    sign_in(client, catalogue_staff(editor_of=orgs["haishu"]))
    data = form_data(client.get(url(draft)))
    data["application_form"] = text

    response = client.post(url(draft), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"application_form": [message]}
    assert f">\n{escape(text)}</textarea>" in response.content.decode()
    assert ItemVersion.objects.get(pk=draft.pk).application_form == prepare(SMALL)


def test_a_published_form_is_shown_read_only(client, orgs):
    with_form = ItemVersionFactory(
        item__organization=orgs["haishu"], application_form=SMALL, published=True
    )
    without = ItemVersionFactory(item__organization=orgs["yuyao"], published=True)
    sign_in(client, catalogue_staff(editor_of=orgs["haishu"], reviewer_of=orgs["yuyao"]))
    html = client.get(url(with_form)).content.decode()
    assert 'name="application_form"' not in html
    assert f'<div class="readonly"><pre>{escape(SMALL_TEXT)}</pre></div>' in html
    html = client.get(url(without)).content.decode()
    assert (
        '<div class="readonly">默认表单（申请人姓名、联系电话、联系地址、申请事由）</div>' in html
    )
