"""Online registration of natural persons (自然人网上实名注册).

Seed 001 ch. 5 §(一)2 【线上自行注册】: "注册时须不少于三种认证内容，其中身份证信息为必选项，
手机号码、社会保障卡信息、银行卡账号、公积金账号、驾驶证档案编号等信息任选两项进行实名验证，
验证完成后应签订网上服务协议，完成实名注册。"

Here the three factors are the ID number (with the name), the mobile number — proven by an SMS
code *and* compared with the population library — and one of the four card or account numbers;
all are compared with the population library (人口库) through
:func:`yiwang.accounts.verification.get_verifier`.

What a registrant is told:

* a malformed ID number: the validator's precise message (``yiwang.core.identifiers``);
* any mismatch with the library: one generic sentence, :data:`MISMATCH_MESSAGE`, never which
  factor failed — otherwise the form would test a stranger's bank card one field at a time.
  Mismatches count per ID number and per IP address, and too many are refused for a while;
* an ID number that already has an account: "该身份证号已注册" (the page offers password
  recovery); a phone bound to another account: said so, since the registrant has just proven
  that the phone is theirs.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.constants import RegistrationChannel, UserKind
from yiwang.accounts.models import AgreementAcceptance, ServiceAgreement, User
from yiwang.accounts.models.users import PURPOSE_ID_NUMBER
from yiwang.accounts.services import throttle
from yiwang.accounts.services.sms_codes import (
    Purpose,
    check_code,
    consume_code,
    normalise_phone,
)
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError, RateLimited
from yiwang.core.fields import blind_index_for
from yiwang.core.identifiers import IdentifierError, validate_person_id
from yiwang.core.masking import mask_person_id, mask_phone

__all__ = [
    "MISMATCH_MESSAGE",
    "SECOND_FACTORS",
    "current_agreement",
    "password_problems",
    "register_person",
    "validate_name",
    "validate_new_password",
    "validate_person_id_field",
]

MISMATCH_MESSAGE = "实名信息核验未通过，请核对后重试"

# The factor a registrant adds to ID number and phone (keys of verification.PERSON_FACTORS).
SECOND_FACTORS: dict[str, str] = {
    "social_security_card": "社会保障卡号",
    "bank_card": "银行卡号",
    "housing_fund_account": "住房公积金账号",
    "driving_licence_file": "驾驶证档案编号",
}

# Mismatches allowed before registration is refused for a while: a few typing mistakes pass,
# trying many cards for one ID number (or many ID numbers from one address) does not.
MISMATCH_LIMIT_PER_ID = 5
MISMATCH_WINDOW_PER_ID = timedelta(hours=24)
MISMATCH_LIMIT_PER_IP = 20
MISMATCH_WINDOW_PER_IP = timedelta(hours=1)

# Names as the population library writes them: Han characters (any CJK block), the middle dot
# of minority and foreign names, Latin letters and spaces for foreign names.
_NAME = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f·A-Za-z ]{2,50}")


def current_agreement() -> ServiceAgreement | None:
    """The online service agreement (网上服务协议) in force: the newest one already effective."""
    return (
        ServiceAgreement.objects.filter(effective_at__lte=timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )


def validate_name(name: str | None, *, field: str = "name") -> str:
    """The name as on the ID card, normalised (NFKC, no spaces around, · for middle dots)."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = text.replace("•", "·").replace("・", "·").replace(".", "·")
    if not text:
        raise DomainError("请输入姓名", field=field)
    if not _NAME.fullmatch(text):
        raise DomainError("姓名应与身份证上一致：2至50个汉字，少数民族姓名可含“·”", field=field)
    return text


def validate_person_id_field(id_number: str | None, *, field: str = "id_number") -> str:
    """:func:`yiwang.core.identifiers.validate_person_id`, its error attached to ``field``.

    Spaces and full-width characters are what people type when they copy the number in groups
    (330205 1988 0901 9407) or with a Chinese input method: removed and folded first, as at
    sign-in, so the validator only speaks about the number itself.
    """
    typed = "".join(unicodedata.normalize("NFKC", id_number or "").split())
    try:
        return validate_person_id(typed)
    except IdentifierError as exc:
        exc.field = field
        raise


def password_problems(password: str, user: User | None = None) -> list[str]:
    """The Chinese messages of Django's password validators (AUTH_PASSWORD_VALIDATORS)."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def validate_new_password(password: str | None, user: User | None, *, field: str) -> str:
    if not password:
        raise DomainError("请设置密码", field=field)
    problems = password_problems(password, user)
    if problems:
        raise DomainError("".join(problems), field=field)
    return password


def _second_factor(kind: str | None, value: str | None) -> tuple[str, str]:
    if kind not in SECOND_FACTORS:
        raise DomainError("请选择一种核验信息", field="second_factor_kind")
    text = "".join(unicodedata.normalize("NFKC", value or "").replace("-", "").split()).upper()
    label = SECOND_FACTORS[kind]
    if not text:
        raise DomainError(f"请输入{label}", field="second_factor_value")
    if not text.isalnum() or not text.isascii() or len(text) > 32:
        raise DomainError(f"{label}只能由数字和字母组成，最长32位", field="second_factor_value")
    if kind == "bank_card" and not (text.isdigit() and 12 <= len(text) <= 19):
        raise DomainError("银行卡号应为12至19位数字", field="second_factor_value")
    return kind, text


def _wait_text(seconds: int) -> str:
    if seconds >= 3600:
        return f"{-(-seconds // 3600)}小时"
    return f"{max(1, -(-seconds // 60))}分钟"


def _mismatch_keys(id_index: str, ip: str | None) -> list[tuple[str, int, timedelta]]:
    keys = [(f"realname:id:{id_index}", MISMATCH_LIMIT_PER_ID, MISMATCH_WINDOW_PER_ID)]
    if ip:
        keys.append((f"realname:ip:{ip}", MISMATCH_LIMIT_PER_IP, MISMATCH_WINDOW_PER_IP))
    return keys


def register_person(
    *,
    name: str,
    id_number: str,
    phone: str,
    sms_code: str,
    second_factor_kind: str,
    second_factor_value: str,
    password: str,
    agreement_version: str,
    ip: str | None = None,
) -> User:
    """Register a natural person online and return the new, real-name verified account.

    Checks, in this order, each refusal naming its form field: the name, the ID number
    (precise validator message), the phone, the second factor, the agreement (the version shown
    must be the one in force), the password (Django's validators); then the SMS code (checked
    but not used up, so a refused form can be sent again with the same code); then duplicates
    (409); then the real-name comparison (generic message, counted per ID number and IP). Only
    when all pass is the code used up, the account created, the agreement acceptance recorded
    and ``account.register`` audited — in one transaction.
    """
    name = validate_name(name)
    id_number = validate_person_id_field(id_number)
    phone = normalise_phone(phone)
    kind, value = _second_factor(second_factor_kind, second_factor_value)
    agreement = current_agreement()
    if agreement is None:
        raise DomainError("网上服务协议尚未发布，暂不能注册，请稍后再试")
    if not agreement_version:
        raise DomainError("请阅读并同意《网上服务协议》", field="agreement")
    if agreement_version != agreement.version:
        raise DomainError("网上服务协议已更新，请阅读最新版本后重新勾选同意", field="agreement")
    draft = User(username="", name=name, kind=UserKind.PERSON)
    validate_new_password(password, draft, field="password")

    id_index = blind_index_for(id_number, PURPOSE_ID_NUMBER)
    for key, limit, window in _mismatch_keys(id_index, ip):
        state = throttle.peek(key, limit, window)
        if not state.allowed:
            raise RateLimited(
                f"实名核验未通过次数过多，请{_wait_text(state.retry_after)}后再试，"
                "或携带身份证到政务服务大厅窗口注册",
                retry_after=state.retry_after,
            )

    check_code(phone, Purpose.REGISTER, sms_code, consume=False)

    if User.objects.by_id_number(id_number).exists():
        raise Conflict("该身份证号已注册", field="id_number")
    if User.objects.by_phone(phone).exists():
        raise Conflict(
            "该手机号已绑定其他账号，请更换手机号，或登录原账号后更换绑定手机号", field="phone"
        )

    from yiwang.accounts.verification import get_verifier  # the adapter is chosen by setting

    result = get_verifier().verify_person(
        name=name, id_number=id_number, factors={"phone": phone, kind: value}
    )
    if not result.matched:
        # Counted in its own transaction before the refusal (throttle.py): kept on rollback.
        with transaction.atomic():
            for key, limit, window in _mismatch_keys(id_index, ip):
                throttle.hit(key, limit, window)
        raise DomainError(MISMATCH_MESSAGE)

    now = timezone.now()
    # Hash before the transaction: argon2 takes most of a second, and on SQLite an open write
    # transaction holds the database's only write lock for as long as it lasts.
    password_hash = make_password(password)
    try:
        with transaction.atomic():
            consume_code(phone, Purpose.REGISTER)
            user = User(
                # The login name of a person reveals nothing; they sign in by ID number or phone.
                username=f"p{secrets.token_hex(8)}",
                kind=UserKind.PERSON,
                name=name,
                id_number=id_number,
                phone=phone,
                registration_channel=RegistrationChannel.ONLINE,
                real_name_verified_at=now,
                date_joined=now,
            )
            user.password = password_hash
            user.save()
            AgreementAcceptance.objects.create(
                user=user, agreement=agreement, accepted_at=now, ip=ip or None
            )
            audit.record(
                "account.register",
                actor=f"user:{user.pk}",
                actor_label=user.username,
                object_type="user",
                object_id=user.pk,
                after={
                    "kind": user.kind,
                    "channel": user.registration_channel,
                    "name": user.display_name,
                    "id_number": mask_person_id(id_number),
                    "phone": mask_phone(phone),
                    "factors": sorted(["id_number", "name", "phone", kind]),
                    "agreement_version": agreement.version,
                },
                ip=ip,
            )
    except IntegrityError:
        # Two submissions raced past the duplicate checks; the unique indexes decided.
        raise Conflict("该身份证号或手机号已注册", field="id_number") from None
    for key, _limit, _window in _mismatch_keys(id_index, None):
        throttle.clear(key)
    return user
