"""``yiwang idempotency prune``: forget the stored answers to ``Idempotency-Key`` requests
older than a day (:data:`yiwang.api.idempotency.TTL`). Run it daily from cron or a systemd
timer; a stale answer is ignored anyway, this only keeps the table small."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yiwang.api import idempotency


class Command(BaseCommand):
    help = "接口幂等键：prune 删除超过 24 小时的已存应答"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{prune}")
        sub.add_parser("prune", help="删除超过 24 小时的已存应答")

    def handle(self, *args, **options):
        deleted = idempotency.prune()
        self.stdout.write(f"已删除过期的幂等应答 {deleted} 条")
