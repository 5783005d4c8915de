"""A case's time limits in working days (``core.workdays``).

- Before acceptance: 行政许可法 第三十二条 — incomplete materials must be told "当场或者在五日内",
  otherwise the application counts as accepted from receipt; so a submitted case is due for its
  acceptance decision :data:`ACCEPTANCE_DAYS` working days after submission.
- From acceptance: the promised limit (承诺时限) and the statutory one (法定时限), counted from the
  day after acceptance (the day of acceptance does not count, ``core.workdays``), lengthened by
  every pause (补正 and other pauses with a reason; 行政许可法 第四十五条 excludes such periods) and
  every approved extension (第四十二条).

``due_on`` therefore always holds the next deadline the case must meet; while the clock is paused
it is kept but not counted as overdue.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from yiwang.core import workdays

__all__ = ["ACCEPTANCE_DAYS", "local_date", "recompute", "remaining_working_days"]

ACCEPTANCE_DAYS = 5


def local_date(moment: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(moment or timezone.now())


def recompute(case) -> None:
    """Set ``case.due_on`` and ``case.statutory_due_on`` from its dates (not saved)."""
    if case.clock_started_on is None:
        case.statutory_due_on = None
        if case.submitted_at is None:
            case.due_on = None
        else:
            case.due_on = workdays.add_working_days(
                local_date(case.submitted_at), ACCEPTANCE_DAYS + case.paused_days
            )
        return
    extra = case.paused_days + case.extension_days
    case.due_on = workdays.add_working_days(case.clock_started_on, case.promised_days + extra)
    case.statutory_due_on = (
        workdays.add_working_days(case.clock_started_on, case.statutory_days + extra)
        if case.statutory_days is not None
        else None
    )


def remaining_working_days(case, *, today: datetime.date | None = None) -> int | None:
    """Working days left until ``case.due_on`` (0 on the day itself, negative when overdue);
    None when no deadline runs (closed, or not submitted)."""
    if case.due_on is None or case.closed_at is not None or case.concluded_at is not None:
        return None
    today = today or local_date()
    return workdays.working_days_between(today, case.due_on)
