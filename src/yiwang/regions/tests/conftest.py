"""Fixtures of the regions tests: the committed extract, and a few bodies of Haishu and Ningbo."""

import random

import pytest

from yiwang.core.identifiers import generate_uscc
from yiwang.regions import services
from yiwang.regions.division import read_extract
from yiwang.regions.models import Organization


@pytest.fixture(scope="session")
def extract_rows():
    return read_extract()


@pytest.fixture
def regions(db, extract_rows):
    """The 3 306 regions of the committed extract."""
    return services.import_regions(extract_rows)


def uscc(seed: str, region: str) -> str:
    return generate_uscc(random.Random(seed), region=region, authority="1", category="1")


@pytest.fixture
def bodies(regions) -> dict[str, Organization]:
    """Ningbo's and Haishu's governments and market regulators, a Haishu street office."""

    def make(key, region, name, level, kind, parent=None):
        made[key] = services.create_organization(
            region=region,
            name=name,
            uscc=uscc(key, region[:6]),
            level=level,
            kind=kind,
            parent=parent,
        )

    made: dict[str, Organization] = {}
    make("ningbo", "330200000000", "宁波市人民政府", "city", "government")
    make(
        "ningbo_market",
        "330200000000",
        "宁波市市场监督管理局",
        "city",
        "department",
        made["ningbo"],
    )
    make("haishu", "330203000000", "宁波市海曙区人民政府", "county", "government", made["ningbo"])
    make(
        "haishu_market",
        "330203000000",
        "宁波市海曙区市场监督管理局",
        "county",
        "department",
        made["haishu"],
    )
    make(
        "nanmen",
        "330203001000",
        "宁波市海曙区南门街道办事处",
        "township",
        "subdistrict_office",
        made["haishu"],
    )
    make("yuyao", "330281000000", "余姚市人民政府", "county", "government", made["ningbo"])
    return made
