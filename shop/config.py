"""Reading and checking the environment: the one place that does.

Settings call these helpers; a value that cannot be used stops the shop at start
with one line naming the variable and what is wrong, never a traceback.
"""

import os
import ssl
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import environ

env = environ.Env()

DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
REDIS_SCHEMES = {"redis", "rediss"}


# SQLite for a web server's concurrent requests: readers never wait for the
# writer (WAL), a writer waits up to 20 s for another instead of failing with
# "database is locked", and every transaction takes the write lock as it begins
# (IMMEDIATE), so two never deadlock upgrading a read to a write.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


class ConfigError(SystemExit):
    """A setting that cannot be used; exits the process with a one-line message."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"Configuration error: {variable} {problem}")


def read_env_file(path) -> None:
    """Load a `.env` file when present; variables already set win."""
    if os.path.exists(path):
        environ.Env.read_env(str(path), overwrite=False)


def database_config(default_sqlite_path) -> dict:
    url = env.str("DATABASE_URL", default="").strip()
    if not url:
        Path(default_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": SQLITE_OPTIONS,
        }
    parts = urlsplit(url)
    if parts.scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            "DATABASE_URL",
            f"has an unsupported scheme {parts.scheme!r}; expected "
            "postgres://user:password@host:port/name or sqlite:////path/to/file",
        )
    if parts.scheme != "sqlite" and not (parts.hostname or "").strip():
        raise ConfigError("DATABASE_URL", "names no host (postgres://user@host/name)")
    if parts.scheme != "sqlite" and not parts.path.strip("/"):
        raise ConfigError("DATABASE_URL", "names no database (postgres://.../name)")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
        config = env.db_url_config(url)
    except (ValueError, environ.ImproperlyConfigured) as exc:
        raise ConfigError("DATABASE_URL", f"is malformed: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


def redis_url() -> str:
    url = env.str("REDIS_URL", default="").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES:
        raise ConfigError(
            "REDIS_URL",
            f"has an unsupported scheme {parts.scheme!r}; "
            "expected redis://host:port/db or rediss://...",
        )
    try:
        parts.port  # noqa: B018
    except ValueError as exc:
        raise ConfigError("REDIS_URL", f"is malformed: {exc}") from None
    if not parts.hostname:
        raise ConfigError("REDIS_URL", "names no host (redis://host:6379/0)")
    db = parts.path.strip("/")
    if db and not db.isdigit():
        raise ConfigError("REDIS_URL", f"has a database {db!r} that is not a number")
    return url


REDIS_CERT_CHECKS = {
    "required": ssl.CERT_REQUIRED,
    "optional": ssl.CERT_OPTIONAL,
    "none": ssl.CERT_NONE,
}


def redis_tls(url: str) -> dict:
    """How a `rediss://` Redis's certificate is checked, as the cache's client
    and the Celery broker both take it: `REDIS_SSL_CERT_REQS` (required, the
    default; none for an add-on with a self-signed certificate, as some PaaS
    give) and `REDIS_SSL_CA_CERTS` (a CA file, else the system's). Nothing for
    plain `redis://`."""
    if not url.startswith("rediss://"):
        return {}
    check = env.str("REDIS_SSL_CERT_REQS", default="required").strip().lower()
    if check not in REDIS_CERT_CHECKS:
        raise ConfigError(
            "REDIS_SSL_CERT_REQS", f"is {check!r}; expected required, optional or none"
        )
    tls = {"ssl_cert_reqs": REDIS_CERT_CHECKS[check]}
    ca_certs = env.str("REDIS_SSL_CA_CERTS", default="").strip()
    if ca_certs:
        if not os.path.isfile(ca_certs):
            raise ConfigError("REDIS_SSL_CA_CERTS", f"names no file: {ca_certs}")
        tls["ssl_ca_certs"] = ca_certs
    return tls


def media_storage() -> dict:
    """Where uploaded media (product images, their thumbnails) live: object
    storage (S3 or any S3-compatible service, through django-storages) once
    `MEDIA_BUCKET` is set, else files under MEDIA_ROOT. The images are public,
    so their addresses are plain (no expiring signature a cached page would
    outlive)."""
    bucket = env.str("MEDIA_BUCKET", default="").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    for variable, option in (
        ("MEDIA_ENDPOINT_URL", "endpoint_url"),
        ("MEDIA_REGION", "region_name"),
        ("MEDIA_ACCESS_KEY_ID", "access_key"),
        ("MEDIA_SECRET_ACCESS_KEY", "secret_key"),
        ("MEDIA_CUSTOM_DOMAIN", "custom_domain"),
        ("MEDIA_PREFIX", "location"),
        ("MEDIA_DEFAULT_ACL", "default_acl"),
    ):
        value = env.str(variable, default="").strip()
        if value:
            options[option] = value
    endpoint = options.get("endpoint_url", "")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ConfigError(
            "MEDIA_ENDPOINT_URL",
            f"is {endpoint!r}; expected e.g. https://s3.eu-west-1.amazonaws.com",
        )
    return {"BACKEND": "shop.storage.MediaStorage", "OPTIONS": options}


def base_url(debug: bool) -> str:
    """`SHOP_BASE_URL`, the address shoppers reach the shop at (scheme and host,
    e.g. https://shop.example.com): every link sent out of a request (emails,
    feeds) starts with it. Required when DEBUG is off; the development server's
    address otherwise."""
    url = env.str("SHOP_BASE_URL", default="").strip().rstrip("/")
    if not url:
        if debug:
            return "http://127.0.0.1:8000"
        raise ConfigError(
            "SHOP_BASE_URL",
            "is not set and DEBUG is off: set it to the address shoppers use, "
            "e.g. https://shop.example.com, so emailed links reach the shop",
        )
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise ConfigError("SHOP_BASE_URL", f"is malformed: {exc}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            "SHOP_BASE_URL",
            f"is {url!r}; expected a scheme and host, e.g. https://shop.example.com",
        )
    if parts.path or parts.query or parts.fragment:
        raise ConfigError(
            "SHOP_BASE_URL",
            f"is {url!r}; give only the scheme and host, without a path",
        )
    return url


def secret_key(debug: bool) -> str:
    key = env.str("SECRET_KEY", default="").strip()
    if key:
        if not debug and (len(key) < 50 or len(set(key)) < 5):
            raise ConfigError(
                "SECRET_KEY",
                "is too weak for DEBUG=false: use at least 50 random characters, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"',
            )
        return key
    if debug:
        return "insecure-development-key-only-for-debug-mode-" + "x" * 10
    raise ConfigError(
        "SECRET_KEY",
        "is not set and DEBUG is off: set SECRET_KEY to at least 50 random "
        "characters, or DEBUG=true for local development",
    )


def tax_rates(variable: str, default: str) -> dict[str, Decimal]:
    """`GB=0.20,DE=0.19`: tax rates (a fraction of the net price) by ISO country
    code."""
    raw = env.str(variable, default=default).strip()
    rates = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        country, _, rate = item.partition("=")
        country = country.strip().upper()
        try:
            value = Decimal(rate.strip())
        except InvalidOperation:
            value = None
        if len(country) != 2 or not country.isalpha() or value is None:
            raise ConfigError(variable, f"has {item!r}; expected e.g. GB=0.20")
        if not Decimal(0) <= value < Decimal(1):
            raise ConfigError(variable, f"has rate {rate} for {country}; use 0 to 0.99")
        rates[country] = value
    return rates
