"""factory_boy factories of the catalogue, for this app's tests and the portal's, search's and
the demo's.

They build through :mod:`yiwang.catalog.services` as the system (``actor=None``), so test data
obeys the publishing rules and writes the same audit events as real data.

    BasicItemFactory(name="食品经营许可")             # a 目录清单 item (type 行政许可)
    ServiceItemFactory()                             # implemented by a Haishu department
    ItemVersionFactory()                             # a complete draft, publishable as is
    ItemVersionFactory(published=True)               # … published: item.current_version
    ItemVersionFactory(submitted=True)               # … waiting for review
    ItemVersionFactory(published=True, fully_online=True, with_fee=True)
    ItemVersionFactory(item=item, published=True)    # the next version of an existing item
    StaffFactory(editor_of=org) / StaffFactory(reviewer_of=org)

An ``ItemVersionFactory`` version has two materials (申请表, 居民身份证), two steps (受理,
决定), one handling item (新办) needing both materials, and is free of charge unless
``with_fee``. Guide elements can be overridden by keyword (``max_visits=0``, ``themes=["P06"]``).
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from yiwang.accounts.permissions import Role, grant_role
from yiwang.catalog import services
from yiwang.catalog.constants import (
    Audience,
    HandlingForm,
    MaterialKind,
    MaterialSource,
    OnlineDepth,
    StepRole,
)
from yiwang.catalog.models import BasicItem, ItemVersion, ServiceItem
from yiwang.regions.tests.factories import OrganizationFactory

FULL_DEPTH = [
    OnlineDepth.CONSULT,
    OnlineDepth.RECEIVE,
    OnlineDepth.PRE_REVIEW,
    OnlineDepth.ACCEPT,
    OnlineDepth.HANDLE,
    OnlineDepth.RESULT_FEEDBACK,
]


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff account (no usable password), optionally 事项编制员/事项审核员 of an organisation
    (``editor_of``/``reviewer_of``) or of a region (``reviewer_of_region``)."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"catalog-staff-{n}")
    name = factory.Sequence(lambda n: f"编制员{n}")
    kind = "staff"

    @classmethod
    def _create(cls, model_class, username, **kwargs):
        editor_of = kwargs.pop("editor_of", None)
        reviewer_of = kwargs.pop("reviewer_of", None)
        reviewer_of_region = kwargs.pop("reviewer_of_region", None)
        user = model_class.objects.create_user(username, None, **kwargs)
        if editor_of is not None:
            grant_role(user, Role.CATALOG_EDITOR, organization=editor_of)
        if reviewer_of is not None:
            grant_role(user, Role.CATALOG_REVIEWER, organization=reviewer_of)
        if reviewer_of_region is not None:
            grant_role(user, Role.CATALOG_REVIEWER, region=reviewer_of_region)
        return user


class BasicItemFactory(factory.Factory):
    class Meta:
        model = BasicItem

    code = factory.Sequence(lambda n: f"T{n:011d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = "XK"
    legal_basis = "《中华人民共和国行政许可法》第十二条"
    level = "province"
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_basic_item(**kwargs)


class ServiceItemFactory(factory.Factory):
    class Meta:
        model = ServiceItem

    basic_item = factory.SubFactory(BasicItemFactory)
    organization = factory.SubFactory(OrganizationFactory)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_service_item(**kwargs)


class ItemVersionFactory(factory.Factory):
    """A complete guide version built through start_draft/update_draft and the add_* services."""

    class Meta:
        model = ItemVersion

    item = factory.SubFactory(ServiceItemFactory)
    service_objects = (Audience.PERSON,)
    handling_forms = (HandlingForm.WINDOW, HandlingForm.ONLINE)
    online_depth = (OnlineDepth.CONSULT, OnlineDepth.RECEIVE, OnlineDepth.PRE_REVIEW)
    max_visits = 1
    handling_scope = "city"
    appointment_supported = True
    statutory_time_limit = 20
    promised_time_limit = 5
    is_free = True
    result_name = "准予许可决定书"
    result_type = "approval"
    handling_address = "宁波市海曙区测试路1号行政服务中心二楼"
    working_hours = "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"
    consultation_phone = "0574-87000001"
    supervision_phone = "0574-12345"
    conditions = "申请人为具有完全民事行为能力的自然人。"
    review_criteria = "材料齐全、符合法定形式。"
    legal_basis = "《中华人民共和国行政许可法》第二十九条"
    # not model fields: what _create does after drafting
    published = False
    submitted = False
    with_fee = False
    with_children = True

    class Params:
        fully_online = factory.Trait(
            online_depth=FULL_DEPTH,
            handling_forms=(HandlingForm.ONLINE,),
            max_visits=0,
            express_delivery_supported=True,
        )

    @classmethod
    def _create(cls, model_class, item, **fields):
        published, submitted = fields.pop("published"), fields.pop("submitted")
        with_fee, with_children = fields.pop("with_fee"), fields.pop("with_children")
        fields = {k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}
        if with_fee:
            fields.update(is_free=False, online_payment_supported=True)
        draft = services.start_draft(item)
        if draft.number > 1:  # a copy of the published version: keep its children
            with_children = False
        draft = services.update_draft(draft, **fields)
        if with_children:
            form = services.add_material(
                draft,
                name="申请表",
                kind=MaterialKind.ORIGINAL,
                source=MaterialSource.APPLICANT,
                copies=1,
                paper_format="A4",
                legal_basis="《中华人民共和国行政许可法》第二十九条",
            )
            card = services.add_material(
                draft,
                name="居民身份证",
                kind=MaterialKind.ORIGINAL,
                source=MaterialSource.GOVERNMENT,
                issuing_department="公安机关",
                copies=0,
                electronic_required=True,
                legal_basis="《中华人民共和国居民身份证法》第十四条",
            )
            services.add_step(draft, name="受理", role=StepRole.ACCEPT, time_limit=1)
            services.add_step(
                draft, name="决定", role=StepRole.DECIDE, time_limit=4, review_method="written"
            )
            services.add_handling_item(draft, name="新办", materials=[form, card])
            if with_fee:
                services.add_fee(
                    draft,
                    name="工本费",
                    standard="每证10元",
                    legal_basis="《测试收费标准》（测价〔2020〕1号）",
                )
        if published:
            return services.publish(draft)
        if submitted:
            return services.submit_for_review(draft)
        return draft
