"""Code lists of the cases app: states, online modes, actions, delivery methods."""

from __future__ import annotations

from django.db import models

from yiwang.catalog.constants import OnlineDepth

__all__ = [
    "ACTION_LABELS",
    "ACTIVE_STATUSES",
    "DUE_SOON_WORKING_DAYS",
    "FINAL_STATUSES",
    "MODE_MAX_VISITS",
    "SUPPLEMENT_DAYS",
    "Action",
    "CaseStatus",
    "Decision",
    "DeliveryMethod",
    "MaterialState",
    "OnlineMode",
    "mode_for_depth",
]


class CaseStatus(models.TextChoices):
    """Where a case stands. The order is the order of the 最多跑一次 loop."""

    DRAFT = "draft", "草稿"
    PRE_REVIEW = "pre_review", "待预审"
    PENDING_ACCEPTANCE = "pending", "待受理"
    SUPPLEMENT = "supplement", "补正中"
    REVIEWING = "reviewing", "待审查"
    DECIDING = "deciding", "待决定"
    DELIVERING = "delivering", "待送达"
    IN_TRANSIT = "in_transit", "送达中"
    COMPLETED = "completed", "已办结"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"


FINAL_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.NOT_ACCEPTED, CaseStatus.WITHDRAWN})
# Submitted and not finished: what queues, clocks and supervision look at.
ACTIVE_STATUSES = tuple(s for s in CaseStatus if s not in FINAL_STATUSES and s != CaseStatus.DRAFT)


class OnlineMode(models.TextChoices):
    """The three ways an item is applied for online (REQUIREMENTS §2; seed 001 ch. 5 §(一)2(4)).

    Derived from the guide's 网上办理深度 (:func:`mode_for_depth`), so a guide and its cases never
    disagree about how many visits an applicant may be asked to make.
    """

    PRE_REVIEW = "pre_review", "原件预审"
    ORIGINALS_CHECK = "originals_check", "原件核验"
    FULLY_ONLINE = "fully_online", "全程网办"


# 原件预审: pre-review online, then the originals at the window (accept) and the result (≤ 2);
# 原件核验: accepted online, originals checked when the result is collected (≤ 1);
# 全程网办: never (result by post or electronically).
MODE_MAX_VISITS = {
    OnlineMode.PRE_REVIEW: 2,
    OnlineMode.ORIGINALS_CHECK: 1,
    OnlineMode.FULLY_ONLINE: 0,
}


def mode_for_depth(depth, *, fully_online: bool) -> OnlineMode | None:
    """The online mode of a guide with 网上办理深度 ``depth``; None when it cannot be applied for
    online at all (only 互联网咨询, or nothing)."""
    stages = set(depth or ())
    if fully_online:
        return OnlineMode.FULLY_ONLINE
    if OnlineDepth.ACCEPT in stages or OnlineDepth.HANDLE in stages:
        return OnlineMode.ORIGINALS_CHECK
    if OnlineDepth.PRE_REVIEW in stages or OnlineDepth.RECEIVE in stages:
        return OnlineMode.PRE_REVIEW
    return None


class Action(models.TextChoices):
    """Everything that can be done to a case; the event log names these."""

    SUBMIT = "submit", "提交申请"
    WITHDRAW = "withdraw", "撤回申请"
    PRE_REVIEW_PASS = "pre_review_pass", "预审通过"
    REQUEST_SUPPLEMENT = "request_supplement", "一次性告知补正"
    SUPPLEMENT = "supplement", "补正材料"
    NOT_ACCEPT = "not_accept", "不予受理"
    ACCEPT = "accept", "受理"
    RECORD_VISIT = "record_visit", "登记到现场"
    REVIEW = "review", "审查"
    DECIDE = "decide", "决定"
    CONCLUDE = "conclude", "办结"
    SHIP = "ship", "寄送"
    HAND_OVER = "hand_over", "窗口领取"
    DELIVER_ELECTRONICALLY = "deliver_electronically", "电子送达"
    CONFIRM_RECEIPT = "confirm_receipt", "签收"
    PAUSE = "pause", "暂停计时"
    RESUME = "resume", "恢复计时"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    APPROVE_EXTENSION = "approve_extension", "批准延期"
    REJECT_EXTENSION = "reject_extension", "不批准延期"


ACTION_LABELS = dict(Action.choices)


class Decision(models.TextChoices):
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", "窗口领取"
    EXPRESS = "express", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"


class MaterialState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "合格"
    TO_SUPPLEMENT = "to_supplement", "需补正"


# 行政许可法 第三十二条第一款第（四）项: incomplete materials are told once, "当场或者在五日内";
# the applicant gets this many working days to bring them (a platform default, shown on the
# notice; the item's own rules may say otherwise in a later version).
SUPPLEMENT_DAYS = 15

# "即将超期": this many working days or fewer left on the promised limit.
DUE_SOON_WORKING_DAYS = 2
