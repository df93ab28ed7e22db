"""Dateline's one settings module, driven by the environment.

Defaults are safe for production: DEBUG is off, and without SECRET_KEY the site refuses to start
unless DATELINE_DEMO is set (then a key is generated once and kept under the var directory).
"""

import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dateline.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DATELINE_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DATELINE_DEMO", False)
TESTING = env_bool("DATELINE_TESTING", False) or "pytest" in sys.modules


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not (DEBUG or DEMO or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DATELINE_DEMO=1 for a demo)."
        )
    # A demo keeps one generated key so that sessions survive restarts.
    key_file = VAR_DIR / "secret-key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of the site, used in canonical links, feeds and e-mail.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # First, so that its signal handlers run first: a story's page cache purge is then the first
    # thing done after the publishing transaction commits, before live events and alerts.
    "dateline.pagecache",
    "dateline.editions",
    "dateline.accounts",
    "dateline.limits",
    "dateline.sections",
    "dateline.people",
    "dateline.mediabank",
    "dateline.articles",
    "dateline.fronts",
    "dateline.newsroom",
    "dateline.search",
    "dateline.syndication",
    "dateline.subscriptions",
    "dateline.api",
    "dateline.live",
    "dateline.wire",
    "dateline.discussion",
    "dateline.chats",
    "dateline.demo",
    "dateline.production",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    # Not wagtail.contrib.simple_translation: its "Translate" copies a page's parents into the
    # other locale, which would make a second edition out of a story's date buckets. Stories
    # are translated with dateline.articles.translations instead.
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",  # serves the API docs' Swagger UI from local static files, not a CDN
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_eventstream",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and messages middleware, so that it sees the cookies they set.
    "dateline.pagecache.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dateline.editions.middleware.EditionMiddleware",
    "dateline.accounts.middleware.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Signing in or up while the limits store is away: a page that says so, not a 500.
    "dateline.limits.middleware.LimitsUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "dateline.config.urls"
WSGI_APPLICATION = "dateline.config.wsgi.application"
ASGI_APPLICATION = "dateline.config.asgi.application"

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
                "dateline.editions.context_processors.edition",
                "dateline.live.context_processors.live",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, anything dj-database-url reads via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dateline.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE avoids "database is locked" when two writers upgrade read locks at once.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default, Redis with REDIS_URL. Redis being away is a cache miss,
# never an error (dateline.production.cache). Sessions are in the database, not the cache.
REDIS_URL = env_str("REDIS_URL")
# Rate limits have a store of their own (dateline.limits), which nothing else writes to and
# which never evicts a live counter: Redis with REDIS_URL, else a table in the database. An
# unreachable limits store is an error (LimitsUnavailable), never a miss.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "dateline.production.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        },
        "limits": {
            "BACKEND": "dateline.limits.store.RedisLimitsStore",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "limits",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {"BACKEND": "dateline.limits.store.DatabaseLimitsStore"},
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Page cache: anonymous readers' pages kept whole in each process, in front of Django
# (dateline.pagecache), at most PAGE_CACHE_SECONDS old and purged when what they show changes.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_MB", 64) * 1024 * 1024

# --- The live stream (Server-Sent Events). Events are stored in the database with ids that
# grow per channel. By default the app serves the streams itself (dateline.live.hub); with
# PUSHPIN_URL set (Pushpin's publish endpoint, e.g. http://127.0.0.1:5561) Pushpin holds them,
# and requests it forwards must be signed with PUSHPIN_KEY, the sig_key of pushpin.conf.
EVENTSTREAM_STORAGE_CLASS = "dateline.live.storage.DoorbellStorage"
EVENTSTREAM_CHANNELMANAGER_CLASS = "dateline.live.channels.ChannelManager"
PUSHPIN_URL = env_str("PUSHPIN_URL")
if PUSHPIN_URL:
    PUSHPIN_KEY = env_str("PUSHPIN_KEY")
    if not PUSHPIN_KEY or PUSHPIN_KEY == "changeme":
        raise ImproperlyConfigured(
            "PUSHPIN_URL is set without PUSHPIN_KEY (the sig_key of pushpin.conf, never "
            "its default): without it anyone could pose as the stream proxy."
        )
    GRIP_URL = f"{PUSHPIN_URL.rstrip('/')}?iss=pushpin&key={PUSHPIN_KEY}"
    MIDDLEWARE.insert(0, "django_grip.GripMiddleware")
# Stream opens through Pushpin are answered in front of Django (dateline.live.grip); 0 sends
# them through Django's middleware and django-eventstream's view, as before (for comparison).
LIVE_LEAN_STREAM_OPENS = env_bool("LIVE_LEAN_STREAM_OPENS", True)
# The embedded hub is woken at once by every stored event, whichever process stored it
# (dateline.live.doorbell); it also looks at the log this often in case a ring was lost.
LIVE_POLL_MS = env_int("LIVE_POLL_MS", 250)

# --- Reader accounts (django-allauth): e-mail and password, the address verified before the
# first sign-in, allauth's own rate limits on sign-in, sign-up and password reset. The newsroom
# signs in at /admin/ with a user name, readers at /accounts/login/ with their e-mail.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "dateline.accounts.forms.SignupForm"
# A known address costs what a new one does (the same password hashing), and account mail is
# sent from a background thread (dateline.accounts.outbox): sign-up and password reset take
# the same time for every address. Tests send it in the request, after commit.
ACCOUNT_FORMS = {"signup": "dateline.accounts.signup.ReaderSignupForm"}
ACCOUNT_MAIL_IN_BACKGROUND = env_bool("ACCOUNT_MAIL_IN_BACKGROUND", not TESTING)
# Mails in the reader's edition's name; readers shown by display name, never by user name.
ACCOUNT_ADAPTER = "dateline.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "dateline.accounts.models.account_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
# Counted in the limits store (dateline.limits), not the default cache; while it is away,
# signing in, signing up and resetting a password pause (503) rather than go unlimited.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time. Each edition activates its own language and timezone per request.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("ar", "العربية")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files.
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# In the embedded tier the app serves uploaded media itself; in production nginx does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Static files get names with a hash of their content (site.3f2a9c1b7d4e.css) and gzip and
# brotli copies beside them, both made by `dateline collectstatic`: WhiteNoise in the embedded
# tier, and nginx in production, serve a hashed name as immutable and the compressed copy the
# browser accepts. A page names no file that collectstatic has not hashed (manifest_strict):
# run it before serving. Development and tests serve the files as they are in the tree.
HASHED_STATIC_FILES = not (DEBUG or TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "dateline.config.staticfiles.StaticFilesStorage"
        if HASHED_STATIC_FILES
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The collected files only: the finders would also serve each file under its plain name.
WHITENOISE_USE_FINDERS = not HASHED_STATIC_FILES

# --- E-mail: SMTP when EMAIL_HOST is set; otherwise every message is written to var/mail/.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dateline <newsroom@localhost>")
# Where licence requests for photos are sent.
PHOTO_DESK_EMAIL = env_str("PHOTO_DESK_EMAIL", "photodesk@localhost")

# --- The wire. Drop folders are subfolders of one root, set by whoever runs the server and
# never by an editor; a source's folder that is or passes through a symbolic link is refused.
WIRE_DROP_ROOT = Path(env_str("WIRE_DROP_ROOT", str(VAR_DIR / "wire"))).resolve()
# A total limit on each fetch (connecting, headers and body) and, for each document, the
# wall time, CPU time and memory its parse may take (it runs in a child process).
WIRE_FETCH_SECONDS = float(env_int("WIRE_FETCH_SECONDS", 20))
WIRE_PARSE_SECONDS = float(env_int("WIRE_PARSE_SECONDS", 6))
WIRE_PARSE_MEGABYTES = env_int("WIRE_PARSE_MEGABYTES", 256)
# How many sources are fetched and parsed at once by one poll.
WIRE_POLL_WORKERS = env_int("WIRE_POLL_WORKERS", 4)

# --- Wagtail.
WAGTAIL_SITE_NAME = env_str("DATELINE_SITE_NAME", "Dateline")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_IMAGE_MODEL = "mediabank.Photo"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# 40 megapixels (7,680 × 5,200; 8,000 × 5,000) is what a newsroom's full-frame cameras make,
# and well above what agencies send (12-24 MP). Every accepted photo must be importable and
# renderable within 256 MB: a PNG decodes to 4 bytes a pixel (160 MB at 40 MP), and its
# renditions are made from a reduced copy (mediabank.models.LocationSafeFilter). Animated
# images count every frame.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "dateline.mediabank.forms.PhotoForm"
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend (SQLite FTS5 or PostgreSQL full text, by the database in
    # use), on SQLite ranking a query's newest matches only (dateline/search/backends.py).
    "default": {"BACKEND": "dateline.search.backends"},
}
WAGTAILEMBEDS_FINDERS: list[dict] = []  # no outside network: embeds render as links we build
WAGTAILADMIN_COMMENTS_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True

# --- Security.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the page's script reads it for the small JSON endpoints
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Wagtail's preview panel frames the site from the admin, so frames stay allowed from the
# same origin (and only from it); Django's deploy check would have DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Pushpin speaks plain HTTP to the app on this machine (TLS ends at nginx in front of it), so
# the stream requests it forwards are not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^events/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:", "blob:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [_SELF],
        "form-action": [_SELF],
        "base-uri": [_SELF],
        "object-src": ["'none'"],
    },
    # Wagtail's admin uses inline scripts and styles; the policy guards the public site.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
}

# --- The read API (/api/): requests per minute, counted in the cache. A partner's key has its
# own limit, set in the newsroom (this is the default for new keys); anonymous clients share
# one limit per address.
API_KEY_REQUESTS_PER_MINUTE = env_int("API_KEY_REQUESTS_PER_MINUTE", 600)
API_ANONYMOUS_REQUESTS_PER_MINUTE = env_int("API_ANONYMOUS_REQUESTS_PER_MINUTE", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if TESTING:
    # Only what makes tests fast.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
