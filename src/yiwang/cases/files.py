"""Housekeeping of stored material files.

A material is written to storage before its :class:`~yiwang.cases.models.StoredFile` row commits
(``services.store_file``). A process killed in between (a server restart mid-upload) leaves a file
no row points at; :func:`sweep` removes such files once they are old enough that no upload can
still be committing them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from yiwang.cases.models import StoredFile

__all__ = ["MATERIALS_DIR", "sweep"]

MATERIALS_DIR = "materials"


def _walk(storage, directory: str):
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for name in directories:
        yield from _walk(storage, f"{directory}/{name}")


def sweep(
    *, older_than: datetime.timedelta = datetime.timedelta(hours=1), dry_run=False
) -> list[str]:
    """Delete material files without a row, last modified before ``older_than`` ago; return them."""
    storage = StoredFile._meta.get_field("file").storage
    if not storage.exists(MATERIALS_DIR):
        return []
    cutoff = timezone.now() - older_than
    orphans = []
    for path in _walk(storage, MATERIALS_DIR):
        if storage.get_modified_time(path) > cutoff:
            continue
        if StoredFile.objects.filter(file=path).exists():
            continue
        orphans.append(path)
        if not dry_run:
            storage.delete(path)
    return orphans
