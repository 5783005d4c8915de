"""申请表单 of the demo's most used items, by 基本编码 (the rest use the default form).

Each follows the paper form of the same item (:mod:`.forms`) and the supported subset of
:mod:`yiwang.catalog.application_forms`: what the platform knows about the applicant or the
enterprise they act for is prefilled (``x-prefill``), and the 告知承诺 is a box to tick.
"""

from __future__ import annotations

from yiwang.catalog.application_forms import PHONE_PATTERN

__all__ = ["FORMS"]

ID_NUMBER_PATTERN = "^[1-9][0-9]{16}[0-9X]$"
USCC_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


def _text(title: str, max_length: int, **extra) -> dict:
    return {"type": "string", "title": title, "maxLength": max_length, **extra}


def _choice(title: str, options: dict[str, str], **extra) -> dict:
    return {
        "type": "string",
        "title": title,
        "enum": list(options),
        "x-enumNames": list(options.values()),
        **extra,
    }


def _person(prefix: str = "申请人") -> dict:
    return {
        "applicant_name": _text(f"{prefix}姓名", 50, **{"x-prefill": "person.name"}),
        "id_number": _text(
            f"{prefix}公民身份号码",
            18,
            pattern=ID_NUMBER_PATTERN,
            **{"x-prefill": "person.id_number"},
        ),
        "phone": _text(
            "联系电话",
            20,
            description="手机号码，或带区号的固定电话",
            pattern=PHONE_PATTERN,
            **{"x-prefill": "person.phone"},
        ),
    }


def _enterprise() -> dict:
    return {
        "enterprise_name": _text("企业名称", 200, **{"x-prefill": "enterprise.name"}),
        "uscc": _text(
            "统一社会信用代码", 18, pattern=USCC_PATTERN, **{"x-prefill": "enterprise.uscc"}
        ),
        "legal_representative": _text(
            "法定代表人", 50, **{"x-prefill": "enterprise.legal_representative"}
        ),
        "contact_name": _text("联系人", 50, **{"x-prefill": "person.name"}),
        "contact_phone": _text(
            "联系人电话", 20, pattern=PHONE_PATTERN, **{"x-prefill": "person.phone"}
        ),
    }


def _commitment(text: str) -> dict:
    return {"commitment": {"type": "boolean", "title": text, "const": True}}


def _form(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required}


PERSON_REQUIRED = ["applicant_name", "id_number", "phone"]
ENTERPRISE_REQUIRED = ["enterprise_name", "uscc", "legal_representative", "contact_name"]
ENTERPRISE_REQUIRED += ["contact_phone"]

FORMS: dict[str, dict] = {
    # 个体工商户设立登记 (《促进个体工商户发展条例》; 个体工商户登记（备案）申请书)
    "XK0180004000": _form(
        {
            **_person("经营者"),
            "trade_name": _text(
                "个体工商户名称",
                50,
                description="可以不使用名称；使用名称的，须符合名称登记管理规定",
            ),
            "organization_form": _choice(
                "组成形式", {"individual": "个人经营", "family": "家庭经营"}
            ),
            "business_premises": _text("经营场所", 200, description="填写到门牌号"),
            "business_scope": _text(
                "经营范围",
                500,
                description="参照《国民经济行业分类》规范表述",
                **{"x-widget": "textarea"},
            ),
            "capital": {
                "type": "number",
                "title": "资金数额（万元）",
                "minimum": 0,
                "maximum": 100000,
            },
            "employees": {"type": "integer", "title": "从业人数", "minimum": 1, "maximum": 9999},
            **_commitment("本人承诺所填信息和提交的材料真实有效，经营场所符合要求"),
        },
        [
            *PERSON_REQUIRED,
            "organization_form",
            "business_premises",
            "business_scope",
            "capital",
            "employees",
            "commitment",
        ],
    ),
    # 企业变更登记 (市场主体登记管理条例第二十四条; 公司登记（备案）申请书)
    "XK0180002000": _form(
        {
            **_enterprise(),
            "change_item": _choice(
                "变更事项",
                {
                    "name": "名称",
                    "address": "住所",
                    "legal_representative": "法定代表人",
                    "business_scope": "经营范围",
                    "registered_capital": "注册资本",
                },
            ),
            "before": _text("变更前内容", 1000, **{"x-widget": "textarea"}),
            "after": _text("变更后内容", 1000, **{"x-widget": "textarea"}),
            "resolution_date": {
                "type": "string",
                "title": "作出变更决议（决定）的日期",
                "description": "应自该日起30日内申请变更登记",
                "format": "date",
            },
            **_commitment("本企业承诺所提交的材料真实、合法、有效"),
        },
        [*ENTERPRISE_REQUIRED, "change_item", "before", "after", "resolution_date", "commitment"],
    ),
    # 食品经营许可 (《食品经营许可和备案管理办法》; 食品经营许可申请书)
    "XK0180006000": _form(
        {
            **_enterprise(),
            "premises": _text("经营场所", 200),
            "business_form": _choice(
                "主体业态",
                {
                    "retail": "食品销售经营者",
                    "catering": "餐饮服务经营者",
                    "canteen": "单位食堂",
                },
            ),
            "business_items": _text(
                "经营项目",
                500,
                description="如：预包装食品（含冷藏冷冻食品）销售、热食类食品制售",
                **{"x-widget": "textarea"},
            ),
            "safety_manager": _text("食品安全管理人员", 50),
            **_commitment("申请人承诺所提交的材料真实、合法、有效，并对其法律后果承担责任"),
        },
        [
            *ENTERPRISE_REQUIRED,
            "premises",
            "business_form",
            "business_items",
            "safety_manager",
            "commitment",
        ],
    ),
    # 出生登记 (户口登记条例第七条)
    "QR0040002000": _form(
        {
            **_person("申报人"),
            "relation": _choice(
                "与新生儿的关系", {"father": "父亲", "mother": "母亲", "guardian": "其他监护人"}
            ),
            "baby_name": _text("新生儿姓名", 50),
            "baby_gender": _choice("新生儿性别", {"male": "男", "female": "女"}),
            "birth_date": {"type": "string", "title": "出生日期", "format": "date"},
            "birth_certificate_number": _text(
                "《出生医学证明》编号",
                10,
                description="证上右上角的编号，1位字母加9位数字",
                pattern="^[A-Z][0-9]{9}$",
            ),
            "settle_with": _choice("落户方式", {"father": "随父落户", "mother": "随母落户"}),
            "household_address": _text("落户地址", 200, description="父亲或母亲的户籍地址"),
        },
        [
            *PERSON_REQUIRED,
            "relation",
            "baby_name",
            "baby_gender",
            "birth_date",
            "birth_certificate_number",
            "settle_with",
            "household_address",
        ],
    ),
    # 出生医学证明签发 (母婴保健法第二十三条; 出生医学证明首次签发登记表)
    "GG0150005000": _form(
        {
            **_person("申请人"),
            "issue_kind": _choice(
                "申请类型", {"first": "首次签发", "replace": "换发", "reissue": "补发"}
            ),
            "baby_name": _text("新生儿姓名", 50),
            "birth_date": {"type": "string", "title": "出生日期", "format": "date"},
            "hospital": _text("出生医院", 100),
            "mother_name": _text("母亲姓名", 50),
            "father_name": _text("父亲姓名", 50, description="父亲信息不详的可不填"),
            "reason": _text(
                "换发或补发原因",
                500,
                description="首次签发不填",
                **{"x-widget": "textarea"},
            ),
        },
        [
            *PERSON_REQUIRED,
            "issue_kind",
            "baby_name",
            "birth_date",
            "hospital",
            "mother_name",
        ],
    ),
    # 居住证申领 (《居住证暂行条例》)
    "QR0040005000": _form(
        {
            **_person(),
            "residence_address": _text("居住地址", 200, description="填写到门牌号和室号"),
            "registered_since": {
                "type": "string",
                "title": "居住登记日期",
                "description": "居住登记满半年方可申领",
                "format": "date",
            },
            "basis": _choice(
                "申领条件",
                {
                    "employment": "合法稳定就业",
                    "residence": "合法稳定住所",
                    "study": "连续就读",
                },
            ),
            "employer_or_school": _text("就业单位或就读学校", 200),
            "email": {
                "type": "string",
                "title": "电子邮箱",
                "description": "用于接收办理进度通知，可不填",
                "format": "email",
                "x-prefill": "person.email",
            },
        },
        [*PERSON_REQUIRED, "residence_address", "registered_since", "basis"],
    ),
    # 住房公积金提取 (住房公积金管理条例第二十四条; 住房公积金提取申请表)
    "GG0110001000": _form(
        {
            **_person("职工"),
            "fund_account": _text("个人公积金账号", 20, pattern="^[0-9]{6,20}$"),
            "withdrawal_reason": _choice(
                "提取原因",
                {
                    "purchase": "购买自住住房",
                    "rent": "租房",
                    "loan": "偿还购房贷款本息",
                    "retirement": "离休、退休",
                },
            ),
            "amount": {
                "type": "number",
                "title": "提取金额（元）",
                "minimum": 0.01,
                "maximum": 2000000,
            },
            "bank_name": _text("收款银行", 100),
            "bank_account": _text(
                "收款账号", 19, description="本人名下的银行借记卡", pattern="^[0-9]{12,19}$"
            ),
            **_commitment("本人承诺所提供的材料真实有效，如有虚假，愿承担相应法律责任"),
        },
        [
            *PERSON_REQUIRED,
            "fund_account",
            "withdrawal_reason",
            "amount",
            "bank_name",
            "bank_account",
            "commitment",
        ],
    ),
}
