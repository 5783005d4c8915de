"""Materials, bases and fees many items share (居民身份证, 营业执照, 授权委托书 …)."""

from __future__ import annotations

from dataclasses import replace

from yiwang.demo.catalog_data import Mat

# --- legal bases shared by many items ------------------------------------------------------

LICENSING_LAW = "《中华人民共和国行政许可法》"
ID_CARD_LAW = "《中华人民共和国居民身份证法》第十四条"  # 有权查验居民身份证的情形
SOCIAL_INSURANCE_LAW = "《中华人民共和国社会保险法》"
MARKET_REGISTRATION = "《中华人民共和国市场主体登记管理条例》"
MARKET_REGISTRATION_RULES = "《中华人民共和国市场主体登记管理条例实施细则》"
REAL_ESTATE = "《不动产登记暂行条例》"
REAL_ESTATE_RULES = "《不动产登记暂行条例实施细则》"
HOUSEHOLD = "《中华人民共和国户口登记条例》"
SOCIAL_ASSISTANCE = "《社会救助暂行办法》"
PLANNING_LAW = "《中华人民共和国城乡规划法》"
CIVIL_CODE = "《中华人民共和国民法典》"
ROAD_TRANSPORT = "《中华人民共和国道路运输条例》"
ASSISTANCE_OPINION = "《浙江省社会救助条例》"

# --- identity and authority ------------------------------------------------------------------

ID_CARD = Mat(
    "居民身份证",
    basis=ID_CARD_LAW,
    source="government",
    issuer="公安机关",
    copies=0,
    paper_format="",
    electronic=True,
    standard="在有效期内，与申请人一致；可出示电子身份证",
    notes="现场核验原件，不收取复印件",
)
HOUSEHOLD_REGISTER = Mat(
    "居民户口簿",
    basis=HOUSEHOLD,
    source="government",
    issuer="公安机关",
    copies=0,
    paper_format="",
    standard="户主页及本人页信息完整",
    notes="现场核验原件",
)
AGENT_ID = Mat(
    "代理人居民身份证",
    basis=ID_CARD_LAW,
    source="government",
    issuer="公安机关",
    copies=0,
    paper_format="",
    condition="委托他人代为办理的",
    notes="现场核验原件",
)
POWER_OF_ATTORNEY = Mat(
    "授权委托书",
    basis=f"{CIVIL_CODE}第一百六十五条",
    condition="委托他人代为办理的",
    standard="载明委托事项、权限和期限，由委托人签名或盖章",
)
BUSINESS_LICENCE = Mat(
    "营业执照",
    basis=MARKET_REGISTRATION,
    source="government",
    issuer="市场监督管理部门",
    copies=0,
    paper_format="",
    electronic=True,
    standard="在有效期内；可通过电子营业执照核验",
    notes="已通过数据共享获取的，免于提交",
)
LEGAL_REP_ID = Mat(
    "法定代表人身份证明",
    basis=MARKET_REGISTRATION,
    kind="copy",
    standard="法定代表人居民身份证复印件，加盖单位公章",
)
AGENT_LETTER = Mat(
    "经办人身份证明及单位授权委托书",
    basis=f"{CIVIL_CODE}第一百六十五条",
    condition="由经办人代为办理的",
    standard="委托书加盖单位公章，载明经办人姓名、身份证号码和委托事项",
)
PHOTO = Mat(
    "近期免冠照片",
    basis=ID_CARD_LAW,
    copies=2,
    paper_format="1寸",
    notes="白色背景、正面免冠；在窗口现场采集的无需提供",
)


def agent(*materials: Mat) -> tuple[Mat, ...]:
    """The materials plus what an agent brings (本人/代办)."""
    return (*materials, AGENT_ID, POWER_OF_ATTORNEY)


def based(material: Mat, basis: str, **changes) -> Mat:
    """A shared material with the basis (and anything else) of the item that asks for it."""
    return replace(material, basis=basis, **changes)
