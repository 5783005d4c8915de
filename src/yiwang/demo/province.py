"""The demo province: Zhejiang's regions, Ningbo's government bodies, halls, windows, stations.

Everything goes through ``yiwang.regions.services`` and is upserted by natural key (region +
name, hall + window number), so a second run finds every row as it should be and writes
nothing. Identifiers are deterministic: each body's 统一社会信用代码 is drawn from
``random.Random("<6-digit region>:<name>")`` — registration authority 1 (机构编制), category 1
(机关), the body's own region in positions 3–8 — so every run, on every machine, gives the same
codes and other loaders may rely on them.

Department names follow the naming of each level: province bodies are 厅 or 委员会 (but
浙江省市场监督管理局, 医疗保障局), city and county bodies 局 (the county health body is a
卫生健康局, the city's a 委员会). Some county-level bodies are branches of the city body
(派出机构): the police of Ningbo's districts (宁波市公安局海曙分局), natural resources and
planning in the districts (宁波市自然资源和规划局海曙分局), and ecology and environment everywhere
after the vertical reform of environmental agencies (宁波市生态环境局余姚分局). Tax bureaus are
vertical bodies of 国家税务总局; Ningbo, a city with independent planning status (计划单列市),
reports to the national administration directly, not to the Zhejiang bureau.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from yiwang.core.identifiers import generate_uscc
from yiwang.demo.base import Tally
from yiwang.regions import services
from yiwang.regions.division import read_extract
from yiwang.regions.models import (
    Organization,
    OrganizationKind,
    Region,
    ServiceHall,
    WindowKind,
)
from yiwang.regions.services import import_regions

__all__ = [
    "DEPARTMENTS",
    "NINGBO",
    "ZHEJIANG",
    "department_name",
    "load_halls",
    "load_organizations",
    "load_regions",
    "load_stations",
    "organization_for",
    "organization_uscc",
]

ZHEJIANG = "330000000000"
NINGBO = "330200000000"
# Counties whose townships get a 便民服务中心 and whose villages get 便民服务站: Haishu and Yuyao
# are the two ends of the seeds' 全城通办 example (a Haishu resident served at a Yuyao station).
STATION_COUNTIES = ("330203000000", "330281000000")

NATIONAL_USCC_REGION = "100000"  # positions 3–8 of central bodies' USCCs
HALL_HOURS = "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"
TOWNSHIP_HALL_HOURS = "周一至周五 8:30–12:00，13:30–17:00（法定节假日除外）"
HOTLINE = "12345"  # 政务服务便民热线, the one number of every city


@dataclass(frozen=True)
class Department:
    """A kind of government body and what it is called at each level (None: not at that level).

    ``county_branch``: at county level the body is a branch of the city body — in the districts
    only (``"districts"``) or in every county (``"all"``).
    """

    key: str
    kind: str
    province: str | None
    city: str | None
    county: str | None
    county_branch: str | None = None


_G = OrganizationKind.GOVERNMENT
_D = OrganizationKind.DEPARTMENT
_H = OrganizationKind.HALL_MANAGEMENT
_V = OrganizationKind.VERTICAL

DEPARTMENTS = (
    Department("government", _G, "人民政府", "人民政府", "人民政府"),
    Department("development", _D, "发展和改革委员会", "发展和改革委员会", "发展和改革局"),
    Department("education", _D, "教育厅", "教育局", "教育局"),
    Department("public_security", _D, "公安厅", "公安局", "公安局", "districts"),
    Department("civil_affairs", _D, "民政厅", "民政局", "民政局"),
    Department("justice", _D, "司法厅", "司法局", "司法局"),
    Department("finance", _D, "财政厅", "财政局", "财政局"),
    Department(
        "human_resources",
        _D,
        "人力资源和社会保障厅",
        "人力资源和社会保障局",
        "人力资源和社会保障局",
    ),
    Department(
        "natural_resources", _D, "自然资源厅", "自然资源和规划局", "自然资源和规划局", "districts"
    ),
    Department("ecology", _D, "生态环境厅", "生态环境局", "生态环境局", "all"),
    Department("housing", _D, "住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局"),
    Department("transport", _D, "交通运输厅", "交通运输局", "交通运输局"),
    Department("agriculture", _D, "农业农村厅", "农业农村局", "农业农村局"),
    Department("commerce", _D, "商务厅", "商务局", "商务局"),
    Department("health", _D, "卫生健康委员会", "卫生健康委员会", "卫生健康局"),
    Department("veterans", _D, "退役军人事务厅", "退役军人事务局", "退役军人事务局"),
    Department("emergency", _D, "应急管理厅", "应急管理局", "应急管理局"),
    Department("market", _D, "市场监督管理局", "市场监督管理局", "市场监督管理局"),
    Department("medical_security", _D, "医疗保障局", "医疗保障局", "医疗保障局"),
    Department("data", _D, "数据局", "数据局", None),
    Department("service_office", _H, None, "政务服务管理办公室", "政务服务管理办公室"),
    # "国家税务总局" + region + "税务局": the name is built in department_name().
    Department("tax", _V, "税务局", "税务局", "税务局"),
)
_BY_KEY = {d.key: d for d in DEPARTMENTS}

# Departments whose items the 综合受理 windows of a city or county hall accept (一窗受理); the
# others have their own windows (公安, 税务, 不动产登记, 社保, 医保) or no items at the hall.
COMPREHENSIVE = (
    "development",
    "education",
    "civil_affairs",
    "justice",
    "housing",
    "transport",
    "agriculture",
    "commerce",
    "health",
    "veterans",
    "emergency",
    "market",
    "ecology",
)
# (number, name, kind, department keys) of every city and county hall.
HALL_WINDOWS = (
    *((f"A{n:02d}", "综合受理窗口", WindowKind.COMPREHENSIVE, COMPREHENSIVE) for n in range(1, 7)),
    ("B01", "公安专窗", WindowKind.DEPARTMENT, ("public_security",)),
    ("B02", "税务专窗", WindowKind.DEPARTMENT, ("tax",)),
    # 不动产登记 "一窗受理": registration, the transfer taxes and the housing contract together.
    ("B03", "不动产登记专窗", WindowKind.DEPARTMENT, ("natural_resources", "tax", "housing")),
    ("B04", "社会保险专窗", WindowKind.DEPARTMENT, ("human_resources",)),
    ("B05", "医疗保障专窗", WindowKind.DEPARTMENT, ("medical_security",)),
    ("C01", "帮办代办窗口", WindowKind.HELP, ("service_office",)),
    ("D01", "出件窗口", WindowKind.DELIVERY, ("service_office",)),
    ("E01", "咨询导办台", WindowKind.CONSULTATION, ("service_office",)),
)
# What a township 便民服务中心 accepts on behalf of the county's departments.
TOWNSHIP_DEPARTMENTS = (
    "civil_affairs",
    "human_resources",
    "medical_security",
    "health",
    "veterans",
)


# --- names -----------------------------------------------------------------------------------


def official_prefix(region: Region) -> str:
    """How a body's name starts: 浙江省…, 宁波市…, 宁波市海曙区… (districts carry their city),
    余姚市…, 象山县…."""
    if region.level == "county" and region.name.endswith("区"):
        return region.parent.name + region.name
    return region.name


def _short_region(region: Region) -> str:
    # 海曙区 → 海曙, 余姚市 → 余姚: the form a branch's name uses (宁波市公安局海曙分局).
    return region.name[:-1]


def department_name(region: Region, key: str) -> str | None:
    """The name of department ``key`` in ``region`` (None if there is none at that level)."""
    department = _BY_KEY[key]
    suffix = getattr(department, region.level)
    if suffix is None:
        return None
    if key == "tax":
        return f"国家税务总局{official_prefix(region)}{suffix}"
    if region.level == "county" and _is_branch(department, region):
        return f"{department_name(region.parent, key)}{_short_region(region)}分局"
    return official_prefix(region) + suffix


def _is_branch(department: Department, region: Region) -> bool:
    if department.county_branch == "all":
        return True
    return department.county_branch == "districts" and region.name.endswith("区")


def organization_uscc(region6: str, name: str) -> str:
    """The deterministic demo USCC of the body ``name`` whose region is ``region6``."""
    # Reproducible on purpose (the same codes on every run), not secret: hence not `secrets`.
    rng = random.Random(f"{region6}:{name}")  # noqa: S311
    return generate_uscc(rng, region=region6, authority="1", category="1")


# --- loaders ---------------------------------------------------------------------------------


def load_regions() -> list[Tally]:
    """Zhejiang to county level, Ningbo to village level, from the committed extract."""
    result = import_regions(read_extract(), source="demo")
    return [Tally("行政区划", "条", result.total, result.created, result.updated)]


class _Bodies:
    """Upserts bodies and remembers them by (region code, key) to set parents and windows."""

    def __init__(self) -> None:
        self.tally = Tally("实施机构", "个")
        self.by_key: dict[tuple[str | None, str], Organization] = {}

    def upsert(self, *, region, name, kind, key=None, parent=None) -> Organization:
        region6 = region.code[:6] if region is not None else NATIONAL_USCC_REGION
        result = services.upsert_organization(
            region=region,
            name=name,
            uscc=organization_uscc(region6, name),
            level=region.level if region is not None else "national",
            kind=kind,
            parent=parent,
        )
        self.tally.add(result)
        if key is not None:
            self.by_key[(region.code if region else None, key)] = result.obj
        return result.obj

    def get(self, region: Region | None, key: str) -> Organization:
        return self.by_key[(region.code if region else None, key)]

    def departments(self, region: Region, superior: Region | None) -> None:
        """The government of ``region`` and its departments; ``superior`` is the region above."""
        for department in DEPARTMENTS:
            name = department_name(region, department.key)
            if name is None:
                continue
            kind, parent = department.kind, None
            if department.key == "government":
                parent = self.get(superior, "government") if superior else None
            elif department.key == "tax":
                # County → the city's bureau; city (计划单列市) and province → 国家税务总局.
                parent = self.get(region.parent if region.level == "county" else None, "tax")
            elif region.level == "county" and _is_branch(department, region):
                kind, parent = OrganizationKind.BRANCH, self.get(region.parent, department.key)
            else:
                parent = self.get(region, "government")
            self.upsert(region=region, name=name, kind=kind, key=department.key, parent=parent)


def _townships(county: Region) -> list[Region]:
    return list(county.children.filter(level="township").order_by("code"))


def township_body_name(township: Region) -> str:
    """街道 → 办事处 (the county's agency), 镇/乡 → 人民政府: 宁波市海曙区南门街道办事处."""
    prefix = official_prefix(township.parent)
    if township.name.endswith("街道"):
        return f"{prefix}{township.name}办事处"
    return f"{prefix}{township.name}人民政府"


def load_organizations() -> list[Tally]:
    """国家税务总局, Zhejiang's and Ningbo's bodies, each Ningbo county's, and the street
    offices and township governments of Haishu and Yuyao."""
    bodies = _Bodies()
    bodies.upsert(region=None, name="国家税务总局", kind=_D, key="tax")
    zhejiang = Region.objects.get(code=ZHEJIANG)
    ningbo = Region.objects.select_related("parent").get(code=NINGBO)
    bodies.departments(zhejiang, None)
    bodies.departments(ningbo, zhejiang)
    for county in ningbo.children.select_related("parent").order_by("code"):
        bodies.departments(county, ningbo)
    for county_code in STATION_COUNTIES:
        county = Region.objects.select_related("parent").get(code=county_code)
        for township in _townships(county):
            township.parent = county  # spare official_prefix() a query
            kind = (
                OrganizationKind.SUBDISTRICT_OFFICE
                if township.name.endswith("街道")
                else OrganizationKind.GOVERNMENT
            )
            bodies.upsert(
                region=township,
                name=township_body_name(township),
                kind=kind,
                key="government",
                parent=bodies.get(county, "government"),
            )
    return [bodies.tally]


class _Directory:
    """The demo's bodies by (region, key), loaded with one query, for the later steps."""

    def __init__(self) -> None:
        self.by_name = {(o.region_id, o.name): o for o in Organization.objects.all()}

    def get(self, region: Region, key: str) -> Organization:
        if region.level == "township" and key == "government":
            name = township_body_name(region)
        else:
            name = department_name(region, key)
        return self.by_name[(region.code, name)]


def organization_for(region: Region, key: str) -> Organization:
    """The demo body ``key`` (a :data:`DEPARTMENTS` key) of ``region``, e.g. the 市场监督管理局
    of 海曙区: for loaders of other apps that attach items, staff or cases to bodies."""
    return _Directory().get(region, key)


def _hall_name(region: Region) -> str:
    return "宁波市行政服务中心" if region.code == NINGBO else f"{region.name}行政服务中心"


def load_halls() -> list[Tally]:
    """A 行政服务中心 with its windows for Ningbo and each county; a 便民服务中心 with three
    windows for each township of Haishu and Yuyao."""
    bodies = _Directory()
    halls, windows = Tally("政务服务大厅", "个"), Tally("窗口", "个")
    ningbo = Region.objects.select_related("parent").get(code=NINGBO)
    for region in [ningbo, *ningbo.children.select_related("parent").order_by("code")]:
        result = services.upsert_hall(
            region=region,
            name=_hall_name(region),
            organization=bodies.get(region, "service_office"),
            address=region.full_name,
            phone=HOTLINE,
            opening_hours=HALL_HOURS,
        )
        halls.add(result)
        for number, name, kind, keys in HALL_WINDOWS:
            windows.add(
                services.upsert_window(
                    hall=result.obj,
                    number=number,
                    name=name,
                    kind=kind,
                    organizations=[bodies.get(region, key) for key in keys],
                )
            )
    for county_code in STATION_COUNTIES:
        county = Region.objects.select_related("parent").get(code=county_code)
        served = [bodies.get(county, key) for key in TOWNSHIP_DEPARTMENTS]
        for township in _townships(county):
            township.parent = county
            result = services.upsert_hall(
                region=township,
                name=f"{township.name}便民服务中心",
                organization=bodies.get(township, "government"),
                address=township.full_name,
                phone=HOTLINE,
                opening_hours=TOWNSHIP_HALL_HOURS,
            )
            halls.add(result)
            for number, name, kind, organizations in (
                ("A01", "综合受理窗口", WindowKind.COMPREHENSIVE, served),
                ("A02", "综合受理窗口", WindowKind.COMPREHENSIVE, served),
                ("C01", "帮办代办窗口", WindowKind.HELP, [result.obj.organization]),
            ):
                windows.add(
                    services.upsert_window(
                        hall=result.obj,
                        number=number,
                        name=name,
                        kind=kind,
                        organizations=organizations,
                    )
                )
    return [halls, windows]


# (suffix in the statistics, what replaces it):
# "石碶村村委会" → "石碶村", "环河居民委员会" → "环河社区".
_COMMITTEE_SUFFIXES = (
    ("村村委会", "村"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("社区居委会", "社区"),
    ("社区居民委员会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
)


def station_name(village: Region) -> str:
    """The 便民服务站 of a village or community: "石碶村村委会" → "石碶村便民服务站"."""
    name = village.name
    for suffix, replacement in _COMMITTEE_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)] + replacement
            break
    return f"{name}便民服务站"


def load_stations() -> list[Tally]:
    """A 便民服务站 in every village and community of Haishu and Yuyao, attached to its
    township's 便民服务中心."""
    tally = Tally("便民服务站", "个")
    halls = {
        hall.region_id: hall
        for hall in ServiceHall.objects.filter(level="township").select_related("organization")
    }
    for county_code in STATION_COUNTIES:
        low, high = county_code[:6] + "000000", county_code[:6] + "999999"
        villages = Region.objects.filter(level="village", code__range=(low, high)).order_by("code")
        for village in villages:
            tally.add(
                services.upsert_station(
                    region=village,
                    name=station_name(village),
                    hall=halls.get(village.parent_id),
                    address=village.full_name,
                )
            )
    return [tally]
