"""Seed the working-day calendar with every year chinesecalendar covers (2004–2026 in 1.11).

Self-contained on purpose (no import of yiwang.core.workdays), so that later changes to the
service cannot change what this migration did. `yiwang calendar seed` refills years later, e.g.
after a package upgrade, without overwriting rows entered by operators.
"""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")

    def name(english):
        return NAMES.get(english) or chinese_calendar.Holiday(english).chinese

    rows = {d: ("holiday", name(n)) for d, n in chinese_calendar.holidays.items()}
    rows.update({d: ("workday", name(n)) for d, n in chinese_calendar.workdays.items()})
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=d, kind=kind, name=label, source="chinesecalendar")
            for d, (kind, label) in sorted(rows.items())
            if d not in existing
        ],
        batch_size=500,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
