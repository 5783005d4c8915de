"""Settings of the gunicorn server the guide benchmark starts: the project's, plus the
benchmark-only URL ``/bench/constant/`` (:mod:`tests.bench.urls`).

Selected only in that server process (``DJANGO_SETTINGS_MODULE=tests.bench.server_settings``);
the project's settings and URLs are untouched — the cache included (the project's default, one
in-memory cache per worker process), so the guide page is measured as production serves it.
"""

from yiwang.conf.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
