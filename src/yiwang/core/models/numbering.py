"""Counters behind every number the platform hands out (case numbers, receipt numbers, …).

Values come from :func:`yiwang.core.numbering.next_value`, which locks the row.
"""

from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    kind = models.CharField("编号类型", max_length=50, help_text="如 case")
    scope = models.CharField("范围", max_length=50, blank=True, help_text="如区划代码")
    day = models.DateField("日期")
    last_value = models.PositiveBigIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = (
            models.UniqueConstraint(fields=["kind", "scope", "day"], name="core_sequence_unique"),
        )

    def __str__(self) -> str:
        return f"{self.kind}/{self.scope}/{self.day.isoformat()} = {self.last_value}"
