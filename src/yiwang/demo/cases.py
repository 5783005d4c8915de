"""Demo cases: a few applications of the demo citizens, at each stage of the loop, so the back
office's queues and 我的办件 have something to show after ``make run``.

Made through the cases services by the demo staff, as real cases are (numbers, events, notices,
audit records). Idempotent: a citizen who already has cases gets none added.
"""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from yiwang.accounts.models import Enterprise, User
from yiwang.cases import services
from yiwang.cases.constants import DeliveryMethod
from yiwang.cases.models import Case
from yiwang.catalog import application_forms
from yiwang.catalog.models import ServiceItem
from yiwang.demo.base import Tally
from yiwang.demo.people import CITIZENS

__all__ = ["load_cases"]

# (citizen index, item name in Haishu, how far the case goes, for the citizen's enterprise)
PLAN = (
    (0, "个体工商户设立登记", "pending", False),
    (0, "个体工商户设立登记", "supplement", False),
    (0, "企业变更登记", "reviewing", True),
    (0, "特种设备使用登记", "deciding", True),
    (0, "个体工商户注销登记", "completed", False),
    (1, "个体工商户设立登记", "pending", False),
)
HAISHU = "330203000000"


def _pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle(title)
    page.drawString(72, 760, "yiwang demo material (synthetic)")
    page.save()
    return buffer.getvalue()


def _value(prop: dict):
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, int(prop.get("minimum", 1)))
    if prop.get("format") == "date":
        return "2026-12-01"
    if prop.get("format") == "email":
        return "demo@example.com"
    return "演示申请（合成数据）"[: prop.get("maxLength", 200)]


def _form(version, prefilled: dict) -> dict:
    schema = application_forms.form_schema(version)
    form = dict(prefilled)
    for name in schema.get("required", []):
        if form.get(name) in (None, ""):
            form[name] = _value(schema["properties"][name])
    return form


def _staff(username: str) -> User:
    return User.objects.get(username=username)


def _apply(person: User, item: ServiceItem, *, for_enterprise: bool):
    enterprise = (
        Enterprise.objects.filter(legal_representative=person).order_by("pk").first()
        if for_enterprise
        else None
    )
    case = services.start_application(person, item, enterprise=enterprise)
    version = case.version
    handling = version.handling_items.order_by("order", "id").first()
    services.save_draft(
        case.pk,
        person,
        form=_form(version, case.form),
        handling_item_id=handling.pk if handling else None,
        delivery_method=DeliveryMethod.EXPRESS
        if DeliveryMethod.EXPRESS in services.delivery_methods(case)
        else None,
        delivery_address="浙江省宁波市海曙区鼓楼街道演示路1号",
    )
    case.refresh_from_db()
    for material in services.required_materials(case):
        services.attach_material(
            case.pk,
            person,
            material_id=material.pk,
            upload=_pdf(material.name),
            file_name=f"{material.name}.pdf",
        )
    return services.submit(case.pk, person)


def _advance(case, stage: str) -> None:
    clerk = _staff("hs_window")
    if stage == "pending":
        return
    if stage == "supplement":
        material = case.materials.order_by("id").first()
        services.request_supplement(
            case.pk,
            clerk,
            items=[{"material_id": material.material_id, "problem": "扫描件不清晰，请重新上传"}],
        )
        return
    services.accept(case.pk, clerk)
    if stage == "reviewing":
        return
    case.refresh_from_db()
    if case.status == "reviewing":
        services.review(case.pk, _staff("hs_market_reviewer"), opinion="材料齐全，符合条件")
    if stage == "deciding":
        return
    services.decide(case.pk, _staff("hs_market_decider"), decision="approved", opinion="准予")
    services.deliver_electronically(case.pk, clerk)


def load_cases() -> list[Tally]:
    tally = Tally("演示办件", "件")
    people = {i: User.objects.by_id_number(CITIZENS[i].id_number).first() for i, *_ in PLAN}
    # a citizen who has cases already (an earlier run, or their own tries) gets none added
    done = {
        i
        for i, person in people.items()
        if person is None or Case.objects.filter(applicant=person).exists()
    }
    for index, item_name, stage, for_enterprise in PLAN:
        tally.total += 1
        if index in done:
            continue
        item = (
            ServiceItem.objects.filter(
                region_id=HAISHU, basic_item__name=item_name, current_version__isnull=False
            )
            .order_by("code")
            .first()
        )
        if item is None:
            continue
        _advance(_apply(people[index], item, for_enterprise=for_enterprise), stage)
        tally.created += 1
    return [tally]
