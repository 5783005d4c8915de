"""Settings every test run shares, whatever the database."""

import pytest
from django.test import TransactionTestCase

# What the migrations seeded, per database alias, read right after the test databases were made.
_SEEDED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production uses WhiteNoise's manifest storage, which needs `collectstatic` first; tests
    # render templates without collecting, so they use the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached pages and lookups of one test must not answer another's requests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    # The calendar keeps each year in a per-process cache; a test that wrote CalendarDay rows in a
    # rolled-back transaction must not leave its schedule behind for the next test.
    from yiwang.core import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _tasks_run_on_commit_and_sms_stay_in_the_outbox(settings):
    # Background tasks run in the test's own process right after the transaction commits, and
    # SMS go no further than the outbox table, where tests read the codes
    # (yiwang.notifications.testing).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "outbox"


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in as the back office leaves staff: the admin only
    takes sessions that passed the second factor (yiwang.backoffice.admin_site)."""
    from yiwang.accounts.services.staff_auth import STAFF_VERIFIED_SESSION_KEY

    client.force_login(admin_user)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = admin_user.pk
    session.save()
    return client


def pytest_collection_modifyitems(items):
    # A transactional test (and every browser journey, through live_server) ends by flushing every
    # table, which would also delete what migrations seed: the working-day calendar, the item
    # types and themes, the synonyms, the service agreement. Later tests would then run against
    # a database no deployment ever has. Serialized rollback restores that data after the flush.
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional or "live_server" in getattr(item, "fixturenames", ()):
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Django keeps the serialized seed data on the connection object of the thread (or context)
    # that created the test database. Playwright's sync API runs browser tests in another
    # greenlet, whose context has its own connection objects without that attribute, so Django
    # would silently skip the restore there. Keep the data here and hand it to every connection.
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            _SEEDED[alias] = connections[alias].creation.serialize_db_to_string()
    yield


_original_fixture_setup = TransactionTestCase._fixture_setup.__func__


def _fixture_setup_with_seed_data(cls):
    from django.db import connections

    if cls.serialized_rollback:
        for alias in cls._databases_names(include_mirrors=False):
            connection = connections[alias]
            if alias in _SEEDED and not hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = _SEEDED[alias]
    return _original_fixture_setup(cls)


TransactionTestCase._fixture_setup = classmethod(_fixture_setup_with_seed_data)
