"""The demo is loaded once per test module, in a transaction rolled back after the module.

Loading it takes a couple of seconds; each test still runs in its own savepoint (pytest-django's
``db``), so what a test writes is undone before the next one.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


def run_demo() -> list[str]:
    out = io.StringIO()
    call_command("demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("演示数据已就绪（用时 ")
    return lines[:-1]


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_once, db) -> list[str]:
    """The summary lines of the first ``yiwang demo`` run of this module."""
    return _demo_once
