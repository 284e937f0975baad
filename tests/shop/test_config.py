"""The shop refuses to start on bad configuration, with one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_" * 2


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a clean environment holding only `env` (and PATH)."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, variable: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith(f"Configuration error: {variable} ")
    return lines[0]


def test_no_secret_key_with_debug_off_refuses_to_start():
    result = manage("check")

    line = assert_one_line_error(result, "SECRET_KEY")
    assert "DEBUG" in line


def test_weak_secret_key_with_debug_off_refuses_to_start():
    result = manage("check", SECRET_KEY="changeme")

    assert_one_line_error(result, "SECRET_KEY")


def test_no_base_url_with_debug_off_refuses_to_start():
    result = manage("check", SECRET_KEY=STRONG_KEY)

    line = assert_one_line_error(result, "SHOP_BASE_URL")
    assert "https://shop.example.com" in line


@pytest.mark.parametrize(
    "url", ["shop.example.com", "ftp://shop.example.com", "https://shop.example.com/x"]
)
def test_malformed_base_url_refuses_to_start(url):
    result = manage("check", DEBUG="true", SHOP_BASE_URL=url)

    assert_one_line_error(result, "SHOP_BASE_URL")


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/shop", "postgres://", "postgres://host:notaport/db"],
)
def test_malformed_database_url_refuses_to_start(url):
    result = manage("check", DEBUG="true", DATABASE_URL=url)

    assert_one_line_error(result, "DATABASE_URL")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379", "redis://:6379/0", "redis://localhost:6379/x"]
)
def test_malformed_redis_url_refuses_to_start(url):
    result = manage("check", DEBUG="true", REDIS_URL=url)

    assert_one_line_error(result, "REDIS_URL")


def test_unreachable_database_stops_the_shop_at_start():
    result = manage(
        "migrate",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/shop",
    )

    line = assert_one_line_error(result, "DATABASE_URL")
    assert "can't be reached" in line


def test_unreachable_redis_stops_the_shop_at_start(tmp_path):
    result = manage(
        "migrate",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:1/0",
    )

    line = assert_one_line_error(result, "REDIS_URL")
    assert "can't be reached" in line


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    """`check --deploy` failing on warnings, for a shop at its public address."""
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        SHOP_BASE_URL="https://shop.example.com",
        ALLOWED_HOSTS="shop.example.com",
        **env,
    )


def test_deploy_check_passes_with_a_production_environment():
    result = deploy_check(
        STRIPE_SECRET_KEY="sk_live_shop",
        STRIPE_PUBLISHABLE_KEY="pk_live_shop",
        CSRF_TRUSTED_ORIGINS="https://shop.example.com",
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),
        REDIS_URL=os.environ.get("REDIS_URL", ""),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "warning"),
    [({}, "shop.W002"), ({"SHOP_DEMO_PAYMENTS": "true"}, "shop.W001")],
    ids=["no payment method", "the demo card"],
)
def test_deploy_check_warns_of_a_shop_that_takes_no_money(extra, warning):
    result = deploy_check(**extra)

    assert result.returncode != 0
    assert warning in result.stderr


def test_deploy_check_fails_when_debug_is_on():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="true")

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_no_migrations_are_missing():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="true")

    assert result.returncode == 0, result.stdout + result.stderr
