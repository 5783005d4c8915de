"""The publishing rules of a guide version and the 三级四同 consistency rule, in one place.

Each rule looks at a version and returns its violations (an empty list when it holds), so
:func:`yiwang.catalog.services.publish` refuses with the first and ``yiwang catalog check``
reports them all. A violation names its rule in Chinese and the field to correct.

The rules read ``version.materials``, ``fees`` and ``item.basic_item``; prefetch them
(:data:`VERSION_PREFETCH`) when checking many versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yiwang.catalog.constants import FULLY_ONLINE_DEPTH, MaterialRequirement, MaterialSource
from yiwang.core.errors import DomainError

if TYPE_CHECKING:
    from yiwang.catalog.models import BasicItem, ItemVersion

__all__ = [
    "RULES",
    "VERSION_PREFETCH",
    "RuleViolation",
    "Violation",
    "check_consistency",
    "check_version",
    "require_publishable",
]

VERSION_PREFETCH = ("materials", "fees")


@dataclass(frozen=True)
class Violation:
    rule: str  # the rule's Chinese name, e.g. 全程网办零跑动
    message: str
    field: str

    def __str__(self) -> str:
        return f"【{self.rule}】{self.message}"


class RuleViolation(DomainError):
    """Publishing refused: ``violations`` lists every rule broken, the message names the first."""

    def __init__(self, violations: list[Violation]) -> None:
        first = violations[0]
        more = f"（另有{len(violations) - 1}项不符合发布规则）" if len(violations) > 1 else ""
        super().__init__(f"不符合发布规则“{first.rule}”：{first.message}{more}", field=first.field)
        self.violations = violations


Rule = Callable[["ItemVersion"], list[Violation]]
RULES: list[tuple[str, Rule]] = []


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES.append((name, function))
        function.rule_name = name  # type: ignore[attr-defined]
        return function

    return register


def _v(name: str, message: str, field: str) -> list[Violation]:
    return [Violation(name, message, field)]


# --- 基本信息 ---------------------------------------------------------------------------------


@rule("名称与目录清单一致")
def name_matches_catalogue(version: ItemVersion) -> list[Violation]:
    """三级四同: the implemented item carries the catalogue item's name (guide ch. 4 (二) 1 (2))."""
    basic = version.item.basic_item
    if version.name != basic.name:
        return _v(
            "名称与目录清单一致",
            f"事项名称“{version.name}”与目录清单名称“{basic.name}”（{basic.code}）不一致",
            "name",
        )
    return []


@rule("服务对象必填")
def service_objects_required(version: ItemVersion) -> list[Violation]:
    if not version.service_objects:
        return _v("服务对象必填", "请选择服务对象（自然人、法人）", "service_objects")
    return []


@rule("办理形式必填")
def handling_forms_required(version: ItemVersion) -> list[Violation]:
    if not version.handling_forms:
        return _v(
            "办理形式必填", "请选择办理形式（窗口办理、网上办理、快递申请）", "handling_forms"
        )
    return []


# --- 跑动次数 (REQUIREMENTS §2 applying, §4 online depth) --------------------------------------


@rule("全程网办零跑动")
def fully_online_zero_visits(version: ItemVersion) -> list[Violation]:
    """全程网办 (depth Ⅳ) means 0 on-site visits (REQUIREMENTS §4)."""
    if set(version.online_depth) >= FULLY_ONLINE_DEPTH and version.max_visits != 0:
        return _v(
            "全程网办零跑动",
            f"网上办理深度已达全程网办，到办事现场次数应为0，实为{version.max_visits}",
            "max_visits",
        )
    return []


@rule("零跑动须支持快递")
def zero_visits_need_delivery(version: ItemVersion) -> list[Violation]:
    """Without a visit and without 全程网办, originals and results travel by post."""
    fully_online = set(version.online_depth) >= FULLY_ONLINE_DEPTH
    if version.max_visits == 0 and not fully_online and not version.express_delivery_supported:
        return _v(
            "零跑动须支持快递",
            "到办事现场次数为0但未实现全程网办，须支持物流快递（材料和结果邮寄）",
            "express_delivery_supported",
        )
    return []


# --- 时限 -----------------------------------------------------------------------------------


@rule("承诺时限不超过法定时限")
def promised_within_statutory(version: ItemVersion) -> list[Violation]:
    statutory = version.statutory_time_limit
    if statutory is not None and version.promised_time_limit > statutory:
        return _v(
            "承诺时限不超过法定时限",
            f"承诺办结时限{version.promised_time_limit}个工作日超过法定办结时限{statutory}个工作日",
            "promised_time_limit",
        )
    return []


# --- 收费 -----------------------------------------------------------------------------------


@rule("收费须明确")
def fee_or_free(version: ItemVersion) -> list[Violation]:
    """The guide states the fees or "本事项不收费" (seed 001 ch. 4 (二) 3 收费)."""
    fees = list(version.fees.all())
    if version.is_free and fees:
        return _v("收费须明确", "已勾选不收费，但列有收费项目", "is_free")
    if not version.is_free and not fees:
        return _v("收费须明确", "请列出收费项目，或勾选不收费", "is_free")
    return []


@rule("收费须有依据")
def fees_have_basis(version: ItemVersion) -> list[Violation]:
    missing = [fee.name for fee in version.fees.all() if not fee.legal_basis.strip()]
    if missing:
        return _v("收费须有依据", f"收费项目“{'”“'.join(missing)}”未填写收费依据", "fees")
    return []


@rule("收费须支持网上支付")
def fees_payable_online(version: ItemVersion) -> list[Violation]:
    """统一公共支付: a fee can be paid online (REQUIREMENTS §3)."""
    if list(version.fees.all()) and not version.online_payment_supported:
        return _v("收费须支持网上支付", "收费事项须支持网上支付", "online_payment_supported")
    return []


# --- 申请材料 -------------------------------------------------------------------------------


@rule("申请材料须明确")
def materials_or_none(version: ItemVersion) -> list[Violation]:
    materials = list(version.materials.all())
    if version.no_materials_required and materials:
        return _v("申请材料须明确", "已勾选无需申请材料，但列有申请材料", "no_materials_required")
    if not version.no_materials_required and not materials:
        return _v("申请材料须明确", "请至少列出一项申请材料，或勾选无需申请材料", "materials")
    return []


@rule("必要材料须有依据")
def materials_have_basis(version: ItemVersion) -> list[Violation]:
    """Every material needs a basis: "要求提供申请材料，须有相应的法律法规、规章及规范性文件
    作为依据" (seed 001 ch. 4 (二) 2 ①)."""
    missing = [m.name for m in version.materials.all() if not m.legal_basis.strip()]
    if missing:
        return _v("必要材料须有依据", f"材料“{'”“'.join(missing)}”未填写要求依据", "materials")
    return []


@rule("核发材料须注明核发部门")
def issued_materials_name_issuer(version: ItemVersion) -> list[Violation]:
    """ "如需提供其他部门审批证件的，注明该证件的核发部门" (seed 001 ch. 4 (二) 2 ①)."""
    missing = [
        m.name
        for m in version.materials.all()
        if m.source == MaterialSource.GOVERNMENT and not m.issuing_department.strip()
    ]
    if missing:
        return _v(
            "核发材料须注明核发部门", f"材料“{'”“'.join(missing)}”未注明核发部门", "materials"
        )
    return []


@rule("情形材料须写明情形")
def conditional_materials_state_condition(version: ItemVersion) -> list[Violation]:
    missing = [
        m.name
        for m in version.materials.all()
        if m.requirement == MaterialRequirement.CONDITIONAL and not m.condition.strip()
    ]
    if missing:
        return _v(
            "情形材料须写明情形", f"材料“{'”“'.join(missing)}”未写明需提供的情形", "materials"
        )
    return []


# --- 联系方式 -------------------------------------------------------------------------------


@rule("咨询电话与监督电话")
def distinct_phones(version: ItemVersion) -> list[Violation]:
    """Both numbers are guide elements; supervision must not be answered by the office
    supervised (seed 001 ch. 4 (二) 2 (1))."""
    consultation = version.consultation_phone.strip()
    supervision = version.supervision_phone.strip()
    if not consultation:
        return _v("咨询电话与监督电话", "请填写咨询电话", "consultation_phone")
    if not supervision:
        return _v("咨询电话与监督电话", "请填写监督电话", "supervision_phone")
    if consultation == supervision:
        return _v(
            "咨询电话与监督电话",
            f"监督电话不能与咨询电话相同（{supervision}）",
            "supervision_phone",
        )
    return []


def check_version(version: ItemVersion) -> list[Violation]:
    """Every violation of the publishing rules, in the order of :data:`RULES`."""
    violations: list[Violation] = []
    for _name, check in RULES:
        violations.extend(check(version))
    return violations


def require_publishable(version: ItemVersion) -> None:
    """Raise :class:`RuleViolation` (400, naming the first rule) unless every rule holds."""
    violations = check_version(version)
    if violations:
        raise RuleViolation(violations)


# --- 三级四同 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inconsistency:
    code: str  # the basic code concerned (or the name, for "同名不同码")
    message: str

    def __str__(self) -> str:
        return self.message


def check_consistency(
    basic_items: Iterable[BasicItem], versions: Iterable[ItemVersion]
) -> list[Inconsistency]:
    """三级四同 (Nanjing, seed 002; guide ch. 4 (二) 1 (2)): the same item has the same name,
    type, basis and code at every level and in every area.

    A basic code is unique and carries the type and the basis, so an implemented item cannot
    disagree with them; what can go wrong is reported: the same name under different basic
    codes (the national, provincial and city lists each coding one item), and a published guide
    whose name differs from its basic item's (naming one code differently in two regions).
    ``versions`` are current versions with ``item__basic_item`` and ``item__organization``
    selected.
    """
    found: list[Inconsistency] = []
    by_name: dict[str, list[BasicItem]] = defaultdict(list)
    for basic in basic_items:
        by_name[basic.name.strip()].append(basic)
    for name, same in sorted(by_name.items()):
        if len(same) > 1:
            codes = "、".join(
                f"{b.code}（{b.get_level_display()}，{b.item_type.name}）"
                for b in sorted(same, key=lambda b: b.code)
            )
            found.append(Inconsistency(name, f"同名不同码：事项“{name}”有多个基本编码 {codes}"))
    by_code: dict[str, list[ItemVersion]] = defaultdict(list)
    for version in versions:
        by_code[version.item.basic_item.code].append(version)
    for code, group in sorted(by_code.items()):
        basic = group[0].item.basic_item
        for version in sorted(group, key=lambda v: v.item.code):
            if version.name != basic.name:
                found.append(
                    Inconsistency(
                        code,
                        f"同码不同名：基本编码 {code}（“{basic.name}”）在"
                        f"{version.item.organization.name}实施为“{version.name}”"
                        f"（实施编码 {version.item.code}）",
                    )
                )
    return found
