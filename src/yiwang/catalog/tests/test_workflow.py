"""谁编制谁维护: an editor drafts, a reviewer of the organisation or its region publishes."""

import pytest

from yiwang.accounts.permissions import PermissionDenied
from yiwang.catalog import selectors, services
from yiwang.catalog.constants import VersionStatus
from yiwang.catalog.models import ItemVersion, Material
from yiwang.core.errors import Conflict, DomainError, NotFound
from yiwang.core.models import AuditEvent

from .factories import ItemVersionFactory, ServiceItemFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(orgs, basic):
    return ServiceItemFactory(basic_item=basic, organization=orgs["haishu"])


def complete(draft, actor):
    """Fill a first draft so that it passes the publishing rules."""
    services.update_draft(
        draft,
        actor=actor,
        service_objects=["person", "enterprise"],
        handling_forms=["window"],
        is_free=True,
        supervision_phone="12345",
        promised_time_limit=10,
        statutory_time_limit=20,
        themes=["E02"],
    )
    services.add_material(draft, actor=actor, name="申请书", legal_basis="《食品安全法》第三十五条")


def test_a_draft_is_invisible_until_a_reviewer_publishes_it(item, editor, reviewer):
    draft = services.start_draft(item, actor=editor)
    assert (draft.number, draft.name, draft.consultation_phone) == (
        1,
        "食品经营许可",
        "0574-88880000",
    )
    complete(draft, editor)
    assert list(selectors.public_items()) == []
    with pytest.raises(NotFound, match="不存在或未发布"):
        selectors.get_item(item.code)

    services.submit_for_review(draft, actor=editor)
    assert list(selectors.public_items()) == []
    services.publish(draft, actor=reviewer, opinion="同意")

    draft.refresh_from_db()
    assert (draft.status, draft.drafted_by_name, draft.reviewed_by_name, draft.review_opinion) == (
        VersionStatus.PUBLISHED,
        "张编制",
        "李审核",
        "同意",
    )
    assert [i.code for i in selectors.public_items()] == [item.code]
    assert selectors.get_item(item.code).current_version == draft
    actions = list(
        AuditEvent.objects.filter(object_type="item_version")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        ("catalog.draft.start", f"user:{editor.pk}"),
        ("catalog.draft.change", f"user:{editor.pk}"),
        ("catalog.submit", f"user:{editor.pk}"),
        ("catalog.publish", f"user:{reviewer.pk}"),
    ]


def test_the_old_version_stays_readable_with_its_diff(item, editor, reviewer):
    first = ItemVersionFactory(item=item, published=True)
    draft = services.start_draft(item, actor=editor)
    assert list(selectors.get_item(item.code).current_version.materials.all()) == list(
        first.materials.all()
    )
    services.update_draft(draft, actor=editor, promised_time_limit=3, themes=["P06"])
    card = draft.materials.get(name="居民身份证")
    services.update_material(card, actor=editor, copies=1)
    services.remove_material(draft.materials.get(name="申请表"), actor=editor)
    services.add_material(
        draft, actor=editor, name="健康证明", legal_basis="《食品安全法》第四十五条"
    )
    services.submit_for_review(draft, actor=editor)
    services.publish(draft, actor=reviewer)

    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert [(v.number, v.status) for v in selectors.item_versions(item.code)] == [
        (2, VersionStatus.PUBLISHED),
        (1, VersionStatus.SUPERSEDED),
    ]
    old = selectors.get_version(item.code, 1)
    assert old.promised_time_limit == 5
    assert [m.name for m in old.materials.all()] == ["申请表", "居民身份证"]
    previous, changes = selectors.version_with_diff(selectors.get_version(item.code, 2))
    assert previous.number == 1
    assert [c.as_dict() for c in changes] == [
        {"field": "承诺办结时限（工作日）", "old": "5", "new": "3"},
        {"field": "服务主题", "old": "", "new": "就业创业（自然人）"},
        {"field": "申请材料（删除）", "old": "申请表", "new": ""},
        {"field": "申请材料“居民身份证”的纸质材料份数", "old": "0", "new": "1"},
        {"field": "申请材料（新增）", "old": "", "new": "健康证明"},
        {"field": "办理项“新办”的所需材料", "old": "申请表、居民身份证", "new": "居民身份证"},
    ]


def test_a_reviewer_cannot_publish_their_own_draft(item, orgs):
    both = StaffFactory(editor_of=orgs["haishu"], reviewer_of=orgs["haishu"])
    draft = services.start_draft(item, actor=both)
    complete(draft, both)
    services.submit_for_review(draft, actor=both)
    with pytest.raises(PermissionDenied, match="编制人不能审核自己编制的版本"):
        services.publish(draft, actor=both)
    with pytest.raises(PermissionDenied, match="编制人不能审核自己编制的版本"):
        services.return_draft(draft, actor=both, opinion="不行")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED


def test_an_editor_of_another_organisation_is_refused(item, orgs):
    stranger = StaffFactory(editor_of=orgs["yuyao"])
    with pytest.raises(PermissionDenied, match="您不是宁波市海曙区市场监督管理局的事项编制员"):
        services.start_draft(item, actor=stranger)
    draft = ItemVersionFactory(item=item)
    with pytest.raises(PermissionDenied):
        services.update_draft(draft, actor=stranger, promised_time_limit=1)
    with pytest.raises(PermissionDenied):
        services.add_material(draft, actor=stranger, name="x", legal_basis="y")
    assert ItemVersion.objects.get(pk=draft.pk).promised_time_limit == 5


def test_a_reviewer_outside_the_region_is_refused(item, editor, orgs):
    yuyao_reviewer = StaffFactory(reviewer_of=orgs["yuyao"])
    draft = ItemVersionFactory(item=item, submitted=True)
    with pytest.raises(PermissionDenied, match="您不是宁波市海曙区市场监督管理局的事项审核员"):
        services.publish(draft, actor=yuyao_reviewer)


def test_return_needs_an_opinion_and_reopens_the_draft(item, editor, reviewer):
    draft = services.start_draft(item, actor=editor)
    complete(draft, editor)
    services.submit_for_review(draft, actor=editor)
    with pytest.raises(Conflict, match="只能修改草稿或已退回的版本"):
        services.update_draft(draft, actor=editor, working_hours="全天")
    with pytest.raises(DomainError, match="退回时须填写审核意见"):
        services.return_draft(draft, actor=reviewer, opinion=" ")
    services.return_draft(draft, actor=reviewer, opinion="请补充办理时间")
    draft.refresh_from_db()
    assert (draft.status, draft.review_opinion) == (VersionStatus.RETURNED, "请补充办理时间")
    services.update_draft(draft, actor=editor, working_hours="工作日 9:00–17:00")
    services.submit_for_review(draft, actor=editor)
    assert services.publish(draft, actor=reviewer).status == VersionStatus.PUBLISHED


def test_one_open_version_per_item(item):
    ItemVersionFactory(item=item)
    with pytest.raises(Conflict, match="事项已有未发布的版本（第1版，草稿）"):
        services.start_draft(item)


def test_published_versions_are_immutable(item):
    version = ItemVersionFactory(item=item, published=True)
    with pytest.raises(Conflict, match="只能修改草稿或已退回的版本"):
        services.update_draft(version, max_visits=0)
    with pytest.raises(Conflict):
        services.add_fee(version, name="工本费", standard="10元", legal_basis="x")
    version.max_visits = 0
    with pytest.raises(DomainError, match="已发布，不能修改"):
        version.save()
    material = Material.objects.filter(version=version).first()
    material.copies = 9
    with pytest.raises(DomainError, match="该版本已发布，不能修改其申请材料"):
        material.save()
    with pytest.raises(DomainError, match="该版本已发布，不能修改其申请材料"):
        material.delete()
    with pytest.raises(DomainError, match="已发布，不能删除"):
        version.delete()


def test_handling_items_choose_only_their_version_materials(item):
    first = ItemVersionFactory(item=item, published=True)
    draft = services.start_draft(item)
    with pytest.raises(DomainError, match="不属于本版本"):
        services.add_handling_item(draft, name="变更", materials=list(first.materials.all()))


def test_retired_item_leaves_the_public_list(item):
    ItemVersionFactory(item=item, published=True)
    services.retire_item(item, reason="职能划转")
    assert list(selectors.public_items()) == []
    assert AuditEvent.objects.filter(action="catalog.item.retire").count() == 1
    with pytest.raises(Conflict, match="已取消，不能编制新版本"):
        services.start_draft(item)


def test_publish_reindexes_the_item(item, monkeypatch):
    calls = []
    monkeypatch.setattr("yiwang.catalog.search.reindex_item", calls.append)
    ItemVersionFactory(item=item, published=True)
    assert calls == [item.id]
