"""Test data for cases: built through the services of each app, as real data is."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfgen import canvas

from yiwang.accounts.permissions import Role, grant_role
from yiwang.accounts.tests.persons_helpers import account, citizen
from yiwang.catalog.constants import OnlineDepth, StepRole
from yiwang.catalog.tests.factories import (
    FULL_DEPTH,
    ItemVersionFactory,
    ServiceItemFactory,
    StaffFactory,
)
from yiwang.regions.tests.factories import OrganizationFactory, ServiceHallFactory, WindowFactory


def pdf_bytes(text: str = "申请表") -> bytes:
    """A real one-page PDF."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text.encode("ascii", "replace").decode())
    page.save()
    return buffer.getvalue()


@dataclass
class World:
    hall: object
    window: object
    market: object
    clerk: object
    reviewer: object
    decider: object
    citizen: object
    online_item: object  # 全程网办, steps 受理 → 审查 → 决定 (+ 收件, 送达 added)
    prereview_item: object  # 原件预审
    check_item: object  # 原件核验


def _staff(username: str, name: str, role: Role, org):
    user = StaffFactory(username=username, name=name)
    grant_role(user, role, organization=org)
    return user


def _item(market, name: str, **version):
    item = ServiceItemFactory(organization=market, basic_item__name=name)
    ItemVersionFactory(item=item, name=name, published=True, **version)
    item.refresh_from_db()
    return item


def case_world() -> World:
    hall = ServiceHallFactory(name="海曙区行政服务中心", organization__name="海曙区政务服务中心")
    window = WindowFactory(hall=hall, number="A01", comprehensive=True)
    market = OrganizationFactory(name="宁波市海曙区市场监督管理局")
    world = World(
        hall=hall,
        window=window,
        market=market,
        clerk=_staff("clerk", "孙丽华", Role.WINDOW_CLERK, hall.organization),
        reviewer=_staff("reviewer", "许海波", Role.REVIEWER, market),
        decider=_staff("decider", "邵春华", Role.DECIDER, market),
        citizen=account(citizen(1, name="王晓明")),
        online_item=_item(market, "食品经营许可", fully_online=True),
        prereview_item=_item(
            market,
            "个体工商户登记",
            online_depth=[OnlineDepth.CONSULT, OnlineDepth.RECEIVE, OnlineDepth.PRE_REVIEW],
            max_visits=2,
        ),
        check_item=_item(
            market,
            "药品零售许可",
            online_depth=[d for d in FULL_DEPTH if d != OnlineDepth.RESULT_FEEDBACK],
        ),
    )
    # the online item has a review step too (the factory's guide has 受理 and 决定)
    from yiwang.catalog import services as catalog

    version = world.online_item.current_version
    draft = catalog.start_draft(world.online_item)
    catalog.add_step(draft, name="审查", role=StepRole.REVIEW, time_limit=2)
    catalog.publish(draft)
    world.online_item.refresh_from_db()
    del version
    return world
