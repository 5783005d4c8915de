"""The accounts API: one router mounted at /api/v1/, assembled from one module per area."""

from ninja import Router

router = Router()

# Each area adds its sub-router here: router.add_router("", <module>.router)

from yiwang.accounts.api import auth  # noqa: E402  (registration, sign-in, SMS codes)

router.add_router("", auth.router)

from yiwang.accounts.api import staff  # noqa: E402  (staff, window work, account management)

router.add_router("", staff.router)

from yiwang.accounts.api import enterprises  # noqa: E402  (legal persons, delegation, acting)

router.add_router("", enterprises.router)
