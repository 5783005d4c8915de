"""Audit events: an append-only log whose rows are chained by SHA-256.

Writing goes through :func:`yiwang.core.audit.record`, which serialises writers on
:class:`AuditChainHead` and computes the hash; this module only defines the rows, how a row is
hashed, and refuses every ORM path that would change or remove a row.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64

# The fields a row's hash covers, in no particular order (the JSON is key-sorted). It is an
# explicit list, not `_meta.fields`, so adding a column later cannot silently change the hash of
# existing rows: a new field must be added here on purpose, with a chain version if old rows
# should stay verifiable. A test checks that the list names every field except `hash`.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor",
    "actor_label",
    "acting_for",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "ip",
    "prev_hash",
)


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    """Bulk paths bypass ``Model.save``/``delete``; close them too."""

    def update(self, **kwargs):
        raise AppendOnlyError("审计事件只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计事件只能追加，不能删除")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("审计事件只能通过 yiwang.core.audit.record() 逐条写入")

    def bulk_update(self, objs, *args, **kwargs):
        raise AppendOnlyError("审计事件只能追加，不能修改")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("审计事件只能追加，不能修改")


def canonical_json(value) -> str:
    """The byte-stable JSON form that is hashed (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical_datetime(value: datetime.datetime) -> str:
    # UTC with microseconds always present: the same instant gives the same text whatever the
    # database returns (PostgreSQL and SQLite both keep microseconds).
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


class AuditEvent(models.Model):
    """One thing somebody did, kept forever: who, for whom, what, on which object, from → to."""

    occurred_at = models.DateTimeField("发生时间", default=timezone.now)
    actor = models.CharField(
        "操作者", max_length=100, default="system", help_text="如 user:42；系统任务为 system"
    )
    actor_label = models.CharField("操作者名称", max_length=100, blank=True)
    acting_for = models.CharField(
        "代表主体", max_length=100, blank=True, help_text="操作者代为办理的企业等，如 enterprise:…"
    )
    action = models.CharField("操作", max_length=100, help_text="如 region.import、account.disable")
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象标识", max_length=100, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前序哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ("-id",)
        indexes = (
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["occurred_at"], name="core_audit_occurred_idx"),
            # "What did this person do?" is the other everyday audit question.
            models.Index(fields=["actor", "occurred_at"], name="core_audit_actor_idx"),
        )

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"审计事件只能追加，不能修改（第 {self.pk} 条）")
        if not getattr(self, "_chained", False):
            # Only record() knows the chain head; a row saved any other way would break it.
            raise AppendOnlyError("审计事件只能通过 yiwang.core.audit.record() 写入")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"审计事件只能追加，不能删除（第 {self.pk} 条）")

    def hashed_payload(self) -> dict:
        payload = {name: getattr(self, name) for name in HASHED_FIELDS}
        payload["occurred_at"] = _canonical_datetime(self.occurred_at)
        return payload

    def compute_hash(self) -> str:
        """sha256(prev_hash + canonical JSON of every field except ``hash``), hex."""
        text = self.prev_hash + canonical_json(self.hashed_payload())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """The single row that says where the chain ends.

    Appenders lock it (``SELECT … FOR UPDATE``), so events get consecutive ids and each links to
    the previous one even under concurrency; and since it remembers the last id and hash,
    deleting the newest events — which no later row would betray — is detected too.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    last_id = models.BigIntegerField("最后一条记录", default=0)
    last_hash = models.CharField("最后哈希", max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"审计链头：第 {self.last_id} 条 {self.last_hash[:12]}…"
