"""Settings shared by every environment. Deployment values come from the environment.

`make run` uses this module with ADUAN_DEMO=1 (embedded SQLite, Huey on SQLite, demo keys).
Production uses `config.settings.production`, which refuses demo keys and DEBUG.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

from .database import database_config
from .huey import huey_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ADUAN_VAR_DIR", str(BASE_DIR / "var")))

# Values that only a demo may use; production.py refuses to start with any of them.
DEMO_SECRET_KEY = "demo-insecure-secret-key-do-not-use-in-production"  # noqa: S105  # nosec B105
DEMO_FIELD_KEY = "ZGVtby1maWVsZC1rZXktbm90LWZvci1wcm9kLXVzZSE="
DEMO_HASH_KEY = "demo-hash-key-do-not-use-in-production"

ADUAN_DEMO = env_bool("ADUAN_DEMO", default=False)
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The pemda this deployment serves. Everything else specific to it is data.
ADUAN_PEMDA_NAME = env_str("ADUAN_PEMDA_NAME", "Kabupaten Buton")
ADUAN_PEMDA_CODE = env_str("ADUAN_PEMDA_CODE", "74.04")
ADUAN_TRACKING_PREFIX = env_str("ADUAN_TRACKING_PREFIX", "BTN")
ADUAN_SITE_URL = env_str("ADUAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open311's jurisdiction_id: accepted when it equals this (default: the site's host name).
ADUAN_OPEN311_JURISDICTION = env_str(
    "ADUAN_OPEN311_JURISDICTION", ADUAN_SITE_URL.split("://")[-1].split("/")[0].split(":")[0]
)
# Channels shown on the portal (Pasal 5, R9, R10): a channel whose setting is empty is not shown.
ADUAN_SMS_NUMBER = env_str("ADUAN_SMS_NUMBER", "1708")
ADUAN_CONTACT_EMAIL = env_str("ADUAN_CONTACT_EMAIL", "")
ADUAN_WHATSAPP_NUMBER = env_str("ADUAN_WHATSAPP_NUMBER", "")  # E.164, e.g. +628123456789
ADUAN_TELEGRAM_BOT = env_str("ADUAN_TELEGRAM_BOT", "")  # the bot's username, without "@"
ADUAN_CALL_CENTER = env_str("ADUAN_CALL_CENTER", "")
ADUAN_COMPLAINT_BOX_TEXT = env_str("ADUAN_COMPLAINT_BOX_TEXT", "")  # where the boxes are
# Optional map pin on the report form: a tile URL template such as
# https://tile.openstreetmap.org/{z}/{x}/{y}.png (empty: no map). Its origin is added to the
# CSP img-src (aduan/core/middleware.py); the attribution is shown on the map (HTML allowed).
ADUAN_MAP_TILE_URL = env_str("ADUAN_MAP_TILE_URL", "")
ADUAN_MAP_ATTRIBUTION = env_str(
    "ADUAN_MAP_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
ADUAN_DEFAULT_PHONE_REGION = env_str("ADUAN_DEFAULT_PHONE_REGION", "ID")
# National holidays come from the `holidays` package for this country; cuti bersama and local
# days are edited in the Holiday table (which can also switch a package date off).
ADUAN_HOLIDAY_COUNTRY = env_str("ADUAN_HOLIDAY_COUNTRY", "ID")
ADUAN_HOLIDAY_CATEGORIES = env_list("ADUAN_HOLIDAY_CATEGORIES", "public,government")

# Identity is encrypted at rest (Fernet; the first key encrypts, all decrypt: rotation) and
# looked up by keyed hash (HMAC-SHA256).
ADUAN_FIELD_KEYS = env_list("ADUAN_FIELD_KEYS", DEMO_FIELD_KEY)
ADUAN_HASH_KEY = env_str("ADUAN_HASH_KEY", DEMO_HASH_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "aduan.core",
    "aduan.audit",
    "aduan.accounts",
    "aduan.workdays",
    "aduan.agencies",
    "aduan.complaints",
    "aduan.intake",
    "aduan.intake.email",
    "aduan.notifications",
    "aduan.portal",
    "aduan.backoffice",
    "aduan.api",
    "aduan.open311",
    "aduan.reports",
    "aduan.integrations.lapor",
    "ninja",
]

MIDDLEWARE = [
    "aduan.core.middleware.RequestIdMiddleware",
    "aduan.core.middleware.RequestSizeLimitMiddleware",
    "aduan.core.middleware.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aduan.backoffice.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aduan.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "aduan.core.context_processors.deployment",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aduan.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
HUEY = huey_config(redis_url=REDIS_URL, sqlite_path=VAR_DIR / "huey.sqlite3")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("ADUAN_TIME_ZONE", "Asia/Makassar")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("ADUAN_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Attachments are private: never served from a public media URL (S4).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if ADUAN_DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Aduan Kabupaten Buton <aduan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of our own Message-IDs, so replies can be threaded (issue: email channel).
ADUAN_MESSAGE_ID_DOMAIN = env_str("ADUAN_MESSAGE_ID_DOMAIN", "aduan.localhost")

# One sender per outbound channel (notifications/senders.py). SMS, WhatsApp and Telegram get
# their real senders with their channel issue; until then they are logged without content.
ADUAN_SENDERS = {
    "email": "aduan.notifications.senders.EmailSender",
    "sms": "aduan.notifications.senders.ConsoleSender",
    "whatsapp": "aduan.notifications.senders.ConsoleSender",
    "telegram": "aduan.notifications.senders.ConsoleSender",
    "console": "aduan.notifications.senders.ConsoleSender",
    "lapor": "aduan.integrations.lapor.sender.LaporSender",
}
# Identity kept outside the Complainant row, erased with it (S18); each returns whether it
# erased anything: the social-media post's URL, the channel messages as received.
ADUAN_IDENTITY_ERASERS = [
    "aduan.backoffice.operator_intake.social_post_erase",
    "aduan.intake.inbound.inbound_records_erase",
]
# --- channel: core (aduan/intake/conversation.py) ---
# Abuse guards on inbound messages (aduan/intake/abuse.py): per sender and channel, at most
# this many messages per 10 minutes and per day; over it, one polite reply, then silence.
ADUAN_INBOUND_RATE_10MIN = env_int("ADUAN_INBOUND_RATE_10MIN", 10)
ADUAN_INBOUND_RATE_DAY = env_int("ADUAN_INBOUND_RATE_DAY", 50)
# At most this many automatic replies to one address per hour (no reply storms with a robot).
ADUAN_INBOUND_REPLIES_PER_HOUR = env_int("ADUAN_INBOUND_REPLIES_PER_HOUR", 6)
# The same text from the same sender within this many seconds is a repeat: ignored.
ADUAN_INBOUND_REPEAT_SECONDS = env_int("ADUAN_INBOUND_REPEAT_SECONDS", 300)
# A plain message (no command) on SMS/WhatsApp/Telegram waits this long for "YA".
ADUAN_INBOUND_DRAFT_HOURS = env_int("ADUAN_INBOUND_DRAFT_HOURS", 24)
# --- end channel: core ---
# --- channel: sms (aduan/intake/sms/) ---
# SMS 1708 (README, "SMS 1708"): ADUAN_SMS_BACKEND=gammu reads Gammu SMSD's SQL tables (in
# Aduan's database unless ADUAN_SMS_GAMMU_DATABASE_URL names another), =http takes a generic
# HTTP gateway's webhooks (/webhooks/sms/) and sends by its sendsms URL, =off (default) logs
# outgoing SMS without sending (ConsoleSender). Secrets only from the environment (S13).
ADUAN_SMS_BACKEND = env_str("ADUAN_SMS_BACKEND", "off").strip().lower()
if ADUAN_SMS_BACKEND not in ("off", "gammu", "http"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ADUAN_SMS_BACKEND must be off, gammu or http")
ADUAN_SMS_MAX_PARTS = env_int("ADUAN_SMS_MAX_PARTS", 6)  # a longer reply is cut, ending "..."
ADUAN_SMS_GAMMU_DATABASE_URL = env_str("ADUAN_SMS_GAMMU_DATABASE_URL", "")
ADUAN_SMS_GAMMU_DATABASE = "gammu" if ADUAN_SMS_GAMMU_DATABASE_URL else "default"
if ADUAN_SMS_GAMMU_DATABASE_URL:
    DATABASES["gammu"] = database_config(ADUAN_SMS_GAMMU_DATABASE_URL)
# The outbox SenderID: which smsd (its PhoneID) sends, when several share the tables.
ADUAN_SMS_GAMMU_PHONE_ID = env_str("ADUAN_SMS_GAMMU_PHONE_ID", "")
ADUAN_SMS_GAMMU_DELIVERY_REPORT = env_str("ADUAN_SMS_GAMMU_DELIVERY_REPORT", "default")
ADUAN_SMS_GAMMU_MULTIPART_WAIT = env_int("ADUAN_SMS_GAMMU_MULTIPART_WAIT", 600)  # seconds
ADUAN_SMS_GAMMU_TIME_ZONE = env_str("ADUAN_SMS_GAMMU_TIME_ZONE", TIME_ZONE)
ADUAN_SMS_HTTP_SECRET = env_str("ADUAN_SMS_HTTP_SECRET", "")
# The gateway's send URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms (Kannel).
ADUAN_SMS_HTTP_SEND_URL = env_str("ADUAN_SMS_HTTP_SEND_URL", "")
ADUAN_SMS_HTTP_METHOD = env_str("ADUAN_SMS_HTTP_METHOD", "GET")
ADUAN_SMS_HTTP_USERNAME = env_str("ADUAN_SMS_HTTP_USERNAME", "")
ADUAN_SMS_HTTP_PASSWORD = env_str("ADUAN_SMS_HTTP_PASSWORD", "")
ADUAN_SMS_HTTP_FROM = env_str("ADUAN_SMS_HTTP_FROM", "")
ADUAN_SMS_HTTP_TIMEOUT = env_int("ADUAN_SMS_HTTP_TIMEOUT", 10)
if ADUAN_SMS_BACKEND == "gammu":
    ADUAN_SENDERS["sms"] = "aduan.intake.sms.gammu.GammuSender"
elif ADUAN_SMS_BACKEND == "http":
    ADUAN_SENDERS["sms"] = "aduan.intake.sms.http.HttpGatewaySender"
# --- end channel: sms ---
# --- channel: email (aduan/intake/email/) ---
# The complaint mailbox, read by IMAP every ADUAN_IMAP_POLL_MINUTES (empty host = email intake
# off). Security: "ssl" (IMAPS, 993), "starttls" (143) or "none" (loopback/tests only).
# Replies go out by SMTP through Django's EMAIL_* settings above, with Reply-To the mailbox.
ADUAN_IMAP_HOST = env_str("ADUAN_IMAP_HOST", "")
ADUAN_IMAP_SECURITY = env_str("ADUAN_IMAP_SECURITY", "ssl")
ADUAN_IMAP_PORT = env_int("ADUAN_IMAP_PORT", 993 if ADUAN_IMAP_SECURITY == "ssl" else 143)
ADUAN_IMAP_USER = env_str("ADUAN_IMAP_USER", "")
ADUAN_IMAP_PASSWORD = env_str("ADUAN_IMAP_PASSWORD", "")
ADUAN_IMAP_FOLDER = env_str("ADUAN_IMAP_FOLDER", "INBOX")
# Where fetched mails are moved after they are stored (empty: they stay, flagged \Seen).
ADUAN_IMAP_PROCESSED_FOLDER = env_str("ADUAN_IMAP_PROCESSED_FOLDER", "")
ADUAN_IMAP_POLL_MINUTES = env_int("ADUAN_IMAP_POLL_MINUTES", 1)
ADUAN_IMAP_BATCH = env_int("ADUAN_IMAP_BATCH", 50)  # mails per run at most
ADUAN_IMAP_TIMEOUT = env_int("ADUAN_IMAP_TIMEOUT", 30)  # seconds
# A mail larger than this is not downloaded whole: only its first ADUAN_EMAIL_PARTIAL_BYTES
# (the text, normally) are read and its attachments are noted as refused.
ADUAN_EMAIL_MAX_MESSAGE_BYTES = env_int("ADUAN_EMAIL_MAX_MESSAGE_BYTES", 40 * 1024 * 1024)
ADUAN_EMAIL_PARTIAL_BYTES = env_int("ADUAN_EMAIL_PARTIAL_BYTES", 256 * 1024)
# The address citizens reply to (Reply-To of every mail we send); default: the IMAP user.
ADUAN_EMAIL_REPLY_TO = env_str(
    "ADUAN_EMAIL_REPLY_TO", ADUAN_IMAP_USER if "@" in ADUAN_IMAP_USER else ""
)
# --- end channel: email ---
# --- channel: messengers (aduan/intake/whatsapp/, aduan/intake/telegram/) ---
# WhatsApp Cloud API (webhook at /webhooks/whatsapp/) and Telegram Bot API (webhook at
# /webhooks/telegram/). Off by default; when off the webhook answers 404 and the outbox logs
# instead of sending (ConsoleSender). Secrets only from the environment (S13).
ADUAN_WHATSAPP_ENABLED = env_bool("ADUAN_WHATSAPP_ENABLED", default=False)
ADUAN_WHATSAPP_API_URL = env_str("ADUAN_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
ADUAN_WHATSAPP_ACCESS_TOKEN = env_str("ADUAN_WHATSAPP_ACCESS_TOKEN", "")
ADUAN_WHATSAPP_PHONE_NUMBER_ID = env_str("ADUAN_WHATSAPP_PHONE_NUMBER_ID", "")
ADUAN_WHATSAPP_APP_SECRET = env_str("ADUAN_WHATSAPP_APP_SECRET", "")  # X-Hub-Signature-256
ADUAN_WHATSAPP_VERIFY_TOKEN = env_str("ADUAN_WHATSAPP_VERIFY_TOKEN", "")  # hub.verify_token
ADUAN_WHATSAPP_TIMEOUT = env_int("ADUAN_WHATSAPP_TIMEOUT", 10)  # seconds, every request
# Outside WhatsApp's 24-hour customer-service window free text is refused (error 131047): with
# an approved template named here (one body parameter: the tracking code) the citizen gets that
# instead; without one the message fails and the email copy (if any) carries it.
ADUAN_WHATSAPP_FALLBACK_TEMPLATE = env_str("ADUAN_WHATSAPP_FALLBACK_TEMPLATE", "")
ADUAN_WHATSAPP_FALLBACK_LANGUAGE = env_str("ADUAN_WHATSAPP_FALLBACK_LANGUAGE", "id")
ADUAN_TELEGRAM_ENABLED = env_bool("ADUAN_TELEGRAM_ENABLED", default=False)
ADUAN_TELEGRAM_API_URL = env_str("ADUAN_TELEGRAM_API_URL", "https://api.telegram.org")
ADUAN_TELEGRAM_BOT_TOKEN = env_str("ADUAN_TELEGRAM_BOT_TOKEN", "")
ADUAN_TELEGRAM_WEBHOOK_SECRET = env_str("ADUAN_TELEGRAM_WEBHOOK_SECRET", "")
ADUAN_TELEGRAM_TIMEOUT = env_int("ADUAN_TELEGRAM_TIMEOUT", 10)
if ADUAN_WHATSAPP_ENABLED:
    ADUAN_SENDERS["whatsapp"] = "aduan.intake.whatsapp.sender.WhatsAppSender"
if ADUAN_TELEGRAM_ENABLED:
    ADUAN_SENDERS["telegram"] = "aduan.intake.telegram.sender.TelegramSender"
# --- end channel: messengers ---
# A worker that dies while sending leaves its claimed messages in `sending`; the sweep puts them
# back after this lease (S17). Longer than a worker needs to send one claimed batch.
ADUAN_OUTBOX_LEASE_SECONDS = env_int("ADUAN_OUTBOX_LEASE_SECONDS", 600)

# The national LAPOR!-SP4N connector (aduan/integrations/lapor/README.md): off by default.
# When on, forwarded reports are imported every 5 minutes and status changes, responses and
# forwards upward are pushed through the outbox.
ADUAN_LAPOR_ENABLED = env_bool("ADUAN_LAPOR_ENABLED", default=False)
ADUAN_LAPOR_URL = env_str("ADUAN_LAPOR_URL", "https://www.lapor.go.id").rstrip("/")
ADUAN_LAPOR_TOKEN = env_str("ADUAN_LAPOR_TOKEN", "")
ADUAN_LAPOR_TIMEOUT = env_int("ADUAN_LAPOR_TIMEOUT", 20)  # seconds, every request
ADUAN_LAPOR_CLIENT = env_str(
    "ADUAN_LAPOR_CLIENT", "aduan.integrations.lapor.client.LegacyXmlLaporClient"
)

# The REST API's interactive docs at /api/v1/docs (S23: off in production unless enabled).
ADUAN_API_DOCS = env_bool("ADUAN_API_DOCS", default=True)

# --- reports: written report to the Bupati (aduan/reports/written/) ---
# The pemda's logo on the report's letterhead (a file path: SVG, PNG or JPEG); empty: the
# project's neutral emblem. Issued files are stored under MEDIA_ROOT/laporan/.
ADUAN_REPORT_LOGO = env_str("ADUAN_REPORT_LOGO", "")
# The PDF's annex lists at most this many complaints (the XLSX and CSV always list all).
ADUAN_REPORT_PDF_ANNEX_MAX = env_int("ADUAN_REPORT_PDF_ANNEX_MAX", 2000)
# --- end reports: written ---

# Open data, the statistics page and the public API hide counts from 1 to this minus 1, and
# enough others that no hidden count is the total minus the shown ones (S1).
ADUAN_OPEN_DATA_MIN_COUNT = env_int("ADUAN_OPEN_DATA_MIN_COUNT", 3)

# --- reports: the dashboards' daily rollup (aduan/reports/rollup.py; PostgreSQL only) ---
# Off: the dashboards count every figure live on the report indexes.
ADUAN_REPORT_ROLLUP = env_bool("ADUAN_REPORT_ROLLUP", default=True)
# More logged changes than this (a bulk load): the dashboard counts live and leaves the
# recount to the worker's minute task instead of making its reader wait.
ADUAN_REPORT_ROLLUP_MAX_PENDING = env_int("ADUAN_REPORT_ROLLUP_MAX_PENDING", 20_000)

# Staff sign-in (back-office, S6, S8).
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
ADUAN_OTP_URL = "/kantor/masuk/verifikasi/"
OTP_TOTP_ISSUER = ADUAN_PEMDA_NAME
# A staff session ends after this long without a request, and in any case this long after
# sign-in (aduan/backoffice/middleware.py).
ADUAN_STAFF_IDLE_MINUTES = env_int("ADUAN_STAFF_IDLE_MINUTES", 30)
ADUAN_STAFF_SESSION_HOURS = env_int("ADUAN_STAFF_SESSION_HOURS", 12)
# Lockout (S7), counted atomically in the database per window (aduan/backoffice/accounts.py,
# docs/decisions/0014-staff-sign-in.md): failures per account, attempts per IP address, wrong
# second-factor codes per account, password-reset requests per IP address.
ADUAN_LOGIN_WINDOW_MINUTES = env_int("ADUAN_LOGIN_WINDOW_MINUTES", 15)
ADUAN_LOGIN_FAILURES_PER_USER = env_int("ADUAN_LOGIN_FAILURES_PER_USER", 5)
ADUAN_LOGIN_FAILURES_PER_IP = env_int("ADUAN_LOGIN_FAILURES_PER_IP", 20)
ADUAN_OTP_FAILURES_PER_USER = env_int("ADUAN_OTP_FAILURES_PER_USER", 5)
ADUAN_PASSWORD_RESETS_PER_IP = env_int("ADUAN_PASSWORD_RESETS_PER_IP", 5)  # per hour
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)  # the link works for an hour

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "aduan.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "INFO"},
    },
}

# Uploads (S10) ------------------------------------------------------------------------------
# Attachments are checked by content, re-encoded and stored under server-side names
# (aduan/complaints/uploads.py); these are the limits a citizen's form is held to.
_MB = 1024 * 1024
ADUAN_UPLOAD_MAX_FILES = env_int("ADUAN_UPLOAD_MAX_FILES", 5)
ADUAN_UPLOAD_MAX_BYTES = env_int("ADUAN_UPLOAD_MAX_BYTES", 10 * _MB)  # per file
ADUAN_UPLOAD_MAX_TOTAL_BYTES = env_int("ADUAN_UPLOAD_MAX_TOTAL_BYTES", 25 * _MB)  # per form
# Decompression-bomb limit: images with more pixels are refused before they are decoded.
ADUAN_UPLOAD_MAX_PIXELS = env_int("ADUAN_UPLOAD_MAX_PIXELS", 40_000_000)
# Re-encoded photos are scaled down to this longest side (0 keeps the size).
ADUAN_UPLOAD_IMAGE_MAX_SIDE = env_int("ADUAN_UPLOAD_IMAGE_MAX_SIDE", 4096)
# clamd socket ("/run/clamav/clamd.ctl" or "tcp://host:3310"); empty = no virus scan.
ADUAN_CLAMAV_SOCKET = env_str("ADUAN_CLAMAV_SOCKET", "")
ADUAN_CLAMAV_TIMEOUT = env_int("ADUAN_CLAMAV_TIMEOUT", 30)  # seconds
# Staged uploads a form never claimed are deleted after this many hours.
ADUAN_UPLOAD_STAGING_HOURS = env_int("ADUAN_UPLOAD_STAGING_HOURS", 24)
# A request whose Content-Length exceeds this is refused (413) before its body is read
# (aduan.core.middleware.RequestSizeLimitMiddleware): the files plus the form's text fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file fields (2.5 MB)
ADUAN_REQUEST_MAX_BYTES = ADUAN_UPLOAD_MAX_TOTAL_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE + _MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to temporary files
# Above our own count limit, so 50 files get our clear message rather than a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 100
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
