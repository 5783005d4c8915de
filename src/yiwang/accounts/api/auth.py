"""/api/v1/auth/…: SMS codes, registration, sign-in and sign-out for the app and kiosk channels.

The same services as the portal's pages, so every channel gets the same rules and the same
Chinese messages (同源). Sign-in opens a Django session (cookie); the OAuth2/OIDC provider
(yiwang.identity) is the way for department systems. Refusals are RFC 9457 problem+json with the
field name in ``errors``; rate limits are 429 with ``Retry-After``.

These endpoints take no session, so they are not CSRF-checked: an app or kiosk has no CSRF token
before it signs in. They change nothing for a signed-in browser that a forged request could
abuse beyond signing it out. The one exception, ``/auth/password`` (change the password of the
signed-in person), authenticates by session and is CSRF-checked like every session write.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Literal

from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.accounts import services
from yiwang.accounts.api.sessions import PersonSession
from yiwang.accounts.models import User
from yiwang.accounts.services.sms_codes import Purpose
from yiwang.core.errors import Forbidden, NotFound
from yiwang.core.http import client_ip
from yiwang.core.problems import Problem

router = Router(tags=["注册与登录"])

BACKEND = "django.contrib.auth.backends.ModelBackend"
ERRORS = {400: Problem, 403: Problem, 409: Problem, 422: Problem, 429: Problem}


class SmsCodeIn(Schema):
    purpose: Literal["register", "login", "reset_password"] = Field(
        description="register 注册；login 短信登录；reset_password 找回密码（须同时给 id_number）"
    )
    phone: str = Field(..., max_length=20, examples=["13812345678"])
    id_number: str = Field("", max_length=30, description="找回密码时的公民身份号码")


class SmsCodeOut(Schema):
    masked_phone: str = Field(examples=["138****5678"])
    expires_at: datetime = Field(description="验证码失效时间（5 分钟后）")
    resend_after: int = Field(description="多少秒后可以重新获取", examples=[60])
    message: str = Field(examples=["验证码已发送至138****5678，5分钟内有效。60秒后可重新获取。"])


class RegisterIn(Schema):
    name: str = Field(..., max_length=50, examples=["王晓明"])
    id_number: str = Field(..., max_length=30, description="公民身份号码")
    phone: str = Field(..., max_length=20)
    sms_code: str = Field(..., max_length=10, description="purpose=register 的短信验证码")
    second_factor_kind: Literal[
        "social_security_card", "bank_card", "housing_fund_account", "driving_licence_file"
    ] = Field(description="第三项核验信息：社保卡号 / 银行卡号 / 公积金账号 / 驾驶证档案编号")
    second_factor_value: str = Field(..., max_length=40)
    password: str = Field(..., max_length=128)
    agreement_version: str = Field(..., max_length=20, description="所同意的网上服务协议版本")


class LoginIn(Schema):
    method: Literal["password", "sms"] = "password"
    identifier: str = Field("", max_length=30, description="password：身份证号或绑定手机号")
    password: str = Field("", max_length=128)
    phone: str = Field("", max_length=20, description="sms：绑定手机号")
    sms_code: str = Field("", max_length=10)


class PasswordChangeIn(Schema):
    old_password: str = Field(
        ..., max_length=128, description="原密码（窗口开户时为短信中的初始密码）"
    )
    new_password: str = Field(..., max_length=128)


class PasswordResetIn(Schema):
    id_number: str = Field(..., max_length=30, description="公民身份号码")
    phone: str = Field(..., max_length=20, description="绑定手机号")
    sms_code: str = Field(..., max_length=10, description="purpose=reset_password 的短信验证码")
    new_password: str = Field(..., max_length=128)


class MeOut(Schema):
    uid: str = Field(description="用户标识（OIDC sub）")
    name: str = Field(description="姓名（脱敏）", examples=["王**"])
    id_number: str = Field(description="公民身份号码（脱敏）")
    phone: str = Field(description="绑定手机号（脱敏）")
    must_change_password: bool = Field(description="须先修改初始密码")


class AgreementOut(Schema):
    version: str
    title: str
    body: str
    effective_at: datetime


def _me(user: User) -> dict:
    return {
        "uid": str(user.uid),
        "name": user.display_name,
        "id_number": user.masked_id_number,
        "phone": user.masked_phone,
        "must_change_password": user.must_change_password,
    }


@router.get("/auth/agreement", response={200: AgreementOut, 404: Problem})
def agreement(request: HttpRequest):
    """The online service agreement in force, to show before registration."""
    current = services.current_agreement()
    if current is None:
        raise NotFound("网上服务协议尚未发布")
    return current


@router.post("/auth/sms-codes", response={202: SmsCodeOut, **ERRORS})
def send_sms_code(request: HttpRequest, payload: SmsCodeIn):
    """Send a 6-digit code (valid 5 minutes, once per 60 s, a daily cap per phone and IP).

    For login and reset_password the answer is the same whether or not the phone is bound
    (the SMS only goes out when it is).
    """
    ip = client_ip(request)
    if payload.purpose == "login":
        sent = services.request_login_code(payload.phone, ip=ip)
    elif payload.purpose == "reset_password":
        sent = services.request_password_reset_code(payload.id_number, payload.phone, ip=ip)
    else:
        sent = services.send_code(payload.phone, Purpose.REGISTER, ip=ip)
    return Status(
        202,
        {
            "masked_phone": sent.masked_phone,
            "expires_at": sent.expires_at,
            "resend_after": sent.resend_after,
            "message": sent.message,
        },
    )


@router.post("/auth/register", response={201: MeOut, **ERRORS})
def register(request: HttpRequest, payload: RegisterIn):
    """Register a natural person (ID number + name, phone with SMS code, one more factor,
    compared with the population library) and sign them in. A mismatch is one generic 400."""
    user = services.register_person(**payload.dict(), ip=client_ip(request))
    login(request, user, backend=BACKEND)
    return Status(201, _me(user))


@router.post("/auth/login", response={200: MeOut, **ERRORS})
def sign_in(request: HttpRequest, payload: LoginIn):
    """Sign in with ID number or phone + password, or phone + SMS code; opens a session.

    Unknown account and wrong password are the same 400 "账号或密码错误"; a locked account is
    429 with Retry-After; a disabled one 403 (after a correct password). Staff accounts need the
    TOTP step and sign in at the back office.
    """
    ip = client_ip(request)
    ua = request.META.get("HTTP_USER_AGENT", "")
    if payload.method == "password":
        user = services.authenticate_password(
            payload.identifier, payload.password, ip=ip, user_agent=ua
        )
    else:
        user = services.authenticate_sms(payload.phone, payload.sms_code, ip=ip, user_agent=ua)
    if services.needs_second_factor(user):
        raise Forbidden("工作人员账号请从工作人员登录入口登录（需动态口令）")
    login(request, user, backend=BACKEND)
    return _me(user)


@router.post(
    "/auth/password",
    response={200: MeOut, 401: Problem, **ERRORS},
    auth=PersonSession(),
    summary="修改密码",
)
def change_password(request: HttpRequest, payload: PasswordChangeIn):
    """Change the signed-in person's password; the old one is asked again (wrong tries are
    limited). Also the forced change of a window-opened account's initial password, the one
    thing such an account may do before it (``must_change_password`` in the sign-in answer)."""
    user = services.change_password(
        request.auth,
        old_password=payload.old_password,
        new_password=payload.new_password,
        ip=client_ip(request),
    )
    update_session_auth_hash(request, user)
    return _me(user)


@router.post("/auth/password-reset", response={204: None, **ERRORS}, summary="找回密码")
def reset_password(request: HttpRequest, payload: PasswordResetIn):
    """Set a new password with the SMS code sent for purpose=reset_password (ID number and bound
    phone must belong together); lifts a sign-in lockout. Then sign in with the new password."""
    services.reset_password(
        id_number=payload.id_number,
        phone=payload.phone,
        sms_code=payload.sms_code,
        new_password=payload.new_password,
        ip=client_ip(request),
    )
    return Status(204, None)


@router.post("/auth/logout", response={204: None})
def sign_out(request: HttpRequest):
    """End the session (nothing happens without one)."""
    logout(request)
    return Status(204, None)
