"""The badges of a guide (全程网办, 跑零次 / 最多跑一次, 可预约, 可快递, 可网上支付).

One definition for every channel: the portal's cards, the guide page and the search results
show the same words for the same facts (同源). :func:`badges_from_facts` reads the facts the
search index keeps per item (``fully_online``, ``max_visits``, ``appointment``,
``express_delivery``, ``online_payment``), :func:`badges` a guide version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from yiwang.catalog.models import ItemVersion

__all__ = ["Badge", "badges", "badges_from_facts"]


@dataclass(frozen=True)
class Badge:
    key: str  # stable code for styling and the API: fully_online, zero_visit, …
    label: str


def badges_from_facts(facts: Mapping) -> list[Badge]:
    found: list[Badge] = []
    if facts.get("fully_online"):
        found.append(Badge("fully_online", "全程网办"))
    visits = facts.get("max_visits")
    if visits == 0:
        found.append(Badge("zero_visit", "跑零次"))
    elif visits == 1:
        found.append(Badge("one_visit", "最多跑一次"))
    if facts.get("appointment"):
        found.append(Badge("appointment", "可预约"))
    if facts.get("express_delivery"):
        found.append(Badge("express", "可快递"))
    if facts.get("online_payment"):
        found.append(Badge("online_payment", "可网上支付"))
    return found


def badges(version: ItemVersion | None) -> list[Badge]:
    if version is None:
        return []
    return badges_from_facts(
        {
            "fully_online": version.is_fully_online,
            "max_visits": version.max_visits,
            "appointment": version.appointment_supported,
            "express_delivery": version.express_delivery_supported,
            "online_payment": version.online_payment_supported,
        }
    )
