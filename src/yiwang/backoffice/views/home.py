from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.backoffice.decorators import staff_required


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The staff member's start page: the frame's menu says what they can do."""
    return render(request, "backoffice/home.html")
