"""Portal pages: thin views that read selectors and render templates."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from yiwang.core.errors import DomainError
from yiwang.portal import preferences
from yiwang.regions import selectors

CHILD_LEVEL_NAMES = {
    "province": "市",
    "city": "区县",
    "county": "乡镇（街道）",
    "township": "村（社区）",
}


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or reverse("portal:home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("portal:home")
    return target


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    region = preferences.current_region(request)
    children = list(selectors.region_children(region.code)) if region else []
    return render(
        request,
        "portal/home.html",
        {
            "region_children": children,
            "region_child_level": CHILD_LEVEL_NAMES.get(region.level, "") if region else "",
        },
    )


@require_POST
def set_region(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(_next_url(request))
    try:
        region = selectors.get_region(request.POST.get("region", ""))
    except DomainError:
        # An unknown code changes nothing; the page shows the region that is still in force.
        return response
    preferences.remember_region(response, region.code)
    return response


@require_POST
def set_elder_mode(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(_next_url(request))
    preferences.remember_elder_mode(response, request.POST.get("on") == "1")
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "portal/search.html", {"query": query})


@require_GET
def personal(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/audience.html", {"audience": "个人办事", "kind": "person"})


@require_GET
def enterprise(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/audience.html", {"audience": "法人办事", "kind": "enterprise"})


INTERACTIONS = {"consult": "咨询", "suggest": "建议", "complain": "投诉"}


@require_GET
def interaction(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in INTERACTIONS:
        raise Http404("没有这个页面")
    return render(request, "portal/interaction.html", {"kind": kind, "title": INTERACTIONS[kind]})
