"""Withdrawing an item (取消事项): a 事项审核员 decides, with a reason, audited; the item leaves the
public lists but its published guides stay readable as history, saying it was retired."""

import json

import pytest
from django.utils import timezone

from yiwang.accounts.permissions import PermissionDenied
from yiwang.catalog import selectors, services
from yiwang.catalog.constants import ItemStatus
from yiwang.catalog.models import ServiceItem
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.models import AuditEvent

from .factories import ItemVersionFactory, StaffFactory

pytestmark = pytest.mark.django_db

REASON = "职能划转至宁波市海曙区行政审批局"


@pytest.fixture
def item(orgs, basic):
    first = ItemVersionFactory(
        item__basic_item=basic, item__organization=orgs["haishu"], published=True
    )
    ItemVersionFactory(item=first.item, published=True, promised_time_limit=3)
    return ServiceItem.objects.get(pk=first.item_id)


@pytest.fixture
def retired(item, reviewer):
    return services.retire_item(item, actor=reviewer, reason=REASON)


def today() -> str:
    now = timezone.localtime()
    return f"{now.year}年{now.month:02d}月{now.day:02d}日"


def test_the_editor_cannot_retire_an_item(item, editor):
    with pytest.raises(PermissionDenied) as refused:
        services.retire_item(item, actor=editor, reason=REASON)
    assert refused.value.message == "您不是宁波市海曙区市场监督管理局的事项审核员，不能取消该事项"
    assert ServiceItem.objects.get(pk=item.pk).status == ItemStatus.ACTIVE


def test_a_reviewer_of_another_region_cannot_retire_it(item, orgs):
    other = StaffFactory(reviewer_of=orgs["yuyao"])
    with pytest.raises(PermissionDenied, match="不能取消该事项"):
        services.retire_item(item, actor=other, reason=REASON)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_retirement_needs_a_reason(item, reviewer, reason):
    with pytest.raises(DomainError) as refused:
        services.retire_item(item, actor=reviewer, reason=reason)
    assert (refused.value.message, refused.value.field) == (
        "取消事项须填写取消原因（如职能划转、法律法规废止），以便公众和审计查阅",
        "retirement_reason",
    )
    assert ServiceItem.objects.get(pk=item.pk).status == ItemStatus.ACTIVE


def test_a_reviewer_retires_with_a_reason_kept_and_audited(item, reviewer):
    services.retire_item(item, actor=reviewer, reason=f"  {REASON} ")

    item.refresh_from_db()
    assert (item.status, item.retirement_reason) == (ItemStatus.RETIRED, REASON)
    event = AuditEvent.objects.get(action="catalog.item.retire")
    assert (event.actor, event.actor_label, event.object_id) == (
        f"user:{reviewer.pk}",
        str(reviewer),
        str(item.pk),
    )
    assert event.before == {"status": "active", "retired_at": None}
    assert (event.after["status"], event.after["reason"]) == ("retired", REASON)
    # a second request changes nothing and writes nothing
    services.retire_item(item, actor=reviewer, reason="再次取消")
    assert AuditEvent.objects.filter(action="catalog.item.retire").count() == 1
    assert ServiceItem.objects.get(pk=item.pk).retirement_reason == REASON


def test_the_published_guides_of_a_retired_item_stay_readable(retired):
    assert [v.number for v in selectors.item_versions(retired.code)] == [2, 1]
    assert selectors.get_version(retired.code, 1).number == 1
    with pytest.raises(NotFound) as missing:
        selectors.get_item(retired.code)
    assert missing.value.message == (
        f"实施编码为 {retired.code} 的事项已于{today()}取消，不再受理（取消原因：{REASON}）"
    )
    last = selectors.get_item(retired.code, include_retired=True)
    assert (last.current_version.number, last.is_public) == (2, False)


def test_version_pages_say_the_item_is_retired_and_offer_no_application(client, retired):
    for number in (1, 2):
        response = client.get(f"/items/{retired.code}/versions/{number}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<strong>该事项已取消</strong>" in html
        assert f"取消原因：{REASON}。以下是第{number}版办事指南" in html
        assert "/apply/" not in html
        assert "guide.pdf" not in html
        assert "这不是当前版本" not in html
    assert "（取消前的最后版本）" in html


def test_the_current_guide_of_a_retired_item_says_when_and_why(client, retired):
    # a bookmark or a printed guide's QR code still leads to the last guide, marked retired
    response = client.get(f"/items/{retired.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>该事项已取消</strong>" in html
    assert f"取消原因：{REASON}。" in html
    assert "/apply/" not in html and "guide.pdf" not in html
    # the PDF of the current guide is gone
    pdf = client.get(f"/items/{retired.code}/guide.pdf")
    assert pdf.status_code == 404
    assert f"已于{today()}取消，不再受理（取消原因：{REASON}）" in pdf.content.decode()


def test_the_api_serves_the_versions_of_a_retired_item(client, retired):
    response = client.get(f"/api/v1/items/{retired.code}/versions")
    assert response.status_code == 200
    assert [v["number"] for v in json.loads(response.content)] == [2, 1]
    response = client.get(f"/api/v1/items/{retired.code}/versions/1")
    assert (response.status_code, json.loads(response.content)["version"]) == (200, 1)
    response = client.get(f"/api/v1/items/{retired.code}")
    assert (response.status_code, json.loads(response.content)["detail"]) == (
        404,
        f"实施编码为 {retired.code} 的事项已于{today()}取消，不再受理（取消原因：{REASON}）",
    )
