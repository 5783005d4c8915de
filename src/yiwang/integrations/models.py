"""Local copies of the base libraries (基础库) that real-name checks compare against.

In a real deployment the population library belongs to the public-security department and the
legal-entity library to market regulation; the platform receives (or queries) them through the
data-sharing platform. These tables are the database-backed adapter of
:class:`yiwang.accounts.verification.RealNameVerifier`: filled by ``yiwang baselib import`` from
CSV exports and, for the demo, with synthetic records. Every identifier is encrypted at rest.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yiwang.core.fields import EncryptedTextField, blind_index_for

__all__ = ["LegalEntityRecord", "PopulationRecord"]


class PopulationRecord(models.Model):
    """One person of the population library (人口库)."""

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("公民身份号码", purpose="person_id")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    social_security_card = EncryptedTextField("社会保障卡号", purpose="ss_card")
    bank_card = EncryptedTextField("银行卡号", purpose="bank_card")
    housing_fund_account = EncryptedTextField("住房公积金账号", purpose="housing_fund")
    driving_licence_file = EncryptedTextField("驾驶证档案编号", purpose="driving_licence")
    phone = EncryptedTextField("登记手机号", purpose="phone")
    source = models.CharField("来源", max_length=50, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "人口库记录"
        verbose_name_plural = "人口库"

    def __str__(self) -> str:
        return f"人口库记录 {self.pk}"

    def save(self, *args, **kwargs):
        self.id_number_index = blind_index_for(self.id_number, "person_id")
        super().save(*args, **kwargs)


class LegalEntityRecord(models.Model):
    """One registered organisation of the legal-entity library (法人库)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "存续"
        REVOKED = "revoked", "吊销"
        CANCELLED = "cancelled", "注销"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    entity_type = models.CharField("主体类型", max_length=50, blank=True)
    status = models.CharField("登记状态", max_length=10, choices=Status, default=Status.ACTIVE)
    legal_representative_name = models.CharField("法定代表人", max_length=50)
    legal_representative_id_number = EncryptedTextField("法定代表人身份证号", purpose="person_id")
    legal_representative_index = models.CharField(max_length=64, editable=False, db_index=True)
    region_code = models.CharField("登记机关区划", max_length=12, blank=True)
    source = models.CharField("来源", max_length=50, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "法人库记录"
        verbose_name_plural = "法人库"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.legal_representative_index = (
            blind_index_for(self.legal_representative_id_number, "person_id") or ""
        )
        super().save(*args, **kwargs)
