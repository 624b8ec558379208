"""Settings for the Casework QA Platform: one module, configured by environment variables (see README)."""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only-never-deploy-this-key-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "organisation",
    "assessments",
    "notifications",
    "dipsampling",
    "scrutiny",
    "reporting",
    "home",
    "ops",
]
# Demo data and `manage.py seed_demo`: a deployment leaves it out with DEMO=0 (nothing else imports it).
if env_bool("DEMO", True):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # --- Operations (ops/): /healthz and /metrics answered first, before the host check and the https redirect;
    # then the request id every log line of the request carries (no database query in either).
    "ops.middleware.OpsEndpointsMiddleware",
    "ops.request_id.RequestIdMiddleware",
    "ops.db_router.ReplicaReadsMiddleware",
    # --- end of operations
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a form: control characters are stripped from every query string and posted form.
    "qa_platform.text.ControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's grants read once per request, however many scoping questions the page asks (organisation/scoping).
    "organisation.scoping.GrantsPerRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The audit history records who changed what from which page. GET requests change nothing audited, and tagging each
# of their queries with that context cost a reporting page several milliseconds.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "qa_platform.urls"
WSGI_APPLICATION = "qa_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL only: the audit history and the outbox rely on its triggers and row locks.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://user@127.0.0.1:5432/qa_platform "
        "(`make run` and `make test` start one under ./var/ for you)."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
# The reporting aggregates join answers, IQAs, teams, units, areas and people and narrow them with an IN
# (subquery): about ten relations. Past 8 PostgreSQL stops reordering joins and may hash all 3M answers before
# filtering (2.4 s instead of 0.08 s on the national demo, `make bench`); 12 is still below the genetic optimiser.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c from_collapse_limit=12 -c join_collapse_limit=12"

# --- Operations: a read replica for the reporting pages (ops/db_router.py) ----------------------------------------
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL; the reporting pages' GET requests read the
# casework from it. `mirror` makes it a second connection to DATABASE_URL's database (`make test` does, so the
# routing is exercised); in tests it is Django's TEST MIRROR of the default database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_URL if DATABASE_REPLICA_URL == "mirror" else DATABASE_REPLICA_URL,
        conn_max_age=60,
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL.")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ops.db_router.ReplicaRouter"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL, e.g. redis://127.0.0.1:6379/0 (`make run` starts one for you).")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_USER_MODEL = "organisation.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap 5's CSS and JS from the django-include-bootstrap wheel, as static/bootstrap/…; no CDN.
    ("bootstrap", Path(importlib.util.find_spec("django_include_bootstrap").origin).parent / "static"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests and `make run` serve assets straight from the installed packages, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sessions, cookies and transport security -------------------------------------------------------------
# HTTPS defaults on outside DEBUG; set HTTPS=0 only for plain-http test servers.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request: an inactivity timeout
SESSION_TIMEOUT_WARNING_SECONDS = 120  # the page warns this long before the session ends
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
# A draft IQA posted with a stale token is kept, not thrown away (assessments/rescue.py).
CSRF_FAILURE_VIEW = "assessments.rescue.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): our own origin only, and no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Login throttling (django-axes) -----------------------------------------------------------------------
# Lock a user+IP pair, never an IP alone: everyone in an office shares one proxy address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Count the account, not the spelling typed: the same function reads the name for the log-in (organisation/login.py).
AXES_USERNAME_CALLABLE = "organisation.login.axes_username"
# How many reverse proxies of ours stand in front of the app (0: use the connection's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "qa_platform.client_ip.client_ip"

# --- E-mail ------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a hung SMTP server must not hang a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Casework QA <casework-qa@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets server error reports: comma-separated e-mail addresses.
# The outbox (notifications/outbox.py): attempts before a message is given up on (visibly, in admin).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
# Rule 5: e-mail the assessed person 24 hours after every IQA ("all", the Inspectorate's recommendation) or only
# when action is required and not yet taken ("action_required", the scheme's older rule).
FEEDBACK_EMAIL_POLICY = os.environ.get("FEEDBACK_EMAIL_POLICY", "all")
if FEEDBACK_EMAIL_POLICY not in ("all", "action_required"):
    raise ImproperlyConfigured("FEEDBACK_EMAIL_POLICY must be 'all' or 'action_required'.")
# The assessed person may challenge an IQA's answers for this many working days after it is recorded.
CHALLENGE_WINDOW_WORKING_DAYS = env_int("CHALLENGE_WINDOW_WORKING_DAYS", 10)
if CHALLENGE_WINDOW_WORKING_DAYS < 1:
    raise ImproperlyConfigured("CHALLENGE_WINDOW_WORKING_DAYS must be a whole number of working days, at least 1.")
# Rule 7: the group leader is reminded this many days before a scrutiny milestone is due (0: no early reminder).
SCRUTINY_REMINDER_DAYS_BEFORE = env_int("SCRUTINY_REMINDER_DAYS_BEFORE", 7)
if SCRUTINY_REMINDER_DAYS_BEFORE < 0:
    raise ImproperlyConfigured("SCRUTINY_REMINDER_DAYS_BEFORE must be a whole number of days, 0 or more.")
# Rule 7: the LRCC secretary is told of cases reaching 2 years under review (empty: nobody is).
LRCC_SECRETARY_EMAIL = os.environ.get("LRCC_SECRETARY_EMAIL", "")
# Rule 8: the share of each unit's eligible closed cases drawn for the monthly dip sample (at least one).
SCRUTINY_CLOSED_SAMPLE_PERCENT = env_int("SCRUTINY_CLOSED_SAMPLE_PERCENT", 10)
if not 1 <= SCRUTINY_CLOSED_SAMPLE_PERCENT <= 100:
    raise ImproperlyConfigured("SCRUTINY_CLOSED_SAMPLE_PERCENT must be a percentage from 1 to 100.")
# Seed 001, 4.15: when on, an assessor needs an accreditation in force to record an IQA on a live case.
ACCREDITATION_REQUIRED = env_bool("ACCREDITATION_REQUIRED", False)
# Reporting: a rate over fewer answers or IQAs than this is shown as "too few to judge".
REPORTING_MIN_COUNT = env_int("REPORTING_MIN_COUNT", 10)

ADMINS = [(address, address) for address in env_list("ADMINS")]

# --- Celery --------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic task, in one place. Beat's DatabaseScheduler writes these rows (by name) when it starts, so admins
# see them in Django admin; a row an admin disabled stays disabled.
CELERY_BEAT_SCHEDULE = {
    # Every e-mail (rules 4 and 5's IQA e-mails, scrutiny reminders, challenges…) leaves from the outbox when due.
    "Send due e-mails from the outbox": {"task": "notifications.dispatch_outbox", "schedule": timedelta(minutes=1)},
    # Scrutiny reminders fall due at 08:00 London time, and the closed-case dip sample is drawn on the month's first
    # working day: hourly catches both (scrutiny/tasks.py).
    "Queue scrutiny reminders and draw the monthly closed-case dip sample": {
        "task": "scrutiny.hourly",
        "schedule": timedelta(hours=1),
    },
    # Expired sessions, and create-form claims older than seven days (organisation/tasks.py).
    "Clear expired sessions": {"task": "organisation.clear_expired_sessions", "schedule": timedelta(days=1)},
    # Admin access starts and ends with the dates of question set administrators' grants (organisation/admin_access.py).
    "Admin access follows role grants' dates": {
        "task": "organisation.sync_admin_access",
        "schedule": timedelta(days=1),
    },
}

# --- Forms --------------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Operations: health checks (ops/health.py, /healthz, `manage.py health`) -----------------------------------
HEALTH_TIMEOUT_SECONDS = env_int("HEALTH_TIMEOUT_SECONDS", 2)
# How long /healthz waits for a Celery worker to answer its ping (it returns at the first answer).
HEALTH_WORKER_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_WORKER_TIMEOUT_SECONDS") or 2.0)
# Beat runs the outbox dispatch every minute and saves its last run every few minutes: older than this, it is down.
HEALTH_BEAT_MAX_AGE_MINUTES = env_int("HEALTH_BEAT_MAX_AGE_MINUTES", 10)
# An e-mail due longer ago than this and still unsent means the worker, beat or the SMTP server is failing.
HEALTH_OUTBOX_MAX_DELAY_MINUTES = env_int("HEALTH_OUTBOX_MAX_DELAY_MINUTES", 15)

# --- Operations: logs, metrics and errors ------------------------------------------------------------------------
# One JSON object per line (ops/logs.py) outside DEBUG, each with the request id of the request or task behind it
# (ops/request_id.py); LOG_FORMAT=text for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# Celery's worker and beat log through the configuration above instead of replacing it.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /metrics (ops/metrics.py): open to whoever reaches it, unless a token is set (then `Authorization: Bearer <token>`).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Errors to Sentry only when a DSN is set; sentry-sdk is not even imported otherwise.
if os.environ.get("SENTRY_DSN"):
    from ops.sentry import init_sentry

    init_sentry(os.environ["SENTRY_DSN"])
