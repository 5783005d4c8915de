"""/api/v1/items/search and /api/v1/items/suggest: finding service items.

Mounted before the catalogue router in ``yiwang.api.root``. A query longer than 100 characters
is a 400 problem with a Chinese message; a malformed parameter (page 0, an unknown service
object) a 422; an unknown region a 404.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.catalog import search as engine
from yiwang.catalog.badges import badges_from_facts
from yiwang.core.converters import MAX_ID
from yiwang.core.problems import Problem

router = Router(tags=["事项搜索"])

ERRORS = {400: Problem, 404: Problem, 422: Problem}


class SearchParams(Schema):
    q: str = Field(..., description="搜索词（最多 100 个字）；可为拼音或拼音首字母，如 yyzz")
    region: str | None = Field(
        None,
        description="用户所在区划（12 位或 6 位代码）：只列该区划及其上级区划和国家级的事项，"
        "本级优先",
        examples=["330203000000"],
    )
    object: Literal["person", "enterprise"] | None = Field(
        None, description="服务对象：person 自然人，enterprise 法人"
    )
    theme: str | None = Field(None, description="服务主题代码", max_length=8)
    department: int | None = Field(None, ge=1, le=MAX_ID, description="实施机构 id")
    page: int = Field(1, ge=1, le=engine.MAX_PAGE, description="页码（每页 20 条，最多 50 页）")


class Badges(Schema):
    item_type: str = Field(description="事项类型", examples=["行政许可"])
    fully_online: bool = Field(description="全程网办")
    max_visits: int = Field(description="到现场次数：1 为最多跑一次，0 为零跑动")
    depth_level: int = Field(description="网上办理深度 1–4（0：不能网上办理）")
    handling_scope: str = Field(description="通办范围：province / city / county / none")
    appointment: bool = Field(description="支持预约办理")
    express_delivery: bool = Field(description="支持物流快递")
    online_payment: bool = Field(description="支持网上支付")
    promised_days: int = Field(description="承诺办结时限（工作日，0 为即办件）")
    is_free: bool = Field(description="不收费")


class Label(Schema):
    key: str = Field(description="标签代码", examples=["fully_online"])
    label: str = Field(examples=["全程网办"])


class NamedRef(Schema):
    id: int | None
    name: str


class RegionRef(Schema):
    code: str = Field(description="12 位区划代码；国家级事项为空")
    name: str


class SearchHit(Schema):
    code: str = Field(description="31 位实施编码")
    name: str = Field(examples=["企业设立登记"])
    name_html: str = Field(
        description="事项名称，已转义的 HTML，命中词以 <mark> 标出（飘红）",
        examples=["企业设立<mark>登记</mark>"],
    )
    summary_html: str = Field(description="摘要（受理条件），同样转义并标出命中词")
    organization: NamedRef = Field(description="实施机构")
    region: RegionRef = Field(description="实施区划")
    badges: Badges
    labels: list[Label] = Field(description="结果卡片上显示的标签（与办事指南页同源）")


class SearchPage(Schema):
    query: str
    total: int = Field(description="命中的事项总数；超过 1000 时为 1000，且 total_exact 为 false")
    total_exact: bool = Field(description="total 是否为精确数")
    page: int
    page_size: int
    pages: int = Field(description="可翻的页数（最多 50）")
    interpreted_as: str | None = Field(
        None, description="按另一写法给出的结果（拼音、同音字），如 yyzz → 营业执照"
    )
    relaxed: bool = Field(description="没有同时包含全部词的事项时为 true：结果只包含部分词")
    results: list[SearchHit]


class Suggestions(Schema):
    query: str
    suggestions: list[str] = Field(description="最多 8 个事项名称或常用说法")


def _hit(result: engine.Result) -> dict:
    badges = {key: result.badges.get(key) for key in Badges.model_fields}
    return {
        "code": result.code,
        "name": result.name,
        "name_html": result.name_html,
        "summary_html": result.summary_html,
        "organization": {"id": result.organization_id, "name": result.organization_name},
        "region": {"code": result.region_code, "name": result.region_name},
        "badges": badges,
        "labels": [{"key": b.key, "label": b.label} for b in badges_from_facts(result.badges)],
    }


@router.get("/items/search", response={200: SearchPage, **ERRORS}, summary="搜索事项")
def search_items(request: HttpRequest, params: Query[SearchParams]):
    """Published items matching ``q``, best first: exact name, then name words, aliases,
    materials and conditions; synonyms expanded (开饭店 → 食品经营许可); pinyin accepted."""
    found = engine.search(
        params.q,
        region=params.region,
        audience=params.object,
        theme=params.theme,
        department=params.department,
        page=params.page,
    )
    return {
        "query": found.query,
        "total": found.total,
        "total_exact": found.total_exact,
        "page": found.page,
        "page_size": found.page_size,
        "pages": found.pages,
        "interpreted_as": found.interpreted_as,
        "relaxed": found.relaxed,
        "results": [_hit(result) for result in found.results],
    }


@router.get("/items/suggest", response={200: Suggestions, **ERRORS}, summary="搜索联想")
def suggest_items(request: HttpRequest, q: str = Query(..., description="已输入的文字或拼音")):
    """Up to 8 names for search-as-you-type; not logged."""
    return {"query": q, "suggestions": engine.suggest(q)}
