"""Use cases of the regions app: importing 行政区划 and maintaining organisations, halls, windows
and village stations. Every write of this app goes through here.

Creating and upserting share one path: ``create_*`` refuses an existing natural key (409),
``upsert_*`` updates it. Both validate with :mod:`yiwang.regions.rules`, write only when something
changed, and record an audit event per created or changed row (DESIGN §3.4), so an import or
``yiwang demo`` run twice leaves the data and the audit trail as they were. The admin's forms,
which edit whole objects by id (and may rename them), use :func:`save_object` and
:func:`delete_object` — the same rules, the same write and the same events.

An event's ``before``/``after`` hold every stored value but the id (the event's object id);
a window's 受理部门 are in it as ``organizations``, the sorted ids of the bodies.
"""

from yiwang.regions.services._write import UpsertResult, delete_object, save_object
from yiwang.regions.services.divisions import ImportResult, import_regions
from yiwang.regions.services.halls import (
    create_hall,
    create_station,
    create_window,
    upsert_hall,
    upsert_station,
    upsert_window,
)
from yiwang.regions.services.organizations import create_organization, upsert_organization

__all__ = [
    "ImportResult",
    "UpsertResult",
    "create_hall",
    "create_organization",
    "create_station",
    "create_window",
    "delete_object",
    "import_regions",
    "save_object",
    "upsert_hall",
    "upsert_organization",
    "upsert_station",
    "upsert_window",
]
