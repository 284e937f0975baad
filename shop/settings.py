"""Settings for the shop, read from the environment (12-factor).

With nothing set the shop runs on embedded defaults: SQLite, a local-memory cache,
Celery tasks run in-process, and the demo payment gateway. See `.env.example` and the
README for every variable.
"""

from pathlib import Path

from oscar.defaults import *  # noqa: F403 - Oscar's settings, overridden below

from shop.config import (
    ConfigError,
    base_url,
    database_config,
    env,
    media_storage,
    read_env_file,
    redis_tls,
    redis_url,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
read_env_file(BASE_DIR / ".env")

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = secret_key(DEBUG)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links sent outside a request (emails) start with this; the Site row follows it.
SHOP_BASE_URL = base_url(DEBUG)
SITE_ID = 1
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_filters",
    "corsheaders",
    "rest_framework_simplejwt.token_blacklist",
    "shop.apps.ShopConfig",
    "api.apps.ApiConfig",
    "integrations.apps.IntegrationsConfig",
    "personalisation.apps.PersonalisationConfig",
    # Oscar, with our forks in place of its own apps
    "oscar.config.Shop",
    "analytics.apps.AnalyticsConfig",
    "checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "partner.apps.PartnerConfig",
    "basket.apps.BasketConfig",
    "payment.apps.PaymentConfig",
    "offer.apps.OfferConfig",
    "order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Third-party apps Oscar depends on
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
]

MIDDLEWARE = [
    "shop.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "shop.context_processors.storefront",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# --- Data -------------------------------------------------------------------
DATABASES = {"default": database_config(BASE_DIR / "var" / "db.sqlite3")}

REDIS_URL = redis_url()
# Redis over TLS (rediss://, as PaaS add-ons give): how its certificate is checked.
REDIS_TLS = redis_tls(REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "shop.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, **REDIS_TLS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Oscar's haystack search is not used by any page; the "simple" engine keeps the
# dependency satisfied without an index.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_USE_SSL = REDIS_TLS or False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Seconds a task a worker has taken may go unacknowledged before Redis gives it to
# another worker: a task whose worker died whole comes back once this has passed
# (workers look as they start and about every 100 s); one whose pool process was
# killed comes back at once. Longer than the longest task, or a slow one runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# Anonymous shoppers' product views and basket additions are counted in Redis
# and added to the analytics records by a beat task (analytics.counters).
SHOP_ANALYTICS_BUFFER = env.bool("SHOP_ANALYTICS_BUFFER", default=bool(REDIS_URL))
from shop.settings_beat import (  # noqa: E402, F401
    CELERY_BEAT_SCHEDULE,
    SHOP_ANALYTICS_FLUSH_SECONDS,
)

CELERY_TIMEZONE = "UTC"
# Without a broker nothing runs beat: the web process runs its schedule itself
# (shop.inprocess_beat).
SHOP_INPROCESS_BEAT = env.bool("SHOP_INPROCESS_BEAT", default=not REDIS_URL)

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or BASE_DIR / "var" / "media")
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve product images from the web process (the demo and single-machine setups);
# on a PaaS they live in a bucket (MEDIA_BUCKET), which serves them itself.
SERVE_MEDIA = env.bool(
    "SERVE_MEDIA", default=STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
)

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env.str("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shop@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Who hears of new orders and return requests; unset: the staff who may change
# orders.
SHOP_MERCHANT_EMAILS = env.list("SHOP_MERCHANT_EMAILS", default=[])

# --- Payments (the gateways switch on when their keys are set) --------------
# The demo gateway takes the test card 4242 4242 4242 4242 for goods that are
# never paid for: on in development, in production only when asked for.
SHOP_DEMO_PAYMENTS = env.bool("SHOP_DEMO_PAYMENTS", default=DEBUG)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Another Stripe API address (a local fake in tests); empty: Stripe's own.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# PayPal (Orders v2) beside the card once both its keys are set.
PAYPAL_CLIENT_ID = env.str("PAYPAL_CLIENT_ID", default="")
PAYPAL_CLIENT_SECRET = env.str("PAYPAL_CLIENT_SECRET", default="")
# The id PayPal gave our webhook; its events are verified against it.
PAYPAL_WEBHOOK_ID = env.str("PAYPAL_WEBHOOK_ID", default="")
PAYPAL_APIS = {
    "sandbox": "https://api-m.sandbox.paypal.com",
    "live": "https://api-m.paypal.com",
}
PAYPAL_ENVIRONMENT = env.str("PAYPAL_ENVIRONMENT", default="sandbox").lower()
if PAYPAL_ENVIRONMENT not in PAYPAL_APIS:
    raise ConfigError("PAYPAL_ENVIRONMENT", "must be sandbox or live")
# Another PayPal API address (a local fake in tests); empty: the environment's.
PAYPAL_API_BASE = env.str("PAYPAL_API_BASE", default="")
PAYPAL_API_BASE = PAYPAL_API_BASE or PAYPAL_APIS[PAYPAL_ENVIRONMENT]

# --- Security ---------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
OSCAR_BASKET_COOKIE_SECURE = not DEBUG
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = not DEBUG
# HSTS preload is the domain owner's choice: off unless SECURE_HSTS_PRELOAD is set.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- API (api/, under /api/v1/): shop/settings_api.py ------------------------
from shop.settings_api import (  # noqa: E402, F401
    API_IDEMPOTENCY_HOURS,
    CORS_ALLOWED_ORIGINS,
    CORS_URLS_REGEX,
    REST_FRAMEWORK,
    SIMPLE_JWT,
    SPECTACULAR_SETTINGS,
)

# --- Oscar, tax, orders, storefront listings: shop/settings_oscar.py ----------
from shop.settings_oscar import (  # noqa: E402, F401
    FULFILMENT_WEBHOOK_SECRET,
    ORDER_RETURN_WINDOW_DAYS,
    OSCAR_ALLOW_ANON_CHECKOUT,
    OSCAR_DASHBOARD_NAVIGATION,
    OSCAR_DEFAULT_CURRENCY,
    OSCAR_DELETE_IMAGE_FILES,
    OSCAR_HOMEPAGE,
    OSCAR_INITIAL_LINE_STATUS,
    OSCAR_INITIAL_ORDER_STATUS,
    OSCAR_LINE_STATUS_PIPELINE,
    OSCAR_MISSING_IMAGE_URL,
    OSCAR_OFFERS_INCL_TAX,
    OSCAR_ORDER_STATUS_CASCADE,
    OSCAR_ORDER_STATUS_PIPELINE,
    OSCAR_PRODUCTS_PER_PAGE,
    OSCAR_SHOP_NAME,
    OSCAR_SHOP_TAGLINE,
    SHOP_COUNTRY,
    SHOP_LISTING_CACHE_SECONDS,
    SHOP_LISTING_FACETS,
    SHOP_LOW_STOCK_THRESHOLD,
    SHOP_PAGE_CACHE_SECONDS,
    SHOP_PRICES_INCLUDE_TAX,
    SHOP_STOCK_RESERVATION_MINUTES,
    SHOP_TAX_RATES,
)

# Oscar's own emails (password reset, stock alerts) link to the Site row's domain
# (kept at SHOP_BASE_URL's by shop.links.site_sync) with this scheme.
OSCAR_URL_SCHEMA = SHOP_BASE_URL.partition(":")[0]

# Thumbnails are made once on first view and remembered (sorl's key-value store in
# the database, fronted by the cache).
# Scaled images go where the originals are (sorl makes its storage again from this
# class path, with no arguments).
THUMBNAIL_STORAGE = STORAGES["default"]["BACKEND"]
THUMBNAIL_PRESERVE_FORMAT = True
THUMBNAIL_QUALITY = 82
