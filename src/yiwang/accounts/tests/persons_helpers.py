"""Test data and fixtures for person registration, sign-in and self-service tests.

The population library (人口库) is an external system's copy, so its rows are written directly,
as ``yiwang baselib import`` does; accounts are made through the services where the test is about
them, and directly (:func:`account`) where they are only the setting.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from yiwang.accounts.constants import UserKind
from yiwang.accounts.models import User
from yiwang.core.identifiers import generate_person_id
from yiwang.integrations.models import PopulationRecord

PASSWORD = "Zheli-ban-2026"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass(frozen=True)
class Citizen:
    name: str
    id_number: str
    phone: str
    bank_card: str
    social_security_card: str


def citizen(seed: int, *, name: str = "王晓明", phone: str | None = None) -> Citizen:
    """A person of the population library with a valid ID number, phone 1391234xxxx."""
    id_number = generate_person_id(random.Random(f"citizen:{seed}"), region="330203")
    person = Citizen(
        name=name,
        id_number=id_number,
        phone=phone or f"1391234{seed:04d}",
        bank_card=f"6222021001{seed:09d}",
        social_security_card=f"A{seed:08d}",
    )
    PopulationRecord.objects.create(
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        bank_card=person.bank_card,
        social_security_card=person.social_security_card,
        source="test",
    )
    return person


def account(person: Citizen, *, password: str = PASSWORD, **fields) -> User:
    """An account of ``person`` as registration leaves it; ``fields`` override."""
    values = {
        "kind": UserKind.PERSON,
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "real_name_verified_at": timezone.now(),
        **fields,
    }
    return User.objects.create_user(f"p{person.id_number[-8:]}", password, **values)


def ensure_agreement() -> None:
    """Put the seeded service agreement back: a transactional test (the browser journeys)
    empties every table afterwards, data migrations' rows too."""
    migration = importlib.import_module("yiwang.accounts.migrations.0002_seed_service_agreement")
    migration.seed(django_apps, None)


class Clock:
    """``django.utils.timezone.now`` frozen at a moment that moves only when told."""

    def __init__(self, monkeypatch, start: datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, timezone.now().replace(microsecond=0))


@pytest.fixture
def sms_outbox(settings):
    """SMS stay in the outbox (``yiwang.notifications.testing`` reads them); tasks run on
    commit in this process; passwords are hashed fast (argon2 is deliberately slow, and these
    tests hash hundreds of times — what is tested is the rule, not the hash)."""
    settings.SMS_BACKEND = "outbox"
    settings.TASKS = IMMEDIATE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
