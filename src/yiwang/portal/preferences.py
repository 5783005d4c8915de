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


def region_options(region: RegionChoice | None) -> list[Option]:
    """The header's region list: the province and its cities, plus the counties of the chosen
    city (the portal shows items of the chosen region and the levels above it)."""
    try:
        home = selectors.get_region(settings.HOME_REGION)
    except DomainError:
        return []
    options = [Option(home.code, f"{home.name}（全省）")]
    city_code = None
    if region is not None and region.code != home.code:
        ancestors = [r.code for r in selectors.region_ancestors(region.code)] + [region.code]
        city_code = ancestors[1] if len(ancestors) > 1 else None
    for city in selectors.region_children(home.code):
        options.append(Option(city.code, city.name))
        if city.code == city_code:
            for county in selectors.region_children(city.code):
                options.append(Option(county.code, f"\u3000{county.name}"))
    if region is not None and region.code not in {o.code for o in options}:
        # A township or village chosen on the home page stays visible in the list.
        options.append(Option(region.code, f"\u3000\u3000{region.name}"))
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
