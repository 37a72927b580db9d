"""Settings for 绿色制造名单管理平台, read from the environment in this one place.

Every variable has a default that runs the portal on one machine with nothing else installed:
SQLite under ``var/``, Celery tasks run in-process, e-mail printed to the console, uploads in
``var/media``. Production sets the variables (see README and docker-compose.yml).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GREENMFG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-local-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "greenmfg.core",
    "greenmfg.directory",
    "greenmfg.accounts",
    "greenmfg.audit",
    "greenmfg.notifications",
    "applications",
    "reviews",
    "registry",
    "dynamic_mgmt",
    "thirdparty",
    # Last: the portal layer looks across every app above (dashboards, seed_demo, generate_data).
    "greenmfg.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "greenmfg.core.middleware.PortalLocaleMiddleware",
    "greenmfg.core.middleware.RejectNulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "greenmfg.portal.middleware.FreshCountsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "greenmfg.urls"
# A form refused for its CSRF token: the portal's page in Chinese, not Django's in English.
CSRF_FAILURE_VIEW = "greenmfg.core.views.csrf_failure"
WSGI_APPLICATION = "greenmfg.wsgi.application"
ASGI_APPLICATION = "greenmfg.asgi.application"

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
                "greenmfg.portal.context_processors.navigation",
                "greenmfg.core.demo_clock.banner",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'greenmfg.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for a web portal's short queries (docs/benchmarks.md): random reads cost
    # little more than sequential ones on SSDs, so the trigram and ordering indexes are chosen
    # (a name search: 24 ms → 10 ms at 100,000 units); JIT compilation costs more than it saves
    # on queries of a few milliseconds. Set PG_OPTIONS to "" to keep the server's own.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "PG_OPTIONS", "-c random_page_cost=1.1 -c jit=off"
    )
    # A database host that does not answer (a network fault, not a refused port) fails a
    # request in seconds, answered 503 with Retry-After (greenmfg.core.views.server_error),
    # instead of holding a worker for the system's TCP timeout of about two minutes.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(
        os.environ.get("DB_CONNECT_TIMEOUT", "5")
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes (INCLUDE columns) are PostgreSQL's; SQLite, the demo's database,
    # builds them without those columns, which is all it needs, and Django would say so on
    # every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "greenmfg.accounts.backends.ModelBackend",  # loads the organisation with the user
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = None  # show the "signed out" page

# Login throttling: five wrong passwords for one account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "greenmfg.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): every script and style from our own origin, no inline
# script or event-handler attribute; a page that truly needs an inline script gives it the
# request's nonce (``<script nonce="{{ request.csp_nonce }}">``, sent only when used). The API
# documentation pages relax it for themselves (greenmfg/core/api/docs_pages.py). To allow
# another source, add it to its directive here (e.g. a CDN to "script-src") and say why.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views

# Uploads: a local folder by default; an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is
# set, so that several web servers share the same files.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # MinIO and most self-hosted S3 answer at http://host:9000/bucket/, not bucket.host.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "绿色制造名单管理平台 <noreply@greenmfg.local>"
)

# Celery: with no broker configured the tasks run in-process, so one machine needs nothing else.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL) or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = not (os.environ.get("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis down: a request that queues a task after its commit is answered at once and the task is
# kept in the outbox (greenmfg.core.outbox), so no connection may wait long or retry in a loop
# (Celery's Redis result store alone retried for 19 s, then raised).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
# The queue tasks are sent to and workers read (a deployment, or a test's own workers, may name
# another; a worker must then be started with -Q and the same name).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A worker's child process is replaced once it has grown past this resident size (KiB) after a
# task, or after this many tasks: a 300-row PDF part peaks near 300 MB in WeasyPrint and Python
# seldom hands that back, so the child that built one is replaced and the worker returns to its
# idle size (~150 MB) instead of holding the peak (prefork pool; bench/documents.py).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", str(250 * 1024))
)
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "100"))

# Long documents (greenmfg.core.documents): exports above EXPORT_SYNC_MAX_ROWS rows and list PDFs
# above PDF_STREAM_MAX_ROWS are built by Celery, a PDF in parts of PDF_PART_ROWS rows (one task
# each); a generated document and its file are deleted DOCUMENT_RETENTION_DAYS after it was asked
# for (the published lists' PDFs are kept).
EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "100000"))
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("EXPORT_SYNC_MAX_ROWS", "10000"))
PDF_STREAM_MAX_ROWS = int(os.environ.get("PDF_STREAM_MAX_ROWS", "300"))
PDF_PART_ROWS = int(os.environ.get("PDF_PART_ROWS", "300"))
DOCUMENT_RETENTION_DAYS = int(os.environ.get("DOCUMENT_RETENTION_DAYS", "7"))

# 对标: fewer green factories than this in a city and industry, and the portal's median of their
# filed tables is not used as a reference value (the finding says so; hand-entered figures stand).
BENCHMARK_MIN_SAMPLE = int(os.environ.get("BENCHMARK_MIN_SAMPLE", "5"))

CACHES = {
    "default": (
        {
            # Django's RedisCache, read as a miss while Redis is down (greenmfg.core.cache).
            "BACKEND": "greenmfg.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    # Token first: DRF answers a request without credentials with the first class's
    # WWW-Authenticate challenge, a 401 (session authentication has none: it was a 403).
    # A browser's session still signs in, with its CSRF check on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "greenmfg.core.api.ordering.PortalOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "greenmfg.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "greenmfg.core.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "greenmfg.core.api.schema.PortalAutoSchema",
    # JSON bodies only; the views that take a file upload name MultiPartParser themselves.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "绿色制造名单管理平台 API",
    "DESCRIPTION": (
        "绿色制造名单管理平台的接口：申报、评审、公示、名单与动态管理。\n\n"
        "**版本与路径。** 接口位于 `/api/v1/`。此前不带版本的 `/api/…` 路径作为别名继续可用，"
        "过渡期至 **2027-06-30**（含）为止；其响应带有 `Deprecation`、`Sunset`（RFC 8594）"
        '和 `Link: <…>; rel="successor-version"` 头，请改用 `/api/v1/`。'
        "变更记录见 `docs/api-changelog.md`。\n\n"
        "**认证。** `POST /api/v1/auth/token/`（`username`、`password`）取得令牌，"
        "之后每个请求带 `Authorization: Token <令牌>`；浏览器中也可使用登录会话。"
    ),
    "VERSION": "1.0.1",
    # Tags are taken from the path after the version (/api/v1/<tag>/…).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # One tag per resource: English names (generators turn them into identifiers), Chinese
    # descriptions.
    "TAGS": [
        {"name": "auth", "description": "令牌：以用户名和密码换取 API 令牌（无需登录）。"},
        {"name": "me", "description": "当前用户：角色与所属单位。"},
        {"name": "jurisdictions", "description": "行政区划：限于调用者管辖范围（含下级）。"},
        {
            "name": "organisations",
            "description": "单位：官员看到其辖区内的单位，其他用户看到本单位；注册审核。",
        },
        {
            "name": "batches",
            "description": "申报批次：官员看到本辖区及上级已发布的批次，申报单位看到覆盖本单位的"
            "开放批次；名额与评审设置。",
        },
        {"name": "pool", "description": "培育库：县（区）维护本级培育库，邀请候选单位申报。"},
        {
            "name": "applications",
            "description": "申报：与页面相同的可见范围（本单位的申报，或官员辖区内的申报）；"
            "草稿、材料、预检、提交与流转。",
        },
        {"name": "document-versions", "description": "申报材料文件：能看到该申报的用户可下载。"},
        {
            "name": "rules",
            "description": "规则：某政策、某单位类型的申报读取的事实（facts）的 JSON Schema。",
        },
        {"name": "credit-imports", "description": "信用数据导入：限于官员辖区，上传文件。"},
        {"name": "credit-events", "description": "信用事件：所有官员可查看。"},
        {"name": "industry-references", "description": "行业参考值：按行业设定本辖区的参考值。"},
        {
            "name": "industry-benchmarks",
            "description": "同行业对标：平台内绿色工厂能耗强度的四分位数（只读，每晚根据已报送的"
            "年度动态管理表计算）。",
        },
        {"name": "county-reviews", "description": "初审：按申报 id 查看和填写县（区）初审。"},
        {"name": "opinion-requests", "description": "征求意见：县（区）发出并查看答复，部门答复。"},
        {"name": "expert-pool", "description": "专家库：本级主管部门的专家库成员。"},
        {"name": "conflicts", "description": "利益冲突申报：专家申报本人的利益冲突。"},
        {"name": "assignments", "description": "评审分配：为申报分配专家评审组。"},
        {"name": "scoring-templates", "description": "评分模板：按单位类型的评分细则。"},
        {"name": "sheets", "description": "评分表：专家打开、填写并提交本人的评分表。"},
        {"name": "application-scores", "description": "评分汇总：综合得分与评审决定预览。"},
        {"name": "onsite-checks", "description": "现场核查：由开设批次的主管部门记录和查看。"},
        {
            "name": "bulk",
            "description": "批量办理：批量推荐、批量开始专家评审、批量决定通过或不通过。",
        },
        {"name": "promotions", "description": "推荐汇总：下级向省级或国家级批次推荐。"},
        {
            "name": "round-recommendations",
            "description": "推荐至上级：以推荐而非名单结束的评审轮次。",
        },
        {"name": "publicities", "description": "公示：开始公示并发布名单。"},
        {"name": "objections", "description": "公示异议：查看异议并作出答复。"},
        {"name": "listings", "description": "名单管理：辖区内的名单单位及其历史事件。"},
        {"name": "complaints", "description": "举报办理：核实、办结并关联黑名单决定。"},
        {"name": "agencies", "description": "第三方评价机构：机构资料的填写、提交与审核。"},
        {"name": "agency-staff", "description": "评价人员名册（`?agency=` 查看某机构的）。"},
        {"name": "agency-experience", "description": "机构近五年业绩（`?agency=` 查看某机构的）。"},
        {
            "name": "agency-related-entities",
            "description": "机构关联单位（`?agency=` 查看某机构的），按统一社会信用代码关联。",
        },
        {"name": "engagements", "description": "评价委托：委托及第三方评价报告的当前版本。"},
        {"name": "annual-reports", "description": "评价机构年度工作情况报告。"},
        {"name": "agency-blacklist", "description": "评价机构黑名单：列入与移出。"},
        {"name": "filing-windows", "description": "填报期：年度动态管理表的填报时间。"},
        {"name": "annual-tables", "description": "年度动态管理表：名单单位保存草稿并报送。"},
        {"name": "change-reports", "description": "变更报告：名单单位报告变更，辖区官员审核。"},
        {"name": "incidents", "description": "事故事件：记录后自动提出移出名单建议。"},
        {
            "name": "removal-proposals",
            "description": "移出名单建议：名单的认定部门（或上级）决定。",
        },
        {"name": "re-reviews", "description": "三年期满复审。"},
        {"name": "green-grades", "description": "企业绿码：辖区内或本单位的绿码等级。"},
        {"name": "imports", "description": "批量导入：上传文件试导入，查看各行结果，再确认导入。"},
        {"name": "statistics", "description": "数据统计：与统计页面相同的数字。"},
        {
            "name": "public",
            "description": "公开接口（无需登录）：名单查询、公示公告、公告、"
            "异议与举报的提交和查询、机构黑名单公示。",
        },
    ],
    # Swagger UI: no validator badge (it would send the schema to validator.swagger.io); the
    # assets come from drf-spectacular-sidecar (SWAGGER_UI_DIST below), nothing from a CDN.
    "SWAGGER_UI_SETTINGS": {
        "validatorUrl": None,
        "deepLinking": True,
        "persistAuthorization": True,
        "displayOperationId": False,
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Enums become components first; then no generator-visible name is left in Chinese.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "greenmfg.core.api.schema.titles_to_descriptions",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "greenmfg.directory.models.Organisation.Kind",
        "JurisdictionKindEnum": "greenmfg.directory.models.Jurisdiction.Kind",
        "DocumentKindEnum": "applications.models.Document.Kind",
        "CreditEventKindEnum": "applications.models.CreditEvent.Kind",
        "ApplicationStatusEnum": "applications.models.Application.Status",
        "PublicityStatusEnum": "reviews.models.Publicity.Status",
        "ObjectionStatusEnum": "reviews.models.Objection.Status",
        "AgencyTitleLevelEnum": "thirdparty.models.TitleLevel",
        "AgencyStaffFieldEnum": "thirdparty.models.StaffField",
        "AgencyExperienceKindEnum": "thirdparty.models.ExperienceRecord.Kind",
        "RelatedEntityRelationEnum": "thirdparty.models.RelatedEntity.Relation",
        "ComplaintSubjectEnum": "registry.models.Complaint.Subject",
        "ComplaintStatusEnum": "registry.models.Complaint.Status",
        "ComplaintOutcomeEnum": "registry.models.Complaint.Outcome",
        "RemovalProposalStatusEnum": "registry.models.RemovalProposal.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every laid-out page at INFO: thousands of lines for a long list.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The menu's pending counts are cached this long per user (greenmfg/portal/navigation.py); the
# user's own changes drop them at once. 0: counted on every page.
NAV_COUNTS_SECONDS = int(os.environ.get("NAV_COUNTS_SECONDS", "60"))

# 数据统计 answers are cached this long (greenmfg/portal/statistics/sections.py); the pages say so.
STATISTICS_CACHE_SECONDS = int(os.environ.get("STATISTICS_CACHE_SECONDS", "600"))

# Demo accounts created by ``seed_demo`` share this password; the command prints it.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Lvse-2026!")
# The demo's settable date (greenmfg/core/clock.py; manage.py set_demo_date): on while DEBUG is
# on, unless GREENMFG_DEMO_CLOCK says otherwise; production.py and test.py turn it off.
DEMO_CLOCK_FILE = VAR_DIR / "demo_date" if env_bool("GREENMFG_DEMO_CLOCK", DEBUG) else None
