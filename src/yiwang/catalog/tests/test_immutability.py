"""A published guide says what it said when it was published: the 目录清单's 事项类型 and 设定依据
are copied into each version, a catalogue change reaches a guide only through its next
(reviewed) publication, with a diff, and only the province maintains the 目录清单."""

import importlib
import json

import pytest
from django.apps import apps

from yiwang.accounts.permissions import PermissionDenied, Role, grant_role
from yiwang.catalog import selectors, services
from yiwang.catalog.diff import Change
from yiwang.catalog.documents import guide_rows
from yiwang.catalog.models import BasicItem, ItemType, ItemVersion
from yiwang.regions.models import Region

from .conftest import NINGBO, ZHEJIANG
from .factories import ItemVersionFactory, StaffFactory

pytestmark = pytest.mark.django_db

OLD_BASIS = "《中华人民共和国行政许可法》第十二条"
NEW_BASIS = "《中华人民共和国食品安全法》第三十五条"
CATALOGUE_REFUSED = (
    "目录清单全省统一，只有省级事项审核员或平台管理员可以维护；如需调整，请联系省级事项审核员"
)


@pytest.fixture
def published(orgs, basic):
    return ItemVersionFactory(
        item__basic_item=basic, item__organization=orgs["haishu"], published=True
    )


def row(version, label):
    return dict(guide_rows(version))[label]


def api(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def test_publication_copies_the_catalogue_type_and_basis(published):
    assert (published.item_type.code, published.basic_legal_basis) == ("XK", OLD_BASIS)


def test_a_catalogue_change_leaves_every_published_guide_as_it_was(client, published, basic):
    services.update_basic_item(basic, item_type="GG", legal_basis=NEW_BASIS)
    code = published.item.code

    version = ItemVersion.objects.get(pk=published.pk)
    assert (row(version, "事项类型"), row(version, "设定依据")) == ("行政许可", OLD_BASIS)
    guide = api(client, f"/api/v1/items/{code}")
    assert (guide["item_type"], guide["basic_legal_basis"]) == (
        {"code": "XK", "name": "行政许可"},
        OLD_BASIS,
    )
    assert api(client, "/api/v1/items")["items"][0]["item_type"] == {
        "code": "XK",
        "name": "行政许可",
    }
    html = client.get(f"/items/{code}/").content.decode()
    assert f"{published.item.organization.name} · 行政许可</p>" in html
    assert OLD_BASIS in html
    assert NEW_BASIS not in html


def test_the_next_publication_takes_the_change_and_shows_it_in_the_diff(client, published, basic):
    services.update_basic_item(basic, item_type="GG", legal_basis=NEW_BASIS)
    draft = services.start_draft(published.item)
    expected = [
        Change("事项类型", "行政许可", "公共服务"),
        Change("设定依据", OLD_BASIS, NEW_BASIS),
    ]
    # the reviewer sees, before publishing, what the publication brings from the catalogue
    assert services.diff_versions(published, draft) == expected
    assert (draft.item_type, draft.basic_legal_basis) == (None, "")

    second = services.publish(draft)

    assert (second.item_type.code, second.basic_legal_basis) == ("GG", NEW_BASIS)
    assert selectors.version_with_diff(second)[1] == expected
    first = ItemVersion.objects.get(pk=published.pk)
    assert (row(first, "事项类型"), row(first, "设定依据")) == ("行政许可", OLD_BASIS)
    code = published.item.code
    assert api(client, f"/api/v1/items/{code}/versions/1")["basic_legal_basis"] == OLD_BASIS
    body = api(client, f"/api/v1/items/{code}/versions/2")
    assert (body["item_type"], body["basic_legal_basis"]) == (
        {"code": "GG", "name": "公共服务"},
        NEW_BASIS,
    )
    assert body["changes"] == [change.as_dict() for change in expected]


def test_the_copy_cannot_be_changed_on_a_published_version(published):
    published.basic_legal_basis = NEW_BASIS
    with pytest.raises(Exception, match="已发布，不能修改"):
        published.save()


@pytest.mark.parametrize(
    "scope",
    ["county department", "city region", "province department"],
)
def test_a_reviewer_below_the_province_cannot_touch_the_catalogue(orgs, basic, scope):
    if scope == "county department":  # like hs_market_checker
        user = StaffFactory(reviewer_of=orgs["haishu"])
    elif scope == "city region":
        user = StaffFactory(reviewer_of_region=Region.objects.get(code=NINGBO))
    else:  # a department's reviewer reviews its guides, not the whole province's list
        user = StaffFactory(reviewer_of=orgs["zhejiang"])

    with pytest.raises(PermissionDenied) as refused:
        services.update_basic_item(basic, actor=user, legal_basis=NEW_BASIS)
    assert refused.value.message == CATALOGUE_REFUSED
    with pytest.raises(PermissionDenied, match=CATALOGUE_REFUSED):
        services.create_basic_item(
            code="000117010000", name="新事项", item_type="XK", legal_basis=OLD_BASIS, actor=user
        )
    kind = ItemType.objects.get(code="XK")
    kind.name = "许可"
    with pytest.raises(PermissionDenied, match=CATALOGUE_REFUSED):
        services.save_code(kind, actor=user)
    assert BasicItem.objects.get(pk=basic.pk).legal_basis == OLD_BASIS
    assert ItemType.objects.get(code="XK").name == "行政许可"


def test_a_province_reviewer_or_platform_admin_maintains_the_catalogue(orgs, basic):
    province = StaffFactory(reviewer_of_region=Region.objects.get(code=ZHEJIANG))
    services.update_basic_item(basic, actor=province, legal_basis=NEW_BASIS)
    admin = StaffFactory()
    grant_role(admin, Role.PLATFORM_ADMIN)
    services.update_basic_item(basic, actor=admin, name="食品经营许可（含仅销售预包装食品备案）")

    basic.refresh_from_db()
    assert (basic.legal_basis, basic.name) == (NEW_BASIS, "食品经营许可（含仅销售预包装食品备案）")


def test_the_migration_fills_the_copy_of_versions_published_before_it(orgs, basic, published):
    draft = services.start_draft(published.item)
    ItemVersion.objects.filter(pk=published.pk).update(item_type=None, basic_legal_basis="")
    migration = importlib.import_module(
        "yiwang.catalog.migrations.0006_version_catalogue_facts_retirement_reason"
    )

    migration.copy_catalogue_facts(apps, None)

    published = ItemVersion.objects.get(pk=published.pk)
    assert (published.item_type.code, published.basic_legal_basis) == ("XK", OLD_BASIS)
    draft = ItemVersion.objects.get(pk=draft.pk)
    assert (draft.item_type, draft.basic_legal_basis) == (None, "")
