"""The visitor's display preferences: the chosen region and 长者模式.

Both live in long-lived cookies, not in the session, so an anonymous visitor gets them without a
database write and they survive signing in and out (an elderly user should not have to switch
large text on again on every visit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from yiwang.core.errors import DomainError
from yiwang.regions import selectors

REGION_COOKIE = "yw_region"
ELDER_COOKIE = "yw_elder"
COOKIE_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class RegionChoice:
    code: str
    name: str
    full_name: str
    level: str


@dataclass(frozen=True)
class Option:
    code: str
    label: str


def _choice(region) -> RegionChoice:
    return RegionChoice(region.code, region.name, region.full_name, region.level)


def current_region(request: HttpRequest) -> RegionChoice | None:
    """The region the visitor chose, or the deployment's home region; None before data exists."""
    cached = getattr(request, "_yw_region", False)
    if cached is not False:
        return cached
    region = None
    for code in (request.COOKIES.get(REGION_COOKIE), settings.HOME_REGION):
        if not code:
            continue
        try:
            region = _choice(selectors.get_region(code))
            break
        except DomainError:
            continue
    request._yw_region = region
    return region


WHOLE = {"province": "全省", "city": "全市", "county": "全区县"}


def region_options(region: RegionChoice | None) -> list[Option]:
    """The header's region list: the home region and its children; below the child that holds
    the chosen region, that child's own children; and the chosen township or village under its
    county, so every option sits under the region it belongs to.
    """
    try:
        home = selectors.get_region(settings.HOME_REGION)
    except DomainError:
        return []
    options = [Option(home.code, f"{home.name}（{WHOLE.get(home.level, '全部')}）")]
    # The chosen region's line from just below the home region down to itself.
    path: list[RegionChoice] = []
    if region is not None and region.code != home.code:
        line = [_choice(r) for r in selectors.region_ancestors(region.code)] + [region]
        codes = [r.code for r in line]
        path = line[codes.index(home.code) + 1 :] if home.code in codes else []
    for child in selectors.region_children(home.code):
        options.append(Option(child.code, child.name))
        if not path or path[0].code != child.code:
            continue
        for grandchild in selectors.region_children(child.code):
            options.append(Option(grandchild.code, f"\u3000{grandchild.name}"))
            if len(path) > 2 and path[1].code == grandchild.code:
                # a township or village chosen on the home page, under its county
                below = "".join(r.name for r in path[2:])
                options.append(Option(region.code, f"\u3000\u3000{below}"))
    return options


def remember_region(response: HttpResponse, code: str) -> None:
    response.set_cookie(REGION_COOKIE, code, max_age=COOKIE_AGE, samesite="Lax", httponly=True)


def elder_mode(request: HttpRequest) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def remember_elder_mode(response: HttpResponse, on: bool) -> None:
    if on:
        response.set_cookie(ELDER_COOKIE, "1", max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
