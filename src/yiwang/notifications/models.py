"""The outbox: every SMS and in-site message the platform sends, one row each.

A row is written in the transaction of the action that causes it (a code requested, an account
disabled, a case accepted), so the message exists exactly when the action does. SMS rows are then
delivered by a background task (:mod:`yiwang.notifications.tasks`); site messages (站内信) need no
delivery: the committed row is the message, read in the user space.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.core.fields import EncryptedTextField, blind_index_for
from yiwang.core.masking import mask_phone

# Same purpose as accounts.User.phone: the blind indexes of a user's number and of the SMS sent to
# it are equal, so "messages to this user's phone" is one indexed lookup.
PURPOSE_PHONE = "phone"
PURPOSE_TEXT = "message_text"


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    SITE = "site", "站内信"


class Status(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Message(models.Model):
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    # Personal data: encrypted at rest (DESIGN §3.8), shown and logged masked only, found by index.
    phone = EncryptedTextField("手机号码", purpose=PURPOSE_PHONE)
    # NULL (not "") when there is no number, as in accounts.User: blind_index_for() says so.
    phone_index = models.CharField(  # noqa: DJ001
        "手机号索引", max_length=64, null=True, blank=True, db_index=True, editable=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收用户",
        null=True,
        blank=True,
        # A user's in-site messages are theirs: removing the user removes them.
        on_delete=models.CASCADE,
        related_name="+",
    )
    template = models.CharField("模板", max_length=64)
    purpose = models.CharField(
        "用途", max_length=32, blank=True, help_text="调用方给出的用途，如 login、register"
    )
    title = models.CharField("标题", max_length=100, blank=True)
    # Encrypted too: texts carry verification codes and initial passwords.
    text = EncryptedTextField("内容", purpose=PURPOSE_TEXT)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # While pending: the earliest time a worker may (re)try. A worker that takes the message moves
    # it into the future by a lease, which is how two workers are kept from sending it twice.
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    provider_id = models.CharField("网关消息编号", max_length=128, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ("-created_at", "-id")
        indexes = (
            # the sweep: pending messages whose next attempt is due
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_due_idx"),
            # the user space: a user's site messages, unread first
            models.Index(fields=["recipient", "read_at"], name="notif_msg_inbox_idx"),
        )
        constraints = (
            models.CheckConstraint(
                name="notif_msg_has_recipient",
                condition=models.Q(
                    channel=Channel.SMS, recipient__isnull=True, phone_index__isnull=False
                )
                | models.Q(channel=Channel.SITE, recipient__isnull=False, phone_index__isnull=True),
            ),
        )

    def __str__(self) -> str:
        who = mask_phone(self.phone) if self.channel == Channel.SMS else f"用户 {self.recipient_id}"
        return f"{self.get_channel_display()} {self.pk} → {who}"

    def save(self, *args, **kwargs):
        # The index follows the encrypted number on every save, so they can never disagree.
        self.phone_index = blind_index_for(self.phone, PURPOSE_PHONE)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_index"}
        super().save(*args, **kwargs)
