"""The working-day clock: which days count towards statutory time limits, and deadlines.

Legal basis. 《行政许可法》第八十二条: the time limits for administrative licensing "以工作日
计算，不含法定节假日". Public holidays and the make-up working days (调休) are fixed each year by
the State Council (《全国年节及纪念日放假办法》 and 国务院办公厅's annual 放假安排通知), so the
calendar is data: a :class:`~yiwang.core.models.CalendarDay` row for every exception, seeded from
the ``chinesecalendar`` package (2004–2026) and editable by operators for later years or
corrections (DESIGN §6).

Counting convention — the day an application is accepted does NOT count; counting starts on the
next working day. This is the general rule for periods counted in days (《民法典》第二百零一条:
"开始的当日不计入，自下一日开始计算"; 《民事诉讼法》第八十五条: "期间开始的时和日，不计算在期间内"),
applied to 《行政许可法》第四十二条's "自受理行政许可申请之日起二十日内". So:

* ``add_working_days(d, n)`` is the n-th working day *after* d — the last day of an n-working-day
  time limit that starts on d. ``add_working_days(d, 0) == d``. When d itself is a holiday or a
  weekend (an online application submitted on Saturday), the first counted day is still the next
  working day. Because the result is always a working day (n ≥ 1), the rule that a period ending
  on a holiday moves to the next working day is built in.
* ``working_days_between(start, end)`` counts the working days in the half-open interval
  (start, end], so ``working_days_between(d, add_working_days(d, n)) == n`` for every n ≥ 0;
  it is negative when end is before start.

How a year is looked up: if the database holds any row for that year, the database is the
schedule (the package is ignored for it). Otherwise the year comes from ``chinesecalendar`` if the
package covers it, and else falls back to plain Monday–Friday — ``yiwang calendar show YEAR``
warns about such a year so operators enter the schedule. Callers pass *dates* in local time
(``timezone.localdate(dt)``), never datetimes, to avoid UTC/Asia-Shanghai day shifts.

Each year's exceptions are cached per process: cleared at once by every write made through this
module or a ``CalendarDay`` save/delete in this process, and reloaded after ``CACHE_SECONDS`` so
that other processes (other web workers) pick up an edit within that time. A transaction that
wrote rows and then rolled back cannot be seen from here: tests that write ``CalendarDay`` rows
call :func:`clear_cache` at teardown.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

import chinese_calendar
from django.db import transaction

from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.models import WEEKDAY_NAMES, CalendarDay, CalendarDayKind, CalendarDaySource

__all__ = [
    "CACHE_SECONDS",
    "SeedResult",
    "add_working_days",
    "check_calendar_day",
    "clear_cache",
    "delete_calendar_day",
    "is_working_day",
    "next_working_day",
    "package_schedule",
    "package_years",
    "save_calendar_day",
    "schedule_source",
    "seed_from_package",
    "working_days_between",
    "year_exceptions",
]

CACHE_SECONDS = 60

ScheduleSource = Literal["database", "package", "none"]

# Names as the State Council's notices write them; the package's own Chinese names are shorter
# (清明, 端午, 中秋).
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


@dataclass(frozen=True)
class _Year:
    source: ScheduleSource
    # date → True for a working day, False for a day off; only exceptions to Monday–Friday.
    exceptions: dict[datetime.date, bool]
    loaded_at: float


_cache: dict[int, _Year] = {}
_cache_lock = threading.Lock()
# Bumped by clear_cache(): a year loaded before a clear is not stored after it (a reader that
# raced with a writer would otherwise keep the old rows for CACHE_SECONDS).
_generation = 0


def clear_cache() -> None:
    """Forget every cached year (after writing CalendarDay rows; in tests)."""
    global _generation
    with _cache_lock:
        _generation += 1
        _cache.clear()


# --- the package -----------------------------------------------------------------------------


def package_years() -> range:
    """The years ``chinesecalendar`` has a schedule for (2004–2026 in version 1.11)."""
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _holiday_name(english: str) -> str:
    if english in _HOLIDAY_NAMES:
        return _HOLIDAY_NAMES[english]
    return chinese_calendar.Holiday(english).chinese


def package_schedule(year: int) -> dict[datetime.date, tuple[str, str]]:
    """date → (kind, name) for one year of the package.

    Stored: every date the package lists as a holiday — weekday holidays, and also the weekend
    days inside a holiday period, which change nothing in the counting but let the calendar show
    "2025-02-01 周六 春节" — and every make-up working day (always a Saturday or Sunday).
    """
    rows = {
        d: (CalendarDayKind.HOLIDAY.value, _holiday_name(name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    }
    rows.update(
        {
            d: (CalendarDayKind.WORKDAY.value, _holiday_name(name))
            for d, name in chinese_calendar.workdays.items()
            if d.year == year
        }
    )
    return rows


# --- lookups ---------------------------------------------------------------------------------


def _load_year(year: int) -> _Year:
    rows = CalendarDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    ).values_list("date", "kind")
    exceptions = {d: kind == CalendarDayKind.WORKDAY for d, kind in rows}
    if exceptions:
        source: ScheduleSource = "database"
    elif year in package_years():
        source = "package"
        exceptions = {
            d: kind == CalendarDayKind.WORKDAY for d, (kind, _) in package_schedule(year).items()
        }
    else:
        source = "none"
    return _Year(source=source, exceptions=exceptions, loaded_at=time.monotonic())


def _year(year: int) -> _Year:
    cached = _cache.get(year)
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    generation = _generation
    loaded = _load_year(year)
    with _cache_lock:
        if generation == _generation:
            _cache[year] = loaded
    return loaded


def schedule_source(year: int) -> ScheduleSource:
    """Where ``year``'s holidays come from: ``database``, ``package`` or ``none`` (Mon–Fri)."""
    return _year(year).source


def year_exceptions(year: int) -> dict[datetime.date, bool]:
    """The exceptions in force for ``year``: date → True (make-up workday) / False (day off)."""
    return dict(_year(year).exceptions)


def _check_date(d: datetime.date) -> None:
    if isinstance(d, datetime.datetime) or not isinstance(d, datetime.date):
        raise TypeError(f"expected a date (local day), got {type(d).__name__}")


def _is_working(d: datetime.date) -> bool:
    working = _year(d.year).exceptions.get(d)
    if working is not None:
        return working
    return d.weekday() < 5


def is_working_day(d: datetime.date) -> bool:
    """True when ``d`` is a working day: Monday–Friday except holidays, plus make-up days."""
    _check_date(d)
    return _is_working(d)


def next_working_day(d: datetime.date) -> datetime.date:
    """The first working day strictly after ``d`` (= ``add_working_days(d, 1)``)."""
    return add_working_days(d, 1)


_ONE_DAY = datetime.timedelta(days=1)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start``; ``start`` itself never counts (module docstring).

    E.g. accepted on 2025-01-27 (the Monday before 春节) with a 1-working-day limit → 2025-02-05.
    """
    _check_date(start)
    if n < 0:
        raise ValueError("n must be zero or positive")
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if _is_working(day):
            remaining -= 1
    return day


def _weekdays_through(d: datetime.date) -> int:
    # Monday–Friday days in [0001-01-01, d]; 0001-01-01 (ordinal 1) is a Monday.
    ordinal = d.toordinal()
    return ordinal // 7 * 5 + min(ordinal % 7, 5)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end] — start excluded, end included; negative if end < start.

    Computed arithmetically (weekdays, then the year's exceptions), not day by day, so a span of
    years costs one cached lookup per year.
    """
    _check_date(start)
    _check_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = _weekdays_through(end) - _weekdays_through(start)
    for year in range(start.year, end.year + 1):
        for d, working in _year(year).exceptions.items():
            if start < d <= end:
                is_weekday = d.weekday() < 5
                if working and not is_weekday:
                    count += 1
                elif not working and is_weekday:
                    count -= 1
    return count


# --- writing the calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    year: int
    created: int
    updated: int
    deleted: int
    kept_manual: int

    def describe(self) -> str:
        return (
            f"{self.year} 年：新增 {self.created} 条，更新 {self.updated} 条，"
            f"删除 {self.deleted} 条，保留人工录入 {self.kept_manual} 条"
        )


def seed_from_package(
    years: Iterable[int] | None = None, *, actor: str = "system", actor_label: str = ""
) -> list[SeedResult]:
    """(Re)fill years from ``chinesecalendar``; rows an operator entered (source manual) win.

    Package rows that the package no longer lists are removed; manual rows are never touched.
    Raises ``ValueError`` for a year the package does not cover. Audited as ``calendar.seed``
    when a row was created, updated or deleted (a seed that changes nothing leaves no event).
    """
    covered = package_years()
    wanted = sorted(set(years)) if years is not None else list(covered)
    for year in wanted:
        if year not in covered:
            raise ValueError(
                f"chinesecalendar 未收录 {year} 年的放假安排（收录 {covered.start}–"
                f"{covered.stop - 1} 年），请在管理后台按国务院办公厅通知人工录入"
            )
    results = []
    with transaction.atomic():
        for year in wanted:
            results.append(_seed_year(year))
        if any(r.created or r.updated or r.deleted for r in results):
            audit.record(
                "calendar.seed",
                actor=actor,
                actor_label=actor_label,
                object_type="calendar",
                object_id=",".join(str(y) for y in wanted),
                after=[asdict(r) for r in results],
            )
        transaction.on_commit(clear_cache)
    clear_cache()
    return results


def _seed_year(year: int) -> SeedResult:
    wanted = package_schedule(year)
    existing = {
        row.date: row
        for row in CalendarDay.objects.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    }
    created = updated = kept = 0
    to_create = []
    to_update = []
    for d, (kind, name) in sorted(wanted.items()):
        row = existing.get(d)
        if row is None:
            to_create.append(
                CalendarDay(date=d, kind=kind, name=name, source=CalendarDaySource.PACKAGE)
            )
            created += 1
        elif row.source == CalendarDaySource.MANUAL:
            kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
            updated += 1
    stale = [
        row.pk
        for d, row in existing.items()
        if d not in wanted and row.source == CalendarDaySource.PACKAGE
    ]
    kept += sum(
        1
        for d, row in existing.items()
        if d not in wanted and row.source == CalendarDaySource.MANUAL
    )
    CalendarDay.objects.bulk_create(to_create)
    CalendarDay.objects.bulk_update(to_update, ["kind", "name"])
    CalendarDay.objects.filter(pk__in=stale).delete()
    return SeedResult(year, created, len(to_update), len(stale), kept)


def _snapshot(day: CalendarDay) -> dict:
    return {
        "date": day.date.isoformat(),
        "kind": day.kind,
        "name": day.name,
        "source": day.source,
        "note": day.note,
    }


def check_calendar_day(day: CalendarDay) -> None:
    """The rules of an operator's entry; raises :class:`DomainError` naming the field.

    A make-up working day (调休上班日) moves work onto a rest day, so it is a Saturday or a
    Sunday — the State Council's notices never name another day (on a weekday it would change
    nothing). A holiday row carries the holiday's name, which ``calendar show`` and the case
    timelines print. One row per date. Normalises the name and the note (surrounding spaces
    removed).
    """
    day.name = (day.name or "").strip()
    day.note = (day.note or "").strip()
    if day.kind == CalendarDayKind.WORKDAY and day.date is not None and day.date.weekday() < 5:
        raise DomainError(
            f"调休上班日只能是周六或周日：{day.date.isoformat()} 是"
            f"{WEEKDAY_NAMES[day.date.weekday()]}",
            field="date",
        )
    if day.kind == CalendarDayKind.HOLIDAY and not day.name:
        raise DomainError("请填写节日名称，如“春节”", field="name")
    if day.date is not None:
        other = CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk).first()
        if other is not None:
            what = f"{other.get_kind_display()} {other.name}".rstrip()
            raise Conflict(f"{day.date.isoformat()} 已有记录（{what}），请修改那一条", field="date")


def save_calendar_day(
    day: CalendarDay, *, actor: str, actor_label: str = "", ip: str | None = None
) -> CalendarDay:
    """Create or correct one day as an operator; the row becomes ``manual`` and is audited.

    Marking it manual is what keeps ``yiwang calendar seed`` from reverting the correction.
    The day must pass :func:`check_calendar_day` (``DomainError`` otherwise).
    """
    check_calendar_day(day)
    with transaction.atomic():
        before = None
        if day.pk is not None:
            old = CalendarDay.objects.filter(pk=day.pk).first()
            before = _snapshot(old) if old else None
        day.source = CalendarDaySource.MANUAL
        day.save()
        audit.record(
            "calendar.day.change" if before else "calendar.day.create",
            actor=actor,
            actor_label=actor_label,
            object_type="calendar_day",
            object_id=day.date.isoformat(),
            before=before,
            after=_snapshot(day),
            ip=ip,
        )
    return day


def delete_calendar_day(
    day: CalendarDay, *, actor: str, actor_label: str = "", ip: str | None = None
) -> None:
    """Remove one day (it becomes an ordinary day again); audited.

    A day that came from the package comes back with the next ``yiwang calendar seed`` of its
    year; to overrule the package, change the row instead.
    """
    with transaction.atomic():
        before = _snapshot(day)
        day.delete()
        audit.record(
            "calendar.day.delete",
            actor=actor,
            actor_label=actor_label,
            object_type="calendar_day",
            object_id=before["date"],
            before=before,
            ip=ip,
        )
