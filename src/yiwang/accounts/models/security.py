"""What sign-in needs to be safe: SMS codes, throttles, QR logins, history, agreements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = [
    "AgreementAcceptance",
    "LoginEvent",
    "QrLogin",
    "ServiceAgreement",
    "SmsCode",
    "Throttle",
]


class SmsCode(models.Model):
    """A 6-digit code sent by SMS: valid 5 minutes, used once, a few wrong tries at most.

    The phone is kept only as its blind index and the code only as a hash: the table reveals
    neither who asked nor what was sent.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        LOGIN = "login", "登录"
        RESET_PASSWORD = "reset_password", "找回密码"
        CHANGE_PHONE_OLD = "change_phone_old", "更换手机号（原号码）"
        CHANGE_PHONE_NEW = "change_phone_new", "更换手机号（新号码）"
        PROFILE = "profile", "修改资料"
        WINDOW_REGISTER = "window_register", "窗口注册"

    phone_index = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=Purpose)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = (models.Index(fields=["phone_index", "purpose", "created_at"]),)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Throttle(models.Model):
    """A counter per key (``login:<index>``, ``sms:<index>:day``, ``ip:<addr>``) in a fixed
    window, in the database so every web process sees the same counts."""

    key = models.CharField(max_length=150, unique=True)
    window_start = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"

    def __str__(self) -> str:
        return self.key


class LoginEvent(models.Model):
    """One sign-in attempt, shown to the user as 登录记录 and to security staff."""

    class Method(models.TextChoices):
        PASSWORD = "password", "密码"
        SMS = "sms", "短信验证码"
        QR = "qr", "扫码"
        TOTP = "totp", "动态口令"
        OIDC = "oidc", "统一身份认证"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="login_events",
    )
    method = models.CharField("方式", max_length=10, choices=Method)
    succeeded = models.BooleanField("成功")
    reason = models.CharField("原因", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("终端", max_length=300, blank=True)
    occurred_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        indexes = (models.Index(fields=["user", "-occurred_at"]),)

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class QrLogin(models.Model):
    """A QR code shown on a PC page; a signed-in mobile session scans and confirms it, and the
    PC page, polling, is signed in as that user once."""

    class Status(models.TextChoices):
        PENDING = "pending", "待扫码"
        SCANNED = "scanned", "已扫码"
        CONFIRMED = "confirmed", "已确认"
        USED = "used", "已登录"
        CANCELLED = "cancelled", "已取消"

    token = models.CharField(max_length=64, unique=True)
    # The PC browser that shows the code: only it may collect the login.
    browser_key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "扫码登录"
        verbose_name_plural = "扫码登录"

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%H:%M:%S}"


class ServiceAgreement(models.Model):
    """A version of the online service agreement (网上服务协议) people accept at registration."""

    version = models.CharField("版本", max_length=20, unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    effective_at = models.DateTimeField("生效时间", default=timezone.now)

    class Meta:
        verbose_name = "服务协议"
        verbose_name_plural = "服务协议"
        ordering = ("-effective_at",)

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class AgreementAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "协议签署记录"
        verbose_name_plural = "协议签署记录"
        constraints = (
            models.UniqueConstraint(fields=["user", "agreement"], name="agreement_accepted_once"),
        )

    def __str__(self) -> str:
        return f"{self.user} {self.agreement}"
