"""``yiwang demo``: load the demo province; running it again changes nothing.

The command only orchestrates: the steps and their loaders are in :mod:`yiwang.demo.steps`. The
whole run is one transaction, so a failure leaves the database as it was.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yiwang.core.errors import DomainError
from yiwang.demo import catalog
from yiwang.demo.steps import STEPS


class Command(BaseCommand):
    help = (
        "加载演示数据：浙江省行政区划、宁波市各级机构、政务服务大厅、窗口与便民服务站（可重复运行）"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=[step.name for step in STEPS],
            help="run only this step (repeatable); the steps it depends on must have run before",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="then add N synthetic service items for benchmarks (bulk insert in batches, "
            "outside the demo's transaction; the search index is rebuilt at the end)",
        )

    def handle(self, *args, **options):
        only = options["only"]
        steps = [step for step in STEPS if not only or step.name in only]
        started = time.monotonic()
        try:
            with transaction.atomic():
                lines = [tally.line() for step in steps for tally in step.run()]
        except DomainError as exc:
            raise CommandError(f"演示数据加载失败：{exc.message}") from exc
        if options["scale"] < 0:
            raise CommandError("--scale 必须是非负整数")
        if options["scale"]:
            # Batches commit one by one: a million rows in one transaction would hold the
            # write lock (SQLite) and the undo log for minutes.
            report = None
            if options["verbosity"] >= 2:
                report = lambda done: self.stderr.write(f"合成事项已写入 {done} 项")  # noqa: E731
            timings = catalog.scale(options["scale"], progress=report)
            lines.append(
                f"合成事项 {options['scale']} 项（写入 {timings['insert']:.1f} 秒，"
                f"重建搜索索引 {timings['index']:.1f} 秒）"
            )
        if options["verbosity"] == 0:
            return
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"演示数据已就绪（用时 {time.monotonic() - started:.1f} 秒）")
