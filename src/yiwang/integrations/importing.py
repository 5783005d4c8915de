"""Loading the base libraries (人口库/法人库) from CSV exports, and upserting records in bulk.

The population library comes from public security and the legal-entity library from market
regulation, usually as CSV exports through the data-sharing platform. An import validates every
row first (ID numbers and USCCs with :mod:`yiwang.core.identifiers`, which gives the precise
Chinese reason) and then writes all rows in one transaction, or none: a library that is half
replaced would make real-name checks fail for some people and not others. ``skip_invalid``
imports the good rows and reports the rest, when the operator asks for it explicitly.

Rows are matched to existing records by the ID number's blind index (persons) or the USCC
(enterprises); a record whose values are all unchanged is not written, so importing the same
file twice changes nothing. Values are encrypted in Python and written with ``bulk_create`` /
``bulk_update`` in batches: 10 000 persons take a few seconds.

:func:`upsert_persons` and :func:`upsert_enterprises` are also what the demo loader uses.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yiwang.core import audit
from yiwang.core.errors import DomainError
from yiwang.core.fields import blind_index_for
from yiwang.core.identifiers import (
    generate_person_id,
    generate_uscc,
    to_region12,
    validate_person_id,
    validate_uscc,
)
from yiwang.integrations.baselib import normalise_card, normalise_name, normalise_phone
from yiwang.integrations.models import LegalEntityRecord, PopulationRecord

__all__ = [
    "ENTERPRISE_COLUMNS",
    "LIBRARIES",
    "PERSON_COLUMNS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "import_csv",
    "sample_csv",
    "upsert_enterprises",
    "upsert_persons",
]

BATCH_SIZE = 1000

# field → (Chinese header, other accepted headers). The first header is the one written by
# `export-sample`; English headers are the field names.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "id_number": ("公民身份号码", "身份证号码", "身份证号"),
    "phone": ("手机号码", "手机号", "登记手机号"),
    "social_security_card": ("社会保障卡号", "社保卡号"),
    "bank_card": ("银行卡号",),
    "housing_fund_account": ("住房公积金账号", "公积金账号"),
    "driving_licence_file": ("驾驶证档案编号",),
}
PERSON_REQUIRED = ("name", "id_number")

ENTERPRISE_COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码",),
    "name": ("名称", "企业名称", "单位名称"),
    "entity_type": ("主体类型", "企业类型"),
    "status": ("登记状态", "经营状态"),
    "legal_representative_name": ("法定代表人", "法定代表人姓名", "负责人"),
    "legal_representative_id_number": ("法定代表人身份证号", "法定代表人身份证号码"),
    "region_code": ("登记机关区划", "行政区划代码"),
}
ENTERPRISE_REQUIRED = (
    "uscc",
    "name",
    "legal_representative_name",
    "legal_representative_id_number",
)

# 存续/吊销/注销 as written in registration exports (and the English codes).
_STATUS_WORDS = {
    "存续": "active",
    "在业": "active",
    "开业": "active",
    "吊销": "revoked",
    "注销": "cancelled",
    **{s.value: s.value for s in LegalEntityRecord.Status},
}

_MOBILE = re.compile(r"1[3-9]\d{9}")
_CARD = re.compile(r"[0-9A-Z]{4,32}")

_PERSON_ENCRYPTED = (
    "id_number",
    "phone",
    "social_security_card",
    "bank_card",
    "housing_fund_account",
    "driving_licence_file",
)
_PERSON_FIELDS = ("name", *_PERSON_ENCRYPTED)
_ENTERPRISE_FIELDS = (
    "name",
    "entity_type",
    "status",
    "legal_representative_name",
    "legal_representative_id_number",
    "region_code",
)


@dataclass(frozen=True)
class RowError:
    """A refused row: ``line`` is the line number in the file (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


@dataclass
class ImportResult:
    library: str  # "persons" | "enterprises"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {
            "library": self.library,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.errors),
        }


class ImportRejected(DomainError):
    """The file has invalid rows and ``skip_invalid`` was not given: nothing was imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"有 {len(errors)} 行数据不合格，未导入任何数据")
        self.errors = errors


# --- reading -------------------------------------------------------------------------------


def _header_map(header: list[str], columns: dict[str, tuple[str, ...]], required) -> list:
    """Map each CSV column to a field name (None for an empty trailing column)."""
    lookup = {name: name for name in columns}
    for name, headers in columns.items():
        lookup.update(dict.fromkeys(headers, name))
    fields: list[str | None] = []
    for raw in header:
        title = raw.strip().lstrip("\ufeff").strip()
        if not title:
            fields.append(None)
            continue
        name = lookup.get(title) or lookup.get(title.lower())
        if name is None:
            raise DomainError(f"第 1 行：无法识别的列名“{title}”")
        if name in fields:
            raise DomainError(f"第 1 行：列“{title}”重复")
        fields.append(name)
    missing = [columns[name][0] for name in required if name not in fields]
    if missing:
        raise DomainError(f"第 1 行：缺少必需的列：{'、'.join(missing)}")
    return fields


def _read(text: str, columns, required) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise DomainError("文件为空：第 1 行应为列名") from None
    fields = _header_map(header, columns, required)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        values = dict.fromkeys(columns, "")
        for name, cell in zip(fields, row, strict=False):
            if name:
                values[name] = cell
        yield reader.line_num, values


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig strips the byte-order mark Excel writes in front of UTF-8 CSV files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DomainError(
            f"第 {line} 行：文件不是 UTF-8 编码，请在导出时选择 UTF-8 或“CSV UTF-8”"
        ) from None


# --- validation ----------------------------------------------------------------------------


def _checked(label: str, validate, value: str) -> str:
    # The identifier validators say what is wrong ("校验码错误…") but not which column.
    try:
        return validate(value or "")
    except DomainError as exc:
        raise DomainError(f"{label}：{exc.message}") from None


def _optional(pattern: re.Pattern, value: str, label: str, normalise) -> str:
    value = normalise(value)
    if value and not pattern.fullmatch(value):
        raise DomainError(f"{label}：格式不正确")
    return value


def clean_person(values: dict[str, str]) -> dict[str, str]:
    """One person row, normalised; raises ``DomainError`` with the Chinese reason."""
    name = normalise_name(values.get("name"))
    if not name:
        raise DomainError("姓名：不能为空")
    if len(name) > 50:
        raise DomainError("姓名：过长，最多50个字")
    return {
        "name": name,
        "id_number": _checked("公民身份号码", validate_person_id, values.get("id_number", "")),
        "phone": _optional(_MOBILE, values.get("phone", ""), "手机号码", normalise_phone),
        **{
            key: _optional(_CARD, values.get(key, ""), PERSON_COLUMNS[key][0], normalise_card)
            for key in (
                "social_security_card",
                "bank_card",
                "housing_fund_account",
                "driving_licence_file",
            )
        },
    }


def clean_enterprise(values: dict[str, str]) -> dict[str, str]:
    """One enterprise row, normalised; raises ``DomainError`` with the Chinese reason."""
    name = normalise_name(values.get("name"))
    if not name:
        raise DomainError("名称：不能为空")
    representative = normalise_name(values.get("legal_representative_name"))
    if not representative:
        raise DomainError("法定代表人：不能为空")
    status_word = (values.get("status") or "").strip() or "存续"
    status = _STATUS_WORDS.get(status_word)
    if status is None:
        raise DomainError(f"登记状态：“{status_word}”无法识别，应为存续、吊销或注销")
    region = (values.get("region_code") or "").strip()
    return {
        "uscc": _checked("统一社会信用代码", validate_uscc, values.get("uscc", "")),
        "name": name[:200],
        "entity_type": (values.get("entity_type") or "").strip()[:50],
        "status": status,
        "legal_representative_name": representative[:50],
        "legal_representative_id_number": _checked(
            "法定代表人身份证号",
            validate_person_id,
            values.get("legal_representative_id_number", ""),
        ),
        "region_code": _checked("登记机关区划", to_region12, region) if region else "",
    }


def _validate(rows, clean, key: str, key_label: str):
    good: list[dict[str, str]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        try:
            record = clean(values)
        except DomainError as exc:
            errors.append(RowError(line, exc.message))
            continue
        if record[key] in seen:
            errors.append(RowError(line, f"{key_label}与第 {seen[record[key]]} 行重复"))
            continue
        seen[record[key]] = line
        good.append(record)
    return good, errors


# --- writing -------------------------------------------------------------------------------


def _batches(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_persons(records: Iterable[dict[str, str]], *, source: str = "") -> ImportResult:
    """Create or update population records keyed by ID number; unchanged records are not written.

    ``records`` are cleaned dicts (:func:`clean_person`). Runs in the caller's transaction.
    """
    result = ImportResult("persons")
    now = timezone.now()
    by_index = {blind_index_for(r["id_number"], "person_id"): r for r in records}
    to_create: list[PopulationRecord] = []
    to_update: list[PopulationRecord] = []
    for keys in _batches(list(by_index)):
        existing = {
            p.id_number_index: p for p in PopulationRecord.objects.filter(id_number_index__in=keys)
        }
        for index in keys:
            record = by_index[index]
            current = existing.get(index)
            if current is None:
                to_create.append(
                    PopulationRecord(id_number_index=index, source=source, updated_at=now, **record)
                )
            elif any(getattr(current, f) != record[f] for f in _PERSON_FIELDS):
                for f in _PERSON_FIELDS:
                    setattr(current, f, record[f])
                current.source, current.updated_at = source or current.source, now
                to_update.append(current)
            else:
                result.unchanged += 1
    PopulationRecord.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    PopulationRecord.objects.bulk_update(
        to_update, [*_PERSON_FIELDS, "source", "updated_at"], batch_size=BATCH_SIZE
    )
    result.created, result.updated = len(to_create), len(to_update)
    return result


def upsert_enterprises(records: Iterable[dict[str, str]], *, source: str = "") -> ImportResult:
    """Create or update legal-entity records keyed by USCC; unchanged records are not written.

    ``records`` are cleaned dicts (:func:`clean_enterprise`). Runs in the caller's transaction.
    """
    result = ImportResult("enterprises")
    now = timezone.now()
    by_uscc = {r["uscc"]: r for r in records}
    to_create: list[LegalEntityRecord] = []
    to_update: list[LegalEntityRecord] = []
    for keys in _batches(list(by_uscc)):
        existing = {e.uscc: e for e in LegalEntityRecord.objects.filter(uscc__in=keys)}
        for uscc in keys:
            record = by_uscc[uscc]
            index = blind_index_for(record["legal_representative_id_number"], "person_id")
            current = existing.get(uscc)
            if current is None:
                to_create.append(
                    LegalEntityRecord(
                        legal_representative_index=index, source=source, updated_at=now, **record
                    )
                )
            elif any(getattr(current, f) != record[f] for f in _ENTERPRISE_FIELDS):
                for f in _ENTERPRISE_FIELDS:
                    setattr(current, f, record[f])
                current.legal_representative_index = index
                current.source, current.updated_at = source or current.source, now
                to_update.append(current)
            else:
                result.unchanged += 1
    LegalEntityRecord.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    LegalEntityRecord.objects.bulk_update(
        to_update,
        [*_ENTERPRISE_FIELDS, "legal_representative_index", "source", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    result.created, result.updated = len(to_create), len(to_update)
    return result


# --- the use case --------------------------------------------------------------------------

LIBRARIES = {
    # library → (columns, required, clean, key, key label, upsert, audit object type)
    "persons": (
        PERSON_COLUMNS,
        PERSON_REQUIRED,
        clean_person,
        "id_number",
        "公民身份号码",
        upsert_persons,
        "population_record",
    ),
    "enterprises": (
        ENTERPRISE_COLUMNS,
        ENTERPRISE_REQUIRED,
        clean_enterprise,
        "uscc",
        "统一社会信用代码",
        upsert_enterprises,
        "legal_entity_record",
    ),
}


def import_csv(
    library: str,
    data: bytes | str | Path,
    *,
    skip_invalid: bool = False,
    source: str = "",
    actor: str = "system",
    actor_label: str = "",
    ip: str | None = None,
) -> ImportResult:
    """Import a CSV export into the population (``"persons"``) or legal-entity library.

    All or nothing: when any row is invalid, :class:`ImportRejected` lists every bad row with its
    line number and nothing is written — unless ``skip_invalid``, when the good rows are written
    and the bad ones returned in ``result.errors``. One audit event ``baselib.import`` records the
    counts (never the identifiers). ``source`` (e.g. the file name) is kept on each record.
    """
    columns, required, clean, key, key_label, upsert, object_type = LIBRARIES[library]
    if isinstance(data, Path):
        source = source or data.name
        data = data.read_bytes()
    text = _decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    records, errors = _validate(_read(text, columns, required), clean, key, key_label)
    if errors and not skip_invalid:
        raise ImportRejected(errors)
    with transaction.atomic():
        result = upsert(records, source=source)
        result.errors = errors
        audit.record(
            "baselib.import",
            actor=actor,
            actor_label=actor_label,
            object_type=object_type,
            after={**result.as_dict(), "source": source},
            ip=ip,
        )
    return result


def sample_csv(library: str) -> str:
    """A CSV with the Chinese headers and two synthetic rows, for operators preparing exports."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = LIBRARIES[library][0]
    writer.writerow([headers[0] for headers in columns.values()])
    for name in ("张三", "李四"):
        # One generator per sample person: both libraries' samples then name the same people.
        rng = random.Random(f"baselib-sample:{name}")  # noqa: S311 -- synthetic, not secrets
        person_id = generate_person_id(rng, region="330203")
        if library == "persons":
            writer.writerow(
                [
                    name,
                    person_id,
                    f"138{rng.randrange(10**8):08d}",
                    f"A{rng.randrange(10**8):08d}",
                    f"6222{rng.randrange(10**15):015d}",
                    f"{rng.randrange(10**10):010d}",
                    f"3302{rng.randrange(10**8):08d}",
                ]
            )
        else:
            writer.writerow(
                [
                    generate_uscc(rng, region="330203"),
                    f"宁波示例{name[0]}有限公司",
                    "有限责任公司",
                    "存续",
                    name,
                    person_id,
                    "330203000000",
                ]
            )
    return out.getvalue()
