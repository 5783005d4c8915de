"""``{% staff_frame as frame %}``: what the back-office header and menu show for the request."""

from __future__ import annotations

from django import template

from yiwang.accounts.permissions import roles_of
from yiwang.backoffice.menu import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_frame(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signed_in": False, "menu": []}
    assignments = roles_of(user)
    organizations = sorted({a.organization.name for a in assignments if a.organization})
    scopes = sorted({a.region.name for a in assignments if a.region})
    roles = sorted({a.get_role_display() for a in assignments})
    return {
        "signed_in": True,
        "name": user.name or user.username,
        "organizations": organizations or scopes or (["全平台"] if assignments else []),
        "roles": roles,
        "menu": menu_for({a.role for a in assignments}),
        "current": request.resolver_match.view_name if request.resolver_match else "",
    }
