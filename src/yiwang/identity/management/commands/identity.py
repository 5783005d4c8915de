"""``yiwang identity client add --name … --redirect-uri …``: register a department system."""

from __future__ import annotations

from django.core.management.base import CommandError

from yiwang.core.errors import DomainError
from yiwang.core.management.base import PipeFriendlyCommand
from yiwang.identity.services import register_client


class Command(PipeFriendlyCommand):
    help = "统一身份认证：client add 登记一个部门业务系统（OpenID Connect 客户端）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{client}")
        client = sub.add_parser("client", help="部门业务系统（OIDC 客户端）")
        actions = client.add_subparsers(dest="action", required=True, metavar="{add}")
        add = actions.add_parser(
            "add", help="登记客户端，输出 client_id 与 client_secret（只显示一次）"
        )
        add.add_argument("--name", required=True, help="系统名称，显示在授权页上")
        add.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            dest="redirect_uris",
            help="回调地址（可重复）",
        )

    def handle(self, *args, **options):
        try:
            client = register_client(
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                actor_label="yiwang identity client add",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"client_id: {client.client_id}")
        self.stdout.write(f"client_secret: {client.client_secret}")
        self.stdout.write("client_secret 只显示这一次，请妥善交给该系统的管理员。")
