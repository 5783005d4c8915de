"""``yiwang openapi``: write or check the committed OpenAPI schema (docs/api/openapi.json).

Department systems integrate against the committed schema; CI fails when the code's schema and
the committed file differ, so a change of the API is always a visible change of that file.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.api.root import api


def render() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "生成或核对 OpenAPI 文档 docs/api/openapi.json"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write the schema to this file")
        parser.add_argument("--check", metavar="FILE", help="fail when FILE differs from the code")

    def handle(self, *args, **options):
        text = render()
        if options["check"]:
            path = Path(options["check"])
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} differs from the API: run `make openapi` and commit it")
            self.stdout.write(f"{path} matches the API")
        elif options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
