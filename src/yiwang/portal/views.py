"""Portal pages: thin views that read selectors and render templates."""

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
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


# The two display preferences are CSRF-exempt on purpose: they only set a cookie of the
# visitor's own display (region, larger text) and redirect within the site, so a forged request
# can do no harm — and public pages without a CSRF token can be cached whole (page_cache).
@csrf_exempt
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


@csrf_exempt
@require_POST
def set_elder_mode(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(_next_url(request))
    preferences.remember_elder_mode(response, request.POST.get("on") == "1")
    return response


INTERACTIONS = {"consult": "咨询", "suggest": "建议", "complain": "投诉"}


@require_GET
def interaction(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in INTERACTIONS:
        raise Http404("没有这个页面")
    return render(request, "portal/interaction.html", {"kind": kind, "title": INTERACTIONS[kind]})


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The Chinese 404 page; it repeats the reason when a view gave one in Chinese ("实施编码为 …
    的事项不存在或未发布"), never Django's internal English messages."""
    reason = exception.args[0] if exception.args else ""
    reason = reason if isinstance(reason, str) and _CHINESE.search(reason) else ""
    return render(request, "404.html", {"reason": reason}, status=404)
