"""Message templates: every text the platform sends, by key, with the variables it needs.

The texts are files under ``templates/notifications/<channel>/<name>.txt`` with ``{variable}``
placeholders (``str.format`` syntax, not Django's): an SMS is one line of plain text, and its
length is what the gateway bills. :data:`TEMPLATES` is the registry; a key that is not in it, or a
context that lacks a variable the template needs, raises :class:`TemplateError` when the message
is sent — a programming error in the caller, never an empty placeholder in a citizen's SMS.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yiwang.notifications.models import Channel

__all__ = ["TEMPLATES", "MessageTemplate", "TemplateError", "get_template", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "notifications"


class TemplateError(Exception):
    """An unknown template key, or a context that does not fit the template (a bug)."""


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    title: str
    variables: frozenset[str]
    # The text holds a secret (a code, a password): operators' screens do not show it.
    secret: bool = False

    @property
    def channel(self) -> Channel:
        return Channel(self.key.split("/", 1)[0])

    @property
    def path(self) -> Path:
        return TEMPLATE_DIR / f"{self.key}.txt"


def _define(
    key: str, title: str, *variables: str, secret: bool = False
) -> tuple[str, MessageTemplate]:
    return key, MessageTemplate(key=key, title=title, variables=frozenset(variables), secret=secret)


TEMPLATES: dict[str, MessageTemplate] = dict(
    [
        _define("sms/verification_code", "验证码", "code", secret=True),
        _define("sms/account_disabled", "账号停用通知", "reason"),
        _define("sms/account_enabled", "账号恢复通知"),
        _define("sms/initial_password", "账号开通通知", "username", "password", secret=True),
        _define("sms/case_accepted", "办件受理通知", "item", "case_number"),
        _define("sms/case_supplement", "补正材料通知", "item", "case_number", "deadline"),
        _define("sms/case_completed", "办结通知", "item", "case_number", "result"),
        _define("sms/case_not_accepted", "不予受理通知", "item", "case_number", "reason"),
        _define("sms/case_delivered", "送达通知", "item", "case_number", "delivery"),
        _define("site/account_disabled", "账号停用通知", "reason"),
        _define("site/account_enabled", "账号恢复通知"),
        _define("site/case_accepted", "办件受理通知", "item", "case_number"),
        _define(
            "site/case_supplement", "补正材料通知", "item", "case_number", "deadline", "materials"
        ),
        _define("site/case_completed", "办结通知", "item", "case_number", "result"),
        _define("site/case_not_accepted", "不予受理通知", "item", "case_number", "reason"),
        _define("site/case_delivered", "送达通知", "item", "case_number", "delivery"),
    ]
)


def get_template(key: str, channel: Channel) -> MessageTemplate:
    template = TEMPLATES.get(key)
    if template is None:
        raise TemplateError(f"unknown message template {key!r}")
    if template.channel != channel:
        raise TemplateError(f"template {key!r} is not a {channel.value} template")
    return template


@cache
def source(key: str) -> str:
    """The template's text as written in its file, without the final newline."""
    return TEMPLATES[key].path.read_text(encoding="utf-8").rstrip("\n")


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a template text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render(template: MessageTemplate, context: Mapping[str, object]) -> str:
    """The text of ``template`` with ``context`` filled in; exactly its variables are accepted.

    Extra variables are refused as well as missing ones: a misspelt name (``cdoe``) would
    otherwise pass unnoticed next to a missing one.
    """
    given = set(context)
    missing = template.variables - given
    extra = given - template.variables
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"missing {sorted(missing)}")
        if extra:
            problems.append(f"unexpected {sorted(extra)}")
        raise TemplateError(f"template {template.key!r}: {', '.join(problems)}")
    values = {}
    for name, value in context.items():
        text = str(value)
        if not text.strip():
            # an empty value would produce "原因：。" — as broken as a missing one
            raise TemplateError(f"template {template.key!r}: variable {name!r} is empty")
        values[name] = text
    # format_map with plain strings: the values are substituted, never parsed as format syntax
    return source(template.key).format_map(values)
