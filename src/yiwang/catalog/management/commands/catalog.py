"""``yiwang catalog check``: 三级四同 and the publishing rules over the published catalogue.

Reports every inconsistency of the catalogue (the same name under several basic codes, a
published guide named differently from its basic item) and every publishing rule that a
current guide breaks — a rule added after a guide was published, or a basic item renamed
since. Exit status 1 when anything is reported, 0 otherwise, so it can run in monitoring.
"""

from __future__ import annotations

from yiwang.catalog import rules, selectors
from yiwang.core.management.base import PipeFriendlyCommand


class Command(PipeFriendlyCommand):
    requires_system_checks = ()
    help = "事项清单：check 检查三级四同和已发布办事指南的发布规则（有问题时退出码为 1）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{check}")
        sub.add_parser("check", help="检查三级四同（同名同码、名称一致）和当前版本的发布规则")

    def handle(self, *args, **options):
        versions = list(selectors.current_versions())
        inconsistencies = rules.check_consistency(selectors.basic_items(), versions)
        for found in inconsistencies:
            self.stdout.write(f"三级四同：{found.message}")
        broken = 0
        for version in versions:
            item = version.item
            for violation in rules.check_version(version):
                broken += 1
                self.stdout.write(
                    f"发布规则：{version.name}（{item.organization.name}，实施编码 {item.code}，"
                    f"第{version.number}版）{violation}"
                )
        if inconsistencies or broken:
            self.stderr.write(
                f"检查了 {len(versions)} 个已发布事项：三级四同问题 {len(inconsistencies)} 项，"
                f"违反发布规则 {broken} 项"
            )
            raise SystemExit(1)
        self.stdout.write(f"检查了 {len(versions)} 个已发布事项：未发现问题")
