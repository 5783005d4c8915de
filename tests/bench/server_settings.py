"""Settings of the gunicorn server the guide benchmark starts: the project's, plus the
benchmark-only URLs (:mod:`tests.bench.urls`) and one cache only those URLs use.

Selected only in that server process (``DJANGO_SETTINGS_MODULE=tests.bench.server_settings``);
the project's settings and URLs are untouched.
"""

from yiwang.conf.settings import *  # noqa: F403
from yiwang.conf.settings import DATA_DIR

ROOT_URLCONF = "tests.bench.urls"

# Only the whole-page cache prototype (/bench/guide-cached/) uses this cache: shared by the
# workers as Redis would be, so one request fills it for both. The default cache is unchanged.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "bench": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "bench-page-cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
