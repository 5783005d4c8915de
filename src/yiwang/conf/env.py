"""Reading environment variables, and remembering what was read.

Every setting that comes from the environment is read through :func:`env` in
``yiwang.conf.settings``. Each call records the variable's name, type, default and help text in
:data:`REGISTRY`, from which ``yiwang config-docs`` writes ``docs/configuration.md``; a test fails
when that file no longer matches, so the reference cannot drift from the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


class ConfigurationError(Exception):
    """An environment variable holds a value the platform cannot use."""


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    default: Any
    help: str
    group: str


REGISTRY: dict[str, Variable] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(name: str, raw: str, kind: str) -> Any:
    if kind == "str":
        return raw
    if kind == "bool":
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ConfigurationError(f"{name}={raw!r}: expected one of true/false/1/0/yes/no/on/off")
    if kind == "int":
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{name}={raw!r}: expected an integer") from exc
    if kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    raise ValueError(f"unknown kind {kind!r}")


def _bounds(minimum: int | None, maximum: int | None) -> str:
    """The allowed range in words, for the reference and the error message ("" when unbounded)."""
    if minimum is not None and maximum is not None:
        return f"from {minimum} to {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    if maximum is not None:
        return f"at most {maximum}"
    return ""


def env(
    name: str,
    default: Any,
    *,
    kind: str = "str",
    help: str,
    group: str = "general",
    choices: tuple[str, ...] = (),
    minimum: int | None = None,
    maximum: int | None = None,
) -> Any:
    """Return the variable ``name`` converted to ``kind``, or ``default`` when it is unset.

    ``default`` is documented as given; pass a human-readable string (for example
    ``"<data dir>/yiwang.sqlite3"``) through ``help`` where the real default is computed. With
    ``choices``, any other value stops the start with a message listing the allowed ones; with
    ``minimum``/``maximum`` (integers), a value outside that range does the same.
    """
    if choices:
        help = f"{help} One of: {', '.join(f'`{c}`' for c in choices)}."
    bounds = _bounds(minimum, maximum)
    if bounds:
        help = f"{help} {bounds[0].upper()}{bounds[1:]}."
    REGISTRY[name] = Variable(name=name, kind=kind, default=default, help=help, group=group)
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = _convert(name, raw, kind)
    if choices and value not in choices:
        raise ConfigurationError(f"{name}={raw!r}: expected one of {', '.join(choices)}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigurationError(f"{name}={raw!r}: expected {bounds}")
    return value


def render_markdown() -> str:
    """The configuration reference, as committed in ``docs/configuration.md``."""
    lines = [
        "# Configuration",
        "",
        "yiwang reads its configuration from environment variables, all of them in one module,",
        "`src/yiwang/conf/settings.py`. This page is generated from that module by",
        "`make config-docs`; `make lint` (part of `make test`) fails when it is out of date.",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for var in REGISTRY.values():
        groups.setdefault(var.group, []).append(var)
    for group, variables in groups.items():
        lines += [f"## {group}", "", "| variable | type | default | meaning |", "|---|---|---|---|"]
        for var in variables:
            default = var.default
            if isinstance(default, list):
                default = ",".join(default)
            shown = "(empty)" if default is None or default == "" else f"`{default}`"
            meaning = var.help.replace("|", "\\|")
            lines.append(f"| `{var.name}` | {var.kind} | {shown} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
