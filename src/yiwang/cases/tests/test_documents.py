"""The case notices: real PDFs that a viewer renders in Chinese, with the wording the law asks for.

Page 1 of each notice is saved to tests/e2e/artifacts/notice-<kind>.png so a person can look at
what the applicant receives.
"""

import ctypes
import dataclasses
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import segno

from yiwang.cases.documents import NOTICE_TITLES, NoticeData, NoticeMaterial, notice_pdf
from yiwang.core.errors import DomainError
from yiwang.core.pdf_lines import NO_LINE_END, NO_LINE_START, break_lines

ARTIFACTS = Path(__file__).resolve().parents[4] / "tests" / "e2e" / "artifacts"
URL = "https://zwfw.example.gov.cn/cases/query/?number=3301062025030400017"

BASE = NoticeData(
    kind="accepted",
    case_number="3301062025030400017",
    item_name="食品经营许可（新办）",
    item_code="11330106002493000X4000111710400101",
    applicant_name="杭州西溪餐饮管理有限公司",
    applicant_id_masked="91330106MA2******X",
    organization_name="杭州市西湖区市场监督管理局",
    competent_department="杭州市西湖区市场监督管理局",
    issued_on=date(2025, 3, 5),
    # 01:30 UTC is 09:30 in Shanghai: the notice prints local time.
    submitted_at=datetime(2025, 3, 4, 1, 30, tzinfo=UTC),
    accepted_on=date(2025, 3, 5),
    promised_due=date(2025, 3, 19),
    statutory_days=20,
    promised_days=10,
    query_url=URL,
    consultation_phone="0571-87654321",
    supervision_phone="12345",
    document_number="西市监受〔2025〕17号",
)

MATERIALS = (
    NoticeMaterial("营业执照", "复印件未加盖公章，请提交加盖公章的复印件。"),
    NoticeMaterial("经营场所平面布局图", "未标明食品处理区、贮存区的面积，请补充标注。"),
    NoticeMaterial("食品安全管理制度", "缺少从业人员健康管理制度。"),
)

KINDS = {
    "accepted": {},
    "not_accepted": {
        "kind": "not_accepted",
        "document_number": "西市监不受〔2025〕3号",
        "accepted_on": None,
        "promised_due": None,
        "reason": "申请事项依法不属于本机关职权范围，请向杭州市市场监督管理局申请。",
        "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项",
    },
    "supplement": {
        "kind": "supplement",
        "document_number": "西市监补〔2025〕9号",
        "accepted_on": None,
        "promised_due": None,
        "materials": MATERIALS,
        "supplement_deadline": date(2025, 3, 20),
    },
    "concluded": {
        "kind": "concluded",
        "document_number": "西市监结〔2025〕21号",
        "decision": "approved",
        "opinion": "经现场核查，经营场所布局合理，符合食品经营许可条件。",
        "result_name": "食品经营许可证",
        "delivery": "邮政快递，运单号 YW2025030500123",
    },
}


def notice(template: str, **changes) -> NoticeData:
    return dataclasses.replace(BASE, **{**KINDS[template], **changes})


def read(data: bytes) -> list[str]:
    """The text of each page, with the line breaks of wrapped paragraphs removed."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        return [re.sub(r"\s+", "", page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def line_edges(data: bytes) -> tuple[set[str], set[str]]:
    """The first and the last character of every printed line."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {line[0] for line in lines}, {line[-1] for line in lines}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render_first_page(data: bytes, name: str) -> int:
    """Save page 1 as tests/e2e/artifacts/NAME.png and return its count of dark pixels."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pypdfium2.PdfDocument(data)
    try:
        image = pdf[0].render(scale=2).to_pil()
    finally:
        pdf.close()
    image.save(ARTIFACTS / f"{name}.png")
    return sum(image.convert("L").histogram()[:128])


COMMON = [
    "杭州市西湖区市场监督管理局",
    "办件编号：3301062025030400017",
    "食品经营许可（新办）",
    "杭州西溪餐饮管理有限公司：",
    "91330106MA2******X",
    "2025年3月4日 09:30",  # 01:30 UTC, printed in local time
    "扫码查询办件进度",
    URL,
    "咨询电话：0571-87654321",
    "监督投诉电话：12345",
    "2025年3月5日",
    "第1页共1页",
]

EXPECTED = {
    "accepted": [
        "受理通知书",
        "文书编号：西市监受〔2025〕17号",
        "你（单位）于2025年3月4日提出的“食品经营许可（新办）”申请，经审查，申请材料齐全、"
        "符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，"
        "决定予以受理。",
        "本事项法定办结时限为20个工作日；本机关承诺自受理之日起10个工作日内办结，"
        "预计于2025年3月19日前作出决定。",
        "所需时间不计算在上述期限内（《中华人民共和国行政许可法》第四十五条）。",
        "承诺办结日期2025年3月19日",
    ],
    "not_accepted": [
        "不予受理决定书",
        "文书编号：西市监不受〔2025〕3号",
        "经审查，申请事项依法不属于本机关职权范围，请向杭州市市场监督管理局申请。根据"
        "《中华人民共和国行政许可法》第三十二条第一款第（二）项的规定，决定不予受理。",
        "可以自收到本决定之日起六十日内，依照《中华人民共和国行政复议法》第二十条的规定"
        "申请行政复议；也可以自收到本决定之日起六个月内，依照《中华人民共和国行政诉讼法》"
        "第四十六条的规定直接向人民法院提起行政诉讼。",
    ],
    "supplement": [
        "补正材料通知书",
        "（一次性告知书）",
        "文书编号：西市监补〔2025〕9号",
        "根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，"
        "现将需要补正的全部内容一次性告知如下：",
        "序号材料名称存在问题及补正要求",
        "请于2025年3月20日前",
        "补正材料期间不计算在办理时限内",
        "补正截止日期2025年3月20日",
    ],
    "concluded": [
        "办结通知书",
        "文书编号：西市监结〔2025〕21号",
        "本机关已于2025年3月5日受理。经审查，你（单位）的申请符合法定条件、标准，根据"
        "《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予行政许可。",
        "审批意见：经现场核查，经营场所布局合理，符合食品经营许可条件。",
        "办理结果为“食品经营许可证”，送达方式：邮政快递，运单号YW2025030500123。",
        "办理结果准予",
    ],
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_notice_reads_back_with_its_title_wording_and_case(kind):
    data = notice_pdf(notice(kind))

    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # TrueType outlines embedded, not a bare CID font reference
    pages = read(data)
    assert len(pages) == 1
    for sentence in COMMON + EXPECTED[kind]:
        assert compact(sentence) in pages[0], sentence
    # The organisation appears at the top, in the 落款 and in the footer.
    assert pages[0].count("杭州市西湖区市场监督管理局") >= 3
    # GB/T 15834: no line begins with a comma, a full stop, a closing quote or bracket, and none
    # ends with an opening quote or bracket.
    starts, ends = line_edges(data)
    assert not starts & set(NO_LINE_START)
    assert not ends & set(NO_LINE_END)
    # At this scale the QR code and the red rules are about 12 000 dark pixels and the Chinese
    # text about 70 000 more: a font that does not render leaves far fewer than 50 000.
    assert render_first_page(data, f"notice-{kind}") > 50_000


def qr_modules(data: bytes) -> list[list[bool]]:
    """Read the QR code back off page 1: find its black squares, then sample each module's centre
    in the rendered page, so the test checks what a phone's camera would see."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0]
        boxes = []
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
            rgba = [ctypes.c_uint() for _ in range(4)]
            pdfium_c.FPDFPageObj_GetFillColor(obj, *rgba)
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            if fill.value and not stroke.value and [c.value for c in rgba[:3]] == [0, 0, 0]:
                boxes.append(obj.get_bounds())
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        scale, height = 4, page.get_height()
        image = page.render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    # The finder patterns put dark modules in three corners, so the black area is the symbol.
    size = segno.make(URL, error="m").symbol_size(border=0)[0]
    module = (right - left) / size
    assert (top - bottom) / size == pytest.approx(module)
    return [
        [
            image.getpixel(
                (
                    int((left + (x + 0.5) * module) * scale),
                    int((height - top + (y + 0.5) * module) * scale),
                )
            )
            < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_qr_code_encodes_the_query_url():
    expected = [[bool(m) for m in row] for row in segno.make(URL, error="m").matrix_iter(border=0)]

    assert qr_modules(notice_pdf(notice("concluded"))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "，" may not start a line: "丁" goes down with it.
        ("甲乙丙丁，戊", [(10.0, "甲乙丙"), (30.0, "丁，戊")]),
        # "《" may not end a line: it goes down with the title it opens.
        ("依照甲《乙法》", [(10.0, "依照甲"), (20.0, "《乙法》")]),
        # A number is not cut when it fits on the next line; the space at the break is dropped.
        ("号码 12345", [(20.0, "号码"), (10.0, "12345")]),
        # A Latin run longer than a line (a URL) is cut where the line is full.
        ("见 abcdefghij", [(30.0, "见"), (0.0, "abcdef"), (20.0, "ghij")]),
        # A line break in the text is kept.
        ("甲\ue000乙", [(30.0, "甲"), (50.0, "乙")]),
    ],
)
def test_break_lines_follows_the_chinese_rules(text, expected):
    # Every glyph 10 pt wide; the first line is 40 pt (it is indented), the others 60 pt.
    assert break_lines(text, lambda char: 10.0, [40.0, 60.0]) == expected


def test_titles_for_the_download_lists():
    assert NOTICE_TITLES == {
        "accepted": "受理通知书",
        "not_accepted": "不予受理决定书",
        "supplement": "补正材料通知书（一次性告知书）",
        "concluded": "办结通知书",
    }


def test_supplement_notice_lists_every_material_with_its_problem():
    text = read(notice_pdf(notice("supplement")))[0]

    for number, material in enumerate(MATERIALS, start=1):
        assert compact(f"{number}{material.name}{material.problem}") in text


def test_long_materials_list_flows_onto_a_second_page_with_the_header_repeated():
    materials = tuple(
        NoticeMaterial(f"第{n}号附件材料", f"第{n}号附件的签字页缺失，请补充申请人签字。")
        for n in range(1, 31)
    )
    pages = read(notice_pdf(notice("supplement", materials=materials)))

    assert len(pages) == 2
    assert "第1号附件材料" in pages[0]
    assert "第30号附件材料" in pages[1]
    assert pages[0].count("序号材料名称存在问题及补正要求") == 1
    assert pages[1].count("序号材料名称存在问题及补正要求") == 1
    text = "".join(pages)
    for material in materials:
        assert compact(material.name + material.problem) in text
    assert "第1页共2页" in pages[0]
    assert "第2页共2页" in pages[1]


def test_user_text_is_escaped_not_read_as_markup():
    data = notice_pdf(
        notice(
            "supplement",
            applicant_name="<b>张三 & 李四</b>",
            item_name="<i>特殊&事项</i>",
            materials=(NoticeMaterial("<b>&材料", "问题 <br/> & 说明"),),
        )
    )
    text = read(data)[0]

    assert compact("<b>张三 & 李四</b>：") in text
    assert compact("“<i>特殊&事项</i>”申请") in text
    assert compact("<b>&材料问题 <br/> & 说明") in text


def test_concluded_denial_gives_reasons_and_remedies():
    text = read(
        notice_pdf(
            notice(
                "concluded",
                decision="denied",
                reason="现场核查发现经营场所与有毒、有害场所距离不足二十五米",
                legal_basis="《食品经营许可和备案管理办法》第十四条",
                opinion="",
                result_name="不予行政许可决定书",
            )
        )
    )[0]

    assert (
        compact(
            "经审查，现场核查发现经营场所与有毒、有害场所距离不足二十五米。根据"
            "《食品经营许可和备案管理办法》第十四条的规定，决定不予行政许可。"
        )
        in text
    )
    assert (
        compact("依照《中华人民共和国行政许可法》第三十八条第二款的规定，现告知如下：如不服本决定")
        in text
    )
    assert "办理结果不予" in text
    assert "准予行政许可" not in text


def test_not_accepted_without_basis_cites_the_licensing_law():
    text = read(notice_pdf(notice("not_accepted", legal_basis="")))[0]

    assert compact("根据《中华人民共和国行政许可法》第三十二条第一款的规定，决定不予受理。") in text


def test_accepted_notice_without_submission_time_or_limits():
    text = read(
        notice_pdf(
            notice(
                "accepted",
                submitted_at=None,
                statutory_days=None,
                promised_days=0,
                promised_due=None,
                document_number="",
            )
        )
    )[0]

    assert "你（单位）提出的“食品经营许可（新办）”申请" in text
    assert "本机关承诺即时办结。" in text
    assert "法定办结时限法律未规定时限" in text
    assert "文书编号：—" in text


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("accepted", {"kind": "receipt"}, "kind", "未知的文书类型“receipt”"),
        ("accepted", {"case_number": " "}, "case_number", "文书缺少办件编号"),
        ("accepted", {"query_url": ""}, "query_url", "文书缺少办件查询地址"),
        ("not_accepted", {"reason": ""}, "reason", "不予受理决定书必须写明不予受理的理由"),
        ("supplement", {"materials": ()}, "materials", "补正材料通知书必须列明需要补正的材料"),
        (
            "supplement",
            {"materials": (NoticeMaterial("营业执照"),)},
            "materials",
            "补正材料通知书的每一项材料都必须写明材料名称和需要补正的内容",
        ),
        (
            "supplement",
            {"supplement_deadline": None},
            "supplement_deadline",
            "补正材料通知书必须写明补正期限",
        ),
        ("concluded", {"decision": ""}, "decision", "办结通知书必须写明准予或者不予的决定"),
        (
            "concluded",
            {"decision": "denied", "opinion": "", "reason": ""},
            "reason",
            "不予许可的决定必须说明理由",
        ),
    ],
)
def test_incomplete_notice_data_is_refused(kind, changes, field, message):
    with pytest.raises(DomainError) as error:
        notice(kind, **changes)

    assert error.value.field == field
    assert error.value.message.startswith(message)
