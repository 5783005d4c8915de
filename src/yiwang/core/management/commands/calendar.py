"""``yiwang calendar seed [--year Y …]`` and ``yiwang calendar show YEAR``."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError

from yiwang.core import workdays
from yiwang.core.management.base import PipeFriendlyCommand
from yiwang.core.models import WEEKDAY_NAMES, CalendarDay, CalendarDayKind

_SOURCES = {
    "database": "数据库",
    "package": "chinesecalendar 数据包（数据库中尚无该年记录）",
    "none": "无",
}

# datetime.date covers 1–9999; a calendar of working days means something for far fewer years.
YEARS = range(1900, 2101)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise CommandError(f"年份应为整数，实为“{text}”") from None
    if year not in YEARS:
        raise CommandError(f"年份应在 {YEARS.start}–{YEARS.stop - 1} 之间，实为 {year}")
    return year


class Command(PipeFriendlyCommand):
    # Reading or checking data must not be blocked by an unrelated configuration warning.
    requires_system_checks = ()
    help = "工作日历：seed 从 chinesecalendar 补齐放假安排（不覆盖人工录入）；show 显示某年的安排"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{seed,show}")
        seed = sub.add_parser("seed", help="从 chinesecalendar 补齐或更新各年放假安排")
        seed.add_argument(
            "--year",
            type=str,
            action="append",
            dest="years",
            help="只处理该年（可重复）；默认处理数据包收录的所有年份",
        )
        show = sub.add_parser("show", help="显示某年的放假日期和调休上班日")
        show.add_argument("year", help=f"年份（{YEARS.start}–{YEARS.stop - 1}）")

    def handle(self, *args, **options):
        # Checked here rather than by argparse, whose messages are English.
        if options["subcommand"] == "seed":
            years = options["years"]
            self._seed(None if years is None else [_year(y) for y in years])
        else:
            self._show(_year(options["year"]))

    def _seed(self, years):
        try:
            results = workdays.seed_from_package(years)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(result.describe())

    def _show(self, year: int):
        source = workdays.schedule_source(year)
        if source == "none":
            self.stderr.write(
                self.style.WARNING(
                    f"警告：{year} 年尚未录入放假安排，目前按周一至周五计算工作日。"
                    f"请在管理后台“节假日与调休”中按国务院办公厅通知录入 {year} 年的安排。"
                )
            )
            return
        if source == "database":
            days = [
                (d.date, d.kind, d.name)
                for d in CalendarDay.objects.filter(
                    date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
                )
            ]
        else:
            days = [
                (d, kind, name)
                for d, (kind, name) in sorted(workdays.package_schedule(year).items())
            ]
        holidays = [(d, name) for d, kind, name in days if kind == CalendarDayKind.HOLIDAY]
        makeups = [(d, name) for d, kind, name in days if kind == CalendarDayKind.WORKDAY]
        self.stdout.write(f"{year} 年放假安排（来源：{_SOURCES[source]}）")
        # Every day off of the schedule: the statutory holidays, the weekdays off in exchange for
        # make-up days and the weekends inside the holiday periods.
        self.stdout.write(f"放假（{len(holidays)} 天）：")
        for first, last, names in _periods(holidays):
            span = first.isoformat() if first == last else f"{first.isoformat()} 至 {last}"
            length = (last - first).days + 1
            self.stdout.write(f"  {span}（{length} 天） {'、'.join(names)}")
        self.stdout.write(f"调休上班日（{len(makeups)} 天）：")
        for d, name in makeups:
            self.stdout.write(f"  {d.isoformat()} {WEEKDAY_NAMES[d.weekday()]} {name}调休")


def _periods(days):
    """Group consecutive holiday dates into (first, last, names) — one line per holiday period."""
    periods = []
    for d, name in days:
        if periods and (d - periods[-1][1]).days == 1:
            first, _, names = periods[-1]
            periods[-1] = (first, d, names if name in names else [*names, name])
        else:
            periods.append((d, d, [name]))
    return periods
