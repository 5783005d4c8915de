"""Code lists of the catalogue that are fixed by the national guide, not edited by operators.

The lists operators may correct (item types, themes) are tables (:mod:`yiwang.catalog.models`);
these are the vocabularies the rules and the workflow depend on, so they live in code.
Labels are the words of 《"互联网+政务服务"技术体系建设指南》 (seed 001, ch. 4 (二)).
"""

from __future__ import annotations

from django.db import models


class Audience(models.TextChoices):
    """服务对象 (guide ch. 2 §4 (二)); also who a theme is for."""

    PERSON = "person", "自然人"
    ENTERPRISE = "enterprise", "法人"


class CatalogueLevel(models.TextChoices):
    """The level of a 目录清单: national, provincial and city lists (guide ch. 4 (二) 1)."""

    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class ExerciseLevel(models.TextChoices):
    """行使层级, digit 19 of the 31-character 实施编码 (GB/T 39554.1-2020, REQUIREMENTS §5)."""

    NATIONAL = "1", "国家级"
    PROVINCE = "2", "省级"
    CITY = "3", "市级"
    COUNTY = "4", "县级"
    TOWNSHIP = "5", "乡级"


# regions.OrganizationLevel → 行使层级. Village committees implement no items of their own:
# their 代办点 accept on the township's behalf.
EXERCISE_LEVEL_OF_ORGANIZATION = {
    "national": ExerciseLevel.NATIONAL,
    "province": ExerciseLevel.PROVINCE,
    "city": ExerciseLevel.CITY,
    "county": ExerciseLevel.COUNTY,
    "township": ExerciseLevel.TOWNSHIP,
}


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    RETIRED = "retired", "已取消"


class VersionStatus(models.TextChoices):
    """A version's place in 动态管理: request → review → publish (guide ch. 4 (二) 5)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被替代"


# A drafter may still change these; the others are under review or history.
EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)
# Not yet published: an item has at most one such version at a time.
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)
# What the public may read: the current guide and the guides it replaced.
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


class HandlingForm(models.TextChoices):
    """办理形式."""

    WINDOW = "window", "窗口办理"
    ONLINE = "online", "网上办理"
    EXPRESS = "express", "快递申请"


class OnlineDepth(models.TextChoices):
    """网上办理深度: which stages happen on the internet (REQUIREMENTS §4)."""

    CONSULT = "consult", "互联网咨询"
    RECEIVE = "receive", "互联网收件"
    PRE_REVIEW = "pre_review", "互联网预审"
    ACCEPT = "accept", "互联网受理"
    HANDLE = "handle", "互联网办理"
    RESULT_FEEDBACK = "result_feedback", "互联网办理结果信息反馈"
    LICENSE_FEEDBACK = "license_feedback", "互联网电子证照反馈"


# 全程网办 (depth Ⅳ): application received, accepted and handled online and the result fed
# back online, so the applicant never needs to come (0 visits). The result itself may be an
# electronic licence or a paper one sent by post, so 电子证照反馈 is not required.
FULLY_ONLINE_DEPTH = frozenset(
    {OnlineDepth.RECEIVE, OnlineDepth.ACCEPT, OnlineDepth.HANDLE, OnlineDepth.RESULT_FEEDBACK}
)


def depth_level(depth) -> int:
    """The depth grade Ⅰ–Ⅳ as 1–4 (0: nothing online).

    Ⅰ consultation online; Ⅱ application received or pre-reviewed online; Ⅲ accepted online
    (the result or the originals still need a visit); Ⅳ 全程网办.
    """
    stages = set(depth)
    if stages >= FULLY_ONLINE_DEPTH:
        return 4
    if OnlineDepth.ACCEPT in stages:
        return 3
    if stages & {OnlineDepth.RECEIVE, OnlineDepth.PRE_REVIEW}:
        return 2
    return 1 if OnlineDepth.CONSULT in stages else 0


class HandlingScope(models.TextChoices):
    """通办范围: where else the item can be applied for (全城通办, 就近办)."""

    PROVINCE = "province", "全省"
    CITY = "city", "全市"
    COUNTY = "county", "全县"
    NONE = "none", "不通办"


class ResultType(models.TextChoices):
    """The kind of document the applicant receives (结果名称 names it, 结果样本 shows it)."""

    LICENSE = "license", "证照"
    APPROVAL = "approval", "批文"
    OTHER = "other", "其他"


class MaterialKind(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ELECTRONIC = "electronic", "电子材料"


class MaterialSource(models.TextChoices):
    """来源渠道: the guide asks to name the issuing department of another department's document,
    and how to reach an intermediary (seed 001 ch. 4 (二) 2 ①)."""

    APPLICANT = "applicant", "申请人自备"
    GOVERNMENT = "government", "政府部门核发"
    INTERMEDIARY = "intermediary", "中介机构"


class MaterialRequirement(models.TextChoices):
    ALWAYS = "always", "必要"
    CONDITIONAL = "conditional", "视情形提供"


class StepRole(models.TextChoices):
    """The roles of the 审查工作细则: 收件人、受理人、审查人、决定人、送件人 (REQUIREMENTS §4)."""

    RECEIVE = "receive", "收件"
    ACCEPT = "accept", "受理"
    REVIEW = "review", "审查"
    DECIDE = "decide", "决定"
    DELIVER = "deliver", "送达"


class ReviewMethod(models.TextChoices):
    """审查方式 listed by the guide (seed 001 ch. 4 (二) 3 (2) 审查)."""

    WRITTEN = "written", "书面审查"
    ON_SITE = "on_site", "实地核查"
    TENDER = "tender", "招标与拍卖"
    INSPECTION = "inspection", "检验、检测、检疫、鉴定、考试、考核"
    EXPERT = "expert", "专家评审"
    TECHNICAL = "technical", "技术审查"
    HEARING = "hearing", "听证"
    STAKEHOLDERS = "stakeholders", "听取利害关系人意见"
    COLLECTIVE = "collective", "集体审查"
    OTHER = "other", "法律、法规或规章规定的其他审查方式"
