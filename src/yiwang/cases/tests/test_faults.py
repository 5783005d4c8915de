"""Failures in the middle of a submission leave no half case (issue 5, "Bad input and faults")."""

from __future__ import annotations

import datetime
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from yiwang.cases import files, services, workflow
from yiwang.cases.constants import CaseStatus
from yiwang.cases.models import Case, CaseEvent, CaseWorkflow, StoredFile
from yiwang.cases.tests.helpers import pdf_bytes
from yiwang.core.models import AuditChainHead, Sequence


def _ready_draft(world):
    case = services.start_application(world.citizen, world.check_item)
    services.save_draft(
        case.pk,
        world.citizen,
        form={**case.form, "reason": "开办药店"},
        handling_item_id=case.version.handling_items.get().pk,
    )
    for material in case.version.materials.all():
        services.attach_material(
            case.pk, world.citizen, material_id=material.pk, upload=pdf_bytes(), file_name="a.pdf"
        )
    return case


def _untouched(case):
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.number is None
    assert not CaseEvent.objects.filter(case=case).exists()
    assert not CaseWorkflow.objects.filter(case=case).exists()
    assert case.materials.count() == case.version.materials.count()
    storage = StoredFile._meta.get_field("file").storage
    assert all(storage.exists(m.file.file.name) for m in case.materials.select_related("file"))


@pytest.mark.django_db
def test_a_failure_inside_the_submission_rolls_all_of_it_back(world, monkeypatch):
    case = _ready_draft(world)

    def broken(_case):
        raise RuntimeError("injected failure after the number was taken")

    monkeypatch.setattr(workflow, "start", broken)
    with pytest.raises(RuntimeError):
        services.submit(case.pk, world.citizen)
    _untouched(case)
    assert not Sequence.objects.filter(kind="case").exists()  # the number was given back
    monkeypatch.undo()
    submitted = services.submit(case.pk, world.citizen)
    assert submitted.number.endswith(submitted.number[-1])
    assert submitted.number[20:26] == "000001"


@pytest.mark.django_db
def test_a_file_whose_row_fails_is_removed(world, monkeypatch):
    storage = StoredFile._meta.get_field("file").storage
    before = (
        set(files._walk(storage, files.MATERIALS_DIR)) if storage.exists("materials") else set()
    )

    def broken(self, *args, **kwargs):
        raise RuntimeError("injected failure writing the row")

    monkeypatch.setattr(StoredFile, "save", broken)
    with pytest.raises(RuntimeError):
        services.store_file(world.citizen, pdf_bytes(), name="a.pdf")
    after = set(files._walk(storage, files.MATERIALS_DIR)) if storage.exists("materials") else set()
    assert after == before


@pytest.mark.django_db
def test_sweep_removes_only_old_files_without_a_row(world, settings):
    kept = services.store_file(world.citizen, pdf_bytes(), name="kept.pdf")
    storage = StoredFile._meta.get_field("file").storage
    orphan = storage.save("materials/2026/12/orphan.pdf", io.BytesIO(pdf_bytes()))
    assert files.sweep(older_than=datetime.timedelta(hours=1)) == []  # too young
    assert files.sweep(older_than=datetime.timedelta(0), dry_run=True) == [orphan]
    assert storage.exists(orphan)
    assert files.sweep(older_than=datetime.timedelta(0)) == [orphan]
    assert not storage.exists(orphan)
    assert storage.exists(kept.file.name)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}"
    return f"sqlite:///{Path(db['NAME']).resolve()}"


_SUBMITTER = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from yiwang.accounts.models import User
    from yiwang.cases import services
    print("submitting", flush=True)
    services.submit(int(sys.argv[1]), User.objects.get(pk=int(sys.argv[2])))
    print("submitted", flush=True)
    """
)


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # statistics are a snapshot per transaction: take a fresh one each time
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_during_the_submission_leaves_the_draft_as_it_was(world):
    """A real second process submits; it is stopped by SIGKILL while its transaction is open —
    on PostgreSQL after it has written the number, the workflow and the event rows and waits for
    the audit chain's head (held here); on SQLite while it waits for the write lock."""
    case = _ready_draft(world)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yiwang.conf.settings",
        "DATABASE_URL": _database_url(),
    }
    with transaction.atomic():
        if connection.vendor == "postgresql":
            AuditChainHead.objects.select_for_update().get_or_create(pk=AuditChainHead.SINGLETON_ID)
        else:
            AuditChainHead.objects.get_or_create(pk=AuditChainHead.SINGLETON_ID)  # takes the lock
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _SUBMITTER, str(case.pk), str(world.citizen.pk)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert process.stdout.readline().strip() == b"submitting"
            deadline = time.monotonic() + 30
            if connection.vendor == "postgresql":
                while not _someone_waits_on_a_lock():
                    if process.poll() is not None or time.monotonic() > deadline:
                        process.kill()
                        pytest.fail(f"the submission never waited: {process.stderr.read()[-3000:]}")
                    time.sleep(0.1)
            else:
                time.sleep(1.0)
            assert process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == -signal.SIGKILL
    _untouched(case)
    assert not Case.objects.exclude(number__isnull=True).exists()
