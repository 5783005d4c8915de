"""Each case's process, run by SpiffWorkflow (BPMN 2.0; DESIGN §1).

The default process of an item version is generated from its 办理流程 (``catalog.ProcessStep``):
one user task per step, in order, between a start and an end event. The platform's own loop needs
four roles whatever the guide lists — 收件 (receiving the application), 受理, 决定 and 送达 — so a
guide that leaves one out gets it with its standard name; 审查 is kept only when the guide has it
(即办件 go from 受理 straight to 决定). The definition is stored per item version
(:class:`~yiwang.cases.models.ProcessDefinition`) and each case's workflow state per case
(:class:`~yiwang.cases.models.CaseWorkflow`), without the spec, which is shared.

Exceptional exits (不予受理, 撤回) cancel the workflow; 补正 is a wait inside a step, not a step.

Generated definitions hold no script tasks and no conditions, so nothing in them is executed as
Python (DESIGN §6: uploaded BPMN is code; only generated definitions exist so far).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from django.db import IntegrityError, transaction
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from yiwang.cases.models import Case, CaseWorkflow, ProcessDefinition
from yiwang.catalog.constants import StepRole

__all__ = ["Step", "cancel", "complete", "definition_for", "ready_step", "start", "steps_of"]

PROCESS_ID = "yiwang_case"
_SERIALIZER = BpmnWorkflowSerializer()

# The standard step names (审查工作细则 roles, REQUIREMENTS §4) used where a guide has none.
_DEFAULT_NAMES = {
    StepRole.RECEIVE: "收件",
    StepRole.ACCEPT: "受理",
    StepRole.REVIEW: "审查",
    StepRole.DECIDE: "决定",
    StepRole.DELIVER: "送达",
}
_ORDER = [StepRole.RECEIVE, StepRole.ACCEPT, StepRole.REVIEW, StepRole.DECIDE, StepRole.DELIVER]


@dataclass(frozen=True)
class Step:
    """A step of a case's process: its role (a :class:`StepRole`), name, limit in working days
    and whether its holder may decide on the spot."""

    task_id: str
    role: str
    name: str
    time_limit: int = 0
    on_the_spot: bool = False


def steps_of(version) -> list[Step]:
    """The steps of ``version``'s process, in order, completed with the mandatory ones."""
    listed = list(version.steps.all().order_by("order", "id"))
    by_role: dict[str, list] = {}
    for step in listed:
        by_role.setdefault(step.role, []).append(step)
    steps: list[Step] = []
    for role in _ORDER:
        found = by_role.get(role, [])
        if not found and role == StepRole.REVIEW:
            continue
        if not found:
            steps.append(Step(task_id=f"{role}_0", role=role, name=_DEFAULT_NAMES[role]))
            continue
        for i, step in enumerate(found):
            steps.append(
                Step(
                    task_id=f"{role}_{i}",
                    role=role,
                    name=step.name or _DEFAULT_NAMES[role],
                    time_limit=step.time_limit,
                    on_the_spot=step.on_the_spot,
                )
            )
    return steps


def _bpmn(steps: list[Step]) -> str:
    nodes = ['<bpmn:startEvent id="start" name="申请"/>']
    flows = []
    previous = "start"
    for i, step in enumerate(steps):
        nodes.append(f"<bpmn:userTask id={quoteattr(step.task_id)} name={quoteattr(step.name)}/>")
        flows.append(
            f'<bpmn:sequenceFlow id="flow_{i}" sourceRef={quoteattr(previous)} '
            f"targetRef={quoteattr(step.task_id)}/>"
        )
        previous = step.task_id
    nodes.append('<bpmn:endEvent id="end" name="办结"/>')
    flows.append(
        f'<bpmn:sequenceFlow id="flow_end" sourceRef={quoteattr(previous)} targetRef="end"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="yiwang_definitions" targetNamespace="https://yiwang.example/bpmn">\n'
        f'<bpmn:process id="{PROCESS_ID}" isExecutable="true">\n'
        + "\n".join(nodes + flows)
        + "\n</bpmn:process>\n</bpmn:definitions>\n"
    )


def _parse(bpmn: str):
    parser = BpmnParser()
    parser.add_bpmn_str(bpmn.encode())
    return parser.get_spec(PROCESS_ID)


def definition_for(version) -> ProcessDefinition:
    """The stored process of ``version``, generated on first use (safe when two submissions race
    to create it: the loser reads the winner's)."""
    existing = ProcessDefinition.objects.filter(version=version).first()
    if existing is not None:
        return existing
    bpmn = _bpmn(steps_of(version))
    workflow = BpmnWorkflow(_parse(bpmn))
    full = _SERIALIZER.to_dict(workflow)
    spec = {"spec": full["spec"], "subprocess_specs": full["subprocess_specs"]}
    try:
        with transaction.atomic():
            return ProcessDefinition.objects.create(
                version=version, process_id=PROCESS_ID, bpmn=bpmn, spec=spec
            )
    except IntegrityError:
        return ProcessDefinition.objects.get(version=version)


def _step_table(definition: ProcessDefinition) -> dict[str, Step]:
    # Step facts (role, limit, on-the-spot) are not in the BPMN attributes SpiffWorkflow keeps, so
    # they are read from the version's steps (immutable once published). Not cached by id: ids
    # come back after a rollback on SQLite, and a stale table would name the wrong step.
    return {step.task_id: step for step in steps_of(definition.version)}


def _load(record: CaseWorkflow) -> BpmnWorkflow:
    state = dict(record.state)
    state.update(record.definition.spec)
    return _SERIALIZER.from_dict(state)


def _store(record: CaseWorkflow, workflow: BpmnWorkflow) -> None:
    state = _SERIALIZER.to_dict(workflow)
    state.pop("spec", None)
    state.pop("subprocess_specs", None)
    record.state = state
    record.save()


def _ready(workflow: BpmnWorkflow):
    ready = workflow.get_tasks(state=TaskState.READY)
    return ready[0] if ready else None


@functools.lru_cache(maxsize=256)
def _spec(bpmn: str):
    # parsing is the slow part of starting a process; the text alone decides the result
    return _parse(bpmn)


def start(case: Case) -> Step | None:
    """Start ``case``'s process on its version's definition; return the first step."""
    definition = definition_for(case.version)
    workflow = BpmnWorkflow(_spec(definition.bpmn))
    workflow.do_engine_steps()
    record = CaseWorkflow(case=case, definition=definition, state={})
    _store(record, workflow)
    return _step(definition, _ready(workflow))


def _step(definition: ProcessDefinition, task) -> Step | None:
    if task is None:
        return None
    return _step_table(definition)[task.task_spec.name]


def ready_step(case: Case) -> Step | None:
    """The step ``case`` waits for now (None when its process has ended or was cancelled)."""
    record = CaseWorkflow.objects.select_related("definition").filter(case=case).first()
    if record is None:
        return None
    return _step(record.definition, _ready(_load(record)))


def complete(case: Case, role: str, data: dict | None = None) -> Step | None:
    """Complete the ready step of ``case``, which must have ``role``; return the next step.

    The caller (a service holding the case's row lock) has checked that the action is allowed;
    a mismatch here is a bug, raised as ``RuntimeError`` rather than silently skipping a step.
    """
    record = CaseWorkflow.objects.select_related("definition").get(case=case)
    workflow = _load(record)
    task = _ready(workflow)
    current = _step(record.definition, task)
    if current is None or current.role != role:
        raise RuntimeError(f"case {case.pk}: ready step is {current}, not {role}")
    task.data.update(data or {})
    task.run()
    workflow.do_engine_steps()
    _store(record, workflow)
    return _step(record.definition, _ready(workflow))


def cancel(case: Case) -> None:
    """End ``case``'s process without completing it (不予受理, 撤回)."""
    record = CaseWorkflow.objects.select_related("definition").filter(case=case).first()
    if record is None:
        return
    workflow = _load(record)
    workflow.cancel()
    _store(record, workflow)
