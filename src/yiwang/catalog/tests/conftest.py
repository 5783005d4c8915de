"""Fixtures of the catalogue tests: departments at four levels, editors and reviewers."""

import random

import pytest

from yiwang.core.identifiers import generate_uscc
from yiwang.regions.tests.factories import OrganizationFactory, ensure_region

from .factories import BasicItemFactory, StaffFactory

ZHEJIANG, NINGBO, HAISHU, YUYAO = "330000000000", "330200000000", "330203000000", "330281000000"


def fixed_uscc(seed: str, region: str) -> str:
    return generate_uscc(random.Random(seed), region=region[:6], authority="1", category="1")


@pytest.fixture
def orgs(db):
    """Market regulators of Zhejiang, Ningbo, Haishu and Yuyao, with fixed USCCs."""
    for code in (HAISHU, YUYAO):
        ensure_region(code)
    made = {}
    for key, region, name in (
        ("zhejiang", ZHEJIANG, "浙江省市场监督管理局"),
        ("ningbo", NINGBO, "宁波市市场监督管理局"),
        ("haishu", HAISHU, "宁波市海曙区市场监督管理局"),
        ("yuyao", YUYAO, "余姚市市场监督管理局"),
    ):
        made[key] = OrganizationFactory(
            region=region, name=name, uscc=fixed_uscc(key, region), phone="0574-88880000"
        )
    return made


@pytest.fixture
def basic(db):
    return BasicItemFactory(code="000117009000", name="食品经营许可")


@pytest.fixture
def editor(orgs):
    return StaffFactory(username="editor", name="张编制", editor_of=orgs["haishu"])


@pytest.fixture
def reviewer(orgs):
    """A 事项审核员 for Ningbo (the city and every region below it)."""
    from yiwang.regions.models import Region

    return StaffFactory(
        username="reviewer", name="李审核", reviewer_of_region=Region.objects.get(code=NINGBO)
    )
