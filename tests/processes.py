"""For tests that start a real process (a Celery worker, gunicorn) on the test
database and the Redis of CI."""

import os

import pytest
from django.conf import settings
from django.db import connection


def require_postgres_and_redis() -> None:
    """Skip outside CI when Postgres or Redis isn't configured; fail in CI."""
    missing = [
        name
        for name, ok in (
            ("REDIS_URL", bool(settings.REDIS_URL)),
            ("DATABASE_URL (Postgres)", connection.vendor == "postgresql"),
        )
        if not ok
    ]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"needs {', '.join(missing)}; .ci/run sets both")
    assert not missing, f"CI must provide {', '.join(missing)}"


def process_env(**extra: str) -> dict[str, str]:
    """This environment, pointed at the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }
