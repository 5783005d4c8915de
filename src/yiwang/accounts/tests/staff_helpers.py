"""Test data for the staff part: two counties, a window in each, staff with roles, persons.

``world`` builds 海曙 and 余姚 each with a department, a hall and a window, a 窗口受理员 and a
部门管理员; plus a platform-wide 平台管理员, 安全管理员 and 审计员. Persons are linked to an
organisation the way window registration links them (``PersonBusiness``).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from yiwang.accounts.constants import Role, UserKind
from yiwang.accounts.models import PersonBusiness, User
from yiwang.accounts.permissions import grant_role
from yiwang.accounts.services.staff_auth import STAFF_VERIFIED_SESSION_KEY
from yiwang.core.identifiers import generate_person_id
from yiwang.regions.models import Organization, Window
from yiwang.regions.tests.factories import (
    OrganizationFactory,
    ServiceHallFactory,
    WindowFactory,
    ensure_region,
)

HAISHU = "330203000000"
YUYAO = "330281000000"
STAFF_PASSWORD = "Staff-Pass-2026"

_phones = iter(range(1000, 9999))


@functools.cache
def _password_hash() -> str:
    # argon2 with Django's parameters takes a good part of a second: hash once per run.
    return make_password(STAFF_PASSWORD)


def staff(username: str, name: str = "王五", *roles) -> User:
    """A staff account with ``roles``: (role, organization | None) pairs."""
    user = User.objects.create(
        username=username,
        password=_password_hash(),
        kind=UserKind.STAFF,
        name=name,
        phone=f"1370000{next(_phones):04d}",
    )
    for role, organization in roles:
        grant_role(user, role, organization=organization)
    return user


def person(seed: int, organization: Organization | None = None, *, name: str = "李四") -> User:
    """A person account; with ``organization``, registered at its window."""
    user = User.objects.create(
        username=f"p-test-{seed}",
        kind=UserKind.PERSON,
        name=name,
        id_number=generate_person_id(random.Random(f"staff-person:{seed}"), region="330203"),
        phone=f"1381234{seed:04d}",
        real_name_verified_at=timezone.now(),
    )
    if organization is not None:
        PersonBusiness.objects.create(
            person=user,
            organization=organization,
            basis=PersonBusiness.Basis.WINDOW_REGISTRATION,
        )
    return user


def enrol(user: User) -> pyotp.TOTP:
    """Give ``user`` a confirmed TOTP secret; return the generator of its codes."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return pyotp.TOTP(user.totp_secret)


def sign_in_staff(client, user: User):
    """A client signed in as ``user`` with both factors passed (as the back office leaves it)."""
    client.force_login(user)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = user.pk
    session.save()
    return client


@dataclass
class County:
    organization: Organization
    window: Window
    clerk: User
    admin: User


@dataclass
class World:
    haishu: County
    yuyao: County
    platform_admin: User
    security_admin: User
    auditor: User


def _county(key: str, region: str, clerk_name: str, admin_name: str) -> County:
    organization = OrganizationFactory(region=region, name=f"{key}市场监督管理局")
    hall = ServiceHallFactory(region=region, name=f"{key}行政服务中心")
    window = WindowFactory(hall=hall, organizations=[organization], name="综合受理窗口")
    clerk = staff(f"{key}-clerk", clerk_name, (Role.WINDOW_CLERK, organization))
    admin = staff(f"{key}-admin", admin_name, (Role.DEPARTMENT_ADMIN, organization))
    return County(organization, window, clerk, admin)


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    return build_world()


def build_world() -> World:
    ensure_region(HAISHU)
    ensure_region(YUYAO)
    return World(
        haishu=_county("haishu", HAISHU, "陈窗口", "周管理"),
        yuyao=_county("yuyao", YUYAO, "余窗口", "姚管理"),
        platform_admin=staff("platform", "平台甲", (Role.PLATFORM_ADMIN, None)),
        security_admin=staff("security", "安全乙", (Role.SECURITY_ADMIN, None)),
        auditor=staff("auditor", "审计丙", (Role.AUDITOR, None)),
    )
