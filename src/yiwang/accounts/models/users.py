"""The user: one account per person (real name) or staff member, identifiers encrypted."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from yiwang.accounts.constants import RegistrationChannel, UserKind
from yiwang.core.fields import EncryptedTextField, blind_index_for
from yiwang.core.masking import mask_name, mask_person_id, mask_phone

__all__ = ["PURPOSE_ID_NUMBER", "PURPOSE_PHONE", "User"]

# Purposes bind a ciphertext and an index to one kind of value (yiwang.core.crypto).
PURPOSE_ID_NUMBER = "person_id"
PURPOSE_PHONE = "phone"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email="", password=None, **fields):
        fields.setdefault("kind", UserKind.STAFF)
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, email=email, **fields)

    def by_id_number(self, id_number: str):
        return self.filter(id_number_index=blind_index_for(id_number, PURPOSE_ID_NUMBER))

    def by_phone(self, phone: str):
        return self.filter(phone_index=blind_index_for(phone, PURPOSE_PHONE))


class User(AbstractBaseUser, PermissionsMixin):
    """A person (自然人, real-name verified) or a staff member (工作人员).

    An enterprise is not a user: it is an :class:`~yiwang.accounts.models.Enterprise` bound to its
    legal representative's personal account, and people act for it through delegation grants
    (REQUIREMENTS §2: "always bound to the legal representative's personal account").

    ``username`` is the login name of staff; persons sign in with their ID number or bound phone,
    found through the blind indexes, and get a generated ``username`` that reveals nothing.
    """

    # Stable public identifier: the OIDC ``sub`` claim and what URLs show, never the row id.
    uid = models.UUIDField("用户标识", default=uuid.uuid4, unique=True, editable=False)
    username = models.CharField("账号", max_length=150, unique=True)
    kind = models.CharField("用户类型", max_length=10, choices=UserKind, default=UserKind.PERSON)
    name = models.CharField("姓名", max_length=50, blank=True)
    id_number = EncryptedTextField("公民身份号码", purpose=PURPOSE_ID_NUMBER)
    id_number_index = models.CharField(
        "身份证号索引", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    phone = EncryptedTextField("绑定手机号", purpose=PURPOSE_PHONE)
    phone_index = models.CharField(
        "手机号索引", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)

    is_active = models.BooleanField("可用", default=True)
    is_staff = models.BooleanField("可进入管理后台", default=False)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    registration_channel = models.CharField(
        "注册渠道", max_length=10, choices=RegistrationChannel, default=RegistrationChannel.ONLINE
    )
    real_name_verified_at = models.DateTimeField("实名核验时间", null=True, blank=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=False)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)
    disabled_reason = models.CharField("停用原因", max_length=200, blank=True)
    # TOTP second factor (staff must use one): the shared secret is personal data too.
    totp_secret = EncryptedTextField("动态口令密钥", purpose="totp")
    totp_confirmed_at = models.DateTimeField("动态口令启用时间", null=True, blank=True)
    # The last TOTP time step accepted: a code is refused once used (replay guard, staff_auth).
    totp_last_step = models.BigIntegerField("动态口令最近使用时间片", null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ("email",)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        indexes = (models.Index(fields=["kind", "date_joined"]),)

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        # The indexes follow the encrypted values on every save, so they can never disagree.
        self.id_number_index = blind_index_for(self.id_number, PURPOSE_ID_NUMBER)
        self.phone_index = blind_index_for(self.phone, PURPOSE_PHONE)
        if kwargs.get("update_fields") is not None:
            fields = set(kwargs["update_fields"])
            if "id_number" in fields:
                fields.add("id_number_index")
            if "phone" in fields:
                fields.add("phone_index")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    @property
    def is_person(self) -> bool:
        return self.kind == UserKind.PERSON

    @property
    def display_name(self) -> str:
        """What lists and logs show: the masked name for persons, the name for staff."""
        if self.kind == UserKind.PERSON and self.name:
            return mask_name(self.name)
        return self.name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_person_id(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""
