"""The demo catalogue as data: ~90 目录清单 items of Zhejiang/Ningbo with complete guides.

Each :class:`Item` is one 目录清单 item (基本编码, name, type, 设定依据) together with the guide
every organisation implementing it publishes — the department kind (a
:data:`yiwang.demo.province.DEPARTMENTS` key) and the levels where that department implements
it. The loader (:mod:`yiwang.demo.catalog`) joins them with the demo organisations, so one item
becomes the same guide at the province, at 宁波市 and in each of its ten counties (三级四同:
same name, type, basis and basic code everywhere); only the organisation, hall, windows and
phone differ.

基本编码 (12 characters; GB/T 39554.1's inner layout is not known, see
:mod:`yiwang.catalog.identifiers`): type (2 letters: XK 行政许可, QR 行政确认, JF 行政给付, QT
其他行政权力, GG 公共服务) + department (3 digits, :data:`DEPARTMENT_NUMBERS`) + sequence (4
digits) + sub-item (3 digits, 000 for a main item). The prefix ``ZZ`` is reserved for the
synthetic items of ``yiwang demo --scale`` and never used here.

Legal bases cite an article only where the article is certain; otherwise the law alone.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEPARTMENT_NUMBERS",
    "EXPRESS",
    "IN_PERSON",
    "ITEMS",
    "ONCE",
    "ONLINE",
    "Case",
    "Fee",
    "Item",
    "Mat",
    "Step",
]

DEPARTMENT_NUMBERS = {
    "government": "001",
    "development": "002",
    "education": "003",
    "public_security": "004",
    "civil_affairs": "005",
    "justice": "006",
    "finance": "007",
    "human_resources": "008",
    "natural_resources": "009",
    "ecology": "010",
    "housing": "011",
    "transport": "012",
    "agriculture": "013",
    "commerce": "014",
    "health": "015",
    "veterans": "016",
    "emergency": "017",
    "market": "018",
    "medical_security": "019",
    "tax": "022",
}

# How an item is handled (办理形式, 网上办理深度, 到办事现场次数, 物流快递), consistent with the
# catalogue's publishing rules: 全程网办 ⇒ 0 visits; 0 visits without 全程网办 ⇒ express.
ONLINE = "online"  # 全程网办: applied, accepted, handled and answered online; 0 visits
EXPRESS = "express"  # 零跑动: applied and pre-reviewed online, originals and result by post
ONCE = "once"  # 最多跑一次: applied and accepted online, one visit (originals, on-site check)
IN_PERSON = "in_person"  # the applicant must come once (photo, fingerprints, signature)


@dataclass(frozen=True)
class Mat:
    """申请材料. ``basis`` empty: the item's 设定依据 is what requires it. ``condition``
    non-empty: provided only in that situation (视情形提供)."""

    name: str
    basis: str = ""
    kind: str = "original"  # original / copy / electronic
    source: str = "applicant"  # applicant / government / intermediary
    issuer: str = ""  # 核发部门 of a government-issued document
    copies: int = 1
    paper_format: str = "A4"
    electronic: bool = False
    condition: str = ""
    standard: str = ""  # 受理标准
    notes: str = ""  # 填报须知
    form: str = ""  # key of a generated blank form (:mod:`.forms`)
    sample: str = ""  # key of a generated filled-in sample


@dataclass(frozen=True)
class Step:
    """办理环节 with its 审查工作细则 role and its limit in working days."""

    name: str
    role: str  # receive / accept / review / decide / deliver
    days: int = 0
    method: str = ""  # review method (ReviewMethod), for review and decide
    spot: bool = False  # decided on the spot
    description: str = ""


@dataclass(frozen=True)
class Case:
    """办理项: a situation with the names of the materials it needs (``("*",)``: every
    material that is not conditional)."""

    name: str
    materials: tuple[str, ...] = ("*",)
    description: str = ""


@dataclass(frozen=True)
class Fee:
    name: str
    standard: str
    basis: str


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    type: str  # ItemType code
    basis: str  # 设定依据 (also the guide's 实施依据)
    dept: str  # DEPARTMENTS key of the implementing body
    levels: tuple[str, ...]  # province / city / county / township / town (镇乡 only)
    audience: tuple[str, ...]  # person / enterprise
    result: str
    result_type: str  # license / approval / other
    promised: int  # 承诺办结时限, working days (0: 即办)
    materials: tuple[Mat, ...]
    statutory: int | None = 20
    person_themes: tuple[str, ...] = ()
    enterprise_themes: tuple[str, ...] = ()
    cases: tuple[Case, ...] = (Case("新办"),)
    steps: tuple[Step, ...] = ()  # empty: the standard steps for ``promised``
    fees: tuple[Fee, ...] = ()
    mode: str = ONCE
    scope: str = "city"  # 通办范围
    appointment: bool = True
    conditions: str = ""  # 受理条件
    review: str = ""  # 审查标准
    catalogue: str = "province"  # the 目录清单 the item belongs to (Zhejiang compiles one list)
    windows: tuple[str, ...] = ()  # window numbers; empty: the windows serving the department
    result_sample: str = ""  # key of a generated result sample


def _items() -> tuple[Item, ...]:
    from yiwang.demo.catalog_data import enterprise, people

    return (*people.ITEMS, *enterprise.ITEMS)


ITEMS: tuple[Item, ...] = _items()
