"""The steps of ``yiwang demo``, in the order they depend on each other.

Each app that brings demo data adds its loader here (catalogue items after the organisations
that implement them, people and staff after the halls they work in, …).
"""

from yiwang.demo import cases, catalog, people, province
from yiwang.demo.base import Step

STEPS: list[Step] = [
    Step("regions", "行政区划（浙江省到区县，宁波市到村）", province.load_regions),
    Step(
        "organizations",
        "实施机构（省、宁波市、各区县、海曙区与余姚市乡镇）",
        province.load_organizations,
    ),
    Step("halls", "政务服务大厅与窗口", province.load_halls),
    Step("stations", "村（社区）便民服务站", province.load_stations),
    Step("catalog", "事项清单：目录清单、实施清单与办事指南", catalog.load_catalog),
    Step("baselib", "基础库：合成人口库与法人库", people.load_base_libraries),
    Step("accounts", "演示市民、法人用户与工作人员账号", people.load_accounts),
    Step("cases", "演示办件（各办理环节）", cases.load_cases),
]
