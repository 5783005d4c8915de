"""The admin edits drafts through the services; the workflow buttons call them too."""

import pytest
from django.contrib.messages import get_messages

from yiwang.catalog import services
from yiwang.catalog.constants import VersionStatus

from .factories import ItemVersionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def admin_user(**roles):
    return StaffFactory(is_staff=True, is_superuser=True, **roles)


def url(version):
    return f"/admin/catalog/itemversion/{version.pk}/change/"


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_published_version_is_read_only_with_its_diff(client, orgs):
    first = ItemVersionFactory(item__organization=orgs["haishu"], published=True)
    second = ItemVersionFactory(item=first.item, published=True, promised_time_limit=3)
    client.force_login(admin_user(editor_of=orgs["haishu"]))
    page = client.get(url(second)).content.decode()
    assert "对比第1版" in page
    assert "<td>承诺办结时限（工作日）</td><td>5</td><td>3</td>" in page
    assert 'name="promised_time_limit"' not in page  # read-only


def test_editor_submits_and_reviewer_publishes_with_buttons(client, orgs, editor):
    draft = services.start_draft(
        ItemVersionFactory(item__organization=orgs["haishu"], published=True).item
    )
    client.force_login(admin_user(editor_of=orgs["haishu"]))
    page = client.get(url(draft)).content.decode()
    assert 'name="promised_time_limit"' in page and 'name="_catalog_submit"' in page
    response = client.post(url(draft), {"_catalog_submit": "1", "opinion": ""}, follow=True)
    assert texts(response) == [f"{draft}：提交审核成功"]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED

    client.force_login(admin_user(reviewer_of=orgs["haishu"]))
    response = client.post(url(draft), {"_catalog_return": "1", "opinion": ""})
    assert response.status_code == 200  # shown again with the refusal
    assert texts(response) == ["退回时须填写审核意见，告诉编制人需要修改什么"]
    response = client.post(url(draft), {"_catalog_publish": "1", "opinion": "同意"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.review_opinion) == (VersionStatus.PUBLISHED, "同意")


def test_publishing_rule_refusal_keeps_the_opinion(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"], submitted=True)
    draft.__class__.objects.filter(pk=draft.pk).update(max_visits=0)
    client.force_login(admin_user(reviewer_of=orgs["haishu"]))
    response = client.post(url(draft), {"_catalog_publish": "1", "opinion": "拟同意"})
    assert response.status_code == 200
    assert texts(response) == [
        "不符合发布规则“零跑动须支持快递”：到办事现场次数为0但未实现全程网办，"
        "须支持物流快递（材料和结果邮寄）"
    ]
    assert "拟同意</textarea>" in response.content.decode()


def test_a_user_without_the_role_sees_a_draft_read_only(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"])
    client.force_login(admin_user(editor_of=orgs["yuyao"]))
    page = client.get(url(draft)).content.decode()
    assert 'name="promised_time_limit"' not in page
