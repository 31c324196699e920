"""Settings for Earmark, read from the environment.

SQLite under ``var/`` is the embedded default so that a fresh checkout runs at once;
``DATABASE_URL`` switches to PostgreSQL, the production database.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("EARMARK_VAR_DIR", PROJECT_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _secret_key() -> str:
    """Use SECRET_KEY if set; otherwise keep a generated key in var/ across restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written with owner-only permissions: the key signs sessions and CSRF tokens.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "axes",
    "earmark.core",
    "earmark.regions",
    "earmark.accounts",
    "earmark.audit",
    "earmark.farms",
    "earmark.eartags",
    "earmark.immunization",
    "earmark.quarantine",
    "earmark.movements",
    "earmark.stocktakes",
    "earmark.slaughter",
    "earmark.trace",
    "earmark.rollout",
    "earmark.exchange",
    "earmark.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The API's renamed paths answer as their successors for one release (with Deprecation).
    "earmark.api_deprecated.DeprecatedPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A farm's own veterinarian reaches the immunization form only.
    "earmark.accounts.middleware.FarmVetMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records each keyed write with its answer, in the write's own transaction.
    "earmark.core.idempotency.IdempotencyMiddleware",
    "earmark.core.middleware.BusinessErrorMiddleware",
    # Axes must come last so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earmark.urls"
WSGI_APPLICATION = "earmark.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earmark.accounts.context_processors.navigation",
            ],
            # {% submission_key %} in every form that writes.
            "builtins": ["earmark.core.templatetags.submission"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'earmark.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer works; IMMEDIATE takes the write lock at
        # the start of each transaction so that concurrent writers queue instead of failing
        # half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Each test run has its own database, so that two runs (two checkouts, or SQLite and PostgreSQL
# side by side) never meet in one: named after the run (the test process unless told).
TEST_RUN = os.environ.get("EARMARK_TEST_RUN") or str(os.getpid())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file, not memory, so that concurrent writers meet the same locking as in use.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-earmark-{TEST_RUN}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account, from the address its wrong passwords came from, after repeated wrong
# passwords (django-axes); the lock doubles with every lock of the day (accounts.lockout).
# A station's staff sharing one address lock out only the account mistyped; an attacker
# elsewhere cannot lock the real user out.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
EARMARK_LOCKOUT_MINUTES = envint("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = "earmark.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Files are found in the apps when `collectstatic` has not run (development, the demo);
# production runs `collectstatic` and WhiteNoise serves the compressed copies.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and envbool("HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind HTTPS (HTTPS=1): redirect plain HTTP and tell browsers to stay on HTTPS.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", envbool("HTTPS") and not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if envbool("HTTPS") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", envbool("HTTPS"))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", envbool("HTTPS"))
# The reverse proxies in front of the app (nginx), by address, comma-separated: from them, and
# only from them, X-Forwarded-For says who the client is (the farm PIN's attempts count by it).
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("TRUSTED_PROXIES", "").split(",") if a.strip()]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
# Every page loads its scripts, styles and images from this server only, and runs no inline
# script; charts are inline SVG with presentation attributes, not style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The region of the installation: its province code prefixes every jurisdiction.
EARMARK_PROVINCE_CODE = os.environ.get("EARMARK_PROVINCE_CODE", "220000")
# Bearer tokens record their last use at most this often, to spare a write per request.
EARMARK_TOKEN_TOUCH_SECONDS = envint("EARMARK_TOKEN_TOUCH_SECONDS", 60)
# How long a write's key (Idempotency-Key, a form's submission key) is remembered: long enough
# for a phone to come back online.
EARMARK_REQUEST_KEY_HOURS = envint("EARMARK_REQUEST_KEY_HOURS", 168)
# The function that finds whose a bearer token is (a staff user's, a farm's), for the keys'
# scope (core cannot import accounts or farms, which are above it).
EARMARK_BEARER_SCOPE = "earmark.farms.tokens.bearer_scope"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# API lists answer {"items": [...], "count": N} with ?limit= (at most 500) and ?offset=.
NINJA_PAGINATION_CLASS = "earmark.core.schemas.BoundedPagination"
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# The address farms reach the system at; QR codes on farm cards point here.
EARMARK_PUBLIC_URL = os.environ.get("EARMARK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The consumer's origin check names the farms the meat came from only where the province allows
# it (EARMARK_PUBLIC_FARM_NAMES=1); by default it stops at the township.
EARMARK_PUBLIC_FARM_NAMES = os.environ.get("EARMARK_PUBLIC_FARM_NAMES", "0") == "1"
# The public origin check answers at most this many requests a minute to one address.
EARMARK_PUBLIC_CHECKS_PER_MINUTE = int(os.environ.get("EARMARK_PUBLIC_CHECKS_PER_MINUTE", "60"))

# Column headers of the farm base-information collection system's export (畜禽养殖场户基础信息
# 采集系统), by Earmark field. Override with a JSON object in EARMARK_BASEINFO_COLUMNS.
EARMARK_BASEINFO_COLUMNS = {
    "external_id": "养殖场户编码",
    "name": "养殖场户名称",
    "kind": "养殖场户类型",
    "owner_name": "负责人",
    "phone": "联系电话",
    "id_card": "身份证号",
    "township": "所在乡镇",
    "address": "详细地址",
    "stock.pig": "生猪存栏",
    "stock.cattle": "牛存栏",
    "stock.sheep": "羊存栏",
}
if os.environ.get("EARMARK_BASEINFO_COLUMNS"):
    EARMARK_BASEINFO_COLUMNS.update(json.loads(os.environ["EARMARK_BASEINFO_COLUMNS"]))

# A county's farms count as verified (a step towards enablement) when this share of its
# premises is verified.
EARMARK_ROLLOUT_VERIFIED = float(os.environ.get("EARMARK_ROLLOUT_VERIFIED", "1.0"))
# The national traceability platform the outbox worker delivers to (empty: nothing is sent),
# its bearer credential, and how the worker batches, retries and gives up.
EARMARK_NATIONAL_URL = os.environ.get("EARMARK_NATIONAL_URL", "").rstrip("/")
EARMARK_NATIONAL_TOKEN = os.environ.get("EARMARK_NATIONAL_TOKEN", "")
EARMARK_EXCHANGE_BATCH = int(os.environ.get("EARMARK_EXCHANGE_BATCH", "100"))
EARMARK_EXCHANGE_MAX_ATTEMPTS = int(os.environ.get("EARMARK_EXCHANGE_MAX_ATTEMPTS", "8"))
EARMARK_EXCHANGE_BACKOFF = float(os.environ.get("EARMARK_EXCHANGE_BACKOFF", "5"))
EARMARK_EXCHANGE_BACKOFF_MAX = float(os.environ.get("EARMARK_EXCHANGE_BACKOFF_MAX", "3600"))
EARMARK_EXCHANGE_TIMEOUT = float(os.environ.get("EARMARK_EXCHANGE_TIMEOUT", "10"))
# Advance notice of a declaration, in hours, per purpose: 6 hours before slaughter, 3 days for
# sale and transport (2022 rules), 15 days for breeding and dairy animals (2010 rules).
EARMARK_ADVANCE_NOTICE_HOURS = {
    "slaughter": 6,
    "raising": 72,
    "show": 72,
    "other": 72,
    "breeding": 360,
    "dairy": 360,
}
# A province that sets other notice periods gives them as a JSON object, by purpose.
if os.environ.get("EARMARK_ADVANCE_NOTICE_HOURS"):
    EARMARK_ADVANCE_NOTICE_HOURS.update(json.loads(os.environ["EARMARK_ADVANCE_NOTICE_HOURS"]))
# How long a certificate stays valid, in days counting the planned departure day, by where the
# animals go: within the county, elsewhere in the province (动物B: 当日, 1 at most), to another
# province (动物A: 5 at most). A province may shorten these, never lengthen them (a larger
# number is held to the national maximum). The vet may shorten further, never end it before the
# departure. A JSON object in EARMARK_CERTIFICATE_VALIDITY_DAYS overrides these.
EARMARK_CERTIFICATE_VALIDITY_DAYS = {"county": 1, "province": 1, "other_province": 5}
if os.environ.get("EARMARK_CERTIFICATE_VALIDITY_DAYS"):
    EARMARK_CERTIFICATE_VALIDITY_DAYS.update(
        json.loads(os.environ["EARMARK_CERTIFICATE_VALIDITY_DAYS"])
    )
# The copies (联次) a certificate's PDF holds: "both" (第一联 存根 and 第二联 随货同行, one PDF) or
# "separate" (a PDF per copy: 随货同行 by default, ?copy=stub for the agency's).
EARMARK_CERTIFICATE_COPIES = os.environ.get("EARMARK_CERTIFICATE_COPIES", "both")
# The audit chain's HMAC key and its signed checkpoints: files outside the database (a database
# administrator cannot forge a row, nor delete the newest rows unseen). Back both up.
EARMARK_AUDIT_KEY = Path(os.environ.get("EARMARK_AUDIT_KEY", VAR_DIR / "keys" / "audit-hmac.key"))
EARMARK_AUDIT_CHECKPOINTS = Path(
    os.environ.get("EARMARK_AUDIT_CHECKPOINTS", VAR_DIR / "audit" / "checkpoints.jsonl")
)
# The exchange worker signs the chain when it has gone unsigned this long, and sends the
# checkpoint to the national platform.
EARMARK_AUDIT_CHECKPOINT_MINUTES = envint("EARMARK_AUDIT_CHECKPOINT_MINUTES", 60)
# The province's Ed25519 key that signs certificate QR codes. Keep the private key outside the
# repository; `earmark certificate_keys` creates a pair.
EARMARK_SIGNING_KEY = Path(
    os.environ.get("EARMARK_SIGNING_KEY", VAR_DIR / "keys" / "certificate-signing.pem")
)
# Static Regular and Bold instances of Noto Sans SC, cut from the variable font that
# justmytype-intl-cjk ships (`earmark build_fonts`, run by make), embedded in every PDF.
EARMARK_FONT_DIR = Path(os.environ.get("EARMARK_FONT_DIR", VAR_DIR / "fonts"))
# The base of the identifiers the EPCIS export gives tags, premises, certificates and events
# (docs/operations.md): an https URL under the province's own domain, served by /id/… here.
EARMARK_IDENTIFIER_BASE = os.environ.get(
    "EARMARK_IDENTIFIER_BASE", f"{EARMARK_PUBLIC_URL}/id"
).rstrip("/")
# How long the county an alert goes to has to answer it (Order 13 art. 29): past it, an
# unanswered alert is overdue and flagged to the city and province.
EARMARK_ALERT_RESPONSE_DAYS = int(os.environ.get("EARMARK_ALERT_RESPONSE_DAYS", "3"))
# Order 13 art. 14: an animal brought in from another county or province is re-immunized with
# a right-ear tag and a new record, not vaccinated on its old tag (breeding and dairy animals
# still protected excepted). A province following Order 67's one tag for life switches it off.
EARMARK_REIMMUNIZE_ARRIVALS = envbool("EARMARK_REIMMUNIZE_ARRIVALS", True)
# Animals leave the province (type A certificate, by road) only on a registered vehicle; a
# province may switch it off (type B declarations flag an unregistered vehicle either way).
EARMARK_TYPE_A_REGISTERED_VEHICLE = envbool("EARMARK_TYPE_A_REGISTERED_VEHICLE", True)
# Breeding and dairy animals from another province stay in isolation (隔离观察) this many days
# after arrival before they join the herd.
EARMARK_ISOLATION_DAYS = int(os.environ.get("EARMARK_ISOLATION_DAYS", "30"))
