"""Front door of the cases app (DESIGN §3.1): one verb-named function per use case.

Pages, the API and other apps call these; each locks the case row, checks that the action is
allowed in the case's state and for the user (409 naming the allowed actions, 403), changes the
state through the case's workflow, writes a :class:`~yiwang.cases.models.CaseEvent` and an audit
record, and puts the applicant's notifications into the outbox — all in one transaction.
"""

from yiwang.cases.services._common import allowed_actions, may_act_as_applicant, staff_actions
from yiwang.cases.services.acceptance import (
    accept,
    not_accept,
    pre_review_pass,
    record_visit,
    request_supplement,
)
from yiwang.cases.services.application import (
    application_errors,
    attach_material,
    delivery_methods,
    detach_material,
    online_mode,
    remove_from_drive,
    required_materials,
    save_draft,
    start_application,
    store_file,
    submit,
    supplement,
    withdraw,
)
from yiwang.cases.services.files import open_material_as_staff
from yiwang.cases.services.handling import (
    confirm_receipt,
    decide,
    deliver_electronically,
    hand_over,
    review,
    ship,
)
from yiwang.cases.services.query import query_case
from yiwang.cases.services.time_limits import decide_extension, pause, request_extension, resume

__all__ = [
    "accept",
    "allowed_actions",
    "application_errors",
    "attach_material",
    "confirm_receipt",
    "decide",
    "decide_extension",
    "deliver_electronically",
    "delivery_methods",
    "detach_material",
    "hand_over",
    "may_act_as_applicant",
    "not_accept",
    "online_mode",
    "open_material_as_staff",
    "pause",
    "pre_review_pass",
    "query_case",
    "record_visit",
    "remove_from_drive",
    "request_extension",
    "request_supplement",
    "required_materials",
    "resume",
    "review",
    "save_draft",
    "ship",
    "staff_actions",
    "start_application",
    "store_file",
    "submit",
    "supplement",
    "withdraw",
]
