"""``yiwang notifications retry``: queue again every SMS whose delivery is due.

The outbox's safety net (:func:`yiwang.notifications.services.retry_due`): run it every few
minutes from cron or a systemd timer. Queuing a message twice sends it once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yiwang.notifications import services


class Command(BaseCommand):
    help = "消息通知：retry 把到期未发出的短信重新加入发送队列"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{retry}")
        sub.add_parser("retry", help="把到期未发出的短信重新加入发送队列")

    def handle(self, *args, **options):
        queued = services.retry_due()
        self.stdout.write(f"已重新排队待发送短信 {queued} 条")
