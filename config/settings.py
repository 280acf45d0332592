"""Django settings, read from the environment.

SIKUMUH_ENV=production demands SECRET_KEY and turns on the secure defaults; anything else is a
local (development) run with a generated key and an SQLite file under var/.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext

from config.env import env_bool, env_list, env_str, local_secret_key

# Lets `admin.ModelAdmin[Model]` and other generic classes be subscripted at run time (typing).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIKUMUH_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("SIKUMUH_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = (
    env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR)
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "sikumuh.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sikumuh.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sikumuh.web.middleware.RejectNulMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sikumuh.sqlite3'}"),
        conn_max_age=60,
    )
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
STATIC_ROOT = VAR_DIR / "static"
# Hashed, compressed names in production; plain names elsewhere (tests, live-server browser
# tests and `runserver` serve straight from the apps' static folders).
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
if PRODUCTION:
    # Static files served by the application itself (after `collectstatic`); runserver and the
    # test live server serve them from the apps in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
MEDIA_ROOT = VAR_DIR / "media"
# One catalogue folder per area of the product (sikumuh/locale/<area>/<lang>/LC_MESSAGES), so
# that areas are translated independently; Django merges them all.
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "sikumuh" / "locale").glob("*") if p.is_dir())

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Failed logins allowed per username and per client address before a cool-down.
LOGIN_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLDOWN_SECONDS = int(env_str("LOGIN_COOLDOWN_SECONDS", "900"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if PRODUCTION
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sikumuh_cache",
    }
}

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
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
