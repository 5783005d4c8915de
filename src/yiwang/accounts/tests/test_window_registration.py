"""Window registration: a clerk registers a present citizen, who confirms with an SMS code."""

import random

import pytest

from yiwang.accounts.models import PersonBusiness, User
from yiwang.accounts.permissions import PermissionDenied
from yiwang.accounts.services import window_registration as wr
from yiwang.accounts.tests.staff_helpers import person, world_fixture  # noqa: F401
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.identifiers import generate_person_id
from yiwang.core.models import AuditEvent
from yiwang.notifications.testing import last_sms, sms_codes

pytestmark = pytest.mark.django_db

ID_NUMBER = generate_person_id(random.Random("window"), region="330203")
PHONE = "13655550001"


def applicant(county, **overrides):
    values = {
        "organization": county.organization,
        "window": county.window,
        "name": "赵六",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "id_card_checked": True,
    }
    return {**values, **overrides}


def test_clerk_registers_a_citizen_with_sms_confirmation(world):
    county = world.haishu
    sent = wr.start_window_registration(county.clerk, **applicant(county))
    assert sent.masked_phone == "136****0001"
    code = sms_codes(PHONE)[-1]
    user = wr.complete_window_registration(county.clerk, sms_code=code, **applicant(county))
    assert user.kind == "person"
    assert user.registration_channel == "window"
    assert user.must_change_password is True
    assert user.real_name_verified_at is not None
    assert User.objects.by_id_number(ID_NUMBER).get() == user
    text = last_sms(PHONE)
    assert text.startswith(
        f"【一网】您的账号{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}已开通，初始密码为"
    )
    password = text.split("初始密码为", 1)[1].split("，", 1)[0]
    assert user.check_password(password) is True
    link = PersonBusiness.objects.get(person=user)
    assert link.organization == county.organization
    assert link.basis == "window_registration"
    event = AuditEvent.objects.get(action="account.window_register")
    assert event.actor == f"user:{county.clerk.pk}"
    assert event.after["organization"] == county.organization.pk
    assert event.after["window"] == county.window.pk
    assert event.after["id_number"] == f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}"
    assert ID_NUMBER not in str(event.after)


def test_duplicate_id_number_is_refused(world):
    existing = person(1)
    with pytest.raises(Conflict) as exc:
        wr.start_window_registration(
            world.haishu.clerk, **applicant(world.haishu, id_number=existing.id_number)
        )
    assert exc.value.message == "该身份证号已注册"
    assert exc.value.field == "id_number"


def test_id_card_must_be_checked(world):
    with pytest.raises(DomainError) as exc:
        wr.start_window_registration(
            world.haishu.clerk, **applicant(world.haishu, id_card_checked=False)
        )
    assert exc.value.field == "id_card_checked"


def test_invalid_id_number_gets_the_validator_message(world):
    with pytest.raises(DomainError) as exc:
        wr.start_window_registration(
            world.haishu.clerk,
            **applicant(
                world.haishu,
                id_number=ID_NUMBER[:17] + "0" if ID_NUMBER[-1] != "0" else ID_NUMBER[:17] + "1",
            ),
        )
    assert exc.value.field == "id_number"
    assert exc.value.message.startswith("校验码错误")


def test_wrong_code_creates_nothing(world):
    county = world.haishu
    wr.start_window_registration(county.clerk, **applicant(county))
    code = sms_codes(PHONE)[-1]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(DomainError) as exc:
        wr.complete_window_registration(county.clerk, sms_code=wrong, **applicant(county))
    assert exc.value.message == "验证码错误，还可尝试4次"
    assert User.objects.by_id_number(ID_NUMBER).count() == 0


def test_clerk_of_another_county_cannot_use_this_window(world):
    with pytest.raises(PermissionDenied):
        wr.start_window_registration(world.yuyao.clerk, **applicant(world.haishu))
    with pytest.raises(PermissionDenied):
        wr.start_window_registration(
            world.yuyao.clerk, **applicant(world.haishu, organization=world.yuyao.organization)
        )
    with pytest.raises(PermissionDenied):
        wr.start_window_registration(world.haishu.admin, **applicant(world.haishu))


def test_window_posts_list_the_clerks_windows(world):
    posts = wr.window_posts(world.haishu.clerk)
    assert [(p.organization, p.window) for p in posts] == [
        (world.haishu.organization, world.haishu.window)
    ]
    assert wr.window_posts(world.auditor) == []
