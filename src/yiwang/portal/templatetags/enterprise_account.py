"""``{% acting_identity %}``: the header line "当前身份：某某公司（经办人）" with 切换回个人.

A tag rather than a context processor so that only pages that show the header pay for the
check, and the check is :func:`yiwang.accounts.services.acting_enterprise`, which re-reads the
grant: an expired or revoked grant disappears from the header on the next page.
"""

from django import template

from yiwang.accounts import services

register = template.Library()


@register.inclusion_tag("portal/enterprise_account/_identity.html", takes_context=True)
def acting_identity(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"acting": None}
    enterprise = services.acting_enterprise(getattr(request, "session", None), user)
    return {
        "acting": enterprise,
        "acting_role": services.acting_role_label(user, enterprise) if enterprise else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
