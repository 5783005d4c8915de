"""The written notices of a case, built from its rows (:mod:`yiwang.cases.documents` draws them).

Which notices a case has follows from its history: a 补正材料通知书 for each 一次性告知, a
受理通知书 once accepted, a 不予受理决定书 when refused, an 办结通知书 once concluded. Each is
rebuilt from the same rows every time, so a download always says what the case's record says.
"""

from __future__ import annotations

from django.utils import timezone

from yiwang.cases.constants import Action, CaseStatus, DeliveryMethod
from yiwang.cases.documents import NOTICE_TITLES, NoticeData, NoticeMaterial, notice_pdf
from yiwang.cases.models import Case
from yiwang.core.errors import NotFound
from yiwang.core.masking import mask_person_id

__all__ = ["PUBLIC_QUERY_PATH", "available", "notice_for", "query_url"]

# The portal's public query page; the notices' QR codes point here.
PUBLIC_QUERY_PATH = "/cases/query/"


def query_url(case: Case, request=None) -> str:
    path = f"{PUBLIC_QUERY_PATH}?number={case.number}"
    return request.build_absolute_uri(path) if request is not None else path


def available(case: Case) -> list[tuple[str, str]]:
    """``[(kind, title)]`` of the notices ``case`` has, in the order they were issued."""
    kinds = []
    if case.supplements.exists():
        kinds.append("supplement")
    if case.accepted_at is not None:
        kinds.append("accepted")
    if case.status == CaseStatus.NOT_ACCEPTED:
        kinds.append("not_accepted")
    if case.concluded_at is not None:
        kinds.append("concluded")
    return [(kind, NOTICE_TITLES[kind]) for kind in kinds]


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _delivery_text(case: Case) -> str:
    if case.tracking_number:
        return f"邮寄送达（{case.carrier}，运单号 {case.tracking_number}）"
    if case.delivery_method:
        return DeliveryMethod(case.delivery_method).label
    return ""


def notice_for(case: Case, kind: str, *, request=None) -> bytes:
    """The PDF of ``case``'s notice ``kind``; :class:`NotFound` if the case has no such notice."""
    if kind not in dict(available(case)):
        raise NotFound("该办件没有这份文书")
    version = case.version
    event_action = {
        "accepted": Action.ACCEPT,
        "not_accepted": Action.NOT_ACCEPT,
        "concluded": Action.CONCLUDE,
        "supplement": Action.REQUEST_SUPPLEMENT,
    }[kind]
    event = case.events.filter(action=event_action).order_by("-id").first()
    issued = _local_date(event.ended_at if event else timezone.now())
    fields = {
        "kind": kind,
        "case_number": case.number,
        "item_name": version.name,
        "item_code": case.item.code,
        "applicant_name": case.applicant_name,
        "applicant_id_masked": ""
        if case.enterprise_id
        else mask_person_id(case.applicant.id_number or ""),
        "organization_name": case.accepting_org.name
        if kind != "concluded"
        else case.competent_org.name,
        "competent_department": case.competent_org.name,
        "issued_on": issued,
        "submitted_at": case.submitted_at,
        "accepted_on": _local_date(case.accepted_at),
        "promised_due": case.due_on if case.accepted_at else None,
        "statutory_days": case.statutory_days,
        "promised_days": case.promised_days,
        "query_url": query_url(case, request),
        "consultation_phone": version.consultation_phone,
        "supervision_phone": version.supervision_phone,
    }
    if kind == "supplement":
        request_row = case.supplements.order_by("-id").first()
        fields.update(
            document_number=request_row.document_number,
            materials=tuple(
                NoticeMaterial(name=i["name"], problem=i["problem"]) for i in request_row.items
            ),
            supplement_deadline=request_row.due_on,
            reason=request_row.note,
            issued_on=_local_date(request_row.requested_at),
        )
    elif kind == "not_accepted":
        fields.update(
            document_number=f"{case.number}-BSL",
            reason=event.opinion if event else "",
            legal_basis=(event.data or {}).get("legal_basis", "") if event else "",
        )
    elif kind == "accepted":
        fields.update(document_number=f"{case.number}-SL")
    else:
        fields.update(
            document_number=f"{case.number}-BJ",
            decision=case.decision,
            opinion=case.decision_opinion,
            result_name=version.result_name,
            delivery=_delivery_text(case),
        )
    return notice_pdf(NoticeData(**fields))
