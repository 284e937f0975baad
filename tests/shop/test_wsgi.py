"""gunicorn with --preload (as the Procfile runs it): workers forked after the
start-up checks must not share their connections."""

import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.processes import free_port, process_env, require_postgres_and_redis

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status


@pytest.mark.django_db(transaction=True)
def test_preloaded_gunicorn_workers_answer_concurrent_requests():
    require_postgres_and_redis()
    port = free_port()
    env = process_env(ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shop.wsgi",
            "--preload",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _get(url) == 200:
                    break
            except OSError:
                time.sleep(0.25)
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda _: _get(url), range(150)))
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()

    assert statuses == [200] * 150, output[-3000:]
