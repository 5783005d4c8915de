"""``yiwang baselib import persons|enterprises FILE.csv`` and ``yiwang baselib export-sample``.

Loads the population library (人口库) or the legal-entity library (法人库) from a CSV export; see
:mod:`yiwang.integrations.importing` for the rules (all or nothing, upsert, one audit event).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from yiwang.core.errors import DomainError
from yiwang.core.management.base import PipeFriendlyCommand
from yiwang.integrations.importing import LIBRARIES, ImportRejected, import_csv, sample_csv

# Showing thousands of bad lines helps nobody; the count says how many there are.
MAX_ERRORS_SHOWN = 50


class Command(PipeFriendlyCommand):
    help = (
        "基础库：import 从 CSV 导入人口库（persons）或法人库（enterprises）；"
        "export-sample 输出示例 CSV"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{import,export-sample}"
        )
        imp = sub.add_parser(
            "import",
            help="导入 CSV（UTF-8，可带 BOM；中文或英文列名），按身份证号/统一社会信用代码更新",
        )
        imp.add_argument(
            "library", choices=sorted(LIBRARIES), help="persons 人口库，enterprises 法人库"
        )
        imp.add_argument("file", type=Path, help="CSV 文件")
        imp.add_argument(
            "--skip-invalid",
            action="store_true",
            help="跳过不合格的行、导入其余各行（默认：有任何不合格的行则什么也不导入）",
        )
        sample = sub.add_parser("export-sample", help="输出带中文列名的示例 CSV")
        sample.add_argument("library", choices=sorted(LIBRARIES))
        sample.add_argument("-o", "--output", type=Path, help="写入文件（默认：标准输出）")

    def handle(self, *args, **options):
        if options["subcommand"] == "export-sample":
            self._sample(options["library"], options["output"])
        else:
            self._import(options["library"], options["file"], options["skip_invalid"])

    def _sample(self, library: str, output: Path | None):
        text = sample_csv(library)
        if output is None:
            self.stdout.write(text, ending="")
            return
        # With a BOM so that Excel on Windows opens the Chinese headers correctly.
        output.write_text("\ufeff" + text, encoding="utf-8")
        self.stdout.write(f"已写入 {output}")

    def _import(self, library: str, path: Path, skip_invalid: bool):
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            result = import_csv(
                library, path, skip_invalid=skip_invalid, actor_label="yiwang baselib import"
            )
        except ImportRejected as exc:
            self._errors(exc.errors)
            raise CommandError(
                f"{exc.message}（共 {len(exc.errors)} 行；改正后重新导入，"
                "或加 --skip-invalid 只导入合格的行）"
            ) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self._errors(result.errors, skipped=True)
        label = "人口库" if library == "persons" else "法人库"
        self.stdout.write(
            f"{label}导入完成：新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}，跳过 {len(result.errors)}"
        )

    def _errors(self, errors, *, skipped: bool = False):
        for error in errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"{error}{'（已跳过）' if skipped else ''}")
        if len(errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"……另有 {len(errors) - MAX_ERRORS_SHOWN} 行不合格")
