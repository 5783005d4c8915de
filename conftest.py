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
