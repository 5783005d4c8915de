"""Review and publication of a guide version: submit → return or publish (动态管理,
"谁编制、谁维护": the implementing organisation drafts, a reviewer of that organisation or of
a region containing it reviews; guide ch. 4 (二) 5)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.catalog import freshness, rules, search
from yiwang.catalog.constants import EDITABLE_STATUSES, ItemStatus, VersionStatus
from yiwang.catalog.models import ItemVersion, ServiceItem
from yiwang.catalog.services._common import (
    Actor,
    actor_of,
    require_editable,
    require_editor,
    require_reviewer,
)
from yiwang.core.errors import Conflict, DomainError


def _status_change(who: Actor, action: str, version: ItemVersion, before: str, **extra) -> None:
    who.record(
        action,
        version,
        "item_version",
        before={"status": before},
        after={"status": version.status, "item": version.item_id, **extra},
    )


def _locked(version: ItemVersion) -> ItemVersion:
    """The version re-read under a row lock: two reviewers acting at once queue here."""
    return (
        ItemVersion.objects.select_for_update(of=("self",))
        .select_related("item__basic_item", "item__organization")
        .get(pk=version.pk)
    )


@transaction.atomic
def submit_for_review(version: ItemVersion, *, actor=None) -> ItemVersion:
    """The drafter hands a draft (or a returned draft) to review.

    The publishing rules are checked now too (:mod:`yiwang.catalog.rules`): a reviewer is not
    asked to review a guide that could not be published.
    """
    who = actor_of(actor)
    require_editor(who, version.item)
    version = _locked(version)
    require_editable(version)
    rules.require_publishable(version)
    before = version.status
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    if who.user is not None:
        version.drafted_by, version.drafted_by_name = who.user, str(who.user)
    version.save()
    _status_change(who, "catalog.submit", version, before)
    return version


@transaction.atomic
def return_draft(version: ItemVersion, *, actor=None, opinion: str) -> ItemVersion:
    """A reviewer sends a submitted version back to its drafter with the reason (required)."""
    who = actor_of(actor)
    version = _locked(version)
    require_reviewer(who, version)
    if version.status != VersionStatus.SUBMITTED:
        raise Conflict(
            f"{version}的状态为“{version.get_status_display()}”，只能退回待审核的版本",
            field="status",
        )
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError("退回时须填写审核意见，告诉编制人需要修改什么", field="review_opinion")
    _review(version, who, VersionStatus.RETURNED, opinion)
    version.save()
    _status_change(who, "catalog.return", version, VersionStatus.SUBMITTED, opinion=opinion)
    return version


def _review(version: ItemVersion, who: Actor, status: str, opinion: str) -> None:
    version.status = status
    version.review_opinion = opinion
    version.reviewed_by = who.user
    version.reviewed_by_name = "" if who.user is None else str(who.user)
    version.reviewed_at = timezone.now()


@transaction.atomic
def publish(version: ItemVersion, *, actor=None, opinion: str = "") -> ItemVersion:
    """A reviewer publishes a submitted version: it becomes the item's public guide.

    Refused, naming the rule, when a publishing rule is broken (:mod:`yiwang.catalog.rules`).
    The version takes the 事项类型 and 设定依据 of the 目录清单 item as they are now. The
    previously published version becomes 已被替代 (still readable, with its diff), the
    item's current version moves, and the search index follows in the same transaction. The
    system (``actor`` None: the demo loader, imports) may publish a draft directly.
    """
    who = actor_of(actor)
    version = _locked(version)
    require_reviewer(who, version)
    allowed = (VersionStatus.SUBMITTED,)
    if who.user is None:
        allowed += tuple(EDITABLE_STATUSES)
    if version.status not in allowed:
        raise Conflict(
            f"{version}的状态为“{version.get_status_display()}”，只能发布待审核的版本",
            field="status",
        )
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    if item.status != ItemStatus.ACTIVE:
        raise Conflict(f"事项{item}已取消，不能发布", field="status")
    rules.require_publishable(version)
    now = timezone.now()
    before = version.status
    previous = item.current_version
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
    _review(version, who, VersionStatus.PUBLISHED, (opinion or "").strip())
    # The guide carries the 目录清单's type and basis as they are now; a later change of the
    # catalogue reaches it only through its next publication (reviewed, with a diff).
    version.take_catalogue_facts()
    version.published_at = now
    version.save()
    item.current_version = version
    item.save(update_fields=["current_version"])
    _status_change(
        who,
        "catalog.publish",
        version,
        before,
        number=version.number,
        superseded=previous.number if previous else None,
    )
    search.reindex_item(item.id)
    freshness.bump()
    return version
