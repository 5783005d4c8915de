"""The audit trail: record who did what, and prove afterwards that nobody rewrote it.

Every security-relevant change in the platform (an import, an account disabled, personal data
unmasked, a holiday corrected, …) is written with :func:`record`. Events are append-only and
chained: each row stores the SHA-256 of the previous row's hash plus its own canonical JSON, so
changing or deleting a row breaks the chain at that point, and :func:`verify` (``yiwang audit
verify``) names the first broken row.

Appending is serialised by locking the single :class:`~yiwang.core.models.AuditChainHead` row
inside the caller's transaction (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the IMMEDIATE
transaction already holds the database's write lock). Events therefore get consecutive ids
1, 2, 3, … and an event is kept only if the caller's transaction commits — an action that is
rolled back leaves no audit row, and no gap.

What the chain does and does not prove: it detects edits and deletions made with plain SQL, and
the head detects removal of the newest rows. Somebody who can write the database *and* recompute
every hash can forge a consistent chain; to catch that, copy the head hash printed by
``yiwang audit tail`` somewhere the database administrator cannot write (a daily report, a
timestamping service), and compare later.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from yiwang.core.models import GENESIS_HASH, AuditChainHead, AuditEvent

__all__ = ["VerifyResult", "record", "verify"]


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`; ``reason`` is the Chinese sentence shown to operators."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _as_json_value(value):
    # Store exactly what will be read back (dates → ISO text, Decimals → strings, int keys →
    # string keys), so the hash computed now equals the hash recomputed from the database later.
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _normalise_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    address = ipaddress.ip_address(ip.strip())
    if address.version == 6 and address.ipv4_mapped:
        # "::ffff:1.2.3.4" is an IPv4 client seen through a dual-stack socket.
        address = address.ipv4_mapped
    # The compressed text is what both databases return ("2001:0db8::0001" → "2001:db8::1"),
    # so the hash computed now matches the row read back later.
    return str(address)


def _lock_head() -> AuditChainHead:
    """Return the chain head locked for this transaction, creating it on first use."""
    head = AuditChainHead.objects.select_for_update().filter(pk=AuditChainHead.SINGLETON_ID).first()
    if head is not None:
        return head
    # No head yet (fresh database, or a test database that was flushed). Continue from the last
    # existing event, if any, so the chain stays linked.
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    try:
        with transaction.atomic():  # a savepoint: losing the creation race must not abort us
            return AuditChainHead.objects.create(
                id=AuditChainHead.SINGLETON_ID,
                last_id=last.id if last else 0,
                last_hash=last.hash if last else GENESIS_HASH,
            )
    except IntegrityError:
        return AuditChainHead.objects.select_for_update().get(pk=AuditChainHead.SINGLETON_ID)


def record(
    action: str,
    *,
    actor: str = "system",
    actor_label: str = "",
    acting_for: str = "",
    object_type: str = "",
    object_id: str | int = "",
    before=None,
    after=None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event to the chain and return it.

    ``actor`` identifies who acted (``user:42``, ``system``), ``acting_for`` the party they
    acted for (``enterprise:<USCC>``); ``before``/``after`` are JSON-serialisable snapshots
    (dates and Decimals are converted). Joins the caller's transaction: the event exists only if
    that transaction commits.
    """
    if not action:
        raise ValueError("audit action must not be empty")
    event = AuditEvent(
        actor=actor,
        actor_label=actor_label,
        acting_for=acting_for,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_as_json_value(before),
        after=_as_json_value(after),
        ip=_normalise_ip(ip),
    )
    with transaction.atomic():
        head = _lock_head()
        # Ids are assigned here, under the lock, rather than by the database sequence: they are
        # then consecutive (a PostgreSQL sequence skips values on rollback), so "第 N 条" is
        # the N-th event and the head's last_id says how many rows must exist.
        event.id = head.last_id + 1
        event.prev_hash = head.last_hash
        event.hash = event.compute_hash()
        event._chained = True
        event.save()
        head.last_id = event.id
        head.last_hash = event.hash
        head.save(update_fields=["last_id", "last_hash"])
    return event


def verify() -> VerifyResult:
    """Walk the chain in id order and report the first row that does not hold.

    Rows are streamed (``iterator(chunk_size=2000)``), so memory stays flat on any table size.
    The head is read first and only rows up to its last id are checked: rows appended while we
    walk belong to a later, still consistent, state.
    """
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_ID).first()
    rows = AuditEvent.objects.order_by("id")
    if head is not None:
        rows = rows.filter(id__lte=head.last_id)
    expected_prev = GENESIS_HASH
    last_id = 0
    checked = 0
    for event in rows.iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason=f"第 {event.id} 条记录之前缺失记录（前序哈希不符）",
            )
        if event.compute_hash() != event.hash:
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason=f"第 {event.id} 条记录内容被修改（哈希不符）",
            )
        expected_prev = event.hash
        last_id = event.id
        checked += 1

    if head is None:
        if checked:
            return VerifyResult(
                ok=False,
                checked=checked,
                reason="审计链头记录缺失，无法确认链尾记录是否完整",
            )
        return VerifyResult(ok=True, checked=0)
    if head.last_id > last_id:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken_id=last_id + 1,
            reason=f"链尾记录被删除：应到第 {head.last_id} 条，实到第 {last_id} 条",
        )
    if head.last_hash != expected_prev:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken_id=last_id or None,
            reason=f"链头与第 {last_id} 条记录不符（链头哈希被修改）",
        )
    return VerifyResult(ok=True, checked=checked)
