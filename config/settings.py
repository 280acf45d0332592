"""Django settings, read from the environment.

SIKUMUH_ENV=production demands SECRET_KEY and turns on the secure defaults; anything else is a
local (development) run with a generated key and an SQLite file under var/.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.contrib.messages import constants as message_levels

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_required,
    env_required_list,
    env_str,
    local_secret_key,
)

# Lets `admin.ModelAdmin[Model]` and other generic classes be subscripted at run time (typing).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIKUMUH_VAR_DIR", "") or BASE_DIR / "var")

PRODUCTION = env_str("SIKUMUH_ENV", "development") == "production"
# Off in every mode, the demo included: error pages are the branded ones, never a traceback.
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = (
    env_required("SECRET_KEY", "a long random string, e.g. from `openssl rand -base64 48`")
    if PRODUCTION
    else env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR)
)
ALLOWED_HOSTS = (
    env_required_list("ALLOWED_HOSTS", "the host names the site answers to, comma-separated")
    if PRODUCTION
    else env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
)
# Origins (scheme://host[:port]) from which forms may be posted, when they differ from the host
# the request names (e.g. a proxy on another port).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind a TLS proxy that sets X-Forwarded-Proto and X-Forwarded-For: trust them (only then; a
# client talking to the server directly could forge either header). The client's address is
# then the last entry of X-Forwarded-For, the one the proxy appended (request log, login limit).
BEHIND_PROXY = env_bool("SIKUMUH_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "sikumuh.web.apps.AdminConfig",  # django.contrib.admin, its login limited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "sikumuh.audit",
    "sikumuh.accounts",
    "sikumuh.regions",
    "sikumuh.slums",
    "sikumuh.surveys",
    "sikumuh.investments",
    "sikumuh.io",
    "sikumuh.fieldwork",
    "sikumuh.inspections",
    "sikumuh.jobs",
    "sikumuh.web",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and static files: the API docs page with no CDN
]

MIDDLEWARE = [
    "sikumuh.web.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are served by the application itself, in every mode (see STORAGES).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sikumuh.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sikumuh.web.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sikumuh.web.middleware.RejectNulMiddleware",
    "sikumuh.web.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sikumuh.web.context.site",
            ],
        },
    },
]
# A message shows as the one callout of app.css: its tag is the callout's kind.
MESSAGE_TAGS = {message_levels.SUCCESS: "ok", message_levels.WARNING: "warn"}

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sikumuh.sqlite3'}"),
        # Each server thread keeps its connection this long (0: one per request).
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Imports, dashboards and saves side by side (Django ≥ 5.1 options): WAL lets readers go on
    # while one writer writes; a writer takes the lock when its transaction begins (IMMEDIATE),
    # so two writers queue instead of one failing on a lock upgrade; a waiting writer waits up
    # to SQLITE_BUSY_SECONDS before "database is locked".
    _busy_seconds = int(env_str("SQLITE_BUSY_SECONDS", "20"))
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_seconds,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            f" PRAGMA busy_timeout={_busy_seconds * 1000};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Indonesian first: a browser's English Accept-Language must not win over the default
# (English is an explicit choice of the user).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Filled by `sikumuh migrate` (collectstatic); WhiteNoise serves it.
STATIC_ROOT = VAR_DIR / "static"
# Hashed, compressed names in production; plain names elsewhere, where WhiteNoise also finds the
# files in the apps' static folders, so that tests and a fresh checkout need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT (an error under pytest); in production
    # `sikumuh serve` refuses to start before `sikumuh migrate` has filled it.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
# One catalogue folder per area of the product (sikumuh/locale/<area>/<lang>/LC_MESSAGES), so
# that areas are translated independently; Django merges them all.
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "sikumuh" / "locale").glob("*") if p.is_dir())

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Passwords set by anyone (set-password link, change, `sikumuh users add --password-stdin`):
# Django's four checks, at least 10 characters (an administrator's account is reachable from the
# internet).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per username and per client address before a cool-down.
LOGIN_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLDOWN_SECONDS = int(env_str("LOGIN_COOLDOWN_SECONDS", "900"))
# SIKUMUH_REQUIRE_2FA=1: an administrator without an authenticator app is sent to enrol it
# after the password and can do nothing else until enrolled (sikumuh.web.middleware).
REQUIRE_2FA = env_bool("SIKUMUH_REQUIRE_2FA", default=False)
# Invitations and password resets go out by e-mail: SMTP from the environment in production,
# printed on the console elsewhere (the demo, development).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sikumuh <noreply@localhost>")
# Invitation and reset links stay valid for three days (Django's token timeout, seconds).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if PRODUCTION
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sikumuh_cache",
    }
}

# Background jobs (sikumuh/jobs): Django's tasks API (the django-tasks backport until Django 6)
# with its database backend, so the embedded SQLite needs nothing more and PostgreSQL carries
# any number of `sikumuh worker` processes on any number of machines.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The address space a worker may use (MB): a job that needs more fails with a clear message,
# the worker and the web server go on.
JOB_MEMORY_MB = int(env_str("SIKUMUH_JOB_MEMORY_MB", "2048"))
# Finished jobs (and their result files) older than this many days are deleted: by every
# `sikumuh worker` once an hour, and by `sikumuh jobs prune`. Their audit entries stay.
JOB_RETENTION_DAYS = env_int("SIKUMUH_JOB_RETENTION_DAYS", 30)
# A CSV import up to this size (bytes) is validated in the web request; anything larger, and
# every XLSX, is validated by a job (sikumuh/io/wizard/validation.py says why).
# 128 KB: about 1,000 template rows (a desa's file is some 100 RTs), checked in under a second.
INLINE_IMPORT_BYTES = int(env_str("SIKUMUH_INLINE_IMPORT_BYTES", str(128 * 1024)))

# Base map tiles: any XYZ tile URL (OpenStreetMap by default). Without tiles the map still shows
# the polygons, their colours and labels.
TILE_URL = env_str("SIKUMUH_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = env_str("SIKUMUH_TILE_ATTRIBUTION", "© OpenStreetMap contributors")


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content Security Policy (django-csp 4): only our own scripts and styles; images also from the
# configured tile server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [_origin(TILE_URL)])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's or orchestrator's probe speaks plain HTTP to the server itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SILENCED_SYSTEM_CHECKS = [
        # HSTS preloading binds the whole registrable domain (the regency's, e.g.
        # tanahlautkab.go.id) to HTTPS for every browser: that is the domain owner's decision,
        # not an application's.
        "security.W021",
    ]

# One JSON object per line: the request log (sikumuh.web.request_log) and the job log
# (sikumuh.jobs.tasks) on stdout, everything else on stderr, so that a command's output on
# stdout stays clean.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            # The time in ISO 8601, in UTC with its offset ("2026-12-07T22:49:18.792019+00:00"):
            # a log collector reads it without knowing the server's time zone.
            "timestamp": True,
            "rename_fields": {"timestamp": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        },
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "sikumuh.request": {
            "handlers": ["stdout"],
            "level": env_str("REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # One line per finished background job (sikumuh.jobs.tasks), beside the requests.
        "sikumuh.job": {
            "handlers": ["stdout"],
            "level": env_str("JOB_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Our request log replaces Django's own lines for 4xx/5xx answers.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
    },
}
