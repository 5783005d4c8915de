"""The working-day clock on the real 2025 and 2026 schedules (国务院办公厅放假安排)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.core import workdays
from yiwang.core.errors import DomainError
from yiwang.core.models import AuditEvent, CalendarDay, CalendarDaySource
from yiwang.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def calendar():
    # The migration seeds these years, but a transactional test earlier in the run flushes every
    # table; seeding again is idempotent.
    workdays.clear_cache()
    workdays.seed_from_package([2025, 2026])
    yield
    workdays.clear_cache()


# --- 2025 ----------------------------------------------------------------------------------


def test_2025_spring_festival_week():
    # 春节 2025-01-28 (Tue) … 02-04 (Tue); make-up days 01-26 (Sun) and 02-08 (Sat).
    assert is_working_day(D(2025, 1, 26))
    assert not is_working_day(D(2025, 1, 25))  # an ordinary Saturday
    assert not is_working_day(D(2025, 1, 28))
    assert not is_working_day(D(2025, 2, 4))
    assert is_working_day(D(2025, 2, 5))
    assert is_working_day(D(2025, 2, 8))
    assert not is_working_day(D(2025, 2, 9))

    friday = D(2025, 1, 24)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == D(2025, 1, 26)
    assert add_working_days(friday, 2) == D(2025, 1, 27)
    assert add_working_days(friday, 3) == D(2025, 2, 5)
    assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_working_days(D(2025, 1, 27), 4) == D(2025, 2, 8)
    assert add_working_days(D(2025, 1, 27), 5) == D(2025, 2, 10)
    assert next_working_day(D(2025, 1, 27)) == D(2025, 2, 5)

    assert working_days_between(friday, D(2025, 2, 10)) == 7
    assert working_days_between(D(2025, 1, 27), D(2025, 2, 4)) == 0
    assert working_days_between(D(2025, 2, 10), friday) == -7


def test_twenty_working_days_across_spring_festival():
    # 《行政许可法》第四十二条: a decision within 20 (working) days of acceptance. Accepted on
    # Monday 2025-01-20 → 21,22,23,24, 26(Sun), 27, 02-05,06,07, 08(Sat), 10–14, 17–21.
    assert add_working_days(D(2025, 1, 20), 20) == D(2025, 2, 21)
    assert working_days_between(D(2025, 1, 20), D(2025, 2, 21)) == 20
    assert working_days_between(D(2025, 1, 20), D(2025, 2, 20)) == 19


def test_2025_national_day_week():
    # 国庆节+中秋节 2025-10-01 (Wed) … 10-08 (Wed); make-up days 09-28 (Sun) and 10-11 (Sat).
    friday = D(2025, 9, 26)
    assert [add_working_days(friday, n) for n in range(1, 8)] == [
        D(2025, 9, 28),
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),
        D(2025, 10, 10),
        D(2025, 10, 11),
        D(2025, 10, 13),
    ]
    assert working_days_between(friday, D(2025, 10, 13)) == 7
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert next_working_day(D(2025, 9, 30)) == D(2025, 10, 9)
    assert not is_working_day(D(2025, 10, 6))  # 中秋节 inside the 国庆 period


def test_a_non_working_start_day_counts_from_the_next_working_day():
    # Submitted online on Saturday 2025-02-01 (inside 春节): day 1 is Wednesday 02-05.
    assert add_working_days(D(2025, 2, 1), 1) == D(2025, 2, 5)
    # Submitted on Sunday 2025-01-26, itself a make-up working day: it still does not count.
    assert add_working_days(D(2025, 1, 26), 1) == D(2025, 1, 27)


# --- 2026 (国务院办公厅关于2026年部分节假日安排的通知, as in chinesecalendar 1.11) ------------


def test_2026_schedule_exactly():
    assert sorted(d for d, working in workdays.year_exceptions(2026).items() if working) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    weekday_holidays = sorted(
        d
        for d, working in workdays.year_exceptions(2026).items()
        if not working and d.weekday() < 5
    )
    assert weekday_holidays == [
        D(2026, 1, 1),
        D(2026, 1, 2),
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        D(2026, 2, 23),
        D(2026, 4, 6),
        D(2026, 5, 1),
        D(2026, 5, 4),
        D(2026, 5, 5),
        D(2026, 6, 19),
        D(2026, 9, 25),
        D(2026, 10, 1),
        D(2026, 10, 2),
        D(2026, 10, 5),
        D(2026, 10, 6),
        D(2026, 10, 7),
    ]


def test_new_year_2026_across_the_year_boundary():
    # 元旦 2026-01-01 (Thu) … 01-03 (Sat); make-up Sunday 01-04.
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 5)
    assert working_days_between(D(2025, 12, 30), D(2026, 1, 5)) == 3


def test_2026_spring_festival():
    # 春节 2026-02-15 (Sun) … 02-23 (Mon); make-up Saturdays 02-14 and 02-28.
    thursday = D(2026, 2, 12)
    assert add_working_days(thursday, 1) == D(2026, 2, 13)
    assert add_working_days(thursday, 2) == D(2026, 2, 14)
    assert add_working_days(thursday, 3) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert add_working_days(D(2026, 2, 24), 4) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 24), 5) == D(2026, 3, 2)


def test_2026_labour_day():
    # 劳动节 2026-05-01 (Fri) … 05-05 (Tue); make-up Saturday 05-09.
    assert add_working_days(D(2026, 4, 30), 1) == D(2026, 5, 6)
    assert add_working_days(D(2026, 4, 30), 4) == D(2026, 5, 9)
    assert working_days_between(D(2026, 4, 30), D(2026, 5, 11)) == 5


def test_2026_mid_autumn_and_national_day():
    # 中秋节 09-25 (Fri) … 09-27; 国庆节 10-01 (Thu) … 10-07; make-up 09-20 (Sun), 10-10 (Sat).
    friday = D(2026, 9, 18)
    assert add_working_days(friday, 1) == D(2026, 9, 20)
    assert add_working_days(friday, 5) == D(2026, 9, 24)
    assert add_working_days(friday, 6) == D(2026, 9, 28)
    assert add_working_days(friday, 8) == D(2026, 9, 30)
    assert add_working_days(friday, 9) == D(2026, 10, 8)
    assert add_working_days(friday, 11) == D(2026, 10, 10)
    assert add_working_days(friday, 12) == D(2026, 10, 12)
    assert working_days_between(friday, D(2026, 10, 12)) == 12


def test_working_days_per_year():
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


# --- consistency ---------------------------------------------------------------------------


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(min_value=D(2024, 6, 1), max_value=D(2027, 6, 30)),
    n=st.integers(min_value=0, max_value=300),
)
def test_add_and_between_agree(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n
    if n:
        assert is_working_day(end)
        # The day before the result is still short of n working days.
        assert working_days_between(start, end - datetime.timedelta(days=1)) == n - 1


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(min_value=D(2024, 12, 1), max_value=D(2026, 12, 31)),
    days=st.integers(min_value=0, max_value=120),
)
def test_between_counts_day_by_day(start, days):
    end = start + datetime.timedelta(days=days)
    expected = sum(is_working_day(start + datetime.timedelta(days=i)) for i in range(1, days + 1))
    assert working_days_between(start, end) == expected


def test_datetimes_and_negative_counts_are_refused():
    with pytest.raises(TypeError, match="expected a date"):
        is_working_day(datetime.datetime(2025, 1, 27, 23, 30))
    with pytest.raises(ValueError, match="n must be zero or positive"):
        add_working_days(D(2025, 1, 27), -1)


# --- editing the calendar ------------------------------------------------------------------


def test_manual_edit_changes_the_result():
    monday = D(2025, 3, 3)
    assert add_working_days(D(2025, 2, 28), 1) == monday
    workdays.save_calendar_day(
        CalendarDay(date=monday, kind="holiday", name="临时调整", note="测试"), actor="user:7"
    )
    assert not is_working_day(monday)
    assert add_working_days(D(2025, 2, 28), 1) == D(2025, 3, 4)
    event = AuditEvent.objects.get(action="calendar.day.create")
    assert (event.actor, event.object_id, event.before) == ("user:7", "2025-03-03", None)
    assert event.after["kind"] == "holiday"


def test_correcting_a_seeded_day_survives_reseeding():
    makeup = CalendarDay.objects.get(date=D(2025, 2, 8))
    assert makeup.source == CalendarDaySource.PACKAGE
    makeup.kind = "holiday"
    workdays.save_calendar_day(makeup, actor="user:7", actor_label="运维")
    assert not is_working_day(D(2025, 2, 8))
    assert add_working_days(D(2025, 2, 7), 1) == D(2025, 2, 10)

    (result,) = workdays.seed_from_package([2025])
    assert result.describe() == "2025 年：新增 0 条，更新 0 条，删除 0 条，保留人工录入 1 条"
    assert CalendarDay.objects.get(date=D(2025, 2, 8)).kind == "holiday"
    assert not is_working_day(D(2025, 2, 8))
    change = AuditEvent.objects.get(action="calendar.day.change")
    assert change.before["kind"] == "workday"
    assert change.before["source"] == "chinesecalendar"
    assert change.after["source"] == "manual"


def test_seed_restores_and_repairs_package_rows():
    CalendarDay.objects.filter(date=D(2025, 10, 1)).delete()
    CalendarDay.objects.filter(date=D(2025, 10, 2)).update(name="错误")
    CalendarDay.objects.create(date=D(2025, 3, 10), kind="holiday", source="chinesecalendar")
    workdays.clear_cache()
    assert is_working_day(D(2025, 10, 1))

    out = io.StringIO()
    call_command("calendar", "seed", "--year", "2025", stdout=out)
    assert out.getvalue() == "2025 年：新增 1 条，更新 1 条，删除 1 条，保留人工录入 0 条\n"
    assert not is_working_day(D(2025, 10, 1))
    assert is_working_day(D(2025, 3, 10))
    assert CalendarDay.objects.get(date=D(2025, 10, 2)).name == "国庆节"


def test_seed_refuses_a_year_the_package_does_not_cover():
    with pytest.raises(CommandError, match="chinesecalendar 未收录 2027 年的放假安排"):
        call_command("calendar", "seed", "--year", "2027")


def test_year_without_rows_uses_the_package_then_monday_to_friday():
    CalendarDay.objects.filter(date__year=2025).delete()
    workdays.clear_cache()
    assert workdays.schedule_source(2025) == "package"
    assert is_working_day(D(2025, 1, 26))
    assert not is_working_day(D(2025, 1, 28))

    assert workdays.schedule_source(2027) == "none"
    assert is_working_day(D(2027, 1, 1))  # a Friday: a plain weekday until 2027 is entered
    assert add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)


def test_entering_a_new_year_by_hand():
    assert is_working_day(D(2027, 1, 1))
    workdays.save_calendar_day(
        CalendarDay(date=D(2027, 1, 1), kind="holiday", name="元旦"), actor="user:7"
    )
    assert workdays.schedule_source(2027) == "database"
    assert not is_working_day(D(2027, 1, 1))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    day = CalendarDay.objects.get(date=D(2027, 1, 1))
    workdays.delete_calendar_day(day, actor="user:7")
    assert is_working_day(D(2027, 1, 1))
    assert AuditEvent.objects.filter(action="calendar.day.delete").count() == 1


# --- yiwang calendar show ------------------------------------------------------------------


def test_show_2026():
    out = io.StringIO()
    call_command("calendar", "show", "2026", stdout=out)
    assert out.getvalue().splitlines() == [
        "2026 年放假安排（来源：数据库）",
        "放假（33 天）：",
        "  2026-01-01 至 2026-01-03（3 天） 元旦",
        "  2026-02-15 至 2026-02-23（9 天） 春节",
        "  2026-04-04 至 2026-04-06（3 天） 清明节",
        "  2026-05-01 至 2026-05-05（5 天） 劳动节",
        "  2026-06-19 至 2026-06-21（3 天） 端午节",
        "  2026-09-25 至 2026-09-27（3 天） 中秋节",
        "  2026-10-01 至 2026-10-07（7 天） 国庆节",
        "调休上班日（6 天）：",
        "  2026-01-04 周日 元旦调休",
        "  2026-02-14 周六 春节调休",
        "  2026-02-28 周六 春节调休",
        "  2026-05-09 周六 劳动节调休",
        "  2026-09-20 周日 国庆节调休",
        "  2026-10-10 周六 国庆节调休",
    ]


def test_show_2025_groups_national_day_and_mid_autumn():
    out = io.StringIO()
    call_command("calendar", "show", "2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert "  2025-10-01 至 2025-10-08（8 天） 国庆节、中秋节" in lines
    assert "  2025-01-28 至 2025-02-04（8 天） 春节" in lines
    assert lines[-5:] == [
        "  2025-01-26 周日 春节调休",
        "  2025-02-08 周六 春节调休",
        "  2025-04-27 周日 劳动节调休",
        "  2025-09-28 周日 国庆节调休",
        "  2025-10-11 周六 国庆节调休",
    ]


def test_show_2027_warns_that_no_schedule_was_entered():
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", "show", "2027", stdout=out, stderr=err, no_color=True)
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "警告：2027 年尚未录入放假安排，目前按周一至周五计算工作日。"
        "请在管理后台“节假日与调休”中按国务院办公厅通知录入 2027 年的安排。\n"
    )


# --- admin ---------------------------------------------------------------------------------


def test_admin_save_marks_the_day_manual_and_audits(rf, admin_user):
    from django.contrib import admin

    model_admin = admin.site._registry[CalendarDay]
    request = rf.post("/admin/core/calendarday/add/", REMOTE_ADDR="10.1.2.3")
    request.user = admin_user
    day = CalendarDay(date=D(2025, 3, 3), kind="holiday", name="临时调整", source="chinesecalendar")
    model_admin.save_model(request, day, form=None, change=False)
    assert CalendarDay.objects.get(date=D(2025, 3, 3)).source == CalendarDaySource.MANUAL
    assert not is_working_day(D(2025, 3, 3))
    event = AuditEvent.objects.get(action="calendar.day.create")
    assert (event.actor, event.actor_label, event.ip) == (
        f"user:{admin_user.pk}",
        admin_user.username,
        "10.1.2.3",
    )
    model_admin.delete_queryset(request, CalendarDay.objects.filter(date=D(2025, 3, 3)))
    assert is_working_day(D(2025, 3, 3))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "0"), "年份应在 1900–2100 之间，实为 0"),
        (("show", "99999"), "年份应在 1900–2100 之间，实为 99999"),
        (("show", "二〇二六"), "年份应为整数，实为“二〇二六”"),
        (("seed", "--year", "1899"), "年份应在 1900–2100 之间，实为 1899"),
    ],
)
def test_calendar_command_refuses_impossible_years(args, message):
    with pytest.raises(CommandError) as caught:
        call_command("calendar", *args, stdout=io.StringIO())
    assert str(caught.value) == message


def test_seed_that_changes_nothing_records_no_event():
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("calendar", "seed", "--year", "2026", stdout=out)
    assert out.getvalue() == "2026 年：新增 0 条，更新 0 条，删除 0 条，保留人工录入 0 条\n"
    assert AuditEvent.objects.count() == events
    CalendarDay.objects.filter(date=D(2026, 2, 16)).update(name="春")
    workdays.seed_from_package([2025, 2026])
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == ("calendar.seed", "2025,2026")
    assert [(r["year"], r["updated"]) for r in event.after] == [(2025, 0), (2026, 1)]


@pytest.mark.parametrize(
    ("day", "field", "message"),
    [
        (
            CalendarDay(date=D(2026, 3, 4), kind="workday", name="春节"),
            "date",
            "调休上班日只能是周六或周日：2026-03-04 是周三",
        ),
        (
            CalendarDay(date=D(2026, 3, 4), kind="holiday", name=" "),
            "name",
            "请填写节日名称，如“春节”",
        ),
        (
            CalendarDay(date=D(2026, 2, 16), kind="holiday", name="春节"),
            "date",
            "2026-02-16 已有记录（法定节假日 春节），请修改那一条",
        ),
    ],
)
def test_operator_entries_are_checked(day, field, message):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        workdays.save_calendar_day(day, actor="user:7")
    assert (caught.value.field, caught.value.message) == (field, message)
    assert AuditEvent.objects.count() == events
    assert not CalendarDay.objects.filter(date=D(2026, 3, 4)).exists()


def test_a_make_up_day_on_a_weekend_and_a_named_holiday_are_accepted():
    saturday = workdays.save_calendar_day(
        CalendarDay(date=D(2026, 3, 7), kind="workday"), actor="user:7"
    )
    assert is_working_day(saturday.date)
    holiday = workdays.save_calendar_day(
        CalendarDay(date=D(2026, 3, 9), kind="holiday", name=" 临时放假 "), actor="user:7"
    )
    assert (holiday.name, is_working_day(holiday.date)) == ("临时放假", False)


def test_admin_form_shows_the_rules_as_field_errors(admin_client):
    from django.urls import reverse

    url = reverse("admin:core_calendarday_add")
    response = admin_client.post(url, {"date": "2026-03-04", "kind": "workday", "name": "春节"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": ["调休上班日只能是周六或周日：2026-03-04 是周三"]
    }
    response = admin_client.post(url, {"date": "2026-03-04", "kind": "holiday", "name": ""})
    assert response.context["adminform"].form.errors == {"name": ["请填写节日名称，如“春节”"]}
    response = admin_client.post(url, {"date": "2026-02-16", "kind": "holiday", "name": "春节"})
    assert response.context["adminform"].form.errors == {
        "date": ["2026-02-16 已有记录（法定节假日 春节），请修改那一条"]
    }
    assert not CalendarDay.objects.filter(date=D(2026, 3, 4)).exists()
    response = admin_client.post(url, {"date": "2026-03-07", "kind": "workday", "name": ""})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2026, 3, 7)).source == CalendarDaySource.MANUAL
