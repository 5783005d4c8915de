"""The written notices of a case: 受理通知书, 不予受理决定书, 补正材料通知书, 办结通知书.

The 行政许可法 asks for paper at each turn of an application: a dated written voucher when an
application is accepted or refused (第三十二条第二款), a single notice that names *everything* to
be supplemented (第三十二条第一款第（四）项), and a written decision that gives the reasons and the
applicant's remedies when the answer is no (第三十八条第二款). Each notice here is an A4 PDF with
the CJK font embedded (DESIGN §6), the 文书编号 and 办件编号 at the top, the organisation's name and
the date as 落款, and a QR code that leads to the case's progress page.

The module works on plain data (:class:`NoticeData`), not on the cases models, so it can be
rendered from a case, from a stored snapshot or in a test alike. All text that comes from data is
escaped before it reaches reportlab's Paragraph markup.
"""

from __future__ import annotations

import functools
import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from yiwang.core.errors import DomainError
from yiwang.core.pdf import register_cjk_font, styles
from yiwang.core.pdf_lines import HARD_BREAK, ChineseParagraph

__all__ = [
    "DECISIONS",
    "NOTICE_KINDS",
    "NOTICE_TITLES",
    "NoticeData",
    "NoticeMaterial",
    "notice_pdf",
]

NOTICE_TITLES: dict[str, str] = {
    "accepted": "受理通知书",
    "not_accepted": "不予受理决定书",
    "supplement": "补正材料通知书（一次性告知书）",
    "concluded": "办结通知书",
}
NOTICE_KINDS = tuple(NOTICE_TITLES)
DECISIONS = ("approved", "denied")

LICENSING_LAW = "《中华人民共和国行政许可法》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

MARGIN = 22 * mm
WIDTH = A4[0] - 2 * MARGIN
GREY = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#b3121f")  # the red rule under an official document's heading
LINE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef2f7")


@dataclass(frozen=True)
class NoticeMaterial:
    """One material on a 补正材料通知书 and what is wrong with it."""

    name: str
    problem: str = ""


@dataclass(frozen=True)
class NoticeData:
    """Everything a notice prints. The caller decides how the applicant's name is shown (the notice
    goes to the applicant, so the full name is right) and masks the ID number itself."""

    kind: str
    case_number: str
    item_name: str
    item_code: str
    applicant_name: str
    applicant_id_masked: str
    organization_name: str
    competent_department: str
    issued_on: date
    submitted_at: datetime | None
    accepted_on: date | None
    promised_due: date | None
    statutory_days: int | None
    promised_days: int | None
    query_url: str
    reason: str = ""
    legal_basis: str = ""
    materials: tuple[NoticeMaterial, ...] = ()
    supplement_deadline: date | None = None
    decision: str = ""
    opinion: str = ""
    result_name: str = ""
    delivery: str = ""
    consultation_phone: str = ""
    supervision_phone: str = ""
    document_number: str = ""

    def __post_init__(self) -> None:
        if self.kind not in NOTICE_TITLES:
            raise DomainError(
                f"未知的文书类型“{self.kind}”，应为受理、不予受理、补正材料或办结通知书之一",
                field="kind",
            )
        for field, label in (
            ("case_number", "办件编号"),
            ("item_name", "事项名称"),
            ("applicant_name", "申请人"),
            ("organization_name", "出具文书的机关"),
            ("query_url", "办件查询地址"),
        ):
            if not getattr(self, field).strip():
                raise DomainError(f"文书缺少{label}", field=field)
        if self.kind == "not_accepted" and not self.reason.strip():
            # A refusal that does not say why cannot be contested; the applicant must learn what
            # to do instead (行政许可法 第三十二条第一款第（一）（二）项).
            raise DomainError("不予受理决定书必须写明不予受理的理由", field="reason")
        if self.kind == "supplement":
            self._check_supplement()
        if self.kind == "concluded":
            if self.decision not in DECISIONS:
                raise DomainError("办结通知书必须写明准予或者不予的决定", field="decision")
            if self.decision == "denied" and not (self.reason.strip() or self.opinion.strip()):
                # 行政许可法 第三十八条第二款: a written refusal states its reasons.
                raise DomainError("不予许可的决定必须说明理由", field="reason")

    def _check_supplement(self) -> None:
        # 行政许可法 第三十二条第一款第（四）项: everything to supplement is told at once, so a
        # notice without the list, or a material without its problem, is not a valid notice.
        if not self.materials:
            raise DomainError("补正材料通知书必须列明需要补正的材料", field="materials")
        for material in self.materials:
            if not material.name.strip() or not material.problem.strip():
                raise DomainError(
                    "补正材料通知书的每一项材料都必须写明材料名称和需要补正的内容",
                    field="materials",
                )
        if self.supplement_deadline is None:
            raise DomainError("补正材料通知书必须写明补正期限", field="supplement_deadline")


# -- text helpers ---------------------------------------------------------------------------------


def _date(value: date | None) -> str:
    """Official documents write dates in full, without leading zeros (GB/T 9704: 2025年3月4日)."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    value = _local(value)
    return f"{_date(value)} {value:%H:%M}"


def _days(value: int | None) -> str:
    if value is None:
        return "法律未规定时限"
    return "即办" if value == 0 else f"{value}个工作日"


def _clause(text: str) -> str:
    """User text placed inside a sentence: without its own closing punctuation."""
    return text.strip().rstrip("。；;，,.！!")


def _basis(text: str, default: str) -> str:
    return _clause(text) or default


# -- flowables ------------------------------------------------------------------------------------


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    centred = {"alignment": TA_CENTER}
    specs = {
        "org": {"fontSize": 15, "leading": 22, **centred},
        "title": {"fontSize": 22, "leading": 32, **centred},
        "subtitle": {"fontSize": 13, "leading": 18, **centred},
        "number": {"fontSize": 10, "leading": 14, "textColor": GREY},
        "number-right": {"fontSize": 10, "leading": 14, "textColor": GREY, "alignment": TA_RIGHT},
        "salutation": {"fontSize": 12, "leading": 22},
        # GB/T 9704: body text indented two characters on the first line.
        "text": {"fontSize": 12, "leading": 21, "firstLineIndent": 24, "spaceAfter": 3},
        "cell": {"fontSize": 10.5, "leading": 15},
        "number-cell": {"fontSize": 10.5, "leading": 15, **centred},
        "label": {"fontSize": 10.5, "leading": 15, "textColor": GREY},
        "head": {"fontSize": 10.5, "leading": 15},
        "sign": {"fontSize": 12, "leading": 22, **centred},
        "small": {"fontSize": 9.5, "leading": 14, "textColor": GREY},
        "caption": {"fontSize": 9, "leading": 12, **centred},
    }
    base = styles()["body"]
    return {
        name: ParagraphStyle(f"notice-{name}", parent=base, **spec) for name, spec in specs.items()
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, so ``<`` and ``&`` in names print as themselves."""
    return ChineseParagraph(escape(text.replace(HARD_BREAK, "")).replace("\n", HARD_BREAK), style)


class _QrCode(Flowable):
    """A segno QR code drawn as vector squares, sharp at any print resolution."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.rows = [list(row) for row in segno.make(data, error="m").matrix_iter(border=2)]
        self.width = self.height = size

    def draw(self) -> None:
        module = self.width / len(self.rows)
        self.canv.setFillColor(colors.black)
        for y, row in enumerate(self.rows):
            x = 0
            # One rectangle per run of dark modules: no hairline seams between squares.
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    bottom = self.height - (y + 1) * module
                    self.canv.rect(x * module, bottom, length * module, module, stroke=0, fill=1)
                x += length


def _grid(rows, widths, *, header: bool, extra=()) -> Table:
    """A ruled table; ``header`` shades row 0 and repeats it on every page."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle([*commands, *extra]))
    return table


def _heading(data: NoticeData, s) -> list[Flowable]:
    """Organisation, title, 文书编号 and 办件编号, then the red rule."""
    title = NOTICE_TITLES[data.kind]
    story: list[Flowable] = [_p(data.organization_name, s["org"])]
    if data.kind == "supplement":
        story += [_p("补正材料通知书", s["title"]), _p("（一次性告知书）", s["subtitle"])]
    else:
        story.append(_p(title, s["title"]))
    numbers = Table(
        [
            [
                _p(f"文书编号：{data.document_number or '—'}", s["number"]),
                _p(f"办件编号：{data.case_number}", s["number-right"]),
            ]
        ],
        colWidths=[WIDTH / 2, WIDTH / 2],
    )
    numbers.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [
        Spacer(1, 3 * mm),
        numbers,
        HRFlowable(width="100%", thickness=1.6, color=RULE, spaceBefore=0, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=0, spaceAfter=5 * mm),
    ]
    return story


def _facts(data: NoticeData, s) -> Table:
    """The case at a glance, in the same place on every notice."""
    pairs: list[tuple[str, str]] = [
        ("事项名称", data.item_name),
        ("事项编码", data.item_code or "—"),
        ("申请人", data.applicant_name),
        ("证件号码", data.applicant_id_masked or "—"),
        ("主管部门", data.competent_department or data.organization_name),
        ("申请时间", _datetime(data.submitted_at)),
    ]
    if data.kind == "accepted":
        pairs += [
            ("受理日期", _date(data.accepted_on)),
            ("法定办结时限", _days(data.statutory_days)),
            ("承诺办结时限", _days(data.promised_days)),
            ("承诺办结日期", _date(data.promised_due)),
        ]
    elif data.kind == "supplement":
        pairs += [("补正截止日期", _date(data.supplement_deadline))]
    elif data.kind == "concluded":
        pairs += [
            ("受理日期", _date(data.accepted_on)),
            ("办理结果", "准予" if data.decision == "approved" else "不予"),
            ("结果名称", data.result_name or "—"),
            ("送达方式", data.delivery or "—"),
        ]
    # Long values take a whole row; short ones go two to a row.
    wide = {"事项名称", "事项编码", "主管部门", "送达方式"}
    rows: list[list] = []
    commands: list[tuple] = []
    while pairs:
        y = len(rows)
        label, value = pairs.pop(0)
        row = [_p(label, s["label"]), _p(value, s["cell"]), "", ""]
        commands.append(("BACKGROUND", (0, y), (0, y), SHADE))
        if label not in wide and pairs and pairs[0][0] not in wide:
            label, value = pairs.pop(0)
            row[2:] = [_p(label, s["label"]), _p(value, s["cell"])]
            commands.append(("BACKGROUND", (2, y), (2, y), SHADE))
        else:
            commands.append(("SPAN", (1, y), (3, y)))
        rows.append(row)
    label_width = 27 * mm
    return _grid(rows, [label_width, WIDTH / 2 - label_width] * 2, header=False, extra=commands)


def _rights(s, *, basis: str) -> Paragraph:
    """The remedies every adverse decision must name (行政许可法 第三十八条第二款)."""
    return _p(
        f"{basis}如不服本决定，你（单位）可以自收到本决定之日起六十日内，依照"
        f"{RECONSIDERATION_LAW}第二十条的规定申请行政复议；也可以自收到本决定之日起六个月内，"
        f"依照{LITIGATION_LAW}第四十六条的规定直接向人民法院提起行政诉讼。",
        s["text"],
    )


def _applied(data: NoticeData) -> str:
    when = f"于{_date(_local(data.submitted_at).date())}" if data.submitted_at else ""
    return f"你（单位）{when}提出的“{data.item_name}”申请"


def _accepted(data: NoticeData, s) -> list[Flowable]:
    story = [
        _p(
            f"{_applied(data)}，经审查，申请材料齐全、符合法定形式，根据{LICENSING_LAW}"
            "第三十二条第一款第（五）项的规定，决定予以受理。",
            s["text"],
        )
    ]
    limits = []
    if data.statutory_days is not None:
        limits.append(f"本事项法定办结时限为{_days(data.statutory_days)}")
    if data.promised_days is not None:
        promise = f"本机关承诺自受理之日起{_days(data.promised_days)}内办结"
        if data.promised_days == 0:
            promise = "本机关承诺即时办结"
        if data.promised_due:
            promise += f"，预计于{_date(data.promised_due)}前作出决定"
        limits.append(promise)
    if limits:
        story.append(
            _p(
                "；".join(limits) + "。依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家"
                f"评审的，所需时间不计算在上述期限内（{LICENSING_LAW}第四十五条）。",
                s["text"],
            )
        )
    story.append(
        _p(
            "办理期间，本机关如需你（单位）补充说明或者补正材料，将及时告知；办理结果将按照你"
            "（单位）选择的方式送达。",
            s["text"],
        )
    )
    return story


def _not_accepted(data: NoticeData, s) -> list[Flowable]:
    basis = _basis(data.legal_basis, f"{LICENSING_LAW}第三十二条第一款")
    return [
        _p(
            f"{_applied(data)}，经审查，{_clause(data.reason)}。根据{basis}的规定，决定不予受理。",
            s["text"],
        ),
        _rights(s, basis=""),
    ]


def _supplement(data: NoticeData, s) -> list[Flowable]:
    story: list[Flowable] = [
        _p(
            f"{_applied(data)}，经审查，申请材料不齐全或者不符合法定形式。根据{LICENSING_LAW}"
            "第三十二条第一款第（四）项的规定，现将需要补正的全部内容一次性告知如下：",
            s["text"],
        ),
        Spacer(1, 1 * mm),
    ]
    rows = [[_p("序号", s["head"]), _p("材料名称", s["head"]), _p("存在问题及补正要求", s["head"])]]
    for number, material in enumerate(data.materials, start=1):
        rows.append(
            [
                _p(str(number), s["number-cell"]),
                _p(material.name, s["cell"]),
                _p(material.problem, s["cell"]),
            ]
        )
    widths = [12 * mm, 58 * mm, WIDTH - 70 * mm]
    table = _grid(rows, widths, header=True, extra=[("VALIGN", (0, 1), (-1, -1), "TOP")])
    story += [table, Spacer(1, 3 * mm)]
    if data.reason.strip():
        story.append(_p(f"审查意见：{data.reason.strip()}", s["text"]))
    story += [
        _p(
            f"请于{_date(data.supplement_deadline)}前通过网上办事大厅或者到办理窗口一次性提交上述"
            "补正材料。补正材料期间不计算在办理时限内；本机关收到全部补正材料后，依法作出是否受理"
            "的决定。",
            s["text"],
        ),
        _p(
            "以上为需要补正的全部内容，本机关不会再要求你（单位）补正本通知书所列以外的材料。",
            s["text"],
        ),
    ]
    return story


def _concluded(data: NoticeData, s) -> list[Flowable]:
    accepted = f"，本机关已于{_date(data.accepted_on)}受理" if data.accepted_on else ""
    story: list[Flowable] = []
    if data.decision == "approved":
        story.append(
            _p(
                f"{_applied(data)}{accepted}。经审查，你（单位）的申请符合法定条件、标准，根据"
                f"{LICENSING_LAW}第三十八条第一款的规定，决定准予行政许可。",
                s["text"],
            )
        )
        if data.opinion.strip():
            story.append(_p(f"审批意见：{data.opinion.strip()}", s["text"]))
        outcome = []
        if data.result_name.strip():
            outcome.append(f"办理结果为“{data.result_name.strip()}”")
        if data.delivery.strip():
            outcome.append(f"送达方式：{_clause(data.delivery)}")
        if outcome:
            story.append(_p("，".join(outcome) + "。请注意查收。", s["text"]))
        return story
    why = _clause(data.reason) or _clause(data.opinion)
    basis = _basis(data.legal_basis, f"{LICENSING_LAW}第三十八条第二款")
    story.append(
        _p(
            f"{_applied(data)}{accepted}。经审查，{why}。根据{basis}的规定，决定不予行政许可。",
            s["text"],
        )
    )
    if data.reason.strip() and data.opinion.strip():
        story.append(_p(f"审批意见：{data.opinion.strip()}", s["text"]))
    if data.delivery.strip():
        story.append(_p(f"本决定书送达方式：{_clause(data.delivery)}。", s["text"]))
    story.append(_rights(s, basis=f"依照{LICENSING_LAW}第三十八条第二款的规定，现告知如下："))
    return story


_BODIES = {
    "accepted": _accepted,
    "not_accepted": _not_accepted,
    "supplement": _supplement,
    "concluded": _concluded,
}


def _closing(data: NoticeData, s) -> Flowable:
    """How to follow the case (QR code, address, phones) beside the 落款 (organisation and date,
    bottom right, where the seal goes)."""
    contact = [f"扫描二维码，或者登录 {data.query_url} 凭办件编号查询办理进度和结果。"]
    if data.consultation_phone.strip():
        contact.append(f"咨询电话：{data.consultation_phone.strip()}")
    if data.supervision_phone.strip():
        contact.append(f"监督投诉电话：{data.supervision_phone.strip()}")
    qr_size = 24 * mm
    qr_column = qr_size + 8 * mm
    sign_column = 74 * mm  # a 15-character organisation name on one line
    closing = Table(
        [
            [
                [_QrCode(data.query_url, qr_size), _p("扫码查询办件进度", s["caption"])],
                [_p("办件查询", s["head"]), Spacer(1, 1 * mm)]
                + [_p(line, s["small"]) for line in contact],
                "",
                [_p(data.organization_name, s["sign"]), _p(_date(data.issued_on), s["sign"])],
            ]
        ],
        colWidths=[qr_column, WIDTH - qr_column - sign_column - 6 * mm, 6 * mm, sign_column],
    )
    closing.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (1, 0), 0.5, LINE),
                ("BACKGROUND", (1, 0), (1, 0), colors.HexColor("#f7f9fc")),
                ("LINEAFTER", (0, 0), (0, 0), 0.5, LINE),
                ("VALIGN", (0, 0), (1, 0), "MIDDLE"),
                ("VALIGN", (3, 0), (3, 0), "BOTTOM"),
                ("ALIGN", (0, 0), (0, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (1, 0), 2 * mm),
                ("RIGHTPADDING", (0, 0), (1, 0), 2 * mm),
                ("TOPPADDING", (0, 0), (1, 0), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (1, 0), 2 * mm),
                ("LEFTPADDING", (3, 0), (3, 0), 0),
                ("RIGHTPADDING", (3, 0), (3, 0), 0),
                ("BOTTOMPADDING", (3, 0), (3, 0), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6 * mm), closing])


def _numbered_canvas(footer_left: str, font: str):
    """A canvas that knows the page count when it draws each footer ("第 1 页 共 2 页")."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font, 8.5)
                self.setFillColor(GREY)
                self.setStrokeColor(LINE)
                self.setLineWidth(0.5)
                self.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
                # the left text yields to the page number: cut with an ellipsis, never overprint
                room = A4[0] - 2 * MARGIN - 32 * mm
                text = footer_left
                while text and self.stringWidth(text, font, 8.5) > room:
                    text = text[:-2] + "…"
                self.drawString(MARGIN, 10 * mm, text)
                self.drawRightString(
                    A4[0] - MARGIN, 10 * mm, f"第 {self._pageNumber} 页  共 {total} 页"
                )
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def notice_pdf(data: NoticeData) -> bytes:
    """The notice as an A4 PDF with the CJK font embedded.

    The 受理 and 不予受理 notices are the dated written vouchers of 行政许可法 第三十二条第二款;
    the organisation's 专用印章 is applied to these bytes by the e-seal, not drawn here.
    """
    font = register_cjk_font()
    s = _styles()
    title = NOTICE_TITLES[data.kind]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=f"{title} {data.case_number}",
        author=data.organization_name,
        subject=f"{data.item_name} 办件编号 {data.case_number}",
        creator="一网政务服务平台",
    )
    story = _heading(data, s)
    story.append(_p(f"{data.applicant_name}：", s["salutation"]))
    story += _BODIES[data.kind](data, s)
    facts = [Spacer(1, 2 * mm), _p("办件信息", s["head"]), Spacer(1, 1.5 * mm), _facts(data, s)]
    story.append(KeepTogether(facts))
    story.append(_closing(data, s))
    footer = f"办件编号 {data.case_number} · {title} · {data.organization_name}"
    doc.build(story, canvasmaker=_numbered_canvas(footer, font))
    return buffer.getvalue()
