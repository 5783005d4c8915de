"""What the API remembers between requests: the answers to ``Idempotency-Key`` requests."""

from __future__ import annotations

from django.db import models

from yiwang.core.fields import EncryptedTextField


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one caller and the answer its first request got.

    A row is written *before* the request runs (``status`` null: in progress), so a second
    request with the same key, sent while the first is still running, is refused instead of
    doing the work twice; it is completed with the answer, or deleted when the answer is not
    one to replay (see :mod:`yiwang.api.idempotency`).
    """

    scope = models.CharField("调用方", max_length=64, help_text="调用方标识的 SHA-256")
    key = models.CharField("幂等键", max_length=255)
    fingerprint = models.CharField("请求摘要", max_length=64)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("路径", max_length=500)
    status = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    content_type = models.CharField("内容类型", max_length=100, blank=True)
    # The body may name a person (a grant's grantee, masked or not): encrypted like any
    # personal data at rest, and rotated with the other columns by ``yiwang crypto rotate``.
    body = EncryptedTextField("响应内容", purpose="api.idempotency.body")
    location = models.CharField("Location", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", db_index=True)

    class Meta:
        verbose_name = "幂等请求记录"
        verbose_name_plural = verbose_name
        constraints = (
            models.UniqueConstraint(fields=("scope", "key"), name="api_idempotency_scope_key"),
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
