"""``yiwang crypto rotate`` / ``yiwang crypto check``: move personal data to the current key."""

from __future__ import annotations

from yiwang.core import crypto, keyrotation
from yiwang.core.management.base import PipeFriendlyCommand


class Command(PipeFriendlyCommand):
    help = (
        "个人信息加密密钥轮换：rotate 用当前密钥（YIWANG_DATA_KEYS 的第一个）重新加密所有加密字段；"
        "check 报告仍使用旧密钥的值（有则退出码为 1）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{rotate,check}")
        rotate = sub.add_parser(
            "rotate", help="用当前密钥重新加密所有旧密钥加密的值（分批、可中断后续跑）"
        )
        rotate.add_argument("--batch", type=int, default=keyrotation.DEFAULT_BATCH, help="每批行数")
        check = sub.add_parser("check", help="统计不是用当前密钥加密的值")
        check.add_argument("--batch", type=int, default=keyrotation.DEFAULT_BATCH, help="每批行数")

    def handle(self, *args, **options):
        key_id = crypto.current_key_id()
        batch = max(1, options["batch"])
        if options["subcommand"] == "rotate":
            self.stdout.write(f"当前密钥：{key_id}")

            def progress(report):
                self.stdout.write(
                    f"  {report.label}：已检查 {report.total}，已重新加密 {report.rotated}"
                )

            reports = keyrotation.rotate(batch=batch, progress=progress)
            rotated = sum(r.rotated for r in reports)
            unreadable = sum(r.unreadable for r in reports)
            self.stdout.write(f"完成：共重新加密 {rotated} 个值")
            if unreadable:
                self.stderr.write(f"有 {unreadable} 个值无法用已配置的密钥解密，未处理")
                raise SystemExit(1)
            return
        reports = keyrotation.check(batch=batch)
        stale = 0
        for report in reports:
            stale += report.stale
            self.stdout.write(f"{report.label}：共 {report.total}，旧密钥 {report.stale}")
        if stale:
            self.stderr.write(
                f"仍有 {stale} 个值未使用当前密钥 {key_id}，请运行 yiwang crypto rotate"
            )
            raise SystemExit(1)
        self.stdout.write(f"所有加密值均使用当前密钥 {key_id}")
