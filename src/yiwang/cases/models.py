"""办件 (:class:`Case`) and what hangs on it: materials, events, pauses, visits, the workflow.

A case keeps the catalogue version it was applied under (``version``), so a guide changed later
never changes what an applicant was asked for. History is data (DESIGN §3.4): every state change
writes a :class:`CaseEvent`; the timeline, the audit trail and supervision read those rows.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiwang.cases.constants import (
    Action,
    CaseStatus,
    Decision,
    DeliveryMethod,
    MaterialState,
    OnlineMode,
)
from yiwang.core.fields import EncryptedTextField

__all__ = [
    "Case",
    "CaseEvent",
    "CaseMaterial",
    "CasePause",
    "CaseWorkflow",
    "Extension",
    "ProcessDefinition",
    "StoredFile",
    "SupplementRequest",
    "Visit",
]


class StoredFile(models.Model):
    """One uploaded file, checked by content (``core.uploads``), owned by the person who uploaded
    it. ``in_drive`` files are listed in 我的材料 (the materials drive) for reuse in later
    applications; removing one from the drive only hides it — cases keep what they were given.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="stored_files",
    )
    name = models.CharField("文件名", max_length=100)
    label = models.CharField("材料名称", max_length=200, blank=True)
    kind = models.CharField("文件类型", max_length=8)
    content_type = models.CharField("内容类型", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    file = models.FileField("文件", upload_to="materials/%Y/%m/", max_length=255)
    in_drive = models.BooleanField("保存在我的材料", default=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "材料文件"
        verbose_name_plural = "材料文件"
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=["owner", "in_drive", "-created_at"], name="file_drive_idx"),
        )

    def __str__(self) -> str:
        return self.name


class ProcessDefinition(models.Model):
    """The BPMN process of one item version, generated from its 办理流程 steps when the first
    case is submitted under it (DESIGN §1: "a default process is generated from the item's steps").
    Stored, so a case always resumes on the definition it started with."""

    version = models.OneToOneField(
        "catalog.ItemVersion",
        verbose_name="事项版本",
        on_delete=models.PROTECT,
        related_name="process_definition",
    )
    process_id = models.CharField("流程标识", max_length=64)
    bpmn = models.TextField("BPMN 定义")
    # SpiffWorkflow's serialised spec: parsed once, reused for every case (a case's saved state
    # leaves it out, which keeps that row a few KB).
    spec = models.JSONField("解析后的流程")
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "办理流程定义"
        verbose_name_plural = "办理流程定义"

    def __str__(self) -> str:
        return f"{self.process_id}（版本 {self.version_id}）"


class Case(models.Model):
    """An application (办件) from its draft to its final state."""

    number = models.CharField(
        "办件编号", max_length=40, unique=True, null=True, blank=True, help_text="提交时生成"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="cases"
    )
    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="申请时的指南版本",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    handling_item = models.ForeignKey(
        "catalog.HandlingItem",
        verbose_name="办理情形",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField("办理模式", max_length=16, choices=OnlineMode.choices)
    status = models.CharField(
        "状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人（经办人）",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="申请单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The name the case is filed and found under: the person's, or the enterprise's when acting
    # for one. Kept on the case so lists and the public query need no join.
    applicant_name = models.CharField("申请人名称", max_length=200)
    # The application form's values (may hold ID numbers and phones): encrypted at rest.
    form_text = EncryptedTextField("申请表内容", purpose="case_form")
    accepting_org = models.ForeignKey(
        "regions.Organization",
        verbose_name="受理机构",
        on_delete=models.PROTECT,
        related_name="accepted_cases",
    )
    competent_org = models.ForeignKey(
        "regions.Organization",
        verbose_name="承办部门",
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    station = models.ForeignKey(
        "regions.ServiceStation",
        verbose_name="代办站点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "regions.Window",
        verbose_name="受理窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("申请渠道", max_length=16, default="web")
    # A page's submit button carries a one-time token: a double click files one case.
    submission_token = models.UUIDField("提交令牌", null=True, blank=True, unique=True)

    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    decision = models.CharField("决定", max_length=16, choices=Decision.choices, blank=True)
    decision_opinion = models.TextField("决定意见", blank=True)
    delivery_method = models.CharField(
        "送达方式", max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivery_address = EncryptedTextField("邮寄地址", purpose="case_address")
    carrier = models.CharField("承运方", max_length=50, blank=True)
    tracking_number = models.CharField("运单号", max_length=64, blank=True)

    visits = models.PositiveSmallIntegerField("到现场次数", default=0)
    max_visits = models.PositiveSmallIntegerField("最多到现场次数", default=0)
    over_visits = models.BooleanField("超过跑动次数", default=False)

    # --- time limits, in working days (core.workdays) ---
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）", default=0)
    statutory_days = models.PositiveSmallIntegerField("法定时限（工作日）", null=True, blank=True)
    clock_started_on = models.DateField("起算日", null=True, blank=True)
    paused_since = models.DateTimeField("暂停计时起", null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField("已暂停工作日", default=0)
    extension_days = models.PositiveSmallIntegerField("已批准延长工作日", default=0)
    due_on = models.DateField("承诺办结日", null=True, blank=True)
    statutory_due_on = models.DateField("法定办结日", null=True, blank=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ("-created_at", "-id")
        indexes = (
            # window queues: an organisation's cases in one state, oldest first
            models.Index(
                fields=["accepting_org", "status", "submitted_at"], name="case_accept_queue_idx"
            ),
            # department queues (待审查, 待决定)
            models.Index(
                fields=["competent_org", "status", "submitted_at"], name="case_handle_queue_idx"
            ),
            # 我的办件
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_idx"),
            models.Index(fields=["enterprise", "-created_at"], name="case_enterprise_idx"),
            # 即将超期 / 已超期
            models.Index(
                fields=["due_on"],
                condition=Q(due_on__isnull=False, closed_at__isnull=True),
                name="case_open_due_idx",
            ),
        )
        constraints = (
            models.CheckConstraint(
                name="case_number_after_draft",
                condition=Q(status=CaseStatus.DRAFT, number__isnull=True)
                | (~Q(status=CaseStatus.DRAFT) & Q(number__isnull=False)),
            ),
        )

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"

    @property
    def form(self) -> dict:
        return json.loads(self.form_text) if self.form_text else {}

    @form.setter
    def form(self, value: dict) -> None:
        self.form_text = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class CaseWorkflow(models.Model):
    """The SpiffWorkflow state of one case (without its spec, which lives on the definition)."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="workflow"
    )
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="+", verbose_name="流程定义"
    )
    state = models.JSONField("流程状态")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件流程状态"
        verbose_name_plural = "办件流程状态"

    def __str__(self) -> str:
        return f"{self.case_id}"


class CaseMaterial(models.Model):
    """What the applicant gave for one material of the guide (or an extra one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name="指南材料",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.ForeignKey(
        StoredFile, verbose_name="文件", on_delete=models.PROTECT, related_name="uses"
    )
    state = models.CharField(
        "审核状态", max_length=16, choices=MaterialState.choices, default=MaterialState.SUBMITTED
    )
    problem = models.CharField("存在问题", max_length=300, blank=True)
    attached_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ("case", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["case", "material"],
                condition=Q(material__isnull=False),
                name="casematerial_one_per_material",
            ),
        )

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """One step of a case: who did what, in which role and window, from which state to which,
    when the step became due (``started_at``) and when it was done (``ended_at``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=32, choices=Action.choices)
    step = models.CharField("流程环节", max_length=100, blank=True)
    from_status = models.CharField("原状态", max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("办理人姓名", max_length=150, blank=True)
    actor_role = models.CharField("办理角色", max_length=32, blank=True)
    organization = models.ForeignKey(
        "regions.Organization",
        verbose_name="办理机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "regions.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField("环节开始")
    ended_at = models.DateTimeField("环节结束", default=timezone.now)
    duration_seconds = models.PositiveIntegerField("用时（秒）", default=0)
    opinion = models.TextField("意见", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "办件环节"
        verbose_name_plural = "办件环节"
        ordering = ("case", "id")
        indexes = (models.Index(fields=["case", "id"], name="caseevent_case_idx"),)

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_action_display()}"


class SupplementRequest(models.Model):
    """一次性告知: every material to add or correct, told once
    (行政许可法 第三十二条第一款第（四）项)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supplements")
    document_number = models.CharField("文书编号", max_length=40)
    items = models.JSONField("补正内容", help_text="[{material_id, name, problem}]")
    note = models.TextField("说明", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="告知人"
    )
    requested_at = models.DateTimeField("告知时间", default=timezone.now)
    due_on = models.DateField("补正期限")
    return_status = models.CharField("补正后回到", max_length=16, choices=CaseStatus.choices)
    resolved_at = models.DateTimeField("补正时间", null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"
        ordering = ("case", "id")

    def __str__(self) -> str:
        return self.document_number


class CasePause(models.Model):
    """A stretch during which the time limit does not run (补正, 听证, 检验检测…)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("暂停原因", max_length=300)
    started_at = models.DateTimeField("开始", default=timezone.now)
    ended_at = models.DateTimeField("结束", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("暂停工作日", default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )

    class Meta:
        verbose_name = "暂停计时"
        verbose_name_plural = "暂停计时"
        ordering = ("case", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="casepause_one_open"
            ),
        )

    def __str__(self) -> str:
        return self.reason


class Extension(models.Model):
    """延长办理时限: asked with a reason, approved (or not) by a decider
    (行政许可法 第四十二条: 经本行政机关负责人批准，可以延长十日)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待批准"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不批准"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长工作日")
    reason = models.TextField("延期理由")
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准人",
    )
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    decision_note = models.TextField("批准意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ("case", "id")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class Visit(models.Model):
    """An on-site visit of the applicant, recorded by window staff (最多跑一次 is counted here)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_records")
    purpose = models.CharField("事由", max_length=100)
    window = models.ForeignKey(
        "regions.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    at = models.DateTimeField("到现场时间", default=timezone.now)

    class Meta:
        verbose_name = "到现场记录"
        verbose_name_plural = "到现场记录"
        ordering = ("case", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose}"
