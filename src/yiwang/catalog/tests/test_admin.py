"""The admin edits drafts through the services; the workflow buttons call them too. Catalogue
staff use it with their roles alone (no Django superuser, no model permissions)."""

import pytest
from django.contrib.messages import get_messages
from django.db.models.fields.files import FieldFile

from yiwang.accounts.services.staff_auth import STAFF_VERIFIED_SESSION_KEY
from yiwang.catalog import services
from yiwang.catalog.constants import VersionStatus
from yiwang.catalog.models import ItemVersion

from .factories import ItemVersionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def admin_user(**roles):
    return StaffFactory(is_staff=True, is_superuser=True, **roles)


def catalogue_staff(**roles):
    return StaffFactory(is_staff=True, **roles)


def sign_in(client, user):
    """Signed in as the back office leaves a session: both factors passed."""
    client.force_login(user)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = user.pk
    session.save()
    return client


def url(version):
    return f"/admin/catalog/itemversion/{version.pk}/change/"


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_published_version_is_read_only_with_its_diff(client, orgs):
    first = ItemVersionFactory(item__organization=orgs["haishu"], published=True)
    second = ItemVersionFactory(item=first.item, published=True, promised_time_limit=3)
    sign_in(client, admin_user(editor_of=orgs["haishu"]))
    page = client.get(url(second)).content.decode()
    assert "对比第1版" in page
    assert "<td>承诺办结时限（工作日）</td><td>5</td><td>3</td>" in page
    assert 'name="promised_time_limit"' not in page  # read-only


def test_editor_submits_and_reviewer_publishes_with_buttons(client, orgs, editor):
    draft = services.start_draft(
        ItemVersionFactory(item__organization=orgs["haishu"], published=True).item
    )
    sign_in(client, admin_user(editor_of=orgs["haishu"]))
    page = client.get(url(draft)).content.decode()
    assert 'name="promised_time_limit"' in page and 'name="_catalog_submit"' in page
    response = client.post(url(draft), {"_catalog_submit": "1", "opinion": ""}, follow=True)
    assert texts(response) == [f"{draft}：提交审核成功"]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED

    sign_in(client, admin_user(reviewer_of=orgs["haishu"]))
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
    sign_in(client, admin_user(reviewer_of=orgs["haishu"]))
    response = client.post(url(draft), {"_catalog_publish": "1", "opinion": "拟同意"})
    assert response.status_code == 200
    assert texts(response) == [
        "不符合发布规则“零跑动须支持快递”：到办事现场次数为0但未实现全程网办，"
        "须支持物流快递（材料和结果邮寄）"
    ]
    assert "拟同意</textarea>" in response.content.decode()


def test_a_user_without_the_role_sees_a_draft_read_only(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"])
    sign_in(client, admin_user(editor_of=orgs["yuyao"]))
    page = client.get(url(draft)).content.decode()
    assert 'name="promised_time_limit"' not in page


def form_data(response) -> dict:
    """What the browser would post back unchanged: the version form and every inline form with
    their initial values, and the inlines' management forms."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue  # an unticked box and an unchanged file are not posted
            key = form.add_prefix(name)
            data[key] = "on" if value is True else value if isinstance(value, list) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def inline_key(response, model, row: int, name: str) -> str:
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )
    return formset.forms[row].add_prefix(name)


def test_a_draft_saves_through_its_change_form_with_checkboxes(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"], with_fee=True)
    sign_in(client, catalogue_staff(editor_of=orgs["haishu"]))
    page = client.get(url(draft))
    html = page.content.decode()
    assert (
        '<input type="checkbox" name="service_objects" value="person" '
        'id="id_service_objects_0" checked>\n 自然人</label>'
    ) in html
    assert 'name="online_depth" value="pre_review"' in html
    assert "['person']" not in html

    data = form_data(page)
    data["service_objects"] = ["person", "enterprise"]
    data[inline_key(page, draft.materials.model, 0, "notes")] = "原件核验后退还"
    data[inline_key(page, draft.fees.model, 0, "standard")] = "每证5元"
    response = client.post(url(draft), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft = ItemVersion.objects.get(pk=draft.pk)
    assert draft.service_objects == ["person", "enterprise"]
    assert draft.online_depth == ["consult", "receive", "pre_review"]  # kept as posted
    assert draft.promised_time_limit == 5
    assert [m.notes for m in draft.materials.order_by("order", "pk")] == ["原件核验后退还", ""]
    assert [f.standard for f in draft.fees.all()] == ["每证5元"]


def test_catalogue_editor_drafts_and_reviewer_publishes_without_superuser(client, orgs):
    item = ItemVersionFactory(item__organization=orgs["haishu"], published=True).item
    editor = catalogue_staff(editor_of=orgs["haishu"])
    sign_in(client, editor)
    home = client.get("/admin/").content.decode()
    assert '<a href="/admin/catalog/serviceitem/">实施清单</a>' in home
    response = client.post(
        "/admin/catalog/serviceitem/",
        {"action": "start_drafts", "_selected_action": [item.pk]},
        follow=True,
    )
    draft = ItemVersion.objects.get(item=item, status=VersionStatus.DRAFT)
    assert texts(response) == [f"已为{item}新建草稿：第2版"]
    page = client.get(url(draft))
    data = form_data(page)
    data["promised_time_limit"] = "3"
    assert client.post(url(draft), data).status_code == 302
    response = client.post(url(draft), {"_catalog_submit": "1", "opinion": ""}, follow=True)
    assert texts(response)[-1] == f"{draft}：提交审核成功"

    sign_in(client, catalogue_staff(reviewer_of=orgs["haishu"]))
    page = client.get(url(draft)).content.decode()
    assert 'name="_catalog_publish"' in page
    assert 'name="promised_time_limit"' not in page  # a reviewer does not edit
    response = client.post(url(draft), {"_catalog_publish": "1", "opinion": "同意"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.promised_time_limit, draft.drafted_by) == (
        VersionStatus.PUBLISHED,
        3,
        editor,
    )


def test_catalogue_staff_see_only_their_organisations(client, orgs):
    haishu = ItemVersionFactory(item__organization=orgs["haishu"])
    yuyao = ItemVersionFactory(item__organization=orgs["yuyao"])
    sign_in(client, catalogue_staff(editor_of=orgs["yuyao"]))
    listing = client.get("/admin/catalog/itemversion/")
    assert list(listing.context["cl"].result_list) == [yuyao]
    assert client.get(url(haishu)).status_code == 302  # Django's "does not exist" redirect
    assert client.post(url(haishu), {"_catalog_submit": "1"}).status_code == 403
    haishu.refresh_from_db()
    assert haishu.status == VersionStatus.DRAFT
    # 目录清单 and code lists: an editor looks, a reviewer keeps them
    assert client.get("/admin/catalog/basicitem/").status_code == 200
    assert client.get("/admin/catalog/basicitem/add/").status_code == 403


def test_staff_without_a_catalogue_role_cannot_open_the_catalogue(client, orgs):
    draft = ItemVersionFactory(item__organization=orgs["haishu"])
    sign_in(client, catalogue_staff())
    assert client.get("/admin/catalog/itemversion/").status_code == 403
    assert client.get(url(draft)).status_code == 403


def test_read_only_version_shows_chinese_labels(client, orgs):
    version = ItemVersionFactory(
        item__organization=orgs["haishu"], published=True, service_objects=["person", "enterprise"]
    )
    sign_in(client, catalogue_staff(reviewer_of=orgs["haishu"]))
    html = client.get(url(version)).content.decode()
    assert '<div class="readonly">自然人、法人</div>' in html
    assert '<div class="readonly">窗口办理、网上办理</div>' in html
    assert '<div class="readonly">互联网咨询、互联网收件、互联网预审</div>' in html
    assert "person, enterprise" not in html


def test_a_reviewer_retires_an_item_with_a_reason(client, orgs):
    item = ItemVersionFactory(item__organization=orgs["haishu"], published=True).item
    sign_in(client, catalogue_staff(reviewer_of=orgs["haishu"]))
    choose = {"action": "retire_items", "_selected_action": [item.pk]}
    page = client.post("/admin/catalog/serviceitem/", choose).content.decode()
    assert "取消原因（必填" in page and str(item) in page
    empty = client.post("/admin/catalog/serviceitem/", {**choose, "apply": "1", "reason": " "})
    assert (
        "取消事项须填写取消原因（如职能划转、法律法规废止），以便公众和审计查阅"
        in empty.content.decode()
    )
    item.refresh_from_db()
    assert item.retired_at is None
    done = client.post(
        "/admin/catalog/serviceitem/",
        {**choose, "apply": "1", "reason": "职能划转至市级"},
        follow=True,
    )
    assert texts(done) == [f"已取消{item}"]
    item.refresh_from_db()
    assert (item.retired_at is not None, item.retirement_reason) == (True, "职能划转至市级")
