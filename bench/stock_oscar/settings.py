"""A stock django-oscar 4.2 shop, the baseline our shop is measured against.

Oscar's own apps (`oscar.INSTALLED_APPS`), templates and default search (haystack's
simple backend), as Oscar's documentation sets a project up; nothing of ours is on
the import path (gunicorn runs it from bench/). Only what a fair comparison needs
differs from a bare project: the same Postgres, Redis cache, persistent connections
and time zone as ours, guest checkout allowed as in ours, DEBUG off, and errors
logged so the benchmark can show them.
The harness passes the database, cache, media folder and secret key in the
environment.
"""

import os
from urllib.parse import urlsplit

import oscar
from oscar.defaults import *  # noqa: F403 - Oscar's settings, as its docs say

_database = urlsplit(os.environ["DATABASE_URL"])

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1
ROOT_URLCONF = "stock_oscar.urls"
WSGI_APPLICATION = "stock_oscar.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# django-oscar-api out of the box, as its documentation installs it (its own
# defaults: no pagination, session and basic authentication, anyone may read).
INSTALLED_APPS = [*oscar.INSTALLED_APPS, "sorl.thumbnail", "rest_framework", "oscarapi"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _database.path.lstrip("/"),
        "USER": _database.username or "",
        "PASSWORD": _database.password or "",
        "HOST": _database.hostname or "",
        "PORT": _database.port or "",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
}

# Guest checkout, as in our shop (Oscar's setting; off by default), for the
# checkout race.
OSCAR_ALLOW_ANON_CHECKOUT = True

HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ["MEDIA_ROOT"]

# Oscar sends the order confirmation inside the request: to the console, as our
# shop does when no mail server is set.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        # Oscar's checkout catches what goes wrong placing an order and shows
        # the shopper a page; this logs it.
        "oscar.checkout": {"handlers": ["console"], "level": "ERROR"},
    },
}
