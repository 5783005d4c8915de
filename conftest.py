"""Settings every test run shares, whatever the database."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production uses WhiteNoise's manifest storage, which needs `collectstatic` first; tests
    # render templates without collecting, so they use the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    # The calendar keeps each year in a per-process cache; a test that wrote CalendarDay rows in a
    # rolled-back transaction must not leave its schedule behind for the next test.
    from yiwang.core import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()
