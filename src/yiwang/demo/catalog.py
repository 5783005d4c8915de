"""The demo catalogue: ~100 目录清单 items and their guides at every level, and ``--scale``.

:func:`load_catalog` joins :data:`yiwang.demo.catalog_data.ITEMS` with the demo organisations
(:mod:`yiwang.demo.province`): an item of the 市场监督管理局 at levels ``city`` and ``county``
becomes eleven service items (宁波市 and its ten counties) with the same name, type, basis and
basic code (三级四同) and the same guide, each with its own organisation, hall, windows and
phone. Everything goes through :mod:`yiwang.catalog.services` as the system (draft → publish
with ``actor=None``), so every guide passes the publishing rules, is audited and indexed.
Idempotent: the guide an item should have is compared with its published version first, and a
new version is drafted only when they differ.

:func:`scale` adds synthetic items for benchmarks by bulk insert — see its docstring for why
it deliberately bypasses the services.
"""

from __future__ import annotations

import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Prefetch

from yiwang.catalog import application_forms, search, services
from yiwang.catalog.constants import (
    EXERCISE_LEVEL_OF_ORGANIZATION,
    HandlingForm,
    ItemStatus,
    MaterialRequirement,
    OnlineDepth,
    VersionStatus,
)
from yiwang.catalog.models import (
    BasicItem,
    HandlingItem,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    Theme,
)
from yiwang.demo import province
from yiwang.demo.base import Tally
from yiwang.demo.catalog_data import (
    EXPRESS,
    IN_PERSON,
    ITEMS,
    ONCE,
    ONLINE,
    Item,
    Step,
    forms,
)
from yiwang.demo.catalog_data.application_forms import FORMS as APPLICATION_FORMS
from yiwang.regions.models import Organization, OrganizationKind, Region, ServiceHall, WindowKind

__all__ = ["SYNTHETIC_PREFIX", "load_catalog", "scale"]

# Counties whose departments publish the county-level items. Every Ningbo county implements
# them in reality (三级四同 keeps them identical); the demo details Haishu and Yuyao (the two
# ends of the 全城通办 example, with townships and stations) and Yinzhou (seat of the city
# government), because each guide costs ~90 ms through the services (drafting, audit, index):
# all ten counties give ~1000 items and ~90 s of loading instead of ~390 and ~35 s.
CATALOG_COUNTIES = (*province.STATION_COUNTIES, "330212000000")
SUPERVISION_PHONE = province.HOTLINE  # 12345 answers complaints about every office
WORKING_HOURS = (
    "工作日 上午9:00-12:00，下午13:30-17:00"
    "（夏令时7月1日至9月30日 下午14:00-17:30，法定节假日除外）"
)
TOWNSHIP_HOURS = "工作日 上午8:30-12:00，下午13:30-17:00（法定节假日除外）"
ONLINE_CHANNELS = "浙江政务服务网、“浙里办”APP"
FILES_DIR = "catalog/demo"

_ORDERED = {
    field: ItemVersion._meta.get_field(field).to_python
    for field in ("service_objects", "handling_forms", "online_depth")
}
VERSION_FIELDS = (
    "name",
    "service_objects",
    "legal_basis",
    "conditions",
    "review_criteria",
    "handling_forms",
    "online_depth",
    "max_visits",
    "handling_scope",
    "appointment_supported",
    "online_payment_supported",
    "express_delivery_supported",
    "statutory_time_limit",
    "promised_time_limit",
    "is_free",
    "result_name",
    "result_type",
    "result_sample",
    "no_materials_required",
    "application_form",
    "handling_address",
    "working_hours",
    "consultation_phone",
    "supervision_phone",
)
MATERIAL_FIELDS = (
    "name",
    "kind",
    "source",
    "issuing_department",
    "copies",
    "paper_format",
    "blank_form",
    "sample",
    "electronic_required",
    "requirement",
    "condition",
    "acceptance_standard",
    "notes",
    "legal_basis",
)
STEP_FIELDS = ("name", "role", "time_limit", "description", "review_method", "on_the_spot")
FEE_FIELDS = ("name", "standard", "legal_basis")

_BASE_DEPTH = [OnlineDepth.CONSULT, OnlineDepth.RECEIVE, OnlineDepth.PRE_REVIEW]
_FULL_DEPTH = [*_BASE_DEPTH, OnlineDepth.ACCEPT, OnlineDepth.HANDLE, OnlineDepth.RESULT_FEEDBACK]


# --- the demo's places: organisations, halls, windows -----------------------------------------


class _Places:
    """The demo bodies by (region code, department key), and each region's hall and windows,
    loaded with a few queries."""

    def __init__(self) -> None:
        organizations = Organization.objects.select_related("region")
        self.by_name = {(o.region_id, o.name): o for o in organizations}
        ningbo = Region.objects.select_related("parent").get(code=province.NINGBO)
        self.regions = {
            "province": [Region.objects.get(code=province.ZHEJIANG)],
            "city": [ningbo],
            "county": list(
                ningbo.children.filter(code__in=CATALOG_COUNTIES)
                .select_related("parent")
                .order_by("code")
            ),
        }
        townships = Region.objects.filter(
            level="township", parent_id__in=province.STATION_COUNTIES
        ).select_related("parent")
        self.townships = sorted(townships, key=lambda region: region.code)
        self.halls: dict[str, ServiceHall] = {}
        self.windows: dict[int, list] = defaultdict(list)
        halls = ServiceHall.objects.prefetch_related("windows__organizations")
        for hall in halls.filter(is_active=True):
            self.halls[hall.region_id] = hall
            for window in hall.windows.all():
                if window.is_active:
                    self.windows[hall.pk].append(window)

    def implementers(self, item: Item) -> list[Organization]:
        found = []
        for level in item.levels:
            if level in ("township", "town"):
                for township in self.townships:
                    organization = self.by_name.get(
                        (township.code, province.township_body_name(township))
                    )
                    if organization is None:
                        continue
                    if level == "town" and organization.kind != OrganizationKind.GOVERNMENT:
                        continue  # 宅基地 is approved by 镇/乡 governments, not street offices
                    found.append(organization)
                continue
            for region in self.regions[level]:
                name = province.department_name(region, item.dept)
                organization = self.by_name.get((region.code, name)) if name else None
                if organization is not None:
                    found.append(organization)
        return found

    def place(self, item: Item, organization: Organization) -> tuple[list, list, str, str]:
        """(halls, windows, 办理地点, 办理时间) of ``item`` at ``organization``."""
        hall = self.halls.get(organization.region_id)
        hours = TOWNSHIP_HOURS if organization.level == "township" else WORKING_HOURS
        if hall is None:  # the province has no hall in the demo: its departments' own windows
            address = (
                f"{organization.name}行政审批窗口（浙江省杭州市）；网上申请：{ONLINE_CHANNELS}"
            )
            return [], [], address, hours
        serving = [w for w in self.windows[hall.pk] if _serves(w, organization)]
        if item.windows:
            chosen = [w for w in serving if w.number in item.windows]
        else:
            # 一窗受理: the comprehensive windows where they take the department's items, else
            # the department's own window, else whatever window serves the body (township).
            chosen = (
                [w for w in serving if w.kind == WindowKind.COMPREHENSIVE]
                or [w for w in serving if w.kind == WindowKind.DEPARTMENT][:1]
                or serving
            )
        chosen.sort(key=lambda w: w.number)
        numbers = "、".join(w.number for w in chosen)
        label = f"{chosen[0].name}（{numbers}）" if chosen else "综合受理窗口"
        address = f"{hall.name} {label}"
        if item.mode != IN_PERSON:
            address += f"；网上申请：{ONLINE_CHANNELS}"
        return [hall], chosen, address, hours


def _serves(window, organization: Organization) -> bool:
    return any(o.pk == organization.pk for o in window.organizations.all())


def consultation_phone(organization: Organization) -> str:
    """A demo number of the body: Hangzhou's 0571 for province bodies, Ningbo's 0574 else.

    Deterministic from the USCC so every run gives the same number; it looks real (8 digits
    starting with 8) but is made up.
    """
    area = "0571" if organization.level in ("province", "national") else "0574"
    return f"{area}-8{zlib.crc32(organization.uscc.encode()) % 10_000_000:07d}"


# --- the guide an item should have -------------------------------------------------------------


def _mode_fields(item: Item) -> dict:
    license_depth = [OnlineDepth.LICENSE_FEEDBACK] if item.result_type == "license" else []
    if item.mode == ONLINE:
        return {
            "handling_forms": [HandlingForm.ONLINE, HandlingForm.WINDOW],
            "online_depth": [*_FULL_DEPTH, *license_depth],
            "max_visits": 0,
            "express_delivery_supported": True,
        }
    if item.mode == EXPRESS:
        return {
            "handling_forms": [HandlingForm.ONLINE, HandlingForm.WINDOW, HandlingForm.EXPRESS],
            "online_depth": list(_BASE_DEPTH),
            "max_visits": 0,
            "express_delivery_supported": True,
        }
    if item.mode == ONCE:
        return {
            "handling_forms": [HandlingForm.ONLINE, HandlingForm.WINDOW],
            "online_depth": [*_BASE_DEPTH, OnlineDepth.ACCEPT],
            "max_visits": 1,
            "express_delivery_supported": True,
        }
    # IN_PERSON: photo, fingerprints or a signature before the registrar; the police post the
    # card or passport, a marriage certificate is handed over on the spot.
    return {
        "handling_forms": [HandlingForm.WINDOW],
        "online_depth": [OnlineDepth.CONSULT],
        "max_visits": 1,
        "express_delivery_supported": item.dept == "public_security",
    }


def _file(key: str, files: dict[str, str]) -> str:
    return files.get(key, "") if key else ""


def default_steps(days: int) -> tuple[Step, ...]:
    """收件 → 受理 → 审查 → 决定 → 送达 within ``days`` working days (0: on the spot)."""
    if days == 0:
        return (
            Step("收件", "receive", 0),
            Step("受理", "accept", 0),
            Step("审查", "review", 0, "written", spot=True),
            Step("决定", "decide", 0, "written", spot=True, description="符合条件的当场办结"),
            Step("送达", "deliver", 0, description="当场送达或免费邮寄"),
        )
    accept = 1 if days >= 3 else 0
    decide = 1 if days >= 2 else 0
    return (
        Step("收件", "receive", 0),
        Step("受理", "accept", accept),
        Step("审查", "review", days - accept - decide, "written"),
        Step("决定", "decide", decide, "written"),
        Step("送达", "deliver", 0, description="结果窗口领取或免费邮寄"),
    )


@cache
def application_form(code: str) -> dict:
    """The 申请表单 of basic item ``code`` as stored (``{}``: the default form)."""
    return application_forms.prepare(APPLICATION_FORMS.get(code, {}))


def desired(item: Item, organization: Organization, places: _Places, files, themes) -> dict:
    """The complete guide of ``item`` at ``organization``, in the shape of :func:`stored`."""
    halls, windows, address, hours = places.place(item, organization)
    fields = {
        "name": item.name,
        "service_objects": list(item.audience),
        "legal_basis": item.basis,
        "conditions": item.conditions,
        "review_criteria": item.review or "申请材料齐全、符合法定形式，内容真实有效。",
        **_mode_fields(item),
        "handling_scope": item.scope,
        "appointment_supported": item.appointment,
        "online_payment_supported": bool(item.fees),
        "statutory_time_limit": item.statutory,
        "promised_time_limit": item.promised,
        "is_free": not item.fees,
        "result_name": item.result,
        "result_type": item.result_type,
        "result_sample": _file(item.result_sample, files),
        "no_materials_required": not item.materials,
        "application_form": application_form(item.code),
        "handling_address": address,
        "working_hours": hours,
        "consultation_phone": consultation_phone(organization),
        "supervision_phone": SUPERVISION_PHONE,
    }
    for name, to_python in _ORDERED.items():
        fields[name] = to_python(fields[name])
    codes = [themes[("person", n)] for n in item.person_themes]
    codes += [themes[("enterprise", n)] for n in item.enterprise_themes]
    materials = [
        {
            "name": m.name,
            "kind": m.kind,
            "source": m.source,
            "issuing_department": m.issuer,
            "copies": m.copies,
            "paper_format": m.paper_format,
            "blank_form": _file(m.form, files),
            "sample": _file(m.sample, files),
            "electronic_required": m.electronic,
            "requirement": (
                MaterialRequirement.CONDITIONAL if m.condition else MaterialRequirement.ALWAYS
            ),
            "condition": m.condition,
            "acceptance_standard": m.standard,
            "notes": m.notes,
            "legal_basis": m.basis or item.basis,
        }
        for m in item.materials
    ]
    always = [m.name for m in item.materials if not m.condition]
    handling = [
        {
            "name": case.name,
            "description": case.description,
            "materials": sorted(always if case.materials == ("*",) else case.materials),
        }
        for case in item.cases
    ]
    steps = [
        {
            "name": s.name,
            "role": s.role,
            "time_limit": s.days,
            "description": s.description,
            "review_method": s.method if s.role in ("review", "decide") else "",
            "on_the_spot": s.spot,
        }
        for s in (item.steps or default_steps(item.promised))
    ]
    fees = [{"name": f.name, "standard": f.standard, "legal_basis": f.basis} for f in item.fees]
    return {
        "fields": fields,
        "themes": sorted(codes),
        "halls": sorted(h.pk for h in halls),
        "windows": sorted(w.pk for w in windows),
        "materials": materials,
        "steps": steps,
        "handling": handling,
        "fees": fees,
    }


def stored(version: ItemVersion) -> dict:
    """A version as :func:`desired` describes a guide (children prefetched)."""

    def row(obj, names):
        values = {}
        for name in names:
            value = getattr(obj, name)
            values[name] = value.name if hasattr(value, "field") else value  # FieldFile → name
        return values

    fields = row(version, VERSION_FIELDS)
    return {
        "fields": fields,
        "themes": sorted(t.code for t in version.themes.all()),
        "halls": sorted(h.pk for h in version.halls.all()),
        "windows": sorted(w.pk for w in version.windows.all()),
        "materials": [row(m, MATERIAL_FIELDS) for m in version.materials.all()],
        "steps": [row(s, STEP_FIELDS) for s in version.steps.all()],
        "handling": [
            {
                "name": h.name,
                "description": h.description,
                "materials": sorted(m.name for m in h.materials.all()),
            }
            for h in version.handling_items.all()
        ],
        "fees": [row(f, FEE_FIELDS) for f in version.fees.all()],
    }


# --- writing through the services ----------------------------------------------------------------


def _write(draft: ItemVersion, guide: dict, theme_rows: dict, places_by_pk) -> None:
    """Make ``draft`` say ``guide``: fields, then the children from scratch."""
    halls, windows = places_by_pk
    services.update_draft(
        draft,
        **guide["fields"],
        themes=[theme_rows[code] for code in guide["themes"]],
        halls=[halls[pk] for pk in guide["halls"]],
        windows=[windows[pk] for pk in guide["windows"]],
    )
    for handling in list(draft.handling_items.all()):
        services.remove_handling_item(handling)
    for rows, remove in (
        (draft.materials.all(), services.remove_material),
        (draft.steps.all(), services.remove_step),
        (draft.fees.all(), services.remove_fee),
    ):
        for row in list(rows):
            remove(row)
    by_name = {}
    for order, material in enumerate(guide["materials"]):
        by_name[material["name"]] = services.add_material(draft, order=order, **material)
    for order, step in enumerate(guide["steps"]):
        services.add_step(draft, order=order, **step)
    for order, handling in enumerate(guide["handling"]):
        services.add_handling_item(
            draft,
            order=order,
            name=handling["name"],
            description=handling["description"],
            materials=[by_name[name] for name in handling["materials"]],
        )
    for order, fee in enumerate(guide["fees"]):
        services.add_fee(draft, order=order, **fee)


def _files() -> dict[str, str]:
    """Write the demo's blank forms and samples once (same bytes every run); key → name."""
    if not forms.available():
        return {}
    names = {}
    for key in forms.FORMS:
        name = f"{FILES_DIR}/{key}.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(forms.render(key)))
        names[key] = name
    return names


def _upsert_basic(item: Item, existing: dict[str, BasicItem], types, tally: Tally) -> BasicItem:
    basic = existing.get(item.code)
    wanted = {
        "name": item.name,
        "item_type": types[item.type],
        "legal_basis": item.basis,
        "level": item.catalogue,
    }
    if basic is None:
        basic = services.create_basic_item(code=item.code, **wanted)
        tally.total, tally.created = tally.total + 1, tally.created + 1
        return basic
    tally.total += 1
    changed = {k: v for k, v in wanted.items() if getattr(basic, k) != v}
    if changed or not basic.is_active:
        basic = services.update_basic_item(basic, is_active=True, **changed)
        tally.updated += 1
    return basic


def _current_versions(basic_ids: Iterable[int]) -> dict[int, ItemVersion]:
    versions = (
        ItemVersion.objects.filter(item__basic_item_id__in=list(basic_ids))
        .filter(status=VersionStatus.PUBLISHED)
        .prefetch_related(
            "themes",
            "halls",
            "windows",
            "materials",
            "steps",
            "fees",
            Prefetch("handling_items", HandlingItem.objects.prefetch_related("materials")),
        )
    )
    return {v.item_id: v for v in versions}


def load_catalog() -> list[Tally]:
    """目录清单 items and each organisation's service item with its published guide."""
    places = _Places()
    files = _files()
    types = {t.code: t for t in ItemType.objects.all()}
    theme_rows = {t.code: t for t in Theme.objects.all()}
    themes = {(t.audience, t.name): t.code for t in theme_rows.values()}
    halls = {h.pk: h for h in places.halls.values()}
    windows = {w.pk: w for ws in places.windows.values() for w in ws}
    basics_tally, items_tally = Tally("目录清单事项", "项"), Tally("实施清单事项", "项")
    existing_basics = {
        b.code: b for b in BasicItem.objects.filter(code__in=[i.code for i in ITEMS])
    }
    basics = [_upsert_basic(item, existing_basics, types, basics_tally) for item in ITEMS]
    items = {
        (s.organization_id, s.basic_item_id): s
        for s in ServiceItem.objects.filter(basic_item__in=basics).select_related(
            "organization", "basic_item"
        )
    }
    current = _current_versions(b.pk for b in basics)
    for item, basic in zip(ITEMS, basics, strict=True):
        for organization in places.implementers(item):
            service_item = items.get((organization.pk, basic.pk))
            created = service_item is None
            if created:
                service_item = services.create_service_item(
                    basic_item=basic, organization=organization
                )
            elif service_item.status != ItemStatus.ACTIVE:
                continue  # retired by an operator: the demo does not bring it back
            guide = desired(item, organization, places, files, themes)
            version = current.get(service_item.pk)
            changed = version is None or stored(version) != guide
            if changed:
                draft = service_item.versions.filter(
                    status__in=(VersionStatus.DRAFT, VersionStatus.RETURNED)
                ).first() or services.start_draft(service_item)
                _write(draft, guide, theme_rows, (halls, windows))
                services.publish(draft)
            items_tally.total += 1
            items_tally.created += created
            items_tally.updated += changed and not created
    return [basics_tally, items_tally]


# --- --scale: synthetic items for benchmarks ----------------------------------------------------

# 基本编码 "ZZ" + 10 digits: reserved for synthetic items; no real type code is ZZ, so they
# never collide with the catalogue's own items (see yiwang.demo.catalog_data).
SYNTHETIC_PREFIX = "ZZ"
SCALE_BATCH = 5000
# Each synthetic basic item is implemented by this many demo organisations (三级四同 holds:
# same name, type and basis everywhere), so 1 000 000 items are 50 000 basic items.
ORGANIZATIONS_PER_BASIC = 20

_DOMAINS = (
    "城镇", "农村", "小微企业", "高新技术企业", "外商投资企业", "个体工商户", "民办", "公共",
    "沿海", "山区", "港口", "工业园区", "开发区", "社区", "乡村", "城市", "跨境", "新建",
    "既有", "老旧小区", "文化", "旅游", "物流", "电子商务", "养老", "托育", "医疗", "体育",
    "农业", "渔业",
)  # fmt: skip
_OBJECTS = (
    "供水设施", "燃气设施", "广告设施", "户外招牌", "林木采伐", "河道管理范围内建设项目",
    "临时占用道路", "挖掘城市道路", "城市绿地", "古树名木", "档案查阅", "地名命名", "气象设施",
    "防雷装置", "人防工程", "水土保持方案", "取水", "排水", "污水排入排水管网", "建筑垃圾处置",
    "餐厨垃圾收运", "停车场", "充电设施", "民宿", "农家乐", "小型水库", "渔船", "船舶",
    "港口设施", "危险货物", "放射源", "实验动物", "种畜禽", "蚕种", "植物检疫", "计量器具",
    "检验检测机构", "认证机构", "印章刻制", "典当", "融资担保", "旅行社", "演出场所",
    "互联网上网服务营业场所", "出版物零售", "印刷经营", "电影放映", "文物修缮", "宗教活动场所",
    "殡葬设施",
)  # fmt: skip
_ACTIONS = (
    "许可", "备案", "登记", "变更登记", "注销登记", "延续", "年度报告", "审核", "核准", "认定",
    "补助申领", "奖励申报", "资格确认", "证明开具", "信息查询", "验收", "检验", "评估", "审批",
    "证书补发", "证书换发", "迁移", "转让审批", "设立审批", "改建审批", "扩建审批", "拆除审批",
    "临时使用许可", "监督检查结果公示", "费用减免", "专项资金申报", "补贴发放", "安全评价",
    "等级评定", "名称核准", "停业备案", "复业登记", "整改复查", "信用修复", "异议处理",
)  # fmt: skip
_TYPES = ("XK", "QR", "GG", "QT", "JF")
_NAME_CAPACITY = len(_DOMAINS) * len(_OBJECTS) * len(_ACTIONS)


def synthetic_name(number: int) -> tuple[str, str, str]:
    """(name, object, action) of synthetic basic item ``number``: unique for every number
    (mixed radix over the fragments, then a round suffix), meaningful for search."""
    action = _ACTIONS[number % len(_ACTIONS)]
    obj = _OBJECTS[(number // len(_ACTIONS)) % len(_OBJECTS)]
    domain = _DOMAINS[(number // (len(_ACTIONS) * len(_OBJECTS))) % len(_DOMAINS)]
    rounds = number // _NAME_CAPACITY
    return f"{domain}{obj}{action}" + (f"（{rounds + 1}）" if rounds else ""), obj, action


def _synthetic_basics(numbers: range, types: dict) -> dict[int, BasicItem]:
    codes = {f"{SYNTHETIC_PREFIX}{n:010d}": n for n in numbers}
    found = {b.code: b for b in BasicItem.objects.filter(code__in=list(codes))}
    missing = []
    for code, number in codes.items():
        if code not in found:
            name, obj, _ = synthetic_name(number)
            missing.append(
                BasicItem(
                    code=code,
                    name=name,
                    item_type=types[_TYPES[number % len(_TYPES)]],
                    legal_basis=f"《浙江省{obj}管理办法》（演示数据）",
                    level="province",
                )
            )
    for basic in BasicItem.objects.bulk_create(missing):
        found[basic.code] = basic
    return {codes[code]: basic for code, basic in found.items()}


def _synthetic_version(item: ServiceItem, basic: BasicItem, number: int, now) -> ItemVersion:
    _, obj, action = synthetic_name(number)
    online = number % 2 == 0
    version = ItemVersion(
        item=item,
        number=1,
        status=VersionStatus.PUBLISHED,
        name=basic.name,
        # what publish() copies from the 目录清单 (bulk data bypasses the services)
        item_type=basic.item_type,
        basic_legal_basis=basic.legal_basis,
        service_objects=["enterprise"] if number % 3 else ["person", "enterprise"],
        legal_basis=basic.legal_basis,
        conditions=f"在本行政区域内申请{obj}{action}的单位和个人，材料齐全、符合法定形式。",
        review_criteria="申请材料齐全、符合法定形式。",
        handling_forms=[HandlingForm.ONLINE, HandlingForm.WINDOW],
        online_depth=_FULL_DEPTH if online else [*_BASE_DEPTH, OnlineDepth.ACCEPT],
        max_visits=0 if online else 1,
        express_delivery_supported=True,
        handling_scope="city",
        statutory_time_limit=20,
        promised_time_limit=5 + number % 10,
        is_free=True,
        result_name=f"{obj}{action}决定书",
        result_type="approval",
        handling_address=f"{item.organization.name}政务服务窗口",
        working_hours=WORKING_HOURS,
        consultation_phone=consultation_phone(item.organization),
        supervision_phone=SUPERVISION_PHONE,
        drafted_by_name="演示数据生成",
        reviewed_at=now,
        published_at=now,
    )
    # bulk_create skips ItemVersion.save(), which derives 全程网办 from the depth.
    version.is_fully_online = online
    return version


def _synthetic_materials(version: ItemVersion, number: int) -> list[Material]:
    _, obj, action = synthetic_name(number)
    return [
        Material(
            version=version,
            order=0,
            name=f"{obj}{action}申请表",
            legal_basis=version.legal_basis,
        ),
        Material(
            version=version,
            order=1,
            name="申请人身份证明（居民身份证或营业执照）",
            kind="copy",
            legal_basis="《中华人民共和国行政许可法》第三十一条",
        ),
    ]


def scale(count: int, progress: Callable[[int], None] | None = None) -> dict[str, float]:
    """Add ``count`` synthetic published service items for benchmarks; returns timings.

    Deliberately bypasses :mod:`yiwang.catalog.services`: through the services an item costs
    ~90 ms (draft, children, audit chain, publish, index), i.e. a day for 1 000 000. Instead
    batches of :data:`SCALE_BATCH` are bulk-inserted in their own transactions — basic items
    (基本编码 ``ZZ…``, reserved), service items with valid 实施编码 built from the real demo
    organisations' USCCs, one published version each (consistent with the publishing rules:
    全程网办 ⇒ 0 visits, free, two materials with their basis) — and the search index is then
    rebuilt in bulk (:func:`yiwang.catalog.search.reindex_all`). No audit events: these rows
    are benchmark data, not the record of anyone's decision. Running it again adds ``count``
    more items after the existing synthetic ones.
    """
    from django.utils import timezone

    timings: dict[str, float] = {}
    started = time.monotonic()
    organizations = list(
        Organization.objects.filter(level__in=list(EXERCISE_LEVEL_OF_ORGANIZATION))
        .select_related("region")
        .order_by("pk")
    )
    if not organizations:
        raise ValueError("no demo organisations: run `yiwang demo` first")
    per_basic = min(ORGANIZATIONS_PER_BASIC, len(organizations))
    types = {t.code: t for t in ItemType.objects.all()}
    start = ServiceItem.objects.filter(basic_item__code__startswith=SYNTHETIC_PREFIX).count()
    done = 0
    for low in range(start, start + count, SCALE_BATCH):
        high = min(low + SCALE_BATCH, start + count)
        with transaction.atomic():
            now = timezone.now()
            basics = _synthetic_basics(range(low // per_basic, (high - 1) // per_basic + 1), types)
            items, numbers = [], []
            for index in range(low, high):
                number, slot = divmod(index, per_basic)
                organization = organizations[(number * per_basic + slot) % len(organizations)]
                basic = basics[number]
                level = EXERCISE_LEVEL_OF_ORGANIZATION[organization.level]
                items.append(
                    ServiceItem(
                        code=f"{organization.uscc}{level}{basic.code}",
                        basic_item=basic,
                        organization=organization,
                        region_id=organization.region_id,
                        exercise_level=level,
                    )
                )
                numbers.append(number)
            items = ServiceItem.objects.bulk_create(items)
            versions = ItemVersion.objects.bulk_create(
                [
                    _synthetic_version(item, basics[n], n, now)
                    for item, n in zip(items, numbers, strict=True)
                ]
            )
            Material.objects.bulk_create(
                [
                    m
                    for v, n in zip(versions, numbers, strict=True)
                    for m in _synthetic_materials(v, n)
                ]
            )
            with connection.cursor() as cursor:
                # One statement per batch instead of one UPDATE per item.
                cursor.execute(
                    "UPDATE catalog_serviceitem SET current_version_id = ("
                    " SELECT v.id FROM catalog_itemversion v"
                    " WHERE v.item_id = catalog_serviceitem.id AND v.status = %s)"
                    " WHERE id BETWEEN %s AND %s",
                    [VersionStatus.PUBLISHED, items[0].pk, items[-1].pk],
                )
        done += high - low
        if progress is not None:
            progress(done)
    timings["insert"] = time.monotonic() - started
    started = time.monotonic()
    search.reindex_all()
    timings["index"] = time.monotonic() - started
    return timings
