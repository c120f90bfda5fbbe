"""Settings shared by every environment, read from environment variables.

The same code runs embedded (SQLite, tasks in-process) and in production
(PostgreSQL, Redis, Celery worker and beat, S3-compatible media): what differs
is only what the environment says.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "learning"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "learning",
    "courses",
    "quizzes",
    "certificates",
    "interactive",
    "classroom",
    "coverage",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "learning.middleware.SiteCSPMiddleware",
    "learning.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learning.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learning.urls"
WSGI_APPLICATION = "learning.wsgi.application"
ASGI_APPLICATION = "learning.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "learning.context_processors.site_shell",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------------
# Embedded default: SQLite in the checkout. Production: DATABASE_URL=postgres://…
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its client objects (learning/redis_cache.py).
            "BACKEND": "learning.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="forebyg"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Tasks --------------------------------------------------------------------------------------------
# With no broker configured the tasks run in-process (eagerly), so the embedded setup needs no worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Accounts -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "learning.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
WAGTAILADMIN_LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
# Staff are invited by their coordinator; nobody signs up on their own.
ACCOUNT_ADAPTER = "learning.accounts.AccountAdapter"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forebyg] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Forebyg"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=int(timedelta(hours=8).total_seconds()))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Language and time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end packages are installed from npm and served straight from node_modules: nothing is copied.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Several app servers and workers share media through S3-compatible object storage.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    MEDIA_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    MEDIA_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail -------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Forebyg <noreply@forebyg.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: no inline or third-party scripts anywhere on the site. Inline styles are
# allowed (style attributes for progress bars and H5P); scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Wagtail --------------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Forebyg"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Every in-process task would otherwise log twice per run.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
DEMO_MODE = env.bool("DEMO_MODE", default=False)

# --- Classroom (classroom app) -------------------------------------------------------------------------
# Every 15 minutes: end live classroom sessions abandoned past their 4-hour lifetime and purge their
# participants and individual votes, keeping only aggregate counts (classroom.tasks).
CELERY_BEAT_SCHEDULE["classroom-purge-expired-sessions"] = {
    "task": "classroom.tasks.classroom_sessions_purge_expired",
    "schedule": timedelta(minutes=15),
}
# A pupil screen's poll when nothing changed (most classroom requests) is answered with one cache read,
# right after the security headers, before sessions, CSRF, locale and the rest (classroom.middleware).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "classroom.middleware.PupilPollMiddleware",
)

# --- Certificates (certificates app) -------------------------------------------------------------------
# The sweeper re-queues PDFs/e-mails left pending (e.g. the broker was down when a course was completed).
# Reminders about expiring certificates are the coverage app's (one reminder per person per the
# municipality's cadence, pausable by its coordinators), so nobody gets two e-mails about one expiry.
CELERY_BEAT_SCHEDULE["certificates-requeue-pending"] = {
    "task": "certificates.tasks.certificates_requeue_pending",
    "schedule": timedelta(minutes=5),
}
# Public verification and badge look-ups per client IP per minute (429 beyond that).
CERTIFICATE_VERIFY_RATE_LIMIT = env.int("CERTIFICATE_VERIFY_RATE_LIMIT", default=30)
# Number of reverse proxies in front of the app that append to X-Forwarded-For; 0 = trust REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Secret the Open Badges signing key is encrypted with at rest (default: derived from SECRET_KEY).
BADGE_KEY_SECRET = env("BADGE_KEY_SECRET", default="")

# --- Scenario quizzes (quizzes app) -----------------------------------------------------------------------
# Recompute every scenario's answer key daily, so a change in the rules flags the scenarios it affects.
CELERY_BEAT_SCHEDULE["quizzes-refresh-scenario-keys"] = {
    "task": "quizzes.tasks.scenario_keys_refresh_task",
    "schedule": timedelta(hours=24),
}

# --- Security, privacy and reliability (learning.sessions / learning.identity / learning.retention) -----
# allauth reads the client address for its rate limits from the same proxy setting as the certificates
# app (TRUSTED_PROXY_COUNT above); a proxy that sets a single trusted header instead (X-Real-IP,
# CF-Connecting-IP) is named in TRUSTED_CLIENT_IP_HEADER.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
# allauth.usersessions tracks each user's sessions, so a password or second-factor change can end the
# others (learning.sessions); socialaccount + openid_connect let a municipality use its own identity
# provider (docs/identity-providers.md).
INSTALLED_APPS += [
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]
# Idle timeout (no request for this long ends the session) and absolute timeout (SESSION_COOKIE_AGE
# after login, never extended by activity); last activity is written at most once a minute.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=int(timedelta(minutes=30).total_seconds()))
SESSION_ACTIVITY_WRITE_INTERVAL = 60
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "learning.sessions.SessionTimeoutMiddleware",
)
# The CSRF token travels in the form, never read by JavaScript, so the cookie can be HttpOnly too.
CSRF_COOKIE_HTTPONLY = True
USERSESSIONS_TRACK_ACTIVITY = False
# Per-municipality OpenID Connect providers from the environment (JSON list; see
# docs/identity-providers.md). A social login never links to an existing account by e-mail alone.
from learning.identity_config import identity_providers_parse, socialaccount_apps  # noqa: E402

IDENTITY_PROVIDERS = identity_providers_parse(env("IDENTITY_PROVIDERS", default=""))
SOCIALACCOUNT_ADAPTER = "learning.identity.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": socialaccount_apps(IDENTITY_PROVIDERS)},
}
# Data retention (docs/retention.md): the nightly purge, and the periods it applies (days).
RETENTION_DAYS = {
    # A deactivated account (the person left) is erased once it has not been used for this long.
    "deactivated_account": env.int("RETENTION_DEACTIVATED_ACCOUNT_DAYS", default=365),
    "audit_log": env.int("RETENTION_AUDIT_LOG_DAYS", default=5 * 365),
}
CELERY_BEAT_SCHEDULE["learning-purge-expired-data"] = {
    "task": "learning.tasks.purge_expired_data_task",
    "schedule": timedelta(hours=24),
}

# --- Coverage (coordinators' dashboard) ----------------------------------------------------------------------
# Daily at 07:30: staff reminders on each municipality's cadence (and invitations a lost message left unsent).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["coverage-send-reminders"] = {
    "task": "coverage.tasks.coverage_send_reminders",
    "schedule": crontab(hour=7, minute=30),
}

# --- Page cache (learning.cache) ---------------------------------------------------------------------------
# Public Wagtail pages are served to anonymous visitors (no session cookie) from the cache, invalidated on
# publish/unpublish/move/delete. Right after the CSRF middleware, which sets each hit's own CSRF cookie.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware") + 1,
    "learning.cache.AnonymousPageCacheMiddleware",
)
# Signed-in page views route Wagtail pages from the cache (one query for the page instead of walking the
# tree; learning.page_routes), invalidated by the same version. Only process_view, for Wagtail's serve view.
MIDDLEWARE.append("learning.page_routes.PageRouteCacheMiddleware")
# Sessions are read from the cache and written through to the database (no session query per request).
# Only with a shared cache (Redis): with the per-process local-memory cache a session ended in one process
# (logout, password change, learning.sessions.user_sessions_end_others) would live on in another's.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)

# --- Benchmarks (bench app; `make bench`, docs/benchmarks.md) ------------------------------------------------
# The benchmark's reference views (framework ceiling, one-INSERT POST, plain Wagtail page) and its data
# generator exist only when BENCH_REFERENCES=1; a normal installation never has them.
if env.bool("BENCH_REFERENCES", default=False):
    INSTALLED_APPS += ["bench"]
