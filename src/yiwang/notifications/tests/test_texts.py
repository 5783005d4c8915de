"""Message templates: the registry matches the files, and a bad context is a loud error."""

import pytest

from yiwang.notifications.models import Channel
from yiwang.notifications.texts import (
    TEMPLATES,
    TemplateError,
    get_template,
    placeholders,
    render,
    source,
)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_file_uses_exactly_its_declared_variables(key):
    template = TEMPLATES[key]
    text = source(key)
    assert placeholders(text) == set(template.variables)
    assert "\n" not in text
    if template.channel == Channel.SMS:
        assert text.startswith("【一网】")


def test_the_template_directory_holds_only_registered_templates():
    from yiwang.notifications.texts import TEMPLATE_DIR

    files = {
        str(path.relative_to(TEMPLATE_DIR).with_suffix("")) for path in TEMPLATE_DIR.rglob("*.txt")
    }
    assert files == set(TEMPLATES)


def test_verification_code_text():
    template = get_template("sms/verification_code", Channel.SMS)
    assert render(template, {"code": "381204"}) == (
        "【一网】您的验证码为381204，5分钟内有效，请勿告诉他人。"
    )


def test_values_are_substituted_not_parsed():
    template = get_template("sms/account_disabled", Channel.SMS)
    assert render(template, {"reason": "{code} 与 {0}"}) == (
        "【一网】您的账号已被停用，原因：{code} 与 {0}。如有疑问请拨打12345政务服务热线。"
    )


def test_missing_variable_is_an_error():
    template = get_template("sms/initial_password", Channel.SMS)
    with pytest.raises(TemplateError) as error:
        render(template, {"username": "zhangsan"})
    assert str(error.value) == "template 'sms/initial_password': missing ['password']"


def test_misspelt_variable_is_reported_as_missing_and_unexpected():
    template = get_template("sms/verification_code", Channel.SMS)
    with pytest.raises(TemplateError) as error:
        render(template, {"cdoe": "123456"})
    assert str(error.value) == (
        "template 'sms/verification_code': missing ['code'], unexpected ['cdoe']"
    )


def test_empty_value_is_an_error():
    template = get_template("sms/account_disabled", Channel.SMS)
    with pytest.raises(TemplateError) as error:
        render(template, {"reason": "  "})
    assert str(error.value) == "template 'sms/account_disabled': variable 'reason' is empty"


def test_unknown_key_is_an_error():
    with pytest.raises(TemplateError) as error:
        get_template("sms/no_such_thing", Channel.SMS)
    assert str(error.value) == "unknown message template 'sms/no_such_thing'"


def test_template_of_the_other_channel_is_an_error():
    with pytest.raises(TemplateError) as error:
        get_template("site/case_accepted", Channel.SMS)
    assert str(error.value) == "template 'site/case_accepted' is not a sms template"
