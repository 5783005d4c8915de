"""The back office's left menu: one entry per page, shown to the roles that can use it.

Apps that add back-office pages (catalogue, cases, …) add their entries here, one line each;
an entry without roles is shown to every staff member. The menu only hides links: every view
still checks its roles itself (``staff_required``) and the services check the object.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.accounts.constants import Role

__all__ = ["MENU", "MenuItem", "menu_for"]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    section: str = "工作台"


MENU: list[MenuItem] = [
    MenuItem("首页", "backoffice:home"),
    MenuItem(
        "办件",
        "backoffice:cases",
        (Role.WINDOW_CLERK, Role.REVIEWER, Role.DECIDER, Role.SUPERVISOR),
        "办件办理",
    ),
    MenuItem("窗口注册", "backoffice:window-register", (Role.WINDOW_CLERK,), "窗口服务"),
    MenuItem(
        "用户查询", "backoffice:persons", (Role.WINDOW_CLERK, Role.DEPARTMENT_ADMIN), "窗口服务"
    ),
    MenuItem(
        "账号管理",
        "backoffice:accounts",
        (Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN),
        "用户管理",
    ),
    MenuItem(
        "解封审批",
        "backoffice:unban-requests",
        (Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN),
        "用户管理",
    ),
    MenuItem("审计日志", "backoffice:audit", (Role.AUDITOR,), "安全审计"),
]


def menu_for(held_roles: set[str]) -> list[tuple[str, list[MenuItem]]]:
    """The entries ``held_roles`` may see, grouped by section in menu order."""
    sections: dict[str, list[MenuItem]] = {}
    for item in MENU:
        if not item.roles or held_roles.intersection(item.roles):
            sections.setdefault(item.section, []).append(item)
    return list(sections.items())
