"""Public API of the catalogue: every write of 目录清单, 实施清单 and 办事指南 goes through here.

Services take ``actor``: a user, or None for the system (commands, the demo loader, data
migrations), which skips the role checks. 谁编制谁维护 (guide ch. 4 (二) 5): a 事项编制员 of
the implementing organisation drafts; a 事项审核员 of that organisation or of a region
containing it returns or publishes, and never a version they drafted themselves. Refusals are
:class:`~yiwang.accounts.permissions.PermissionDenied` (403); broken publishing rules
:class:`~yiwang.catalog.rules.RuleViolation` (400, naming the rule); a version in the wrong
state :class:`~yiwang.core.errors.Conflict` (409).

Every change writes an audit event (``catalog.publish``, ``catalog.draft.change``, …, object
types ``basic_item``, ``service_item``, ``item_version``, ``material``, ``processstep``,
``handlingitem``, ``fee``); the versions themselves, with who and when, are the history.
"""

from yiwang.catalog.diff import Change, diff_versions
from yiwang.catalog.services._common import Actor
from yiwang.catalog.services.catalogue import (
    check_basic_item,
    check_implementation_code,
    count_application,
    count_views,
    create_basic_item,
    create_service_item,
    retire_item,
    save_code,
    update_basic_item,
)
from yiwang.catalog.services.drafts import (
    add_fee,
    add_handling_item,
    add_material,
    add_step,
    check_editable,
    drafted_fields,
    remove_fee,
    remove_handling_item,
    remove_material,
    remove_step,
    start_draft,
    update_draft,
    update_fee,
    update_handling_item,
    update_material,
    update_step,
)
from yiwang.catalog.services.workflow import publish, return_draft, submit_for_review

__all__ = [
    "Actor",
    "Change",
    "add_fee",
    "add_handling_item",
    "add_material",
    "add_step",
    "check_basic_item",
    "check_editable",
    "check_implementation_code",
    "count_application",
    "count_views",
    "create_basic_item",
    "create_service_item",
    "diff_versions",
    "drafted_fields",
    "publish",
    "remove_fee",
    "remove_handling_item",
    "remove_material",
    "remove_step",
    "retire_item",
    "return_draft",
    "save_code",
    "start_draft",
    "submit_for_review",
    "update_basic_item",
    "update_draft",
    "update_fee",
    "update_handling_item",
    "update_material",
    "update_step",
]
