"""``yiwang search``: the catalogue search index and its popularity figures.

``yiwang search reindex [--batch-size 2000]``
    rebuilds the index from every published item, in one transaction (searches keep using the
    old index until it commits).

``yiwang search hot [--days 2]``
    aggregates the last days' search and click logs into the daily tables and refreshes the
    index's popularity and hot scores (run it from cron or a scheduled task, e.g. hourly).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yiwang.catalog import search


class Command(BaseCommand):
    help = "事项搜索：重建搜索索引（reindex），或汇总热门搜索词与热门事项（hot）"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{reindex,hot}")
        reindex = actions.add_parser("reindex", help="按已发布的事项重建全部搜索索引")
        reindex.add_argument(
            "--batch-size", type=int, default=2000, help="每批读取的事项数（默认 2000）"
        )
        hot = actions.add_parser("hot", help="汇总搜索与点击日志，刷新热门搜索词与热门事项")
        hot.add_argument("--days", type=int, default=2, help="重新汇总最近几天（默认 2，含今天）")

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        if options["action"] == "reindex":

            def progress(count: int) -> None:
                if options["verbosity"] > 1:
                    self.stdout.write(f"已索引 {count} 个事项")

            report = search.reindex_all(batch_size=options["batch_size"], progress=progress)
            if verbose:
                self.stdout.write(
                    f"搜索索引已重建：{report.items} 个事项，用时 {report.seconds:.1f} 秒"
                    f"（每秒 {report.per_second:,.0f} 个）"
                )
        else:
            report = search.refresh_hot(days=options["days"])
            if verbose:
                self.stdout.write(
                    f"已汇总最近 {report.days} 天：{report.queries} 个搜索词，"
                    f"{report.items} 个事项的热度已更新"
                )
