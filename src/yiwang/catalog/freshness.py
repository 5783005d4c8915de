"""A stamp that changes whenever what the public sees of the catalogue changes.

Pages built from published guides may be cached (the guide page is read far more often than it
changes); they key their cache on :func:`generation`, so a publication or a retirement makes
every cached copy stale at once, in every web process of the machine, without a database query:
the stamp is a file's modification time in the data directory. (Several machines share it when
the data directory is shared storage; otherwise give the cache a shared backend and a short
lifetime.)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

__all__ = ["bump", "generation"]


def _stamp() -> Path:
    return Path(settings.DATA_DIR) / "catalog-published"


def generation() -> int:
    try:
        return os.stat(_stamp()).st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch() -> None:
    path = _stamp()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    path.write_text(str(now))
    # Two changes within the filesystem's timestamp resolution must still differ.
    previous = generation()
    os.utime(path, ns=(now, max(now, previous + 1)))


def bump() -> None:
    """Mark the public catalogue changed once the caller's transaction commits (a rolled-back
    publication leaves cached pages valid)."""
    transaction.on_commit(_touch)
