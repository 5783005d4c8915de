"""``yiwang cases sweep-files``: remove material files a killed upload left without a row.
Run it daily (cron or a systemd timer); files younger than an hour are never touched."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from yiwang.cases import files


class Command(BaseCommand):
    help = "办件：sweep-files 清理没有记录的材料文件（上传中断留下的）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{sweep-files}")
        sweep = sub.add_parser("sweep-files", help="清理一小时前上传中断留下的材料文件")
        sweep.add_argument("--dry-run", action="store_true", help="只列出，不删除")
        sweep.add_argument(
            "--older-than-minutes", type=int, default=60, help="只清理早于此分钟数的文件（默认 60）"
        )

    def handle(self, *args, **options):
        found = files.sweep(
            older_than=datetime.timedelta(minutes=max(0, options["older_than_minutes"])),
            dry_run=options["dry_run"],
        )
        for path in found:
            self.stdout.write(path)
        verb = "发现" if options["dry_run"] else "已删除"
        self.stdout.write(f"{verb}无记录的材料文件 {len(found)} 个")
