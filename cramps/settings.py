"""Settings for the night-cramps site, read from the environment (see .env.example)."""

import datetime
import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Core

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # Django's admin with two-step sign-in and guarded library URLs (articles.accounts.site),
    # its home page the work dashboard (articles.dashboard).
    "articles.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER below
    # django-axes and django-otp's TOTP devices, under names editors understand.
    "articles.apps.SignInSecurityConfig",
    "django_otp",
    "articles.apps.TwoStepSignInConfig",
    "markdownx",
    "reversion",
    "reversion_compare",
    # The open content API (articles.api): its OpenAPI document and rate limit.
    "ninja",
    "corsheaders",
    "articles",
]

# Widgets draw from the project's templates too (the change page's Markdown box).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # Outside the page cache, so that a stored API response, made for a request without an
    # Origin, still answers another site's script (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    # A stored reader page goes out first, with the headers the middleware below gave it
    # when it was built, so a hit costs less than serving a static file.
    "articles.caching.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.middleware.CrossOriginResourcePolicyMiddleware",
    # WhiteNoise answers static files before sessions, CSRF or the database do any work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (WhiteNoise already serves static files compressed). Django's gzip
    # pads each response by a random length against BREACH-style attacks.
    "django.middleware.gzip.GZipMiddleware",
    # ETag on every page and 304 for a matching If-None-Match; inside GZip so the tag is
    # computed on the uncompressed page.
    "django.middleware.http.ConditionalGetMiddleware",
    "articles.middleware.DatabaseUnavailableMiddleware",
    "articles.middleware.ScheduledChangesMiddleware",
    "articles.middleware.LanguageFromAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "articles.middleware.StaffSessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cramps.urls"
# An article's change page posts one field per box and per ticked source: a long article
# passes Django's default of 1,000, which would refuse the save and lose the editor's work.
# Each box is itself capped (articles.markdown), so the request stays bounded.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
WSGI_APPLICATION = "cramps.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: a SQLite file in the project unless DATABASE_URL names another.

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue at BEGIN rather than fail halfway, and the admin's check for a
    # concurrent edit runs with the write lock already held.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,  # seconds a writer waits for another's lock before giving up
        # Write-ahead logging: readers never wait for a writer, nor a writer for readers
        # (every search counts itself, beside searches that read for tens of ms).
        init_command="PRAGMA journal_mode=WAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out guesser is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation

LANGUAGE_CODE = "en-gb"
# The languages readers can read articles in, each named in itself for the switcher.
# English keeps its addresses; every other language's start with its code (/ru/...).
LANGUAGES = [("en-gb", "English"), ("ru", "Русский")]
# The interface's own words in each language (make messages); English is the source.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
# The admin writes every time one way, with its zone (cramps/formats/en_GB).
FORMAT_MODULE_PATH = ["cramps.formats"]
USE_I18N = True
USE_TZ = True

# Static files and uploads

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Django itself serves uploaded images only where no web server does it (make run).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

# HTTPS. gunicorn sits behind a TLS proxy that sets X-Forwarded-Proto; `make run` turns
# HTTPS off to serve plain http on localhost.

HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe gunicorn directly, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The __Host- prefix makes browsers refuse these cookies from http or another subdomain.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
# The admin's scripts, markdownx's included, read the token from the form, not the cookie.
CSRF_COOKIE_HTTPONLY = True
# Addresses (or networks) of the TLS proxies whose X-Forwarded-For we believe
# (articles.accounts.addresses): none unless named, since anything else that connects from
# this machine could name any address it likes.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "")
for proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from error

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Admin sign-in (django-axes): five wrong passwords for one username from one address lock
# that pair out for 15 minutes; twenty for one username from any number of addresses lock
# the username (articles.accounts.signin). Counts live in the database, shared by every host.
AXES_HANDLER = "articles.accounts.signin.SignInLockout"
AXES_FAILURE_LIMIT = 5
AXES_ACCOUNT_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address itself, also for IPv6: the per-account limit above already caps a guesser
# who moves through a /64.
AXES_CLIENT_IP_CALLABLE = "articles.accounts.addresses.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False  # failures are still logged; no banner on every start
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# A signed-in editor's session ends after this long without a request
# (articles.middleware.StaffSessionIdleMiddleware); readers have no session.
STAFF_SESSION_IDLE = datetime.timedelta(
    minutes=int(os.environ.get("CRAMPS_STAFF_IDLE_MINUTES", "30"))
)


# Cache: Redis through REDIS_URL when there is more than one machine; otherwise files on
# this machine, which every gunicorn worker shares (local memory would be per process).

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cramps",
            # A dead Redis must fail fast: the site then serves from the database.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# How long a reader page may be served from the cache (edits invalidate it at once).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))


def site_origin(value, hosts, https):
    """`value` (or the first host name, over https when HTTPS is on) as browsers send it:
    scheme://host[:port] in lower case, without the scheme's default port."""
    if not value:
        if not hosts or hosts[0] == "*":
            raise ImproperlyConfigured("Set DJANGO_SITE_ORIGIN, such as https://example.org.")
        value = f"{'https' if https else 'http'}://{hosts[0].lstrip('.')}"
    scheme, _, rest = value.strip().lower().partition("://")
    host = rest.removesuffix("/")
    if scheme not in ("http", "https") or not host or any(c in host for c in "/?#@ "):
        raise ImproperlyConfigured("DJANGO_SITE_ORIGIN must be like https://example.org.")
    return f"{scheme}://{host.removesuffix({'http': ':80', 'https': ':443'}[scheme])}"


# The site's address (scheme and host): the only one whose pages the caches keep, so that
# no Host spelling a client sends can add to them.
SITE_ORIGIN = site_origin(os.environ.get("DJANGO_SITE_ORIGIN", ""), ALLOWED_HOSTS, HTTPS)
# X-Cache: HIT or MISS on reader pages, for tests and benchmarks: it tells anyone what is
# cached, so production leaves it off.
PAGE_CACHE_STATUS_HEADER = env_bool("DJANGO_PAGE_CACHE_STATUS_HEADER", False)

# Logging: everything to stdout, where gunicorn and the platform collect it.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# django-markdownx: one sanitising renderer for preview and page, JPEG and PNG only.

MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png")
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1200, 1200), "quality": 85}

# Site

# How long a CDN or proxy may keep a reader page.
PUBLIC_CACHE_SECONDS = 300

SITE_NAME = os.environ.get("CRAMPS_SITE_NAME", "Night Cramps")
# The numbers readers are told to call, for the country of the site's language edition
# (LANGUAGE_CODE en-gb: the UK). Care cards, the help box and the error pages show them as
# tel: links. 999 is the UK's emergency number and 112 works there too; NHS 111 gives
# urgent help the same day. A site for another country sets its own.
EMERGENCY_NUMBER = os.environ.get("CRAMPS_EMERGENCY_NUMBER", "999")
EMERGENCY_NUMBER_ALSO = os.environ.get("CRAMPS_EMERGENCY_NUMBER_ALSO", "112")
URGENT_NUMBER = os.environ.get("CRAMPS_URGENT_NUMBER", "111")
URGENT_SERVICE = os.environ.get("CRAMPS_URGENT_SERVICE", "NHS 111")
# A language edition whose readers live in another country gives its own numbers, as JSON:
# {"xx": {"EMERGENCY_NUMBER": "…", "URGENT_NUMBER": "…", …}}, any of the four above. The
# Russian edition is for Russian speakers in the UK, and keeps the UK's numbers.
HELP_LINES_BY_LANGUAGE = json.loads(os.environ.get("CRAMPS_HELP_LINES_BY_LANGUAGE", "{}"))
# Two-step sign-in (django-otp): the name authenticator apps show for the account. Nobody,
# superusers included, can read another person's secret key or its QR code in the admin.
OTP_TOTP_ISSUER = SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The open content API (/api/v1/, articles.api): any site's scripts may read it (GET, with
# no credentials); nothing else of the site is open to them.
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_ALLOW_HEADERS = ["if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
# Requests per address the API answers from the database (the page cache's answers are not
# counted), as django-ninja's rates: "120/min". Empty: no limit (a proxy in front limits).
API_RATE_LIMIT = os.environ.get("CRAMPS_API_RATE_LIMIT", "120/min")
# The licence the site's content is offered under, and how to credit it: every API response
# carries them. The site's owner chooses; the default is Creative Commons Attribution 4.0.
CONTENT_LICENCE_NAME = os.environ.get("CRAMPS_CONTENT_LICENCE_NAME", "CC BY 4.0")
CONTENT_LICENCE_URL = os.environ.get(
    "CRAMPS_CONTENT_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
CONTENT_PUBLISHER = os.environ.get("CRAMPS_CONTENT_PUBLISHER", SITE_NAME)
# The country whose services the numbers above reach (ISO 3166-1), told to other services
# with the numbers; an edition may set its own in HELP_LINES_BY_LANGUAGE.
HELP_COUNTRY = os.environ.get("CRAMPS_HELP_COUNTRY", "GB")

# Who may give readers a change (articles.publishing.signoff): "clinical" (the default) needs
# someone with the right to publish (the Clinical reviewers group, superusers) to approve
# it; "editors" lets every editor publish directly, for a site with no clinical staff.
# Either way, every publication is recorded.
SIGN_OFF_POLICY = os.environ.get("CRAMPS_SIGN_OFF", "clinical")
if SIGN_OFF_POLICY not in ("clinical", "editors"):
    raise ImproperlyConfigured("CRAMPS_SIGN_OFF must be 'clinical' or 'editors'.")
# Whether someone who may publish may approve changes they made themselves: by default not
# under the clinical policy, where a second person checks every change readers get.
SIGN_OFF_SELF_APPROVAL = env_bool("CRAMPS_SELF_APPROVAL", SIGN_OFF_POLICY == "editors")

# Readers' feedback (articles.feedback): kept this many days, then deleted (two years by
# default); how many a reader's address (an IPv6 address's /64) may send per minute and per
# day; and how many the site stores in a day from everyone together, so that many addresses
# cannot fill the database.
FEEDBACK_RETENTION_DAYS = int(os.environ.get("CRAMPS_FEEDBACK_RETENTION_DAYS", "730"))
FEEDBACK_PER_MINUTE = 5
FEEDBACK_PER_DAY = 30
FEEDBACK_DAILY_CAP = int(os.environ.get("CRAMPS_FEEDBACK_DAILY_CAP", "2000"))
