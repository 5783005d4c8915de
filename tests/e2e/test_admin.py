"""An operator signs in to the admin through the back office (password + 动态口令) and maintains
the working-day calendar there: enters a make-up workday of a year the package does not cover,
is stopped with a Chinese message on a wrong one, and the change is in the audit trail, whose
chain still verifies."""

import io
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from yiwang.accounts.tests.staff_helpers import enrol
from yiwang.core import workdays
from yiwang.core.models import AuditEvent


def test_operator_enters_a_2027_make_up_workday(demo_site, page: Page, shot):
    ops = get_user_model().objects.create_superuser("ops", "ops@example.cn", "Ops-pass-2026")
    totp = enrol(ops)
    # the admin signs in through the back office: password, then the 动态口令
    page.goto(demo_site.url + "/admin/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label("账号").fill("ops")
    page.get_by_label("密码").fill("Ops-pass-2026")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("动态口令").fill(totp.now())
    page.get_by_role("button", name="登录").click()

    page.get_by_role("link", name="节假日与调休").first.click()
    page.get_by_role("link", name="增加 节假日与调休").click()

    # a make-up workday on a Wednesday is refused, and what was typed stays in the form
    page.get_by_label("日期").fill("2027-02-03")
    page.get_by_label("类型").select_option(label="调休上班日")
    page.get_by_label("节日").fill("春节调休")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "调休上班日只能是周六或周日：2027-02-03 是周三"
    )
    expect(page.get_by_label("节日")).to_have_value("春节调休")
    shot(page, "admin-calendar-error")

    page.get_by_label("日期").fill("2027-02-06")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功")

    assert workdays.is_working_day(date(2027, 2, 6)) is True
    assert AuditEvent.objects.filter(action="calendar.day.create").count() == 1
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("审计链完整：共 ")
