"""The cases API (issue 5, online application): one router mounted at /api/v1/, assembled from
one module per area. Staff actions for department systems come later on the same services."""

from ninja import Router

router = Router()

from yiwang.cases.api import applications  # noqa: E402  (apply, submit, supplement, withdraw)

router.add_router("", applications.router)

from yiwang.cases.api import drive  # noqa: E402  (我的材料)

router.add_router("", drive.router)

from yiwang.cases.api import query  # noqa: E402  (public 办件查询, no sign-in)

router.add_router("", query.router)
