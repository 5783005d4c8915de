"""Self-service of a signed-in person (用户自我管理): password, bound phone, profile, history.

Seed 001 ch. 5 §(一)2 (2)①: 【找回密码】"可通过注册手机号码，发送、确认短信验证码，重置密码";
【更换绑定手机号码】"须通过原绑定手机号码短信验证确认解除绑定，并通过新手机号码短信验证绑定";
REQUIREMENTS §2 "self-maintained data (phone, address — changes need SMS check)". Every change is
audited; the audit trail records which fields changed, not the personal data itself.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from yiwang.accounts.models import LoginEvent, User
from yiwang.accounts.services import throttle
from yiwang.accounts.services.login import login_lock_key
from yiwang.accounts.services.registration import (
    validate_new_password,
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
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.masking import mask_phone

__all__ = [
    "PHONE_CHANGE_TOKEN_AGE",
    "change_password",
    "change_phone",
    "confirm_old_phone",
    "login_history",
    "request_password_reset_code",
    "reset_password",
    "send_new_phone_code",
    "send_old_phone_code",
    "send_profile_code",
    "update_profile",
]

# Between "old phone confirmed" and "new phone confirmed": long enough to wait for an SMS.
PHONE_CHANGE_TOKEN_AGE = 600
_PHONE_CHANGE_SALT = "yiwang.accounts.change_phone"

CHANGE_PASSWORD_LIMIT = 5
CHANGE_PASSWORD_WINDOW = 15 * 60


def _actor(user: User) -> dict:
    return {"actor": f"user:{user.pk}", "actor_label": user.username}


def _own_phone(user: User) -> str:
    if not user.phone:
        raise DomainError("账号未绑定手机号，请到政务服务大厅窗口办理")
    return user.phone


# --- password ----------------------------------------------------------------------------------


def request_password_reset_code(id_number: str, phone: str, *, ip: str | None = None) -> SentCode:
    """Send a password-recovery code to ``phone`` if it is the phone bound to the account of
    ``id_number``. The answer is the same when it is not (no SMS is sent then), so the form does
    not tell anyone which ID numbers or phones are registered."""
    id_number = validate_person_id_field(id_number)
    phone = normalise_phone(phone)
    user = User.objects.by_id_number(id_number).first()
    deliver = user is not None and user.phone == phone
    return send_code(phone, Purpose.RESET_PASSWORD, ip=ip, deliver=deliver)


def reset_password(
    *, id_number: str, phone: str, sms_code: str, new_password: str, ip: str | None = None
) -> User:
    """Set a new password after the SMS code sent to the bound phone; lift a sign-in lockout.

    The code is only sent when ID number and phone belong together
    (:func:`request_password_reset_code`), so a right code proves both. Audited
    ``account.password_reset``.
    """
    id_number = validate_person_id_field(id_number)
    phone = normalise_phone(phone)
    if not new_password:
        raise DomainError("请设置新密码", field="new_password")
    check_code(phone, Purpose.RESET_PASSWORD, sms_code, consume=False)
    user = User.objects.by_id_number(id_number).first()
    if user is None or user.phone != phone:
        raise DomainError("验证码错误", field="sms_code")
    validate_new_password(new_password, user, field="new_password")
    with transaction.atomic():
        consume_code(phone, Purpose.RESET_PASSWORD)
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(
            "account.password_reset",
            **_actor(user),
            object_type="user",
            object_id=user.pk,
            after={"method": "sms"},
            ip=ip,
        )
    throttle.clear(login_lock_key(user))
    return user


def change_password(
    user: User, *, old_password: str, new_password: str, ip: str | None = None
) -> User:
    """Change the password of a signed-in user (also the forced change at first sign-in).

    The old password is asked again (a session left open must not be enough); wrong tries are
    limited like sign-in. The caller keeps the session with ``update_session_auth_hash``.
    """
    key = f"password-change:{user.pk}"
    state = throttle.peek(key, CHANGE_PASSWORD_LIMIT, CHANGE_PASSWORD_WINDOW)
    if not state.allowed:
        raise RateLimited(
            f"原密码错误次数过多，请{max(1, -(-state.retry_after // 60))}分钟后再试",
            retry_after=state.retry_after,
        )
    if not old_password:
        raise DomainError("请输入原密码", field="old_password")
    if not user.check_password(old_password):
        throttle.hit(key, CHANGE_PASSWORD_LIMIT, CHANGE_PASSWORD_WINDOW)
        raise DomainError("原密码不正确", field="old_password")
    if new_password == old_password:
        raise DomainError("新密码不能与原密码相同", field="new_password")
    validate_new_password(new_password, user, field="new_password")
    forced = user.must_change_password
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(
            "account.password_change",
            **_actor(user),
            object_type="user",
            object_id=user.pk,
            after={"forced": forced},
            ip=ip,
        )
    throttle.clear(key)
    return user


# --- bound phone: old phone's code, then new phone's code ----------------------------------------


def send_old_phone_code(user: User, *, ip: str | None = None) -> SentCode:
    """Step 1 of changing the bound phone: a code to the phone bound now."""
    return send_code(_own_phone(user), Purpose.CHANGE_PHONE_OLD, ip=ip)


def confirm_old_phone(user: User, sms_code: str) -> str:
    """Step 1 done: the old phone's code is right. Returns a signed token, valid
    :data:`PHONE_CHANGE_TOKEN_AGE` seconds, that steps 2 and 3 need."""
    check_code(_own_phone(user), Purpose.CHANGE_PHONE_OLD, sms_code)
    return signing.dumps({"u": user.pk, "p": user.phone_index}, salt=_PHONE_CHANGE_SALT)


def _check_token(user: User, token: str) -> None:
    try:
        data = signing.loads(token or "", salt=_PHONE_CHANGE_SALT, max_age=PHONE_CHANGE_TOKEN_AGE)
    except signing.SignatureExpired:
        raise DomainError("原手机号验证已超时，请重新验证原手机号") from None
    except signing.BadSignature:
        raise DomainError("请先验证原手机号") from None
    # Bound to this user and to the phone bound when it was issued: used once, in effect.
    if data.get("u") != user.pk or data.get("p") != user.phone_index:
        raise DomainError("请先验证原手机号")


def _new_phone(user: User, new_phone: str) -> str:
    phone = normalise_phone(new_phone, field="new_phone")
    if phone == user.phone:
        raise DomainError("新手机号与当前绑定的手机号相同", field="new_phone")
    if User.objects.by_phone(phone).exclude(pk=user.pk).exists():
        raise Conflict("该手机号已绑定其他账号", field="new_phone")
    return phone


def send_new_phone_code(
    user: User, new_phone: str, *, token: str, ip: str | None = None
) -> SentCode:
    """Step 2: a code to the new phone, after the old phone was confirmed."""
    _check_token(user, token)
    phone = _new_phone(user, new_phone)
    return send_code(phone, Purpose.CHANGE_PHONE_NEW, ip=ip, field="new_phone")


def change_phone(
    user: User, *, token: str, new_phone: str, sms_code: str, ip: str | None = None
) -> User:
    """Step 3: bind the new phone once its code is right. Audited ``account.phone_change``
    with both numbers masked."""
    _check_token(user, token)
    phone = _new_phone(user, new_phone)
    check_code(phone, Purpose.CHANGE_PHONE_NEW, sms_code)
    before = mask_phone(user.phone)
    with transaction.atomic():
        user.phone = phone
        user.save(update_fields=["phone"])
        audit.record(
            "account.phone_change",
            **_actor(user),
            object_type="user",
            object_id=user.pk,
            before={"phone": before},
            after={"phone": mask_phone(phone)},
            ip=ip,
        )
    return user


# --- profile -------------------------------------------------------------------------------------


def send_profile_code(user: User, *, ip: str | None = None) -> SentCode:
    """A code to the bound phone, confirming a change of the contact details."""
    return send_code(_own_phone(user), Purpose.PROFILE, ip=ip)


def update_profile(
    user: User, *, email: str, address: str, sms_code: str, ip: str | None = None
) -> User:
    """Change e-mail and contact address, confirmed by a code to the bound phone.

    Audited ``account.profile_update`` with the names of the changed fields only (the values are
    personal data and stay in the user row).
    """
    email = (email or "").strip()
    address = " ".join((address or "").split())
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError("电子邮箱格式不正确", field="email") from None
    if len(email) > 254:
        raise DomainError("电子邮箱过长", field="email")
    if len(address) > 200:
        raise DomainError("联系地址最多200个字", field="address")
    changed = [
        name
        for name, value in (("email", email), ("address", address))
        if getattr(user, name) != value
    ]
    if not changed:
        raise DomainError("资料没有变化")
    check_code(_own_phone(user), Purpose.PROFILE, sms_code)
    with transaction.atomic():
        user.email = email
        user.address = address
        user.save(update_fields=changed)
        audit.record(
            "account.profile_update",
            **_actor(user),
            object_type="user",
            object_id=user.pk,
            after={"changed": changed},
            ip=ip,
        )
    return user


def login_history(user: User, *, limit: int = 20) -> list[LoginEvent]:
    """The user's newest sign-in attempts (登录记录), successful or not, newest first."""
    return list(user.login_events.order_by("-occurred_at", "-id")[:limit])
