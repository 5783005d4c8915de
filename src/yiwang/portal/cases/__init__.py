"""The citizen's pages of online application (网上申报): start an application from the guide,
fill in the draft, 我的办件, the case page with 补正 / 撤回 / 签收, 我的材料, and the public
办件查询.

Thin views (DESIGN §3.3): read the request, call one service of :mod:`yiwang.cases.services`
(or a selector of :mod:`yiwang.cases.selectors`), render. Bad input comes back as the page again
with each message next to its field or material and everything typed kept (DESIGN §3.7).
"""
