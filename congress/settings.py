"""Settings for the district congress portal. Every value a deployment may change is read from the
environment through congress.lib.env; `.env.example` lists each variable with its default."""
import re
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF

from congress.lib.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-demo-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "congress.admin_site.CongressAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "congress",
    "deputies",
    "stations",
    "proposals",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "congress.middleware.PageGZipMiddleware",  # compresses what every middleware below has written
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.IdleSessionMiddleware",
    "congress.lib.language.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congress.middleware.SecondFactorMiddleware",
    "congress.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"

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
                "congress.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), BASE_DIR)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # the demo's web process and Celery worker share the file: wait for a lock instead of failing at once
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "congress.User"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # the demo: a file cache, shared by the web process and the Celery worker (a background import's progress)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

# --- Security (docs/rules.md: personal data and security) -------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "congress.backends.CongressBackend",  # ModelBackend, loading the request's user with their deputy in one query
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "congress.lib.passwords.CharacterClassValidator",
     "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CLASSES", 3)}},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
# A (username, address) pair is locked, never a username for everyone; congress.lib.logins adds a higher limit per
# address across usernames (password spraying), and congress.lib.clientip finds the address behind the proxy.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "congress.lib.logins.AddressLimitedHandler"
AXES_CLIENT_IP_CALLABLE = "congress.lib.clientip.client_address"
AXES_USERNAME_CALLABLE = "congress.lib.logins.attempted_username"
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# the leaders' dashboard and the 办理率 table: whole-district figures kept this long, shown with their time
# (congress.lib.statcache); 0 computes them on every visit
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 300)
# the admin index's counts (待办 per user, 逾期事项, the roll's figures): kept this long, the page says so; 0: live
ADMIN_COUNTS_CACHE_SECONDS = env_int("ADMIN_COUNTS_CACHE_SECONDS", 60)
# the age counts from the last request (an idle timeout): congress.middleware.IdleSessionMiddleware renews it at most
# once a minute instead of Django's SESSION_SAVE_EVERY_REQUEST, which writes the session row on every page
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# sessions read from the cache (Redis in production), written through to the database: every logged-in page saves the
# session query; a cache flush or restart only means the next read goes to the database. congress.sessions checks the
# idle timeout on the session's own clock, not only the cache's expiry
SESSION_ENGINE = "congress.sessions"
# the bell's unread count, kept per user until a notification is sent to them or they read one (both in
# congress.services); at most this long after any other change (an administrator deleting rows); 0: counted every page
NOTIFICATION_COUNT_CACHE_SECONDS = env_int("NOTIFICATION_COUNT_CACHE_SECONDS", 300)
# facts about a workflow's objects as a whole (is any livelihood round open to deputies?), which the portal home asks
# before a panel's per-deputy query: kept until the workflow's next change commits, at most this long; 0: asked each time
WORKFLOW_FACTS_SECONDS = env_int("WORKFLOW_FACTS_SECONDS", 300)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "congress.views.csrf_failure"  # a Chinese page instead of Django's English one
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Only sent when SECURE_HSTS_SECONDS > 0 (over HTTPS); switch off if a subdomain of the host still serves plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind the proxy, the client's address is read from this header, as written by the last TRUSTED_PROXY_COUNT proxies.
PROXY_CLIENT_IP_HEADER = env_str("PROXY_CLIENT_IP_HEADER", "X-Forwarded-For")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1 or not re.fullmatch(r"[A-Za-z0-9-]+", PROXY_CLIENT_IP_HEADER):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT 须不小于 1，PROXY_CLIENT_IP_HEADER 须为请求头名称（如 X-Real-IP）")
# Content-Security-Policy (django-csp 4): scripts, styles and images only from this site, no inline script or style,
# no plug-ins, no framing, forms only to this site. The QR codes are inline SVG or SVG files from this site, so img-src
# needs no data: URIs. Templates keep to it: tests/test_csp.py scans them and drives the pages in Chromium.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        # the portal's service worker (static/js/sw.js at /portal/sw.js, congress/lib/offline.py): from this site only
        "worker-src": [SELF],
    },
}
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/go/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Object permissions (django-guardian) -------------------------------------------------------
ANONYMOUS_USER_NAME = None  # no anonymous user row: the public pages need no object permission
GUARDIAN_RAISE_403 = True

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if env_bool("STATIC_COMPRESS", not DEBUG) else
                    "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads (congress.lib.uploads): caps per file, and the long side and quality photos are re-encoded to.
UPLOAD_MAX_MB_DOCUMENT = env_int("UPLOAD_MAX_MB_DOCUMENT", 20)
UPLOAD_MAX_MB_IMAGE = env_int("UPLOAD_MAX_MB_IMAGE", 8)
UPLOAD_IMAGE_LONG_SIDE = env_int("UPLOAD_IMAGE_LONG_SIDE", 1600)
UPLOAD_IMAGE_JPEG_QUALITY = env_int("UPLOAD_IMAGE_JPEG_QUALITY", 82)
# Stored files leave only through views that check permission (congress.lib.uploads.serve), never from /media/:
# with the nginx backend Django answers with X-Accel-Redirect to SENDFILE_URL, an `internal` nginx location
# aliased to MEDIA_ROOT; the simple backend (the default: demo and tests) has Django send the file itself.
SENDFILE_BACKEND = env_str("SENDFILE_BACKEND", "django_sendfile.backends.simple")
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = env_str("SENDFILE_URL", "/protected-media")

# --- Import / export ----------------------------------------------------------------------------
# A spreadsheet of more than IMPORT_BACKGROUND_ROWS data rows is checked and imported by the worker with a progress
# page (congress.lib.importjobs); smaller ones get the immediate preview. No import file may exceed IMPORT_MAX_MB.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 1000)
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 30)
IMPORT_EXPORT_USE_TRANSACTIONS = True  # all-or-nothing on every database, SQLite included
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Between the preview and the confirmation the upload lives in media storage, which every web
# process of a deployment shares (the default temp folder is per machine).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Importing needs the model's add permission and exporting its view permission (the default lets any staff in).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{VAR_DIR / 'celery-results'}"
CELERY_BROKER_TRANSPORT_OPTIONS = {} if REDIS_URL else {
    "data_folder_in": str(VAR_DIR / "celery-broker"),
    "data_folder_out": str(VAR_DIR / "celery-broker"),
    "processed_folder": str(VAR_DIR / "celery-processed"),
    "control_folder": str(VAR_DIR / "celery-control"),
    "store_processed": False,
}
if not REDIS_URL:
    for _folder in ("celery-broker", "celery-processed", "celery-control", "celery-results"):
        (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "congress.tasks.heartbeat", "schedule": 60 * 60},
    "notification-outbox": {"task": "congress.tasks.deliver_pending_notifications", "schedule": 5 * 60},
    "audit-retention": {"task": "congress.tasks.audit_purge_expired", "schedule": 24 * 60 * 60},
    "suggestion-deadline-reminders": {"task": "proposals.tasks.scan_deadline_reminders", "schedule": 60 * 60},
    "reception-reminders": {"task": "stations.tasks.send_reception_reminders", "schedule": 60 * 60},
    # the previous month's report, early on the 1st (idempotent: a month already published is left alone)
    "monthly-report": {"task": "congress.tasks.monthly_report_build", "schedule": crontab(minute=30, hour=2, day_of_month=1)},
    "similar-suggestions": {"task": "proposals.tasks.refresh_similar_current_term", "schedule": 24 * 60 * 60},
    "rectification-reminders": {"task": "supervision.tasks.scan_rectification_reminders", "schedule": 60 * 60},
    "work-report-reminders": {"task": "supervision.tasks.send_work_report_reminders", "schedule": 60 * 60},
    "meeting-reply-reminders": {"task": "supervision.tasks.scan_meeting_reply_reminders", "schedule": 60 * 60},
    "rating-report-reminders": {"task": "supervision.tasks.send_rating_report_reminders", "schedule": 60 * 60},
    "livelihood-report-reminders": {"task": "supervision.tasks.scan_livelihood_report_reminders", "schedule": 60 * 60},
}

# docs/rules.md: a second factor (TOTP, django-otp) is available to every staff account and required for "admins" (the
# 三员: system, security and audit administrators) or, with "staff", for everyone who works in the admin.
TOTP_REQUIRED_FOR = env_str("TOTP_REQUIRED_FOR", "admins")
if TOTP_REQUIRED_FOR not in {"admins", "staff"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TOTP_REQUIRED_FOR 只能是 admins（三员）或 staff（全部机关工作人员）")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "区人大履职服务平台")

# --- Mail and SMS --------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@renda.local")
SMS_BACKEND = env_str("SMS_BACKEND", "congress.lib.delivery.ConsoleSMSBackend")

# --- The institution's rules (docs/rules.md), each a setting with its default --------------------------
CONGRESS_RULES = {
    "DISTRICT_NAME": env_str("DISTRICT_NAME", "江海区"),
    "REPLY_MONTHS": env_int("REPLY_MONTHS", 3),
    "REPLY_MONTHS_HARD": env_int("REPLY_MONTHS_HARD", 6),
    "SEND_BACK_WORKING_DAYS": env_int("SEND_BACK_WORKING_DAYS", 7),
    "ASSIST_OPINION_MONTHS": env_int("ASSIST_OPINION_MONTHS", 1),
    "SECOND_REPLY_MONTHS": env_int("SECOND_REPLY_MONTHS", 1),
    "PROPOSAL_MIN_DEPUTIES": env_int("PROPOSAL_MIN_DEPUTIES", 10),
    "MAX_EXTENSION_MONTHS": env_int("MAX_EXTENSION_MONTHS", 3),
    "RESULT_CATEGORY_D_ENABLED": env_bool("RESULT_CATEGORY_D_ENABLED", True),
    "PROPOSAL_SUPERVISION_YEARS": env_int("PROPOSAL_SUPERVISION_YEARS", 1),
    "PROPOSAL_FOLLOW_YEARS": env_int("PROPOSAL_FOLLOW_YEARS", 2),
    # days before a reply deadline on which the unit is reminded (0: on the day); weekly once overdue
    "REMINDER_DAYS_BEFORE": sorted({int(d) for d in env_list("REMINDER_DAYS_BEFORE", ["15", "7", "3", "0"])}, reverse=True),
    # 0 keeps the audit trail forever; otherwise rows older than this many days are purged nightly. The law asks
    # for at least six months, so a shorter positive value stops the start.
    "AUDIT_RETENTION_DAYS": env_int("AUDIT_RETENTION_DAYS", 0),
    # from this month on, the admin index asks staff to enter next year's holiday schedule (the notice comes in November)
    "HOLIDAY_SCHEDULE_REMIND_MONTH": env_int("HOLIDAY_SCHEDULE_REMIND_MONTH", 11),
    # rectification items (整改事项): reminded before the due date on REMINDER_DAYS_BEFORE, then every N days once overdue
    "RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS": env_int("RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS", 7),
    # 专项工作报告 (监督法 Art. 15): days before the meeting the draft goes to the working body, the revised report to
    # the 常委会, the copies to the members; the organ's report on a review opinion is due months after it is sent, and
    # after a 不满意 poll the re-report months after the poll
    "WORK_REPORT_DRAFT_DAYS": env_int("WORK_REPORT_DRAFT_DAYS", 20),
    "WORK_REPORT_REVISED_DAYS": env_int("WORK_REPORT_REVISED_DAYS", 10),
    "WORK_REPORT_COPIES_DAYS": env_int("WORK_REPORT_COPIES_DAYS", 7),
    "REVIEW_OPINION_REPORT_MONTHS": env_int("REVIEW_OPINION_REPORT_MONTHS", 3),
    "REVIEW_OPINION_REREPORT_MONTHS": env_int("REVIEW_OPINION_REREPORT_MONTHS", 2),
    # 工作评议: the rectification period offered for an appraisal's rectification items, and the months within which a
    # department whose appraisal ended 不满意 is appraised again
    "APPRAISAL_RECTIFICATION_MONTHS": env_int("APPRAISAL_RECTIFICATION_MONTHS", 3),
    "APPRAISAL_REAPPRAISAL_MONTHS": env_int("APPRAISAL_REAPPRAISAL_MONTHS", 6),
    # the shortest self-inspection report a department may submit: the problems found and the measures taken
    "APPRAISAL_SELF_CHECK_MIN_CHARS": env_int("APPRAISAL_SELF_CHECK_MIN_CHARS", 10),
    # 工作评议等次: the lowest weighted total of 优秀, 良好 and 合格 (below 合格: 不合格)
    "APPRAISAL_GRADE_EXCELLENT": env_int("APPRAISAL_GRADE_EXCELLENT", 90),
    "APPRAISAL_GRADE_GOOD": env_int("APPRAISAL_GRADE_GOOD", 80),
    "APPRAISAL_GRADE_PASS": env_int("APPRAISAL_GRADE_PASS", 60),
    # a special inquiry's rectification rated 不满意: the organs report again within this many months
    "INQUIRY_FURTHER_REPORT_MONTHS": env_int("INQUIRY_FURTHER_REPORT_MONTHS", 3),
    # 代表约见: the fewest deputies who jointly request a meeting with an organ's head; the months after the meeting
    # within which the organ replies in writing; once overdue, the organ is reminded again every this many days
    "MEETING_MIN_DEPUTIES": env_int("MEETING_MIN_DEPUTIES", 5),
    "MEETING_REPLY_MONTHS": env_int("MEETING_REPLY_MONTHS", 1),
    "MEETING_REPLY_OVERDUE_REMINDER_EVERY_DAYS": env_int("MEETING_REPLY_OVERDUE_REMINDER_EVERY_DAYS", 7),
    # 执法检查: the team's report is due this many days after the last day of the checking (the plan may set another date)
    "INSPECTION_REPORT_DAYS": env_int("INSPECTION_REPORT_DAYS", 30),
    # 民生实事项目票决制: a candidate is chosen only with more than this percent of the valid ballots (0: ranking alone);
    # a chosen project's quarterly progress report is due this many days after the quarter ends; once overdue, its owner
    # organ is reminded again every this many days
    "LIVELIHOOD_MAJORITY_PERCENT": env_int("LIVELIHOOD_MAJORITY_PERCENT", 50),
    "LIVELIHOOD_REPORT_DAYS": env_int("LIVELIHOOD_REPORT_DAYS", 10),
    "LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS": env_int("LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS", 7),
    # the fewest characters of a quarterly progress report's text: a line like "按计划推进" says nothing of the work done,
    # the money spent or the problems met
    "LIVELIHOOD_REPORT_MIN_CHARS": env_int("LIVELIHOOD_REPORT_MIN_CHARS", 10),
}
# Official letters (congress.letters, GB/T 9704): the issuing organ printed in red at the top, each kind's 发文机关代字
# (the number reads 代字〔2026〕3号, one sequence per kind and year) and whom every letter is copied to (抄送).
_DISTRICT_SHORT = CONGRESS_RULES["DISTRICT_NAME"].removesuffix("区").removesuffix("县") or CONGRESS_RULES["DISTRICT_NAME"]
CONGRESS_RULES.update({
    "LETTER_ISSUER": env_str("LETTER_ISSUER", f"{CONGRESS_RULES['DISTRICT_NAME']}人大常委会办公室"),
    "LETTER_CODE_ASSIGNMENT": env_str("LETTER_CODE_ASSIGNMENT", f"{_DISTRICT_SHORT}人大办交"),
    "LETTER_CODE_SUPERVISION": env_str("LETTER_CODE_SUPERVISION", f"{_DISTRICT_SHORT}人大办督"),
    "LETTER_CODE_REMINDER": env_str("LETTER_CODE_REMINDER", f"{_DISTRICT_SHORT}人大办函"),
    "LETTER_COPY_TO": env_str("LETTER_COPY_TO", f"{CONGRESS_RULES['DISTRICT_NAME']}人民政府办公室"),
    # letters issued by one bulk action in the admin (each is a PDF rendered in the request)
    "LETTER_BATCH_MAX": env_int("LETTER_BATCH_MAX", 20),
})
# 任后监督 (supervision/models/ratings.py): the appointed officials' yearly rating. The duty report is due within days of
# the reporting phase's start (staff may set another date), reminded on REMINDER_DAYS_BEFORE and every N days once
# overdue; the poll's groups and weights (a group of weight 0 takes no part); the grade from the poll's weighted shares
# (优秀: 满意 reaches the first; 称职 / 基本称职: 满意 + 基本满意 reach the next two; else 不称职); a 提醒函 goes to each
# official graded below RATING_REMINDER_BELOW_GRADE; the round's report goes to the district committee.
CONGRESS_RULES.update({
    "RATING_REPORT_DAYS": env_int("RATING_REPORT_DAYS", 30),
    "RATING_OVERDUE_REMINDER_EVERY_DAYS": env_int("RATING_OVERDUE_REMINDER_EVERY_DAYS", 7),
    # the fewest characters of an official's duty report (述职报告): the members rate the official on what it tells of
    # the duties, lawful administration and integrity, which a sentence or two cannot
    "RATING_REPORT_MIN_CHARS": env_int("RATING_REPORT_MIN_CHARS", 20),
    "RATING_WEIGHT_MEMBERS": env_int("RATING_WEIGHT_MEMBERS", 100),
    "RATING_WEIGHT_DEPUTIES": env_int("RATING_WEIGHT_DEPUTIES", 0),
    "RATING_EXCELLENT_SATISFIED": env_int("RATING_EXCELLENT_SATISFIED", 80),
    "RATING_COMPETENT_APPROVAL": env_int("RATING_COMPETENT_APPROVAL", 80),
    "RATING_BASIC_APPROVAL": env_int("RATING_BASIC_APPROVAL", 60),
    "RATING_REMINDER_BELOW_GRADE": env_str("RATING_REMINDER_BELOW_GRADE", "优秀"),
    "RATING_SUMMARY_ADDRESSEE": env_str("RATING_SUMMARY_ADDRESSEE", f"中共{CONGRESS_RULES['DISTRICT_NAME']}委员会"),
    "LETTER_CODE_RATING_REMINDER": env_str("LETTER_CODE_RATING_REMINDER", f"{_DISTRICT_SHORT}人大办提"),
    "LETTER_CODE_RATING_SUMMARY": env_str("LETTER_CODE_RATING_SUMMARY", f"{_DISTRICT_SHORT}人大常报"),
})
if CONGRESS_RULES["RATING_REMINDER_BELOW_GRADE"] not in {"优秀", "称职", "基本称职"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RATING_REMINDER_BELOW_GRADE 只能是 优秀、称职 或 基本称职（低于该等次的发提醒函）")
if CONGRESS_RULES["RATING_WEIGHT_MEMBERS"] + CONGRESS_RULES["RATING_WEIGHT_DEPUTIES"] != 100 or min(
        CONGRESS_RULES["RATING_WEIGHT_MEMBERS"], CONGRESS_RULES["RATING_WEIGHT_DEPUTIES"]) < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RATING_WEIGHT_MEMBERS 与 RATING_WEIGHT_DEPUTIES 须为不小于0的整数，合计100")

# docs/rules.md "station reception": announced at least N days before, at least N a month at each liaison station
STATIONS = {
    "RECEPTION_NOTICE_DAYS": env_int("RECEPTION_NOTICE_DAYS", 2),
    "RECEPTION_MIN_PER_MONTH": env_int("RECEPTION_MIN_PER_MONTH", 1),
    "RECEPTION_REMINDER_DAYS": env_int("RECEPTION_REMINDER_DAYS", 1),
}

if 0 < CONGRESS_RULES["AUDIT_RETENTION_DAYS"] < 183:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS 须为 0（永久保存）或不少于 183 天（网络安全法第二十一条）")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
