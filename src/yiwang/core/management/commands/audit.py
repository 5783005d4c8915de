"""``yiwang audit verify`` / ``yiwang audit tail [-n 20]``: check and read the audit chain."""

from __future__ import annotations

from django.utils import timezone

from yiwang.core import audit
from yiwang.core.management.base import PipeFriendlyCommand
from yiwang.core.models import AuditChainHead, AuditEvent


class Command(PipeFriendlyCommand):
    # Reading or checking data must not be blocked by an unrelated configuration warning.
    requires_system_checks = ()
    help = "审计链：verify 校验哈希链是否完整（不完整时退出码为 1）；tail 显示最近的审计事件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,tail}")
        sub.add_parser("verify", help="校验整条审计链，报告第一条被修改或缺失的记录")
        tail = sub.add_parser("tail", help="显示最近的审计事件和当前链头哈希")
        tail.add_argument("-n", type=int, default=20, help="显示条数（默认 20）")

    def handle(self, *args, **options):
        if options["subcommand"] == "verify":
            self._verify()
        else:
            self._tail(options["n"])

    def _verify(self):
        result = audit.verify()
        if result.ok:
            self.stdout.write(f"审计链完整：共 {result.checked} 条记录")
            return
        self.stderr.write(f"审计链被破坏：{result.reason}（此前 {result.checked} 条记录完好）")
        # Exit status 1 exactly, without Django's "CommandError:" prefix, so monitoring can
        # alert on it and operators read a plain Chinese sentence.
        raise SystemExit(1)

    def _tail(self, n: int):
        events = list(AuditEvent.objects.order_by("-id")[: max(n, 0)])
        for event in reversed(events):
            when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
            who = event.actor + (f"（{event.actor_label}）" if event.actor_label else "")
            if event.acting_for:
                who += f" 代表 {event.acting_for}"
            target = f" {event.object_type}:{event.object_id}" if event.object_type else ""
            self.stdout.write(f"#{event.id} {when} {who} {event.action}{target}")
        head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_ID).first()
        if head is None:
            self.stdout.write("链头：尚无审计记录")
        else:
            self.stdout.write(f"链头：第 {head.last_id} 条，哈希 {head.last_hash}")
