"""Key rotation of personal data at rest: ``yiwang crypto rotate`` and ``yiwang crypto check``.

Every :class:`~yiwang.core.fields.EncryptedTextField` of every installed model is found through
the app registry (users, population and legal-entity records, the SMS outbox, …), so a new
encrypted column is rotated without anybody remembering to list it. Rotation reads and writes the
ciphertext column directly, in batches of primary keys, each batch in its own transaction:

* no model ``save()`` runs, so nothing else changes (no blind-index recomputation, no
  ``auto_now``, no signals), and an interrupted run simply continues where it stopped —
  rows already on the current key are skipped;
* the associated data (purpose) is kept: a value is decrypted with its old key and purpose and
  encrypted again with the first key of ``YIWANG_DATA_KEYS`` and the same purpose.

The procedure (see ``yiwang.core.crypto``): put the new key first in ``YIWANG_DATA_KEYS``, run
``yiwang crypto rotate``, check with ``yiwang crypto check`` that nothing is left on the old key,
then remove the old key. The run is audited (``crypto.rotate``) with the counts per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from yiwang.core import audit, crypto
from yiwang.core.fields import EncryptedTextField

__all__ = ["ColumnReport", "check", "encrypted_columns", "rotate"]

DEFAULT_BATCH = 500


@dataclass
class ColumnReport:
    """One encrypted column: how many values it holds and how many are not on the current key
    (``stale``) — or, after :func:`rotate`, how many were re-encrypted (``rotated``)."""

    label: str  # "accounts.User.id_number"
    total: int = 0
    stale: int = 0
    rotated: int = 0
    unreadable: int = 0


def encrypted_columns() -> Iterator[tuple[type, EncryptedTextField]]:
    """Every (model, field) pair with an encrypted column, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _batches(model, field, batch: int) -> Iterator[list[tuple[object, str]]]:
    """(pk, ciphertext) of non-empty values, ``batch`` at a time, in primary-key order."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    column = qn(field.column)
    last = None
    while True:
        where = f"{column} IS NOT NULL AND {column} <> ''"
        params: list[object] = []
        if last is not None:
            where += f" AND {pk} > %s"
            params.append(last)
        sql = f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s"  # noqa: S608 (quoted identifiers)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def check(*, batch: int = DEFAULT_BATCH) -> list[ColumnReport]:
    """Count, per encrypted column, the values not encrypted with the current key."""
    reports = []
    for model, field in encrypted_columns():
        report = ColumnReport(f"{model._meta.label}.{field.name}")
        for rows in _batches(model, field, batch):
            report.total += len(rows)
            report.stale += sum(1 for _pk, token in rows if crypto.needs_rotation(token))
        reports.append(report)
    return reports


def rotate(
    *,
    batch: int = DEFAULT_BATCH,
    actor: str = "system",
    progress: Callable[[ColumnReport], None] | None = None,
) -> list[ColumnReport]:
    """Re-encrypt every value not on the current key with the current key; return the counts.

    A value that no configured key decrypts is counted as ``unreadable`` and left alone (it
    needs the old key back, not a silent loss). ``progress`` is called after every batch.
    """
    qn = connection.ops.quote_name
    key_id = crypto.current_key_id()
    reports = []
    for model, field in encrypted_columns():
        report = ColumnReport(f"{model._meta.label}.{field.name}")
        table, pk, column = (
            qn(model._meta.db_table),
            qn(model._meta.pk.column),
            qn(field.column),
        )
        update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
        for rows in _batches(model, field, batch):
            report.total += len(rows)
            with transaction.atomic(), connection.cursor() as cursor:
                for pk_value, token in rows:
                    if not crypto.needs_rotation(token):
                        continue
                    report.stale += 1
                    try:
                        plain = crypto.decrypt(token, field.purpose)
                    except crypto.CryptoError:
                        report.unreadable += 1
                        continue
                    # Guarded by the old ciphertext: a row changed meanwhile keeps its new value.
                    cursor.execute(update, [crypto.encrypt(plain, field.purpose), pk_value, token])
                    report.rotated += cursor.rowcount
            if progress is not None:
                progress(report)
        reports.append(report)
    with transaction.atomic():
        audit.record(
            "crypto.rotate",
            actor=actor,
            object_type="data_keys",
            object_id=key_id,
            after={
                "key": key_id,
                "columns": {
                    r.label: {"total": r.total, "rotated": r.rotated, "unreadable": r.unreadable}
                    for r in reports
                },
            },
        )
    return reports
