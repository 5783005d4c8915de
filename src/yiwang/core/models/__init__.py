"""Models of the foundation app: audit events, working-day calendar, numbering sequences."""

from yiwang.core.models.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AppendOnlyError,
    AuditChainHead,
    AuditEvent,
)
from yiwang.core.models.calendar import (
    WEEKDAY_NAMES,
    CalendarDay,
    CalendarDayKind,
    CalendarDaySource,
)
from yiwang.core.models.numbering import Sequence

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "WEEKDAY_NAMES",
    "AppendOnlyError",
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "CalendarDayKind",
    "CalendarDaySource",
    "Sequence",
]
