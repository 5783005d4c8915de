"""/api/v1/case-query: 办件查询 for anyone, by number and applicant (no sign-in); the limits on
guessing are :func:`yiwang.cases.services.query_case`'s, shared with the portal's page.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.cases import services
from yiwang.cases.api.schemas import PublicCaseOut, public_case_out
from yiwang.core.http import client_ip
from yiwang.core.problems import Problem

router = Router(tags=["办件查询"])


class CaseQuery(Schema):
    number: str = Field(
        ..., max_length=40, description="统一办件编号", examples=["330203000000202612060000017"]
    )
    who: str = Field(..., max_length=50, description="申请人姓名（单位名称），或身份证号码后4位")


@router.get(
    "/case-query",
    response={200: PublicCaseOut, 400: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="办件查询",
)
def public_query(request: HttpRequest, query: Query[CaseQuery]):
    """Status and steps of a case for whoever knows its number and applicant. Personal data
    comes back masked; the steps name organisations, not people. A miss is a 404 whatever its
    cause; too many misses are a 429 with ``Retry-After``."""
    found = services.query_case(query.number, query.who, ip=client_ip(request))
    return public_case_out(found)
