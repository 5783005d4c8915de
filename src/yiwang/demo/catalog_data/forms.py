"""Blank forms and samples of the demo guides, generated as small real PDF files.

reportlab's built-in CID font (STSong-Light) is not embedded and renders blank in many viewers
(DESIGN §6), so the WenQuanYi Micro Hei TrueType font is embedded as a subset. ``invariant``
makes the bytes the same on every run, so a second ``yiwang demo`` finds the files unchanged.
"""

from __future__ import annotations

import io
from pathlib import Path

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT = "WQYMicroHei"
DEMO_NOTE = "本表为演示系统样表，仅供参考；正式表格以实施机构发布的为准。"

# key → (title, field labels, note); a sample's labels carry example values after "：".
FORMS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "company_application": (
        "公司登记（备案）申请书",
        (
            "公司名称",
            "统一社会信用代码（设立登记不填）",
            "住所",
            "法定代表人",
            "注册资本（万元）",
            "公司类型",
            "经营范围",
            "营业期限",
            "申请类型（设立/变更/注销/备案）",
            "联系人及电话",
        ),
        "本公司依照《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》申请登记，"
        "提交材料真实有效。法定代表人签字：",
    ),
    "food_application": (
        "食品经营许可申请书",
        (
            "申请人名称",
            "统一社会信用代码",
            "法定代表人（负责人）",
            "经营场所",
            "主体业态",
            "经营项目",
            "食品安全管理人员",
            "联系电话",
        ),
        "申请人承诺所提交的材料真实、合法、有效，并对其法律后果承担责任。申请人签章：",
    ),
    "id_card_form": (
        "居民身份证申领登记表",
        (
            "姓名",
            "性别",
            "民族",
            "出生日期",
            "公民身份号码",
            "常住户口所在地住址",
            "申领原因（首次申领/到期换领/丢失补领）",
            "领证方式（窗口领取/邮寄）",
        ),
        "本人对以上填报内容核对无误。申请人签名：",
    ),
    "marriage_declaration": (
        "申请结婚登记声明书",
        ("男方姓名", "男方公民身份号码", "女方姓名", "女方公民身份号码", "登记日期"),
        "我们双方自愿结婚，本人无配偶，与对方当事人没有直系血亲和三代以内旁系血亲关系，"
        "了解对方的身体健康状况，所填写的内容和提供的证件真实。声明人签名（须在婚姻登记员"
        "面前签署）：",
    ),
    "divorce_agreement_sample": (
        "离婚协议书（示例）",
        (
            "男方：张某某，公民身份号码 3302**********1234",
            "女方：李某某，公民身份号码 3302**********5678",
            "双方于2015年5月20日在宁波市海曙区民政局登记结婚",
            "一、双方自愿离婚",
            "二、子女抚养：婚生子张某由女方抚养，男方每月支付抚养费2000元至其年满十八周岁",
            "三、财产分割：位于宁波市海曙区的住房一套归女方所有",
            "四、债务处理：双方确认无共同债务",
        ),
        "本协议一式三份，双方各执一份，婚姻登记机关存档一份。男方签名：        女方签名：",
    ),
    "fund_withdrawal": (
        "住房公积金提取申请表",
        (
            "职工姓名",
            "公民身份号码",
            "个人公积金账号",
            "提取原因（购房/租房/偿还贷款/退休）",
            "提取金额（元）",
            "收款银行及账号",
            "联系电话",
        ),
        "本人承诺所提供的材料真实有效，如有虚假，愿承担相应法律责任。申请人签名：",
    ),
    "assistance_application": (
        "最低生活保障申请书",
        (
            "申请人姓名",
            "公民身份号码",
            "户籍所在地",
            "共同生活家庭成员",
            "家庭月总收入（元）",
            "申请理由",
            "银行账号",
        ),
        "本人同意授权民政部门核对家庭经济状况，承诺所报情况真实。申请人签名：",
    ),
    "real_estate_application": (
        "不动产登记申请书",
        (
            "登记类型（首次/转移/变更/抵押/注销）",
            "权利人（申请人）",
            "义务人",
            "不动产坐落",
            "不动产单元号",
            "面积（平方米）",
            "用途",
            "申请证书版式（单一版/集成版）",
        ),
        "申请人保证以上内容及提交的材料真实、合法、有效。申请人签章：",
    ),
    "business_licence_sample": (
        "营业执照（样本）",
        (
            "统一社会信用代码：91330203MA2XXXXXXX",
            "名称：宁波示例科技有限公司",
            "类型：有限责任公司（自然人投资或控股）",
            "法定代表人：王某某",
            "经营范围：一般项目：技术服务、技术开发、技术咨询",
            "注册资本：壹佰万元整",
            "成立日期：2024年01月08日",
            "住所：浙江省宁波市海曙区示例路1号",
        ),
        "登记机关：宁波市海曙区市场监督管理局（样本，不作为有效证照）",
    ),
}


def available() -> bool:
    """Whether the CJK font is installed (without it the demo publishes guides without
    files rather than PDFs whose Chinese would not render)."""
    return FONT_PATH.exists()


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))


def render(key: str) -> bytes:
    """The PDF of form ``key``: title, one row per field (a blank box, or the example value
    of a sample), the declaration and the demo note."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    title, fields, note = FORMS[key]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor("yiwang 演示数据")
    width, height = A4
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, height - 72, title)
    sample = "：" in fields[0]
    y = height - 120
    pdf.setFont(FONT, 11)
    for field in fields:
        if sample:
            pdf.drawString(72, y, field)
            y -= 26
            continue
        pdf.rect(72, y - 8, width - 144, 26)
        pdf.line(240, y - 8, 240, y + 18)
        pdf.drawString(80, y, field[:14])
        y -= 26
    y -= 20
    pdf.setFont(FONT, 10)
    for line in _wrap(note, 42):
        pdf.drawString(72, y, line)
        y -= 16
    pdf.setFont(FONT, 8)
    pdf.drawString(72, 48, DEMO_NOTE)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]
