"""The accounts API: one router mounted at /api/v1/, assembled from one module per area."""

from ninja import Router

router = Router()

# Each area adds its sub-router here: router.add_router("", <module>.router)
