"""The helpers other apps' tests use to read the SMS a user was sent."""

import pytest

from yiwang.notifications import services
from yiwang.notifications.testing import last_sms, sms_codes, sms_to


def test_last_sms_and_codes(db, monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda message_id: None)
    services.send_sms("13812345678", "sms/verification_code", {"code": "111111"})
    services.send_sms("13812345678", "sms/account_enabled", {})
    services.send_sms("13812345678", "sms/verification_code", {"code": "222222"})
    services.send_sms("13900000000", "sms/verification_code", {"code": "999999"})

    assert last_sms("13812345678") == "【一网】您的验证码为222222，5分钟内有效，请勿告诉他人。"
    assert sms_codes("13812345678") == ["111111", "222222"]
    assert sms_codes(" 13900000000 ") == ["999999"]
    assert sms_codes("13700000000") == []
    assert [m.template for m in sms_to("13812345678")] == [
        "sms/verification_code",
        "sms/account_enabled",
        "sms/verification_code",
    ]


def test_last_sms_without_any(db):
    with pytest.raises(AssertionError) as error:
        last_sms("13700000000")
    assert str(error.value) == "no SMS to 13700000000"
