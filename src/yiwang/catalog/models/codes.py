"""Code lists operators may correct: item types and themes."""

from __future__ import annotations

from django.db import models

from yiwang.catalog.constants import Audience


class ItemType(models.Model):
    """事项类型 (REQUIREMENTS §4): 行政许可, 行政处罚, … 公共服务.

    A table, not choices, because the authoritative list and its codes come from GB/T 39554,
    which we do not have yet: operators correct it in the admin when it is known, without a
    release. Seeded by migration 0002.
    """

    code = models.CharField("代码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"
        ordering = ("order", "code")

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """服务主题: the 31 natural-person themes ordered by the human life cycle and the 34
    legal-person themes ordered by the enterprise life cycle (seed 001, ch. 2 §4 (四)),
    used for scenario navigation. Seeded by migration 0003."""

    code = models.CharField("代码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=50)
    audience = models.CharField("面向", max_length=16, choices=Audience.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "服务主题"
        verbose_name_plural = "服务主题"
        ordering = ("audience", "order", "code")
        constraints = (
            models.UniqueConstraint(fields=["audience", "name"], name="theme_audience_name"),
        )

    def __str__(self) -> str:
        return f"{self.name}（{self.get_audience_display()}）"
