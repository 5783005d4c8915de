"""用户查询: a clerk finds a person (masked) and, with a reason, sees one full value (audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.services import personal_data
from yiwang.backoffice.decorators import staff_required
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.http import client_ip


@staff_required(roles=personal_data.PERSON_DATA_ROLES)
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    id_number = source.get("id_number", "").strip()[:40]
    context = {
        "id_number": id_number,
        "person": None,
        "error": "",
        "unmasked": None,
        "fields": personal_data.UNMASKABLE_FIELDS,
        "reason": "",
        "field": "",
    }
    status = 200
    if id_number:
        ip = client_ip(request)
        try:
            context["person"] = personal_data.find_person_for_window(request.user, id_number, ip=ip)
        except NotFound as exc:
            context["error"] = exc.message
            status = 404
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
    if request.method == "POST" and context["person"] is not None:
        context["field"] = request.POST.get("field", "")
        context["reason"] = request.POST.get("reason", "").strip()[:200]
        try:
            value = personal_data.unmask(
                request.user,
                context["person"],
                context["field"],
                reason=context["reason"],
                ip=client_ip(request),
            )
            context["unmasked"] = {
                "label": personal_data.UNMASKABLE_FIELDS[context["field"]],
                "value": value,
            }
        except DomainError as exc:
            context["unmask_error"] = exc.message
            status = exc.status
    return render(request, "backoffice/persons.html", context, status=status)
