"""/api/v1/items, /api/v1/themes, /api/v1/departments: the published catalogue, read-only.

What every channel shows of a guide (办事指南, REQUIREMENTS §2 finding services) comes from
here: the public list with scenario filters, an item's guide with all its elements, and its
published history with what changed. Drafts are never served. ``/items/search`` belongs to
the search router; the ``{code}`` of these paths only matches a 31-character 实施编码.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import register_converter, reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yiwang.catalog import selectors
from yiwang.catalog.constants import Audience
from yiwang.catalog.fields import MultiChoiceField
from yiwang.catalog.identifiers import IMPLEMENTATION_CODE_PATTERN
from yiwang.catalog.models import ItemVersion, ServiceItem
from yiwang.core.converters import MAX_ID
from yiwang.core.errors import DomainError
from yiwang.core.pagination import limit_offset
from yiwang.core.problems import Problem

router = Router(tags=["事项与办事指南"])

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class ImplementationCodeConverter:
    """31 code characters: ``/items/search`` and other words never reach the item handlers."""

    regex = IMPLEMENTATION_CODE_PATTERN.replace("A-Z", "A-Za-z")

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(ImplementationCodeConverter, "implcode")


# --- schemas --------------------------------------------------------------------------------


class Choice(Schema):
    code: str = Field(examples=["person"])
    name: str = Field(examples=["自然人"])


def _choices(obj, name: str) -> list[dict[str, str]]:
    field = obj._meta.get_field(name)
    values = getattr(obj, name)
    if isinstance(field, MultiChoiceField):
        return [{"code": v, "name": n} for v, n in zip(values, field.labels(values), strict=True)]
    return [{"code": values, "name": str(dict(field.flatchoices).get(values, values))}]


# The portal's download views of a guide's files: (the current guide's, a published version's).
DOWNLOADS = {
    "material": ("portal:material-file", "portal:version-material-file"),
    "result": ("portal:item-result-sample", "portal:version-result-sample"),
}


def _download_url(context, version: ItemVersion, file, view: str, *args) -> str | None:
    """The absolute address of a guide's file at the portal's download view, which serves it
    with its Chinese name (``/media/`` is not served by the application). A version replaced
    by a newer one links its own files, which stay downloadable."""
    if not file:
        return None
    current, versioned = DOWNLOADS[view]
    if version.item.current_version_id == version.pk:
        path = reverse(current, args=[version.item.code, *args])
    else:
        path = reverse(versioned, args=[version.item.code, version.number, *args])
    return context["request"].build_absolute_uri(path)


class OrganizationRef(Schema):
    id: int
    name: str = Field(examples=["宁波市海曙区市场监督管理局"])


class ThemeOut(Schema):
    code: str = Field(examples=["P06"])
    name: str = Field(examples=["就业创业"])
    audience: str = Field(description="person（自然人）/ enterprise（法人）")
    order: int = Field(description="生命周期顺序")


class ItemSummary(Schema):
    """One line of the catalogue: enough to list, filter and link to the guide."""

    code: str = Field(description="31 位实施编码", examples=["11330203MABQ2TF8134T000117009000"])
    name: str = Field(examples=["食品经营许可"])
    basic_code: str = Field(description="12 位基本编码")
    item_type: Choice
    organization: OrganizationRef
    region_code: str | None = Field(description="实施区划的 12 位代码；国家级事项为 null")
    region_name: str | None
    exercise_level: Choice = Field(description="行使层级：1 国家级 … 5 乡级")
    service_objects: list[Choice]
    themes: list[Choice]
    handling_forms: list[Choice]
    is_fully_online: bool = Field(description="全程网办（网上办理深度Ⅳ）")
    max_visits: int = Field(description="到办事现场次数")
    handling_scope: Choice = Field(description="通办范围")
    promised_time_limit: int = Field(description="承诺办结时限（工作日）")
    version: int = Field(description="当前发布版本号")

    @staticmethod
    def resolve_name(item: ServiceItem) -> str:
        return item.current_version.name

    @staticmethod
    def resolve_basic_code(item: ServiceItem) -> str:
        return item.basic_item.code

    @staticmethod
    def resolve_item_type(item: ServiceItem) -> dict:
        kind = item.current_version.guide_item_type
        return {"code": kind.code, "name": kind.name}

    @staticmethod
    def resolve_region_code(item: ServiceItem) -> str | None:
        return item.region_id

    @staticmethod
    def resolve_region_name(item: ServiceItem) -> str | None:
        return item.region.name if item.region_id else None

    @staticmethod
    def resolve_exercise_level(item: ServiceItem) -> dict:
        return _choices(item, "exercise_level")[0]

    @staticmethod
    def resolve_service_objects(item: ServiceItem) -> list:
        return _choices(item.current_version, "service_objects")

    @staticmethod
    def resolve_themes(item: ServiceItem) -> list:
        return [{"code": t.code, "name": t.name} for t in item.current_version.themes.all()]

    @staticmethod
    def resolve_handling_forms(item: ServiceItem) -> list:
        return _choices(item.current_version, "handling_forms")

    @staticmethod
    def resolve_is_fully_online(item: ServiceItem) -> bool:
        return item.current_version.is_fully_online

    @staticmethod
    def resolve_max_visits(item: ServiceItem) -> int:
        return item.current_version.max_visits

    @staticmethod
    def resolve_handling_scope(item: ServiceItem) -> dict:
        return _choices(item.current_version, "handling_scope")[0]

    @staticmethod
    def resolve_promised_time_limit(item: ServiceItem) -> int:
        return item.current_version.promised_time_limit

    @staticmethod
    def resolve_version(item: ServiceItem) -> int:
        return item.current_version.number


class FeeOut(Schema):
    name: str = Field(description="收费项目")
    standard: str = Field(description="收费标准")
    legal_basis: str = Field(description="收费依据")


class MaterialOut(Schema):
    name: str = Field(examples=["居民身份证"])
    kind: Choice = Field(description="材料类型")
    source: Choice = Field(description="来源渠道")
    issuing_department: str = Field(description="核发部门（政府部门核发的材料）")
    copies: int = Field(description="纸质材料份数")
    paper_format: str = Field(description="纸质材料规格")
    blank_form: str | None = Field(description="空白表格下载地址")
    sample: str | None = Field(description="示例样表下载地址")
    electronic_required: bool = Field(description="是否需要电子材料")
    requirement: Choice = Field(description="必要性")
    condition: str = Field(description="需提供的情形")
    acceptance_standard: str = Field(description="受理标准")
    notes: str = Field(description="填报须知")
    legal_basis: str = Field(description="要求依据")

    @staticmethod
    def resolve_kind(obj) -> dict:
        return _choices(obj, "kind")[0]

    @staticmethod
    def resolve_source(obj) -> dict:
        return _choices(obj, "source")[0]

    @staticmethod
    def resolve_requirement(obj) -> dict:
        return _choices(obj, "requirement")[0]

    @staticmethod
    def resolve_blank_form(obj, context) -> str | None:
        return _download_url(context, obj.version, obj.blank_form, "material", obj.pk, "form")

    @staticmethod
    def resolve_sample(obj, context) -> str | None:
        return _download_url(context, obj.version, obj.sample, "material", obj.pk, "sample")


class StepOut(Schema):
    name: str = Field(examples=["受理"])
    role: Choice = Field(description="环节角色：收件/受理/审查/决定/送达")
    time_limit: int = Field(description="环节时限（工作日）")
    description: str
    review_method: Choice | None = Field(description="审查方式")
    on_the_spot: bool = Field(description="可当场决定")

    @staticmethod
    def resolve_role(obj) -> dict:
        return _choices(obj, "role")[0]

    @staticmethod
    def resolve_review_method(obj) -> dict | None:
        return _choices(obj, "review_method")[0] if obj.review_method else None


class HandlingItemOut(Schema):
    name: str = Field(description="办理情形", examples=["新办"])
    description: str
    materials: list[str] = Field(description="该情形所需材料的名称")

    @staticmethod
    def resolve_materials(obj) -> list[str]:
        return [m.name for m in obj.materials.all()]


class HallOut(Schema):
    id: int
    name: str
    address: str


class WindowOut(Schema):
    id: int
    number: str
    name: str
    hall_id: int


class GuideOut(Schema):
    """Every element of a 办事指南 (seed 001 ch. 4 (二) 2, REQUIREMENTS §4)."""

    code: str = Field(description="31 位实施编码")
    basic_code: str = Field(description="12 位基本编码")
    name: str
    item_type: Choice
    basic_legal_basis: str = Field(description="设定依据（目录清单）")
    organization: OrganizationRef = Field(description="实施机构")
    region_code: str | None
    exercise_level: Choice
    version: int = Field(description="版本号")
    published_at: datetime | None
    service_objects: list[Choice]
    themes: list[Choice]
    legal_basis: str = Field(description="实施依据")
    conditions: str = Field(description="受理条件")
    review_criteria: str = Field(description="审查标准")
    handling_forms: list[Choice] = Field(description="办理形式")
    online_depth: list[Choice] = Field(description="网上办理深度")
    depth_level: int = Field(description="网上办理深度等级 0–4（4 = Ⅳ 全程网办）")
    is_fully_online: bool
    max_visits: int
    handling_scope: Choice
    appointment_supported: bool = Field(description="支持预约办理")
    online_payment_supported: bool = Field(description="支持网上支付")
    express_delivery_supported: bool = Field(description="支持物流快递")
    statutory_time_limit: int | None = Field(description="法定办结时限（工作日）；无规定为 null")
    promised_time_limit: int = Field(description="承诺办结时限（工作日）；0 为即办")
    is_free: bool = Field(description="不收费")
    fees: list[FeeOut]
    result_name: str
    result_type: Choice
    result_sample: str | None = Field(description="结果样本下载地址")
    materials: list[MaterialOut]
    steps: list[StepOut]
    handling_items: list[HandlingItemOut]
    halls: list[HallOut]
    windows: list[WindowOut]
    handling_address: str
    working_hours: str
    consultation_phone: str
    supervision_phone: str

    @staticmethod
    def resolve_code(v: ItemVersion) -> str:
        return v.item.code

    @staticmethod
    def resolve_basic_code(v: ItemVersion) -> str:
        return v.item.basic_item.code

    @staticmethod
    def resolve_item_type(v: ItemVersion) -> dict:
        kind = v.guide_item_type
        return {"code": kind.code, "name": kind.name}

    @staticmethod
    def resolve_basic_legal_basis(v: ItemVersion) -> str:
        return v.guide_basic_legal_basis

    @staticmethod
    def resolve_organization(v: ItemVersion) -> Any:
        return v.item.organization

    @staticmethod
    def resolve_region_code(v: ItemVersion) -> str | None:
        return v.item.region_id

    @staticmethod
    def resolve_exercise_level(v: ItemVersion) -> dict:
        return _choices(v.item, "exercise_level")[0]

    @staticmethod
    def resolve_version(v: ItemVersion) -> int:
        return v.number

    @staticmethod
    def resolve_service_objects(v: ItemVersion) -> list:
        return _choices(v, "service_objects")

    @staticmethod
    def resolve_themes(v: ItemVersion) -> list:
        return [{"code": t.code, "name": t.name} for t in v.themes.all()]

    @staticmethod
    def resolve_handling_forms(v: ItemVersion) -> list:
        return _choices(v, "handling_forms")

    @staticmethod
    def resolve_online_depth(v: ItemVersion) -> list:
        return _choices(v, "online_depth")

    @staticmethod
    def resolve_handling_scope(v: ItemVersion) -> dict:
        return _choices(v, "handling_scope")[0]

    @staticmethod
    def resolve_result_type(v: ItemVersion) -> dict:
        return _choices(v, "result_type")[0]

    @staticmethod
    def resolve_result_sample(v: ItemVersion, context) -> str | None:
        return _download_url(context, v, v.result_sample, "result")


class VersionSummary(Schema):
    number: int
    status: Choice = Field(description="published（当前）/ superseded（已被替代）")
    name: str
    published_at: datetime | None
    superseded_at: datetime | None

    @staticmethod
    def resolve_status(v: ItemVersion) -> dict:
        return _choices(v, "status")[0]


class ChangeOut(Schema):
    field: str = Field(description="变更的要素", examples=["承诺办结时限（工作日）"])
    old: str = Field(examples=["5"])
    new: str = Field(examples=["3"])


class VersionOut(GuideOut):
    status: Choice
    superseded_at: datetime | None
    previous_version: int | None = Field(description="对比的上一发布版本号；首版为 null")
    changes: list[ChangeOut] = Field(description="与上一发布版本相比的变更")

    @staticmethod
    def resolve_status(v: ItemVersion) -> dict:
        return _choices(v, "status")[0]


class DepartmentOut(Schema):
    id: int
    name: str
    region_code: str | None
    region_name: str | None
    item_count: int = Field(description="该机构在本区划可见的已发布事项数")

    @staticmethod
    def resolve_region_code(obj) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str | None:
        return obj.region.name if obj.region_id else None


# --- parameters -----------------------------------------------------------------------------


class ItemFilter(Schema):
    region: str | None = Field(
        None, description="区划代码（12 位或 6 位）：该区划及其上级区划的事项（含国家级）"
    )
    object: Audience | None = Field(None, description="服务对象：person 自然人 / enterprise 法人")
    theme: str | None = Field(None, description="服务主题代码，如 P06", examples=["P06"])
    department: int | None = Field(None, ge=1, le=MAX_ID, description="实施机构 id")
    type: str | None = Field(None, description="事项类型代码，如 XK（行政许可）")


Pagination = limit_offset("ItemsPageParams", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)


def _named(exc: DomainError, name: str) -> DomainError:
    exc.field = name
    return exc


ERRORS = {400: Problem, 404: Problem, 422: Problem}
CODE_PATH = "/items/{implcode:code}"


# --- handlers -------------------------------------------------------------------------------


@router.get("/items", response={200: list[ItemSummary], **ERRORS}, summary="事项列表")
@paginate(Pagination)
def items(request: HttpRequest, filters: Query[ItemFilter]):
    """Published items, ordered by 实施编码; ``region`` shows that region's items and those of
    the regions above it (an item of 宁波市 is offered in 海曙区)."""
    try:
        return selectors.public_items(
            region=filters.region,
            service_object=filters.object,
            theme=filters.theme,
            department=filters.department,
            item_type=filters.type,
        )
    except DomainError as exc:
        raise _named(exc, "region") from exc


@router.get(CODE_PATH, response={200: GuideOut, **ERRORS}, summary="办事指南")
def item(request: HttpRequest, code: str):
    """The current guide of an item: every element, materials, steps, handling items, fees."""
    found = selectors.get_item(code)
    version = found.current_version
    version.item = found
    return version


@router.get(
    f"{CODE_PATH}/versions", response={200: list[VersionSummary], **ERRORS}, summary="指南版本"
)
def item_versions(request: HttpRequest, code: str):
    """The published versions of an item's guide, newest first."""
    return selectors.item_versions(code)


@router.get(
    f"{CODE_PATH}/versions/{{id:number}}",
    response={200: VersionOut, **ERRORS},
    summary="指南的某一版本",
)
def item_version(request: HttpRequest, code: str, number: int):
    """One published version with the changes from the version before it."""
    version = selectors.get_version(code, number)
    previous, changes = selectors.version_with_diff(version)
    version.previous_version = previous.number if previous else None
    version.changes = [change.as_dict() for change in changes]
    return version


@router.get("/themes", response={200: list[ThemeOut], **ERRORS}, summary="服务主题")
def themes(request: HttpRequest, audience: Audience | None = None):
    """The 31 natural-person and 34 legal-person themes in life-cycle order."""
    return list(selectors.themes(audience))


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS}, summary="实施机构")
def departments(request: HttpRequest, region: str | None = None):
    """Organisations with published items visible in ``region``, with their item counts."""
    try:
        return list(selectors.departments(region))
    except DomainError as exc:
        raise _named(exc, "region") from exc
