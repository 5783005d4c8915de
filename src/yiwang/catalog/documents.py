"""The printable 办事指南 (guide PDF) of one published version.

The PDF carries the same elements as the guide page (REQUIREMENTS §4; same content on every
channel, guide ch. 4 (二) 3), the version and its publication date — a printout must say which
version it is — and a QR code back to the page, so a printed guide leads to the latest one.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yiwang.catalog.models import ItemVersion
from yiwang.core.pdf import register_cjk_font, styles

__all__ = ["days", "guide_pdf", "guide_rows", "labels"]


def _join(values) -> str:
    return "、".join(str(v) for v in values if v) or "—"


def days(value: int | None, *, none: str = "—") -> str:
    """A time limit as the guide words it: 0 is 即办 (decided on the spot)."""
    if value is None:
        return none
    return "即办" if value == 0 else f"{value} 个工作日"


def labels(version: ItemVersion, field: str) -> list[str]:
    """The Chinese labels of a multi-valued element (服务对象, 办理形式, 网上办理深度)."""
    return version._meta.get_field(field).labels(getattr(version, field))


def guide_rows(version: ItemVersion) -> list[tuple[str, str]]:
    """The guide's single-valued elements as (label, text) rows, in the national guide's order;
    the page and the PDF both show these rows. 事项类型 and 设定依据 are those the version was
    published with (the 基本编码 never changes), not the 目录清单's current ones."""
    item = version.item
    if version.is_free:
        fees = "不收费"
    else:
        fees = "；".join(
            f"{fee.name}：{fee.standard}"
            + (f"（依据：{fee.legal_basis}）" if fee.legal_basis else "")
            for fee in version.fees.all()
        )
    visits = "0 次（跑零次）" if version.max_visits == 0 else f"最多 {version.max_visits} 次"
    return [
        ("事项名称", version.name),
        ("事项类型", version.guide_item_type.name),
        ("基本编码", item.basic_item.code),
        ("实施编码", item.code),
        ("实施机构", item.organization.name),
        ("设定依据", version.guide_basic_legal_basis),
        ("实施依据", version.legal_basis or "—"),
        ("服务对象", _join(labels(version, "service_objects"))),
        ("办理形式", _join(labels(version, "handling_forms"))),
        ("网上办理深度", _join(labels(version, "online_depth"))),
        ("到办事现场次数", visits),
        ("通办范围", version.get_handling_scope_display()),
        ("法定办结时限", days(version.statutory_time_limit, none="法律未规定时限")),
        ("承诺办结时限", days(version.promised_time_limit)),
        ("收费标准及依据", fees or "—"),
        ("结果名称", version.result_name or "—"),
        ("预约办理", "支持" if version.appointment_supported else "不支持"),
        ("网上支付", "支持" if version.online_payment_supported else "不支持"),
        ("物流快递", "支持" if version.express_delivery_supported else "不支持"),
        ("办理地点", version.handling_address or _join(h.name for h in version.halls.all())),
        ("办理时间", version.working_hours or "—"),
        ("咨询电话", version.consultation_phone or "—"),
        ("监督电话", version.supervision_phone or "—"),
    ]


def _p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), styles()[style])


def _table(rows, widths, header=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")))
    table.setStyle(TableStyle(commands))
    return table


def _qr(url: str, size: float = 26 * mm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def guide_pdf(version: ItemVersion, *, url: str, site_name: str) -> bytes:
    """The guide of ``version`` as an A4 PDF with the CJK font embedded."""
    font = register_cjk_font()
    s = styles()
    buffer = io.BytesIO()
    published = timezone.localtime(version.published_at) if version.published_at else None
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{version.name} 办事指南",
        author=version.item.organization.name,
        subject=f"实施编码 {version.item.code} 第{version.number}版",
        creator=site_name,
    )
    width = A4[0] - 36 * mm
    heading = Table(
        [
            [
                [
                    Paragraph(escape(version.name), s["title"]),
                    Paragraph("办事指南", s["subtitle"]),
                    Paragraph(
                        escape(
                            f"{version.item.organization.name} · 第{version.number}版 · "
                            + (f"{published:%Y年%m月%d日}发布" if published else "未发布")
                        ),
                        s["subtitle"],
                    ),
                ],
                _qr(url),
            ]
        ],
        colWidths=[width - 30 * mm, 30 * mm],
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [heading, Spacer(1, 4 * mm)]

    story.append(Paragraph("一、基本信息", s["h2"]))
    story.append(
        _table(
            [[_p(label), _p(value)] for label, value in guide_rows(version)],
            [32 * mm, width - 32 * mm],
            header=False,
        )
    )
    story.append(Paragraph("二、受理条件", s["h2"]))
    story.append(_p(version.conditions or "无特殊条件", "body"))

    story.append(Paragraph("三、申请材料", s["h2"]))
    materials = list(version.materials.all())
    if version.no_materials_required or not materials:
        story.append(_p("无需提交材料", "body"))
    else:
        rows = [[_p("序号"), _p("材料名称"), _p("类型"), _p("来源渠道"), _p("份数"), _p("必要性")]]
        for number, material in enumerate(materials, start=1):
            source = material.get_source_display()
            if material.issuing_department:
                source += f"（{material.issuing_department}）"
            need = material.get_requirement_display()
            if material.condition:
                need += f"：{material.condition}"
            rows.append(
                [
                    _p(str(number)),
                    _p(material.name),
                    _p(material.get_kind_display()),
                    _p(source),
                    _p(str(material.copies)),
                    _p(need),
                ]
            )
        story.append(_table(rows, [10 * mm, width - 110 * mm, 18 * mm, 38 * mm, 12 * mm, 32 * mm]))

    handling = list(version.handling_items.all())
    if handling:
        story.append(Paragraph("四、办理情形", s["h2"]))
        for entry in handling:
            names = _join(m.name for m in entry.materials.all())
            story.append(_p(f"{entry.name}：{names}", "body"))

    story.append(Paragraph("五、办理流程", s["h2"]))
    steps = list(version.steps.all())
    rows = [[_p("环节"), _p("角色"), _p("时限"), _p("办理内容")]]
    for step in steps:
        limit = f"{step.time_limit} 个工作日" if step.time_limit else "即办"
        if step.on_the_spot:
            limit += "（可当场决定）"
        rows.append([_p(step.name), _p(step.get_role_display()), _p(limit), _p(step.description)])
    story.append(_table(rows, [30 * mm, 20 * mm, 30 * mm, width - 80 * mm]))

    story.append(Paragraph("六、审查标准", s["h2"]))
    story.append(_p(version.review_criteria or "—", "body"))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#4a4a4a"))
        canvas.drawString(
            18 * mm,
            9 * mm,
            f"{site_name} · 以网上公布的最新版本为准：{url}",
        )
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
