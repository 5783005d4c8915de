"""``yiwang validate KIND VALUE``: check a national identifier from the command line.

Prints ``有效`` (plus what the identifier encodes) and exits 0, or prints the precise error on
stderr and exits 1. Unknown kinds are argparse errors (exit 2).
"""

from __future__ import annotations

from typing import ClassVar

from yiwang.core import identifiers
from yiwang.core.identifiers import VALIDATORS, IdentifierError
from yiwang.core.management.base import PipeFriendlyCommand

# The region kind takes the 6-digit GB/T 2260 codes too, as the API does, and shows the
# platform's 12-digit form.
_VALIDATORS = {**VALIDATORS, "region": identifiers.to_region12}
# What the final check character is called in the hint printed after a structural error,
# where the error itself may already be about another check (the USCC's embedded organisation
# code, the licence issuer's USCC).
_CHECK_NAMES = {"uscc": "第18位校验码", "license-id": "电子证照标识校验位"}


class Command(PipeFriendlyCommand):
    help = (
        "校验国家标准编码：公民身份号码、统一社会信用代码、组织机构代码、行政区划代码、电子证照标识"
    )
    requires_system_checks: ClassVar[list[str]] = []  # pure computation: no database, no app checks

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=list(VALIDATORS),
            help="person-id 公民身份号码 | uscc 统一社会信用代码 | org-code 组织机构代码 | "
            "region 6位或12位行政区划代码 | license-id 电子证照标识",
        )
        parser.add_argument("value", help="要校验的编码")

    def handle(self, *args, **options):
        kind, value = options["kind"], options["value"]
        try:
            normalised = _VALIDATORS[kind](value)
        except IdentifierError as exc:
            self.stderr.write(exc.message)
            if exc.check and exc.check[0] != exc.check[1]:
                expected, actual = exc.check
                name = _CHECK_NAMES.get(kind, "校验码")
                self.stderr.write(f"此外，{name}也不符：应为{expected}，实为{actual}")
            raise SystemExit(1) from None
        self.stdout.write("有效")
        for line in _details(kind, normalised):
            self.stdout.write(line)
        if normalised != value:
            self.stdout.write(f"规范形式：{normalised}")


def _details(kind: str, value: str) -> list[str]:
    if kind == "person-id":
        born = identifiers.person_id_birth_date(value)
        return [f"出生日期：{born.isoformat()}，性别：{identifiers.person_id_sex(value)}"]
    if kind == "uscc":
        authority = identifiers.USCC_AUTHORITIES[value[0]]
        org = identifiers.uscc_org_code(value)
        return [f"登记管理部门：{authority}，组织机构代码：{org[:8]}-{org[8]}"]
    if kind == "region":
        level = identifiers.REGION_LEVEL_LABELS[identifiers.region_level(value)]
        parent = identifiers.region_parent_code(value)
        return [f"层级：{level}" + (f"，上级代码：{parent}" if parent else "")]
    return []
