"""Demo people: the synthetic base libraries, demo citizens with accounts, and demo staff.

* **Base libraries**: 10 000 synthetic persons (人口库) and 1 000 enterprises (法人库) whose legal
  representatives are among them, loaded through :func:`yiwang.integrations.importing
  .upsert_persons` / ``upsert_enterprises``. Names are drawn from common Chinese surnames and
  given-name characters; ID numbers use real Ningbo and Zhejiang county codes with valid birth
  dates and check characters; USCCs are valid (GB 32100-2015). Everything comes from seeded
  generators, so every run on every machine gives the same people and a second run writes
  nothing. The people are fictitious: any likeness to a real person's data is chance.
* **Demo citizens** (:data:`CITIZENS`): accounts whose real-name data is in the population
  library, the first the legal representative of a registered enterprise, the second and third
  there to try delegation (授权) with; the fourth has no account and is there to try online
  registration.
* **Demo staff** (:data:`STAFF`): one account per role of the back office, scoped to real demo
  organisations, each with the same documented TOTP secret (:data:`DEMO_TOTP_SECRET`) so that
  anybody can sign in with an authenticator app.

The passwords and the TOTP secret are published in README.md: **demo only** — a real
deployment never runs ``yiwang demo``.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth.hashers import make_password

from yiwang.accounts.constants import RegistrationChannel, Role, UserKind
from yiwang.accounts.models import Enterprise, User
from yiwang.accounts.permissions import ADMIN_SITE_ROLES, grant_role
from yiwang.accounts.services import provision_account, register_enterprise
from yiwang.core.identifiers import generate_person_id, generate_uscc
from yiwang.demo.base import Tally
from yiwang.demo.province import organization_for
from yiwang.integrations.importing import upsert_enterprises, upsert_persons
from yiwang.regions.models import Region, ServiceHall

__all__ = [
    "CITIZENS",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "ENTERPRISE_COUNT",
    "PERSON_COUNT",
    "STAFF",
    "DemoCitizen",
    "DemoStaff",
    "citizen_enterprise",
    "demo_enterprises",
    "demo_persons",
    "load_accounts",
    "load_base_libraries",
]

PERSON_COUNT = 10_000
ENTERPRISE_COUNT = 1_000

# Published in README.md. Demo only: anyone who reads the README can sign in with them.
DEMO_PASSWORD = "Yiwang-demo-2025"  # noqa: S105 -- published demo password
# Base32 (RFC 4648), 120 bits: what authenticator apps accept typed in by hand.
DEMO_TOTP_SECRET = "YIWANGDEMOTOTPSECRET2345"  # noqa: S105 -- published demo secret
# A fixed enrolment time, so that a second run of the demo leaves the accounts unchanged.
_TOTP_CONFIRMED_AT = datetime(2025, 1, 1, tzinfo=UTC)
_VERIFIED_AT = datetime(2025, 1, 1, tzinfo=UTC)

# Real county-level codes (GB/T 2260): Ningbo's districts and counties weighted heavily, some
# other Zhejiang counties for people who moved to Ningbo.
NINGBO_COUNTIES = (
    "330203",  # 海曙区
    "330205",  # 江北区
    "330206",  # 北仑区
    "330211",  # 镇海区
    "330212",  # 鄞州区
    "330213",  # 奉化区
    "330225",  # 象山县
    "330226",  # 宁海县
    "330281",  # 余姚市
    "330282",  # 慈溪市
)
OTHER_ZHEJIANG = (
    "330102",  # 杭州市上城区
    "330106",  # 杭州市西湖区
    "330302",  # 温州市鹿城区
    "330402",  # 嘉兴市南湖区
    "330502",  # 湖州市吴兴区
    "330602",  # 绍兴市越城区
    "330702",  # 金华市婺城区
    "331002",  # 台州市椒江区
)

# fmt: off
SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "方", "邵", "孟", "应", "虞", "竺", "俞", "毛", "鲍", "史", "柴", "欧阳", "上官",
)
GIVEN_CHARS = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉", "力", "鹏",
    "宇", "浩", "婷", "雪", "琳", "晨", "欣", "怡", "佳", "嘉", "俊", "博", "昊", "子", "梓", "涵",
    "睿", "思", "雨", "海", "波", "宁", "甬", "东", "凯", "晓", "燕", "春", "国", "志", "永", "林",
)
TRADE_NAMES = (
    "甬江", "天一", "四明", "月湖", "三江", "东钱", "慈城", "姚江", "河姆", "象山", "港城", "海曙",
    "鄞州", "北仑", "镇海", "明州", "春晓", "东方", "宏远", "恒达", "华信", "瑞丰", "金辰", "永诚",
    "鑫源", "博创", "嘉和", "新程", "远航", "启明", "卓越", "德润", "正泰", "中天", "海纳", "汇通",
)
INDUSTRIES = (
    "科技", "信息技术", "电子", "机械", "模具", "塑料制品", "家用电器", "服饰", "食品", "水产",
    "建材", "物流", "国际贸易", "餐饮管理", "文化传媒", "新材料", "汽车零部件", "环保工程",
)
ENTITY_TYPES = (
    ("有限责任公司", "有限公司", 70),
    ("股份有限公司", "股份有限公司", 5),
    ("个人独资企业", "商行", 10),
    ("合伙企业", "企业（有限合伙）", 5),
    ("个体工商户", "店", 10),
)
# fmt: on


@dataclass(frozen=True)
class DemoCitizen:
    """A fixed demo person; ``account`` False for the one left to register online."""

    name: str
    region: str
    birth_date: date
    sex: str
    phone: str
    account: bool = True

    @property
    def id_number(self) -> str:
        rng = random.Random(f"yiwang-demo-citizen:{self.phone}")  # noqa: S311
        return generate_person_id(rng, region=self.region, birth_date=self.birth_date, sex=self.sex)

    def factors(self) -> dict[str, str]:
        """The citizen's population-library record (the factors registration compares)."""
        digits = self.phone[-4:]
        return {
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "social_security_card": f"A{self.region[2:6]}{digits}",
            "bank_card": _luhn(f"622202{self.region}{digits}00"),
            "housing_fund_account": f"0574{self.region[4:6]}00{digits}",
            "driving_licence_file": f"3302{self.region[4:6]}00{digits}",
        }


CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen("陈明", "330203", date(1985, 6, 15), "男", "13805740001"),
    DemoCitizen("林静", "330212", date(1990, 3, 8), "女", "13805740002"),
    DemoCitizen("周杰", "330281", date(1995, 11, 20), "男", "13805740003"),
    DemoCitizen("吴芳", "330205", date(1988, 9, 1), "女", "13805740004", account=False),
)
CITIZEN_ENTERPRISE_NAME = "宁波甬江智能科技有限公司"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    name: str
    # (role, region code of the organisation or of the region scope, department key or None)
    roles: tuple[tuple[Role, str | None, str | None], ...]
    superuser: bool = False

    @property
    def edits_catalogue(self) -> bool:
        return any(role in ADMIN_SITE_ROLES for role, _, _ in self.roles)


_HS, _YY, _NB = "330203000000", "330281000000", "330200000000"
STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("admin", "平台管理员（演示）", ((Role.PLATFORM_ADMIN, None, None),), superuser=True),
    DemoStaff("anquan", "安全管理员（演示）", ((Role.SECURITY_ADMIN, None, None),)),
    DemoStaff("shenji", "审计员（演示）", ((Role.AUDITOR, None, None),)),
    DemoStaff("hs_market_admin", "钱海燕", ((Role.DEPARTMENT_ADMIN, _HS, "market"),)),
    DemoStaff("hs_window", "孙丽华", ((Role.WINDOW_CLERK, _HS, "service_office"),)),
    DemoStaff("yy_window", "俞建国", ((Role.WINDOW_CLERK, _YY, "service_office"),)),
    DemoStaff(
        "hs_market_editor",
        "郑晓燕",
        ((Role.CATALOG_EDITOR, _HS, "market"), (Role.CATALOG_EDITOR, _HS, "public_security")),
    ),
    DemoStaff(
        "hs_market_checker",
        "冯志刚",
        ((Role.CATALOG_REVIEWER, _HS, "market"), (Role.CATALOG_REVIEWER, _HS, "public_security")),
    ),
    DemoStaff("nb_hrss_editor", "何文静", ((Role.CATALOG_EDITOR, _NB, "human_resources"),)),
    DemoStaff("nb_hrss_checker", "蒋永明", ((Role.CATALOG_REVIEWER, _NB, "human_resources"),)),
    DemoStaff("yy_market_editor", "应佳怡", ((Role.CATALOG_EDITOR, _YY, "market"),)),
    DemoStaff("yy_market_checker", "虞国平", ((Role.CATALOG_REVIEWER, _YY, "market"),)),
    DemoStaff("hs_market_reviewer", "许海波", ((Role.REVIEWER, _HS, "market"),)),
    DemoStaff("hs_market_decider", "邵春华", ((Role.DECIDER, _HS, "market"),)),
)


def _luhn(body: str) -> str:
    """``body`` plus its Luhn check digit (bank card numbers carry one)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


# --- base libraries ------------------------------------------------------------------------


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def demo_persons() -> list[dict[str, str]]:
    """The synthetic population library: the demo citizens first, then random people."""
    rng = random.Random("yiwang-demo-people")  # noqa: S311 -- synthetic data, reproducible
    people = [citizen.factors() for citizen in CITIZENS]
    ids = {p["id_number"] for p in people}
    phones = {p["phone"] for p in people}
    counties = NINGBO_COUNTIES * 4 + OTHER_ZHEJIANG
    while len(people) < PERSON_COUNT:
        region = rng.choice(counties)
        person_id = generate_person_id(rng, region=region)
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        if person_id in ids or phone in phones:
            continue
        ids.add(person_id)
        phones.add(phone)
        has = rng.random
        people.append(
            {
                "name": _name(rng),
                "id_number": person_id,
                "phone": phone,
                "social_security_card": f"A{rng.randrange(10**8):08d}" if has() < 0.9 else "",
                "bank_card": _luhn(
                    f"62{rng.choice(('2202', '2848', '1700', '2588'))}{rng.randrange(10**12):012d}"
                )
                if has() < 0.95
                else "",
                "housing_fund_account": f"0574{rng.randrange(10**8):08d}" if has() < 0.6 else "",
                "driving_licence_file": f"{region[:4]}{rng.randrange(10**8):08d}"
                if has() < 0.5
                else "",
            }
        )
    return people


def citizen_enterprise() -> dict[str, str]:
    """The enterprise the first demo citizen represents (registered as a 法人用户 by the demo)."""
    citizen = CITIZENS[0]
    rng = random.Random("yiwang-demo-enterprise:citizen")  # noqa: S311
    return {
        "uscc": generate_uscc(rng, region=citizen.region),
        "name": CITIZEN_ENTERPRISE_NAME,
        "entity_type": "有限责任公司",
        "status": "active",
        "legal_representative_name": citizen.name,
        "legal_representative_id_number": citizen.id_number,
        "region_code": citizen.region + "000000",
    }


def demo_enterprises(persons: list[dict[str, str]]) -> list[dict[str, str]]:
    """The synthetic legal-entity library; every legal representative is one of ``persons``."""
    rng = random.Random("yiwang-demo-enterprises")  # noqa: S311
    enterprises = [citizen_enterprise()]
    usccs = {enterprises[0]["uscc"]}
    names = {enterprises[0]["name"]}
    adults = [p for p in persons[len(CITIZENS) :] if p["id_number"][6:10] <= "2004"]
    weights = [weight for _, _, weight in ENTITY_TYPES]
    while len(enterprises) < ENTERPRISE_COUNT:
        entity_type, suffix, _ = rng.choices(ENTITY_TYPES, weights)[0]
        region = rng.choice(NINGBO_COUNTIES)
        category = "2" if entity_type == "个体工商户" else "1"
        uscc = generate_uscc(rng, region=region, category=category)
        trade = rng.choice(TRADE_NAMES)
        name = f"宁波{trade}{rng.choice(INDUSTRIES)}{suffix}"
        if uscc in usccs or name in names:
            continue
        usccs.add(uscc)
        names.add(name)
        representative = rng.choice(adults)
        roll = rng.random()
        enterprises.append(
            {
                "uscc": uscc,
                "name": name,
                "entity_type": entity_type,
                "status": "active" if roll < 0.94 else ("revoked" if roll < 0.97 else "cancelled"),
                "legal_representative_name": representative["name"],
                "legal_representative_id_number": representative["id_number"],
                "region_code": region + "000000",
            }
        )
    return enterprises


def _tally(label: str, unit: str, result) -> Tally:
    return Tally(
        label,
        unit,
        total=result.total,
        created=result.created,
        updated=result.updated,
    )


def load_base_libraries() -> list[Tally]:
    """人口库 and 法人库: 10 000 persons and 1 000 enterprises, upserted in bulk."""
    persons = demo_persons()
    person_result = upsert_persons(persons, source="demo")
    enterprise_result = upsert_enterprises(demo_enterprises(persons), source="demo")
    return [
        _tally("人口库（合成）", "人", person_result),
        _tally("法人库（合成）", "家", enterprise_result),
    ]


# --- accounts ------------------------------------------------------------------------------


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once for every demo account: argon2 is slow on purpose (≈ 0.1 s a hash), and the
    # password is published anyway.
    return make_password(DEMO_PASSWORD)


def _upsert_user(user: User | None, fields: dict) -> tuple[User, bool, bool]:
    """Create the user with the demo password, or bring its fields back to ``fields``."""
    return provision_account(user, fields, password_hash=_demo_password_hash())


def _load_citizens(tally: Tally) -> list[User]:
    users = []
    for number, citizen in enumerate(c for c in CITIZENS if c.account):
        existing = User.objects.by_id_number(citizen.id_number).first()
        user, created, changed = _upsert_user(
            existing,
            {
                "username": existing.username if existing else f"demo-person-{number + 1}",
                "kind": UserKind.PERSON,
                "name": citizen.name,
                "id_number": citizen.id_number,
                "phone": citizen.phone,
                "registration_channel": RegistrationChannel.IMPORT,
                "real_name_verified_at": existing.real_name_verified_at
                if existing and existing.real_name_verified_at
                else _VERIFIED_AT,
            },
        )
        tally.total += 1
        tally.created += created
        tally.updated += changed
        users.append(user)
    return users


def _scope(region_code: str | None, key: str | None) -> dict:
    if region_code is None:
        return {}
    region = Region.objects.get(code=region_code)
    if key == "service_office":
        # A window clerk serves at the hall, for the organisation that runs it (window_posts).
        return {
            "organization": ServiceHall.objects.get(region=region, level=region.level).organization
        }
    return {"organization": organization_for(region, key)}


def _totp_confirmed_at_of(username: str):
    """Keep the enrolment time of an account that already has one (a second run changes
    nothing), else the demo's fixed time."""
    existing = User.objects.filter(username=username).values_list("totp_confirmed_at", flat=True)
    return next(iter(existing), None) or _TOTP_CONFIRMED_AT


def _load_staff(tally: Tally) -> None:
    for staff in STAFF:
        user, created, changed = _upsert_user(
            User.objects.filter(username=staff.username).first(),
            {
                "username": staff.username,
                "kind": UserKind.STAFF,
                "name": staff.name,
                "registration_channel": RegistrationChannel.ADMIN,
                # The catalogue is edited in the Django admin until the back office has its
                # pages: its editors and reviewers must be able to sign in there (as grant_role
                # marks them; said here too, so that a second run keeps it).
                "is_staff": staff.superuser or staff.edits_catalogue,
                "is_superuser": staff.superuser,
                "totp_secret": DEMO_TOTP_SECRET,
                # the demo's published TOTP secret counts as enrolled from the start
                "totp_confirmed_at": _totp_confirmed_at_of(staff.username),
            },
        )
        for role, region_code, key in staff.roles:
            grant_role(user, role, **_scope(region_code, key))
        tally.total += 1
        tally.created += created
        tally.updated += changed


def load_accounts() -> list[Tally]:
    """Demo citizens (one with a registered enterprise) and demo staff with their roles."""
    people = Tally("演示市民账号", "个")
    staff = Tally("演示工作人员账号", "个")
    enterprises = Tally("演示法人用户", "家")
    representative = _load_citizens(people)[0]
    record = citizen_enterprise()
    enterprises.total = 1
    if not Enterprise.objects.filter(uscc=record["uscc"]).exists():
        # Through the registration service, checked against the demo legal-entity library.
        register_enterprise(
            representative,
            uscc=record["uscc"],
            name=record["name"],
            legal_representative_name=record["legal_representative_name"],
        )
        enterprises.created = 1
    _load_staff(staff)
    return [people, enterprises, staff]
