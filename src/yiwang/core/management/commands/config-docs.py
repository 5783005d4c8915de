"""``yiwang config-docs``: write or check docs/configuration.md from conf/settings.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.conf import env


class Command(BaseCommand):
    help = "生成或核对配置说明 docs/configuration.md（来自 conf/settings.py 中读取的环境变量）"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write the reference to this file")
        parser.add_argument("--check", metavar="FILE", help="fail when FILE is out of date")

    def handle(self, *args, **options):
        text = env.render_markdown()
        if options["check"]:
            path = Path(options["check"])
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run `make config-docs` and commit it")
            self.stdout.write(f"{path} is up to date")
        elif options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
