"""What the figures were measured on, recorded beside them."""

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import redis

from bench.harness import databases
from bench.harness.config import ROOT, Settings

PACKAGES = ("django", "django-oscar", "gunicorn", "locust", "psycopg")


def machine_info(settings: Settings) -> dict:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _memory_mb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgres": databases.server_version(settings.database_url),
        "redis": redis.Redis.from_url(settings.redis_url).info("server")[
            "redis_version"
        ],
        "packages": {name: metadata.version(name) for name in PACKAGES},
        "commit": _commit(),
    }


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _memory_mb() -> int | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return None


def _commit() -> str | None:
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None


def _read(path: str) -> str:
    file = Path(path)
    return file.read_text() if file.exists() else ""
