"""Window registration (线下窗口注册) of a natural person who is present at a hall window.

Basis: seed 001 ch. 5 §(一)2 ① 【线下窗口注册】 "申请人刷卡进行身份信息验证，并输入手机短信验证码
进行确认，验证完成后书面签订服务协议，窗口人员激活用户账号，及时告知申请人的账号和密码，账号默认为
身份证号码…，密码应自动随机生成，用户登录后可自行更改"; REQUIREMENTS §2 "Window registration
(staff verify ID, user confirms by SMS code, account = ID number, random initial password)".

Two steps, both by a 窗口受理员 of the organisation the window serves:

1. :func:`start_window_registration` — the clerk enters name, ID number and phone and confirms
   that the original ID card was checked; an SMS code goes to that phone.
2. :func:`complete_window_registration` — the citizen tells the clerk the code (or types it on
   the counter's keypad); the account is created with the ID number as its sign-in name, a random
   initial password is sent by SMS, and the password must be changed at the first sign-in.

The person is linked to the clerk's organisation (``PersonBusiness``), which is what lets that
organisation's clerks serve them later; the registration is audited with the clerk, the window
and the organisation, never with the full ID number.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.constants import RegistrationChannel, Role, UserKind
from yiwang.accounts.models import AgreementAcceptance, PersonBusiness, User
from yiwang.accounts.permissions import PermissionDenied, has_role, organizations_for
from yiwang.accounts.services.account_admin import random_password
from yiwang.accounts.services.personal_data import record_person_business
from yiwang.accounts.services.registration import (
    current_agreement,
    validate_name,
    validate_person_id_field,
)
from yiwang.accounts.services.sms_codes import (
    Purpose,
    SentCode,
    check_code,
    consume_code,
    normalise_phone,
    send_code,
)
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.masking import mask_person_id, mask_phone
from yiwang.notifications import services as notifications
from yiwang.regions.models import Organization, Window

__all__ = [
    "WindowPost",
    "complete_window_registration",
    "start_window_registration",
    "window_posts",
]

DUPLICATE_ID = "该身份证号已注册"
ID_CARD_NOT_CHECKED = "请先核验申请人的身份证原件，并勾选“已核验身份证原件”"


@dataclass(frozen=True)
class WindowPost:
    """A window and the organisation a clerk acts for there."""

    organization: Organization
    window: Window

    @property
    def key(self) -> str:
        return f"{self.organization.pk}:{self.window.pk}"

    @property
    def label(self) -> str:
        return (
            f"{self.organization.name} · {self.window.hall.name} "
            f"{self.window.number}号窗口（{self.window.name}）"
        )


def window_posts(clerk: User) -> list[WindowPost]:
    """Where ``clerk`` may register people: each active window serving (受理部门) or managed by
    (the hall's 管理机构) an organisation the clerk is a 窗口受理员 of."""
    organizations = list(organizations_for(clerk, Role.WINDOW_CLERK).order_by("pk"))
    posts: list[WindowPost] = []
    for organization in organizations:
        windows = (
            Window.objects.filter(is_active=True)
            .filter(Q(organizations=organization) | Q(hall__organization=organization))
            .select_related("hall")
            .distinct()
            .order_by("hall_id", "number")
        )
        posts.extend(WindowPost(organization, window) for window in windows)
    return posts


def _check_post(clerk: User, organization: Organization, window: Window) -> None:
    if not has_role(clerk, Role.WINDOW_CLERK, organization):
        raise PermissionDenied(f"您不是{organization.name}的窗口受理员")
    serves = window.is_active and (
        window.hall.organization_id == organization.pk
        or window.organizations.filter(pk=organization.pk).exists()
    )
    if not serves:
        raise PermissionDenied("该窗口不受理本机构业务")


def _validate(name: str, id_number: str, phone: str, id_card_checked: bool):
    name = validate_name(name)
    id_number = validate_person_id_field(id_number)
    phone = normalise_phone(phone)
    if not id_card_checked:
        raise DomainError(ID_CARD_NOT_CHECKED, field="id_card_checked")
    if User.objects.by_id_number(id_number).exists():
        raise Conflict(DUPLICATE_ID, field="id_number")
    if User.objects.by_phone(phone).exists():
        raise Conflict("该手机号已绑定其他账号，请使用本人其他手机号", field="phone")
    return name, id_number, phone


def start_window_registration(
    clerk: User,
    *,
    organization: Organization,
    window: Window,
    name: str,
    id_number: str,
    phone: str,
    id_card_checked: bool,
    ip: str | None = None,
) -> SentCode:
    """Check the applicant's data and send the confirmation code to ``phone`` (step 1).

    Refusals name their field: the validators' precise messages, the ID-card check box,
    "该身份证号已注册" (409) for an existing account, a phone bound to another account (409);
    SMS limits as for every code (429).
    """
    _check_post(clerk, organization, window)
    _name, _id_number, phone = _validate(name, id_number, phone, id_card_checked)
    return send_code(phone, Purpose.WINDOW_REGISTER, ip=ip)


def complete_window_registration(
    clerk: User,
    *,
    organization: Organization,
    window: Window,
    name: str,
    id_number: str,
    phone: str,
    id_card_checked: bool,
    sms_code: str,
    ip: str | None = None,
) -> User:
    """Create the account once the applicant confirmed with the SMS code (step 2).

    The account's sign-in name is the ID number (persons sign in by ID number or phone); a random
    initial password is sent by SMS and must be changed at the first sign-in. The service
    agreement in force is recorded as signed on paper at the window. Audited as
    ``account.window_register`` with the clerk, window and organisation.
    """
    _check_post(clerk, organization, window)
    name, id_number, phone = _validate(name, id_number, phone, id_card_checked)
    check_code(phone, Purpose.WINDOW_REGISTER, sms_code, consume=False)
    password = random_password()
    now = timezone.now()
    agreement = current_agreement()
    try:
        with transaction.atomic():
            consume_code(phone, Purpose.WINDOW_REGISTER)
            user = User(
                username=f"p{secrets.token_hex(8)}",
                kind=UserKind.PERSON,
                name=name,
                id_number=id_number,
                phone=phone,
                registration_channel=RegistrationChannel.WINDOW,
                # The clerk held the original ID card: that is the real-name check.
                real_name_verified_at=now,
                must_change_password=True,
                date_joined=now,
            )
            user.set_password(password)
            user.save()
            if agreement is not None:
                AgreementAcceptance.objects.create(
                    user=user, agreement=agreement, accepted_at=now, ip=ip or None
                )
            audit.record(
                "account.window_register",
                actor=f"user:{clerk.pk}",
                actor_label=clerk.username,
                object_type="user",
                object_id=user.pk,
                after={
                    "kind": user.kind,
                    "channel": user.registration_channel,
                    "name": user.display_name,
                    "id_number": mask_person_id(id_number),
                    "phone": mask_phone(phone),
                    "organization": organization.pk,
                    "organization_name": organization.name,
                    "window": window.pk,
                    "id_card_checked": True,
                    "agreement_version": agreement.version if agreement else None,
                },
                ip=ip,
            )
            record_person_business(
                user,
                organization,
                basis=PersonBusiness.Basis.WINDOW_REGISTRATION,
                reference=f"window:{window.pk}",
                created_by=clerk,
                ip=ip,
            )
            # The account is the ID number; the SMS shows it masked (the holder knows it).
            notifications.send_sms(
                phone,
                "sms/initial_password",
                {"username": mask_person_id(id_number), "password": password},
                purpose="window_register",
            )
    except IntegrityError:
        raise Conflict(DUPLICATE_ID, field="id_number") from None
    return user
