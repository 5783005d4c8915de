"""Pages of the catalogue: 个人办事 / 法人办事, themes, departments, the 办事指南 and its PDF.

Thin views: read through :mod:`yiwang.catalog.selectors`, render. Unknown items and versions are
Chinese 404 pages (the selectors raise NotFound, turned into Http404 here).
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from yiwang.cases.services import online_mode
from yiwang.catalog import search as search_engine
from yiwang.catalog import selectors
from yiwang.catalog.badges import badges, badges_from_facts
from yiwang.catalog.constants import Audience
from yiwang.catalog.documents import guide_pdf, guide_rows, labels
from yiwang.catalog.models import ItemVersion
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.qr import qr_svg
from yiwang.portal import page_cache, preferences

AUDIENCES = {
    Audience.PERSON: {"title": "个人办事", "url": "portal:personal"},
    Audience.ENTERPRISE: {"title": "法人办事", "url": "portal:enterprise"},
}
LEVEL_GROUPS = (
    ("national", "国家级"),
    ("province", "省级部门"),
    ("city", "市级部门"),
    ("county", "区县级部门"),
    ("township", "乡镇（街道）"),
)
PAGE_SIZE = 30


def _region_code(request: HttpRequest) -> str | None:
    """The region that narrows the catalogue, or None for the whole deployment.

    The home region (浙江省, labelled "浙江省（全省）", every first-time visitor's default) means
    the whole province: the items of its cities, counties and townships too, not only those of
    the province's own departments, or a new visitor would find almost nothing (结婚 is a
    county item). Only a region chosen below it restricts and ranks.
    """
    region = preferences.current_region(request)
    if region is None or region.code == settings.HOME_REGION:
        return None
    return region.code


def _cards(items) -> list[dict]:
    return [{"item": item, "badges": badges(item.current_version)} for item in items]


@require_GET
def audience(request: HttpRequest, kind: str) -> HttpResponse:
    """个人办事 / 法人办事: themes in life-cycle order, departments by level, hot services."""
    region = _region_code(request)
    departments = list(selectors.departments(region))
    groups = [
        (label, [d for d in departments if d.level == level]) for level, label in LEVEL_GROUPS
    ]
    return render(
        request,
        "portal/catalog/audience.html",
        {
            "kind": kind,
            "audience": AUDIENCES[kind]["title"],
            "themes": selectors.themes(kind),
            "department_groups": [(label, orgs) for label, orgs in groups if orgs],
            "hot": _cards(_hot_services(region, kind)),
            "whole_region": region is None,
        },
    )


HOT_SERVICES = 8


def _hot_services(region: str | None, kind: str) -> list:
    """热门服务: the items most clicked and applied for lately (``yiwang search hot`` keeps the
    scores); before any have been, the most applied-for and viewed items of all time."""
    hot = [
        entry.item_id
        for entry in search_engine.hot_items(region, audience=kind, limit=HOT_SERVICES)
        if entry.hot_score > 0
    ]
    if hot:
        # The cards show the guide's badges: load the items, keeping the order of the scores.
        found = {item.pk: item for item in selectors.public_items().filter(pk__in=hot)}
        return [found[pk] for pk in hot if pk in found]
    return [
        item
        for item in selectors.popular_items(region, limit=HOT_SERVICES * 3)
        if kind in item.current_version.service_objects
    ][:HOT_SERVICES]


def personal(request: HttpRequest) -> HttpResponse:
    return audience(request, Audience.PERSON)


def enterprise(request: HttpRequest) -> HttpResponse:
    return audience(request, Audience.ENTERPRISE)


def _paged(request: HttpRequest, queryset):
    """One page of ``queryset``. A page that is not a number shows the first page and one beyond
    the last (an old link after items were retired, or a typed huge number, which the database
    cannot even take as an offset) shows the last one: a citizen gets items, never an error."""
    total = queryset.count()
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        page = 1
    items = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return items, {"page": page, "pages": pages, "total": total}


@require_GET
def theme(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.themes().filter(code=code).first()
    upper = code.upper()
    if found is None and code != upper and selectors.themes().filter(code=upper).exists():
        # /themes/p01/ typed or shared in lower case: one address per theme
        url = reverse("portal:theme", args=[upper])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url, permanent=True)
    if found is None:
        raise Http404("没有这个主题")
    region = _region_code(request)
    items, paging = _paged(
        request,
        selectors.public_items(region=region, theme=found, service_object=found.audience),
    )
    return render(
        request,
        "portal/catalog/item_list.html",
        {
            "title": found.name,
            "crumb": AUDIENCES[found.audience],
            "cards": _cards(items),
            "paging": paging,
            "whole_region": region is None,
        },
    )


@require_GET
def department(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.departments().filter(pk=pk).first()
    if organization is None:
        raise Http404("该部门没有公开的事项")
    items, paging = _paged(request, selectors.public_items(department=organization))
    return render(
        request,
        "portal/catalog/item_list.html",
        {
            "title": organization.name,
            "subtitle": organization.address,
            "cards": _cards(items),
            "paging": paging,
            # a department's items are listed wherever the visitor is
            "whole_region": True,
        },
    )


def _item_or_404(code: str):
    try:
        return selectors.get_item(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _version_or_404(code: str, number: int) -> ItemVersion:
    try:
        return selectors.get_version(code, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@functools.lru_cache(maxsize=4096)
def _qr(url: str, title: str) -> str:
    # A QR code depends only on its text; drawing one costs milliseconds, so draw each once.
    return qr_svg(url, title=title)


def _guide_context(request: HttpRequest, item, version: ItemVersion, *, current: bool) -> dict:
    # ``item`` is the one the selector loaded with its organisation and type: reading
    # ``version.item`` instead would fetch them again.
    version.item = item
    page_url = request.build_absolute_uri(reverse("portal:item", args=[item.code]))
    return {
        "item": item,
        "version": version,
        "current": current,
        "rows": guide_rows(version),
        "badges": badges(version),
        "service_objects": labels(version, "service_objects"),
        "materials": list(version.materials.all()),
        "steps": list(version.steps.all()),
        "handling_items": list(version.handling_items.all()),
        "versions": selectors.published_versions(item),
        "qr": _qr(page_url, f"{version.name} 办事指南页面二维码"),
        "page_url": page_url,
        "audience": AUDIENCES.get(version.service_objects[0] if version.service_objects else ""),
        # 在线办理 starts an application (portal.cases.apply.start) only when the guide allows
        # handling online; otherwise the page says so instead of offering the button.
        "online_mode": online_mode(version),
    }


@require_GET
def item(request: HttpRequest, code: str) -> HttpResponse:
    """The 办事指南 of the current version (cached for anonymous visitors, see page_cache)."""

    def render_page() -> HttpResponse:
        # A retired item keeps its page: a bookmark or the QR code of a printed guide leads to
        # the last guide with "该事项已取消", when and why (the template drops 在线办理 and PDF).
        try:
            found = selectors.get_item(code, include_retired=True)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        context = _guide_context(request, found, found.current_version, current=True)
        return render(request, "portal/catalog/guide.html", context)

    response = page_cache.cached_page(request, render_page)
    if response.status_code == 200:
        page_cache.count_view_later(code)
    return response


@require_GET
def item_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """An earlier (or the current) published version, with what changed from the one before."""
    version = _version_or_404(code, number)
    previous, changes = selectors.version_with_diff(version)
    context = _guide_context(
        request, version.item, version, current=version.item.current_version_id == version.pk
    )
    context.update({"previous": previous, "changes": changes})
    return render(request, "portal/catalog/guide.html", context)


@require_GET
def item_pdf(request: HttpRequest, code: str) -> HttpResponse:
    found = _item_or_404(code)
    version = found.current_version
    url = request.build_absolute_uri(reverse("portal:item", args=[found.code]))
    data = guide_pdf(version, url=url, site_name=settings.SITE_NAME)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{version.name}-办事指南-第{version.number}版.pdf"
    response["Content-Disposition"] = _disposition("inline", filename)
    return response


FILE_FIELDS = {"form": "blank_form", "sample": "sample"}


def _guide_version(code: str, number: int | None) -> ItemVersion:
    """The current guide, or the published version ``number`` (the API links each version's
    own files, which stay downloadable after a newer version replaces them)."""
    if number is None:
        return _item_or_404(code).current_version
    return _version_or_404(code, number)


@require_GET
def material_file(
    request: HttpRequest, code: str, material: int, kind: str, number: int | None = None
) -> FileResponse:
    """Download a material's blank form or sample from the guide (one-click download, guide
    ch. 4 (二) 3). Served by the application so it works without a media server."""
    version = _guide_version(code, number)
    entry = next((m for m in version.materials.all() if m.pk == material), None)
    field = FILE_FIELDS.get(kind)
    stored = getattr(entry, field) if entry is not None and field else None
    if not stored:
        raise Http404("没有这份文件")
    suffix = PurePosixPath(stored.name).suffix
    label = "空白表格" if kind == "form" else "示例样表"
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = _disposition("attachment", f"{entry.name}-{label}{suffix}")
    return response


@require_GET
def result_sample(request: HttpRequest, code: str, number: int | None = None) -> FileResponse:
    version = _guide_version(code, number)
    stored = version.result_sample
    if not stored:
        raise Http404("没有结果样本")
    suffix = PurePosixPath(stored.name).suffix
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = _disposition(
        "attachment", f"{version.result_name or '结果'}-样本{suffix}"
    )
    return response


def _disposition(kind: str, filename: str) -> str:
    # RFC 6266/5987: browsers take the UTF-8 name; the ASCII fallback keeps old clients working.
    fallback = f"guide{PurePosixPath(filename).suffix}"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


SEARCH_AUDIENCES = {"person": "个人", "enterprise": "法人"}
HOT_SEARCHES = 8


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search page: results of the visitor's region and above (of the whole province when
    no region below it is chosen), best first, hits marked; 热门搜索 under the filters."""
    query = request.GET.get("q", "")
    audience = request.GET.get("object") if request.GET.get("object") in SEARCH_AUDIENCES else None
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    region = _region_code(request)
    context = {
        "query": query.strip(),
        "object": audience,
        "audiences": SEARCH_AUDIENCES,
        "whole_region": region is None,
        "hot_searches": search_engine.hot_searches(HOT_SEARCHES),
    }
    status = 200
    if query.strip():
        try:
            found = search_engine.search(query, region=region, audience=audience, page=page)
        except DomainError as exc:
            # Too long, or a page beyond the last: say so, keep what was typed.
            context["error"] = exc.message
            status = 400
        else:
            context["results"] = found
            context["cards"] = [
                {"result": result, "badges": badges_from_facts(result.badges)}
                for result in found.results
            ]
    return render(request, "portal/search.html", context, status=status)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type (htmx): up to 8 names starting with what was typed."""
    query = request.GET.get("q", "")
    try:
        names = search_engine.suggest(query) if query.strip() else []
    except DomainError:
        names = []
    return render(request, "portal/catalog/_suggestions.html", {"names": names, "query": query})


@require_GET
def search_go(request: HttpRequest, code: str) -> HttpResponse:
    """A search result opened: count the click (热门服务 and the ranking's popularity read the
    counts, see ``yiwang search hot``), then go to the guide. Only the item is recorded, nothing
    about the visitor or the query."""
    pk = selectors.public_items().filter(code=code.strip().upper()).values_list("pk", flat=True)
    found = pk.first()
    if found is None:
        raise Http404(f"实施编码为 {code} 的事项不存在或未发布")
    search_engine.record_click(found)
    return redirect("portal:item", code=code.strip().upper())
