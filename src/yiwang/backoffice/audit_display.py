"""How the 审计日志 page shows an audit event to the 审计员: Chinese words, not codes.

The audit trail stores what the code did — ``account.unban_approve``, ``user:19``, a JSON
snapshot — and must keep storing exactly that (the rows are hash-chained). This module only
translates for reading: an action label (an unknown code is shown as it is, so a new action is
never hidden), who acted as a masked name (the page lists people's accounts to a reader who does
not need their full names; staff keep their account name, which is what the actor filter takes),
and before/after as a short list of "field: value".
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.accounts.constants import RegistrationChannel, Role, UserKind
from yiwang.accounts.services import account_admin
from yiwang.cases.constants import ACTION_LABELS as CASE_ACTION_LABELS
from yiwang.core.masking import mask_name, mask_uscc
from yiwang.core.models import AuditEvent

__all__ = ["AuditRow", "action_label", "present"]

# Every action code written with ``audit.record(...)`` in the project, by app.
ACTION_LABELS = {
    # cases (the case's own actions are "cases.case.<Action>", see action_label)
    "cases.material.viewed": "查看办件材料",
    # accounts
    "account.register": "网上注册",
    "account.window_register": "窗口注册",
    "account.provision": "批量开通账号",
    "account.open": "开通工作人员账号",
    "account.disable": "停用账号",
    "account.unban_request": "申请解封账号",
    "account.unban_approve": "批准解封账号",
    "account.unban_reject": "驳回解封申请",
    "account.role_grant": "授予角色",
    "account.role_revoke": "收回角色",
    "account.totp_enrol": "绑定动态口令",
    "account.password_change": "修改密码",
    "account.password_reset": "重置密码",
    "account.phone_change": "更换手机号码",
    "account.profile_update": "修改个人资料",
    "account.qr_confirm": "扫码登录确认",
    "accounts.acting.started": "开始代表企业办事",
    "accounts.acting.stopped": "结束代表企业办事",
    "accounts.enterprise.registered": "企业注册",
    "accounts.enterprise.legal_representative_changed": "变更法定代表人",
    "accounts.grant.created": "新增企业经办授权",
    "accounts.grant.requested": "申请企业经办授权",
    "accounts.grant.approved": "批准企业经办授权",
    "accounts.grant.rejected": "驳回企业经办授权申请",
    "accounts.grant.changed": "变更企业经办授权",
    "accounts.grant.revoked": "撤销企业经办授权",
    "person.business_link": "建立办事关系",
    "person.lookup": "查询自然人信息",
    "person.unmask": "查看完整个人信息",
    # identity, notifications, integrations
    "identity.client.register": "登记接入的部门系统",
    "identity.authorize": "单点登录授权确认",
    "notifications.message.resend": "重发消息",
    "baselib.import": "导入人口库/法人库",
    # catalog
    "catalog.basic_item.create": "新增目录清单事项",
    "catalog.basic_item.change": "修改目录清单事项",
    "catalog.item.create": "新增实施清单事项",
    "catalog.item.retire": "停用实施清单事项",
    "catalog.draft.start": "新建办事指南草稿",
    "catalog.draft.change": "修改办事指南草稿",
    "catalog.submit": "提交办事指南审核",
    "catalog.return": "退回办事指南",
    "catalog.publish": "发布办事指南",
    "catalog.search.synonym.create": "新增搜索同义词",
    "catalog.search.synonym.change": "修改搜索同义词",
    "catalog.search.synonym.delete": "删除搜索同义词",
    # regions, core
    "regions.import": "导入行政区划",
    "calendar.seed": "导入法定节假日安排",
    "calendar.day.create": "新增日历调整",
    "calendar.day.change": "修改日历调整",
    "calendar.day.delete": "删除日历调整",
    "crypto.rotate": "轮换数据加密密钥",
}

# Codes built as "<object>.<verb>" (regions' writes) or "catalog.<part>.<verb>" (guide parts,
# item types, themes): composed from these two tables rather than listed one by one.
OBJECT_LABELS = {
    "user": "账号",
    "person": "自然人",
    "account": "账号",
    "enterprise": "企业",
    "accounts.grant": "企业经办授权",
    "region": "行政区划",
    "organization": "机构",
    "hall": "服务大厅",
    "window": "窗口",
    "station": "便民服务站",
    "item_type": "事项类型",
    "theme": "服务主题",
    "material": "申请材料",
    "processstep": "办理环节",
    "fee": "收费项目",
    "handlingitem": "办理项",
    "basic_item": "目录清单事项",
    "service_item": "实施清单事项",
    "item_version": "办事指南版本",
    "synonym": "搜索同义词",
    "calendar": "工作日历",
    "calendar_day": "日历调整",
    "data_keys": "数据加密密钥",
    "oauth_application": "接入系统",
    "qr_login": "扫码登录",
    "thread": "消息会话",
}
VERB_LABELS = {
    "create": "新增",
    "add": "新增",
    "change": "修改",
    "delete": "删除",
    "remove": "删除",
}

FIELD_LABELS = {
    "is_active": "账号可用",
    "reason": "原因",
    "username": "账号名",
    "kind": "账号类型",
    "name": "姓名",
    "id_number": "公民身份号码",
    "phone": "手机号码",
    "organization": "机构",
    "organization_id": "机构",
    "organization_name": "机构名称",
    "region": "区划",
    "window": "窗口",
    "role": "角色",
    "roles": "角色",
    "assignment": "角色记录",
    "unban_request": "解封申请编号",
    "requested_by": "申请人",
    "channel": "注册渠道",
    "id_card_checked": "已核验身份证原件",
    "agreement_version": "服务协议版本",
    "uscc": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "status": "状态",
    "opinion": "意见",
    "scopes": "授权范围",
    "client": "接入系统",
}
_FIELD_ORDER = {key: index for index, key in enumerate(FIELD_LABELS)}

# Coded values shown by their Chinese name, per field.
_CHOICES = {
    "role": dict(Role.choices),
    "roles": dict(Role.choices),
    "kind": dict(UserKind.choices),
    "channel": dict(RegistrationChannel.choices),
}
_VALUE_MAX = 120  # a catalogue snapshot can be long; the page is a list, not a diff viewer


def action_label(code: str) -> str:
    """The Chinese label of an audit action code; an unknown code as it is."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    if code.startswith("cases.case.") and code.removeprefix("cases.case.") in CASE_ACTION_LABELS:
        return "办件" + CASE_ACTION_LABELS[code.removeprefix("cases.case.")]
    head, _, verb = code.rpartition(".")
    obj = head.removeprefix("catalog.")
    if verb in VERB_LABELS and obj in OBJECT_LABELS:
        return VERB_LABELS[verb] + OBJECT_LABELS[obj]
    return code


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action: str
    actor: str
    object: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


def _user_pk(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _who(user) -> str:
    if user.kind == UserKind.STAFF:
        return f"{mask_name(user.name) or user.username}（{user.username}）"
    return f"{mask_name(user.name) or '未实名'}（{UserKind.PERSON.label}）"


def _actor(event: AuditEvent, users: dict) -> str:
    kind, _, rest = event.actor.partition(":")
    user = users.get(_user_pk(rest)) if kind == "user" else None
    if user is not None:
        shown = _who(user)
    elif event.actor in ("system", ""):
        shown = "系统"
    elif event.actor == "anonymous":
        shown = "未登录用户"
    else:
        shown = event.actor_label or event.actor
    if event.acting_for.startswith("enterprise:"):
        shown += f"，代表企业 {mask_uscc(event.acting_for.removeprefix('enterprise:'))}"
    return shown


def _object(event: AuditEvent, users: dict) -> str:
    if not event.object_type:
        return ""
    label = OBJECT_LABELS.get(event.object_type, event.object_type)
    user = users.get(_user_pk(event.object_id)) if event.object_type == "user" else None
    if user is not None:
        return f"{label} {_who(user)}"
    return f"{label} {event.object_id}".strip()


def _value(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_value(field, v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{FIELD_LABELS.get(k, k)}：{_value(k, v)}" for k, v in value.items())
    text = str(_CHOICES.get(field, {}).get(value, value))
    return text if len(text) <= _VALUE_MAX else text[:_VALUE_MAX] + "…"


def _fields(snapshot) -> list[tuple[str, str]]:
    if snapshot is None or snapshot == {}:
        return []
    if not isinstance(snapshot, dict):
        return [("", _value("", snapshot))]
    # PostgreSQL's jsonb does not keep the written key order: list fields in a fixed order (that
    # of FIELD_LABELS, then unknown keys alphabetically) so both databases show the same.
    keys = sorted(snapshot, key=lambda k: (_FIELD_ORDER.get(k, len(_FIELD_ORDER)), k))
    return [(FIELD_LABELS.get(k, k), _value(k, snapshot[k])) for k in keys]


def present(events: list[AuditEvent]) -> list[AuditRow]:
    """The rows of the audit page for ``events``, with one query for the accounts they name."""
    pks = {_user_pk(e.actor.partition(":")[2]) for e in events if e.actor.startswith("user:")}
    pks |= {_user_pk(e.object_id) for e in events if e.object_type == "user"}
    users = account_admin.users_by_pk(pk for pk in pks if pk is not None)
    return [
        AuditRow(
            event=e,
            action=action_label(e.action),
            actor=_actor(e, users),
            object=_object(e, users),
            before=_fields(e.before),
            after=_fields(e.after),
        )
        for e in events
    ]
