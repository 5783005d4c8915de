"""谁查看了我的信息: the citizen reads, from the audit trail, which office looked at their data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts.services import personal_data


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    entries = personal_data.access_log(request.user) if request.user.is_person else []
    return render(request, "portal/account/access_log.html", {"entries": entries})
