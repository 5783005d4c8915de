"""The generated process, and the working-day clock with pauses and extensions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from yiwang.cases import clock, selectors, services, workflow
from yiwang.cases.constants import CaseStatus
from yiwang.cases.models import CaseWorkflow, ProcessDefinition
from yiwang.cases.tests.helpers import pdf_bytes
from yiwang.core import workdays
from yiwang.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


def _submitted(world, item):
    case = services.start_application(world.citizen, item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "测试"},
        handling_item_id=case.version.handling_items.get().pk,
        delivery_method="electronic",
    )
    for material in case.version.materials.all():
        services.attach_material(
            case.pk, world.citizen, material_id=material.pk, upload=pdf_bytes(), file_name="a.pdf"
        )
    return services.submit(case.pk, world.citizen)


def test_the_process_has_the_guide_steps_and_the_mandatory_ones(world):
    # the factory's guide lists 受理 and 决定; the online item also 审查
    assert [(s.role, s.name) for s in workflow.steps_of(world.check_item.current_version)] == [
        ("receive", "收件"),
        ("accept", "受理"),
        ("decide", "决定"),
        ("deliver", "送达"),
    ]
    assert [s.name for s in workflow.steps_of(world.online_item.current_version)] == [
        "收件",
        "受理",
        "审查",
        "决定",
        "送达",
    ]
    definition = workflow.definition_for(world.online_item.current_version)
    assert workflow.definition_for(world.online_item.current_version) == definition
    assert ProcessDefinition.objects.count() == 1
    assert '<bpmn:userTask id="review_0" name="审查"/>' in definition.bpmn
    assert "scriptTask" not in definition.bpmn and "conditionExpression" not in definition.bpmn


def test_a_case_keeps_its_state_and_refuses_a_step_out_of_turn(world):
    case = _submitted(world, world.online_item)
    state = CaseWorkflow.objects.get(case=case)
    assert "spec" not in state.state  # the spec lives once, on the definition
    assert workflow.ready_step(case).name == "受理"
    with pytest.raises(RuntimeError):
        workflow.complete(case, "decide")
    assert workflow.ready_step(case).name == "受理"
    services.withdraw(case.pk, world.citizen, reason="不办了")
    assert workflow.ready_step(case) is None


def test_deadlines_count_working_days_and_pauses_lengthen_them(world, monkeypatch):
    case = _submitted(world, world.online_item)
    submitted = clock.local_date(case.submitted_at)
    assert case.due_on == workdays.add_working_days(submitted, clock.ACCEPTANCE_DAYS)
    case = services.accept(case.pk, world.clerk)
    start = clock.local_date(case.accepted_at)
    assert case.clock_started_on == start
    assert case.due_on == workdays.add_working_days(start, case.promised_days)
    assert case.statutory_due_on == workdays.add_working_days(start, case.statutory_days)

    services.pause(case.pk, world.reviewer, reason="组织现场核查")
    with pytest.raises(Conflict):
        services.pause(case.pk, world.reviewer, reason="再次暂停")
    with pytest.raises(DomainError, match="请先恢复计时"):
        services.review(case.pk, world.reviewer, opinion="同意")
    # the pause lasts three working days
    later = timezone.now() + datetime.timedelta(days=7)
    paused_days = workdays.working_days_between(start, clock.local_date(later))
    monkeypatch.setattr(timezone, "now", lambda: later)
    case = services.resume(case.pk, world.reviewer)
    assert case.paused_days == paused_days > 0
    assert case.due_on == workdays.add_working_days(start, case.promised_days + paused_days)

    services.request_extension(case.pk, world.reviewer, days=5, reason="需专家评审")
    with pytest.raises(DomainError, match="不批准延期请写明理由"):
        services.decide_extension(case.pk, world.decider, approve=False)
    services.decide_extension(case.pk, world.decider, approve=True, note="同意延长")
    case.refresh_from_db()
    assert case.extension_days == 5
    assert case.due_on == workdays.add_working_days(start, case.promised_days + paused_days + 5)


def test_overdue_and_due_soon_queues(world):
    case = _submitted(world, world.online_item)
    case = services.accept(case.pk, world.clerk)
    due = case.due_on
    assert case in selectors.queue(world.reviewer, "due_soon", today=due)
    assert case not in selectors.queue(world.reviewer, "overdue", today=due)
    after = workdays.add_working_days(due, 1)
    assert case in selectors.queue(world.reviewer, "overdue", today=after)
    assert clock.remaining_working_days(case, today=after) == -1
    services.pause(case.pk, world.reviewer, reason="听证")
    assert case not in selectors.queue(world.reviewer, "overdue", today=after)
    assert case.status == CaseStatus.REVIEWING
