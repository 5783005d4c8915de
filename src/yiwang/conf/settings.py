"""Django settings for yiwang: every environment variable is read here and nowhere else.

The reference of these variables, ``docs/configuration.md``, is generated from the ``env()``
calls below (``yiwang config-docs``).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import dj_database_url

from yiwang.conf.env import ConfigurationError, env

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# --- general -------------------------------------------------------------------------------

DATA_DIR = Path(
    env(
        "YIWANG_DATA_DIR",
        "var",
        help="Directory for the SQLite database, uploaded files and the generated secret key; "
        "relative paths are taken from the working directory.",
    )
).resolve()

DEBUG = env(
    "DEBUG",
    False,
    kind="bool",
    help="Django debug mode. Never true in production: it shows stack traces to visitors.",
)


def _secret_key() -> str:
    configured = env(
        "SECRET_KEY",
        "",
        help="Signs sessions, CSRF tokens and password-reset links. When empty, a random key is "
        "generated once and kept in `<YIWANG_DATA_DIR>/secret-key`, so a single machine needs no "
        "setup; set it explicitly when several web processes share sessions.",
    )
    if configured:
        return configured
    path = DATA_DIR / "secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _b64_key() -> str:
    import base64

    return base64.b64encode(secrets.token_bytes(32)).decode()


def _generated_file(name: str, make) -> str:
    """A value generated once and kept in ``<YIWANG_DATA_DIR>/<name>`` (mode 0600)."""
    path = DATA_DIR / name
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


# Personal data at rest (DESIGN §3.8): identifiers are encrypted with AES-256-GCM and found
# through an HMAC index, so a copy of the database alone does not reveal them.
DATA_KEYS = env(
    "YIWANG_DATA_KEYS",
    "",
    help="Keys that encrypt personal identifiers at rest: comma-separated `id:base64key` pairs "
    "of 32-byte AES keys, the first one encrypts and all of them decrypt (add a new key in "
    "front, run `yiwang crypto rotate`, then drop the old one). When empty, one key is "
    "generated and kept in `<YIWANG_DATA_DIR>/data-keys`. Losing the keys loses the data.",
    group="personal data",
) or _generated_file("data-keys", lambda: "k1:" + _b64_key())
INDEX_KEY = env(
    "YIWANG_INDEX_KEY",
    "",
    help="Key of the HMAC-SHA256 lookup index of encrypted identifiers (base64, 32 bytes); "
    "after changing it, `yiwang crypto rotate` recomputes every index. When empty, generated "
    "once and kept in `<YIWANG_DATA_DIR>/index-key`.",
    group="personal data",
) or _generated_file("index-key", lambda: _b64_key())


ALLOWED_HOSTS = env(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"],
    kind="list",
    help="Comma-separated host names the site answers to.",
)
CSRF_TRUSTED_ORIGINS = env(
    "CSRF_TRUSTED_ORIGINS",
    [],
    kind="list",
    help="Comma-separated origins (scheme://host) allowed to POST forms, when behind a proxy.",
)

SITE_NAME = env(
    "YIWANG_SITE_NAME",
    "一网政务服务平台",
    help="The portal's name shown in the header and the page titles, e.g. the province's own "
    "portal name in a real deployment.",
)
DEMO_NOTICE = env(
    "YIWANG_DEMO_NOTICE",
    True,
    kind="bool",
    help="Show a banner on every portal page saying the site is a demonstration with synthetic "
    "data, not an official government website. Turn it off only in a real deployment.",
)
HOME_REGION = env(
    "YIWANG_HOME_REGION",
    "330000000000",
    help="Code of the region this deployment serves (the province, for 统建): 12 digits, or a "
    "6-digit GB/T 2260 code.",
)
if not re.fullmatch(r"\d{6}|\d{12}", HOME_REGION):
    raise ConfigurationError(f"YIWANG_HOME_REGION={HOME_REGION!r}: expected 6 or 12 digits")
HOME_REGION = HOME_REGION.ljust(12, "0")

# --- HTTPS and proxies ---------------------------------------------------------------------

HTTPS = env(
    "YIWANG_HTTPS",
    False,
    kind="bool",
    help="The site is served over HTTPS: secure cookies, redirect of plain HTTP, HSTS for a "
    "year. Turn on in every real deployment.",
    group="HTTPS and proxies",
)
PROXY_COUNT = env(
    "YIWANG_PROXY_COUNT",
    0,
    kind="int",
    help="How many reverse proxies (nginx, a load balancer) stand in front of the app. With 1 or "
    "more, X-Forwarded-Proto/-Host are trusted and the client IP recorded in the audit log is "
    "taken from X-Forwarded-For, that many hops from the right; with 0 those headers are ignored "
    "so that clients cannot forge them.",
    group="HTTPS and proxies",
)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
if PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# --- database ------------------------------------------------------------------------------

DATABASE_URL = env(
    "DATABASE_URL",
    "",
    help="Database connection, e.g. `postgres://user@host:5432/yiwang`. Empty means SQLite at "
    "`<YIWANG_DATA_DIR>/yiwang.sqlite3` (WAL mode), the embedded default.",
    group="database",
)
if DATABASE_URL:
    _default_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "yiwang.sqlite3"),
    }
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    _default_db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (up to the timeout)
        # instead of failing with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the in-memory default, so tests with several threads share one database.
    _default_db["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif not _default_db["ENGINE"].endswith("postgresql"):
    raise ConfigurationError("DATABASE_URL: only SQLite and PostgreSQL are supported")
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- files ---------------------------------------------------------------------------------

MEDIA_ROOT = env(
    "MEDIA_ROOT",
    "",
    help="Directory for uploaded files with the local storage backend. Empty means "
    "`<YIWANG_DATA_DIR>/media`.",
    group="files",
) or str(DATA_DIR / "media")
MEDIA_URL = "/media/"
FILE_STORAGE_BACKEND = env(
    "FILE_STORAGE_BACKEND",
    "django.core.files.storage.FileSystemStorage",
    help="Django storage class for uploaded materials and generated documents. For "
    "S3-compatible object storage install django-storages and use "
    "`storages.backends.s3.S3Storage`.",
    group="files",
)
UPLOAD_MAX_BYTES = (
    env(
        "YIWANG_UPLOAD_MAX_MB",
        20,
        kind="int",
        help="Largest material an applicant may upload, in MB (1 MB = 1024 × 1024 bytes); a "
        "larger file is refused with its size in the message.",
        group="files",
        minimum=1,
        maximum=200,
    )
    * 1024
    * 1024
)
UPLOAD_SCAN_COMMAND = env(
    "YIWANG_UPLOAD_SCAN_COMMAND",
    "",
    help="Virus scanner run on every uploaded material, e.g. `clamdscan --no-summary -`: split "
    "like a shell command line but run without a shell, it reads the file on stdin and exits 0 "
    "when clean, 1 when infected (the file is refused); any other exit or no answer within 30 "
    "seconds refuses the upload as not checked and is logged. Empty means no scan.",
    group="files",
)
# Django streams a file field of a multipart upload to a temporary file once it passes
# FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and leaves it out of DATA_UPLOAD_MAX_MEMORY_SIZE, which
# counts only the other fields; so both defaults let materials up to UPLOAD_MAX_BYTES through,
# and yiwang.core.uploads refuses larger ones with a message that names the size.
STATIC_ROOT = env(
    "STATIC_ROOT",
    "",
    help="Where `yiwang collectstatic` gathers static files, served by the app itself "
    "(WhiteNoise). Empty means `<YIWANG_DATA_DIR>/static`.",
    group="files",
) or str(DATA_DIR / "static")
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# With DEBUG off, templates need the manifest that `yiwang collectstatic` writes (`make run` runs
# it); `make dev` turns DEBUG on and serves files straight from the apps.
WHITENOISE_USE_FINDERS = True

# --- notifications -------------------------------------------------------------------------

SMS_BACKEND = env(
    "SMS_BACKEND",
    "console",
    help="How SMS messages leave the platform: `console` (written to the log, development), "
    "`outbox` (only marked sent; tests and the demo read them from the message table), `http` "
    "(a generic SMS gateway, see `SMS_GATEWAY_*`). Every message is kept in the outbox table "
    "whatever the backend.",
    group="notifications",
    choices=("console", "outbox", "http"),
)
SMS_GATEWAY_URL = env(
    "SMS_GATEWAY_URL",
    "",
    help="Endpoint of the SMS gateway when `SMS_BACKEND=http`: each message is POSTed to it as "
    'JSON `{"phone", "text", "sign"}`. Required with that backend (`yiwang check` says so).',
    group="notifications",
)
SMS_GATEWAY_API_KEY = env(
    "SMS_GATEWAY_API_KEY",
    "",
    help="Sent to the SMS gateway in the `X-API-Key` header; empty sends no header.",
    group="notifications",
)
SMS_GATEWAY_TIMEOUT = env(
    "SMS_GATEWAY_TIMEOUT",
    10,
    kind="int",
    help="Seconds to wait for the SMS gateway; a timeout counts as a failed attempt and is "
    "retried.",
    group="notifications",
)
SMS_GATEWAY_SIGN = env(
    "SMS_GATEWAY_SIGN",
    "",
    help="短信签名 passed to the gateway as `sign` (e.g. `一网`), for gateways that add the "
    "signature themselves; empty leaves it out of the request.",
    group="notifications",
)
SMS_MAX_ATTEMPTS = env(
    "SMS_MAX_ATTEMPTS",
    5,
    kind="int",
    help="How many times one SMS is tried before it is marked failed (an operator can resend it "
    "from the admin). Gateway errors 5xx, 429 and timeouts are retried; 4xx fail at once.",
    group="notifications",
)
SMS_RETRY_SECONDS = env(
    "SMS_RETRY_SECONDS",
    30,
    kind="int",
    help="Wait before the first retry of an SMS; each further retry waits twice as long as the "
    "one before (30, 60, 120 … seconds), at most an hour.",
    group="notifications",
)

# --- cases -------------------------------------------------------------------------------------

CASE_NUMBER_LAYOUT = env(
    "YIWANG_CASE_NUMBER_LAYOUT",
    "{region}{date}{seq:06d}",
    help="Layout of the 统一办件编号 before its check digit (ISO/IEC 7064 MOD 11,10), in Python "
    "format syntax with `{region}` (12-digit region code of the accepting organisation), `{date}` "
    "(YYYYMMDD) and `{seq}` (the day's sequence per region). Digits only.",
    group="cases",
)
try:
    _sample = CASE_NUMBER_LAYOUT.format(region="330203000000", date="20260101", seq=1)
except (KeyError, IndexError, ValueError) as _exc:
    raise ConfigurationError(
        f"YIWANG_CASE_NUMBER_LAYOUT={CASE_NUMBER_LAYOUT!r}: {_exc}; "
        "use {region}, {date}, {seq}"
    ) from _exc
if "{seq" not in CASE_NUMBER_LAYOUT or not _sample.isdigit() or not 10 <= len(_sample) <= 38:
    raise ConfigurationError(
        f"YIWANG_CASE_NUMBER_LAYOUT={CASE_NUMBER_LAYOUT!r}: must contain {{seq}} and give 10 to 38 "
        "digits"
    )

# --- logistics -----------------------------------------------------------------------------

# Results and materials posted by express (REQUIREMENTS §3 logistics); the carrier sits behind
# yiwang.integrations.logistics (DESIGN §3.6).
LOGISTICS_BACKEND = env(
    "YIWANG_LOGISTICS_BACKEND",
    "fake",
    help="Which carrier posts results and materials: `fake` (nothing is posted; tracking numbers "
    "and events are simulated, for the demo and the tests) or `http` (a carrier's JSON API at "
    "`YIWANG_LOGISTICS_URL`).",
    group="logistics",
    choices=("fake", "http"),
)
LOGISTICS_URL = env(
    "YIWANG_LOGISTICS_URL",
    "",
    help="Base URL of the carrier's API when `YIWANG_LOGISTICS_BACKEND=http` (shipments are "
    "POSTed to `<url>/shipments`). Required with that backend; the start stops without it.",
    group="logistics",
)
LOGISTICS_TOKEN = env(
    "YIWANG_LOGISTICS_TOKEN",
    "",
    help="Secret API token sent to the carrier as `Authorization: Bearer <token>`; empty sends "
    "no header. Keep it out of version control.",
    group="logistics",
)
if LOGISTICS_BACKEND == "http" and not re.match(r"https?://[^/]", LOGISTICS_URL):
    raise ConfigurationError(
        f"YIWANG_LOGISTICS_URL={LOGISTICS_URL!r}: YIWANG_LOGISTICS_BACKEND=http needs the "
        "carrier's http(s) URL"
    )

# --- background tasks ----------------------------------------------------------------------

TASKS_BACKEND = env(
    "TASKS_BACKEND",
    "database",
    help="Where background tasks (SMS delivery, …) run: `database` queues them in the database "
    "for `yiwang worker` (durable; the default), `immediate` runs each one in the process that "
    "enqueued it, right after the transaction commits (tests, or a development server without "
    "a worker).",
    group="background tasks",
    choices=("database", "immediate"),
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}

# --- cache ---------------------------------------------------------------------------------

PAGE_CACHE_ENTRIES = env(
    "YIWANG_PAGE_CACHE_ENTRIES",
    2000,
    kind="int",
    help="How many pages (public 办事指南 for visitors who are not signed in) each web process "
    "keeps in memory; a guide page is about 40 KB. Make it cover the published guides times the "
    "region and 长者模式 choices people use; beyond one machine use a shared cache instead.",
    group="cache",
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES},
    }
}

# --- logging -------------------------------------------------------------------------------

LOG_LEVEL = env(
    "LOG_LEVEL",
    "INFO",
    help="Level of the platform's own log messages.",
    group="logging",
    choices=("DEBUG", "INFO", "WARNING", "ERROR"),
)

# --- Django --------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Swagger UI's assets come from the package, not from a CDN (DESIGN §6).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",
    "yiwang.core",
    "yiwang.regions",
    "yiwang.accounts",
    "yiwang.integrations",
    "yiwang.notifications",
    "yiwang.catalog",
    "yiwang.cases",
    "yiwang.identity",
    "yiwang.api",
    "yiwang.portal",
    "yiwang.backoffice",
    "yiwang.demo",
]

# Persons, enterprise representatives and staff are one user model with encrypted identifiers
# (DESIGN §3.8); see yiwang.accounts.models.
AUTH_USER_MODEL = "accounts.User"

# Real-name checks compare with the base libraries (人口库/法人库) through an adapter
# (yiwang.accounts.verification); "database" reads the local copies filled by `yiwang baselib`.
REALNAME_VERIFIER = env(
    "REALNAME_VERIFIER",
    "database",
    help="Where real-name checks of registrations are made: `database` compares with the "
    "population and legal-entity libraries imported by `yiwang baselib import`.",
    choices=("database",),
    group="accounts",
)


def _oidc_key() -> str:
    # An RSA key signs the ID tokens that department systems verify with the published JWKS;
    # like the secret key, a single machine generates one on first start.
    configured = env(
        "OIDC_RSA_PRIVATE_KEY",
        "",
        help="PEM private RSA key that signs OpenID Connect ID tokens (统一身份认证). When empty, "
        "a 3072-bit key is generated once and kept in `<YIWANG_DATA_DIR>/oidc-key.pem`; set it "
        "explicitly when several web processes issue tokens.",
        group="accounts",
    )
    if configured:
        return configured.replace("\\n", "\n")

    def make() -> str:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    return _generated_file("oidc-key.pem", make) + "\n"


# yiwang is the OpenID Connect provider of the department systems (DESIGN §1 identity; see
# yiwang.identity): authorization code flow with PKCE only, scopes openid and profile.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _oidc_key(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "yiwang.identity.validators.YiwangOAuth2Validator",
    "SCOPES": {"openid": "身份标识（用户唯一编号）", "profile": "姓名、脱敏身份证号与办事身份"},
    "DEFAULT_SCOPES": ["openid"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REQUEST_APPROVAL_PROMPT": "force",
}
# DOT's default models, named explicitly because yiwang.identity's migrations refer to them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 -- a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 -- a model name
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 -- a model name
# The portal's sign-in page (ID number or phone + password, SMS code, QR code); the OIDC
# authorize step sends signed-out visitors there.
LOGIN_URL = "/account/login/"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # outermost after security: it sees every response under /api/, errors of the others too
    "yiwang.api.middleware.ProblemDetailsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # an account opened at a window is closed until its initial password is changed
    "yiwang.portal.middleware.InitialPasswordMiddleware",
    # after authentication: a key belongs to the signed-in caller
    "yiwang.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "yiwang.conf.urls"
WSGI_APPLICATION = "yiwang.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.portal.context.site",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "yiwang": {"handlers": ["console"], "level": LOG_LEVEL},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}
