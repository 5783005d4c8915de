"""Forms of the 法人用户 pages: they parse and keep what was typed; the rules are the services'.

A :class:`~yiwang.core.errors.DomainError` raised by a service is put back on the form with
:func:`add_service_error`: on the field it names, or above the form when it names none (the
generic real-name mismatch message, for instance). Form fields are named like the services'
``field`` values so that the message lands where the user typed.
"""

from __future__ import annotations

import re

from django import forms

from yiwang.accounts.constants import DelegationRole
from yiwang.core.errors import DomainError

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_CODES_SPLIT = re.compile(r"[\s,，、;；]+")


def add_service_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def split_codes(text: str) -> list[str]:
    """Codes typed one per line or separated by commas (half- or full-width) or spaces."""
    return [code for code in _CODES_SPLIT.split(text or "") if code]


class EnterpriseRegisterForm(forms.Form):
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=40,
        help_text="18 位，见营业执照左上方",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label="企业名称", max_length=200, help_text="与营业执照上的名称一致")
    legal_representative_name = forms.CharField(
        label="法定代表人姓名", max_length=50, help_text="须为您本人（当前登录的实名用户）"
    )


class ScopeMixin(forms.Form):
    all_items = forms.TypedChoiceField(
        label="授权范围",
        choices=(("1", "全部事项"), ("0", "指定事项或主题")),
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    item_codes = forms.CharField(
        label="事项实施编码",
        required=False,
        help_text="选择“指定事项或主题”时填写，每行一个，或用逗号分隔",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    theme_codes = forms.CharField(
        label="主题编码",
        required=False,
        help_text="每行一个，或用逗号分隔",
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
    )

    def scope(self) -> dict:
        data = self.cleaned_data
        return {
            "all_items": data["all_items"],
            "item_codes": split_codes(data.get("item_codes", "")),
            "theme_codes": split_codes(data.get("theme_codes", "")),
        }


class TermsMixin(forms.Form):
    role = forms.ChoiceField(
        label="角色",
        choices=DelegationRole.choices,
        initial=DelegationRole.HANDLER,
        widget=forms.RadioSelect,
        help_text="管理者可以在自己的范围内再授权他人；经办人只能办理业务",
    )
    valid_from = forms.DateField(label="生效日期", widget=_DATE)
    valid_until = forms.DateField(
        label="截止日期", widget=_DATE, help_text="到期当日有效，次日起失效"
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "截止日期不能早于生效日期")
        return data


class GrantForm(TermsMixin, ScopeMixin):
    grantee = forms.CharField(
        label="被授权人身份证号或手机号",
        max_length=40,
        help_text="被授权人须已在本平台完成个人实名注册",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    field_order = ("grantee", "role", "valid_from", "valid_until", "all_items")


class ChangeGrantForm(TermsMixin, ScopeMixin):
    field_order = ("role", "valid_from", "valid_until", "all_items")


class RequestGrantForm(TermsMixin, ScopeMixin):
    uscc = forms.CharField(
        label="企业统一社会信用代码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label="申请说明",
        max_length=200,
        required=False,
        help_text="如：负责报税、社保业务",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ("uscc", "role", "valid_from", "valid_until", "all_items")


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200, help_text="如：离职、调岗")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", "同意"), ("reject", "驳回")))
    reason = forms.CharField(label="驳回原因", max_length=200, required=False)


class ChangeRepresentativeForm(forms.Form):
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    new_name = forms.CharField(label="新法定代表人姓名", max_length=50)
    new_representative_id_number = forms.CharField(
        label="新法定代表人身份证号",
        max_length=40,
        help_text="新法定代表人须已完成个人实名注册，且市场监管登记已变更",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
