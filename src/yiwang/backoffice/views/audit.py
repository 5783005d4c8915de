"""审计日志: the audit trail for the 审计员, read only, filtered by action, actor and date."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts.constants import Role
from yiwang.accounts.services import account_admin
from yiwang.backoffice import audit_display
from yiwang.backoffice.decorators import staff_required

PAGE_SIZE = 100


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@staff_required(roles=(Role.AUDITOR,))
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip()[:100] for k in ("action", "actor", "from", "to")}
    events = account_admin.audit_events(
        request.user,
        action=filters["action"],
        actor_filter=filters["actor"],
        date_from=_date(filters["from"]),
        date_to=_date(filters["to"]),
    )
    return render(
        request,
        "backoffice/audit.html",
        {
            "rows": audit_display.present(list(events[:PAGE_SIZE])),
            "filters": filters,
            "page_size": PAGE_SIZE,
        },
    )
