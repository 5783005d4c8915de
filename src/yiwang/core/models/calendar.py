"""The working-day calendar's exceptions: statutory holidays and make-up working days.

Ordinary days are implied (Monday–Friday work, Saturday and Sunday rest); a row exists only where
the State Council's annual schedule (国务院办公厅关于放假安排的通知) departs from that, or to name
the weekend days that fall inside a holiday period. The computations are in
:mod:`yiwang.core.workdays`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction

from yiwang.core.errors import DomainError


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    # A Saturday or Sunday on which people work to make up for a longer holiday (调休).
    WORKDAY = "workday", "调休上班日"


class CalendarDaySource(models.TextChoices):
    PACKAGE = "chinesecalendar", "chinesecalendar 数据包"
    MANUAL = "manual", "人工录入"


WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarDay(models.Model):
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField("节日", max_length=60, blank=True, help_text="如 春节、国庆节")
    source = models.CharField(
        "来源",
        max_length=20,
        choices=CalendarDaySource.choices,
        default=CalendarDaySource.MANUAL,
        help_text="人工录入的记录不会被 yiwang calendar seed 覆盖",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".rstrip()

    # The working-day cache must not outlive a change, whoever makes it (admin, seed command,
    # shell, tests). Clearing a cache is bookkeeping, not business logic, so it lives here rather
    # than in a signal; queryset bulk writes go through workdays.py, which clears it as well.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _invalidate_workdays_cache()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _invalidate_workdays_cache()
        return result

    def clean(self) -> None:
        # The admin form shows the rule's message next to the field (workdays.check_calendar_day).
        from yiwang.core import workdays

        try:
            workdays.check_calendar_day(self)
        except DomainError as exc:
            raise ValidationError({exc.field: exc.message} if exc.field else exc.message) from exc

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]


def _invalidate_workdays_cache() -> None:
    from yiwang.core import workdays

    workdays.clear_cache()
    # Clear again at commit: another thread may have reloaded the old rows in between.
    transaction.on_commit(workdays.clear_cache)
