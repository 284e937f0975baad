"""Redis over TLS (`rediss://`, as PaaS add-ons give) for the cache and the
Celery broker, against a real redis-server speaking only TLS, whose
certificate is checked against the CA in REDIS_SSL_CA_CERTS."""

import shutil
import subprocess
import sys
import time
import uuid

import pytest
from django.core.cache import caches

from shop.config import redis_tls
from shop.models import WorkerHeartbeat
from tests.processes import (
    ROOT,
    celery_worker,
    free_port,
    port_wait,
    process_env,
    require_postgres_and_redis,
)


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory):
    """redis-server on a TLS port only, with a certificate for 127.0.0.1 signed
    by a CA of its own; yields (url, CA file)."""
    folder = tmp_path_factory.mktemp("redis-tls")
    ca, key, csr, cert = (folder / name for name in ("ca", "key", "csr", "cert"))
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Shop test CA",
        "-keyout",
        f"{ca}.key",
        "-out",
        f"{ca}.pem",
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(csr),
    )
    (folder / "san").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        f"{ca}.pem",
        "-CAkey",
        f"{ca}.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        str(cert),
        "-extfile",
        str(folder / "san"),
    )
    port = free_port()
    server = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            "0",
            "--tls-port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--tls-cert-file",
            str(cert),
            "--tls-key-file",
            str(key),
            "--tls-ca-cert-file",
            f"{ca}.pem",
            "--tls-auth-clients",
            "no",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert port_wait(port, seconds=10), "redis-server did not start"
    yield f"rediss://127.0.0.1:{port}/0", f"{ca}.pem"
    server.terminate()
    server.wait(timeout=10)


def tls_cache(settings, url: str):
    settings.CACHES = {
        "tls": {
            "BACKEND": "shop.cache.SharedClientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, **redis_tls(url)},
        }
    }
    return caches["tls"]


def test_the_cache_works_over_tls_with_the_server_s_ca(
    tls_redis, settings, monkeypatch
):
    url, ca = tls_redis
    monkeypatch.setenv("REDIS_SSL_CA_CERTS", ca)

    cache = tls_cache(settings, url)
    cache.set("greeting", "hello", 30)

    assert cache.get("greeting") == "hello"


def test_a_certificate_no_known_ca_signed_is_refused(tls_redis, settings, monkeypatch):
    url, _ = tls_redis
    monkeypatch.delenv("REDIS_SSL_CA_CERTS", raising=False)

    with pytest.raises(Exception, match="certificate verify failed"):
        tls_cache(settings, url).set("greeting", "hello", 30)


def test_a_self_signed_add_on_is_reached_when_checks_are_off(
    tls_redis, settings, monkeypatch
):
    url, _ = tls_redis
    monkeypatch.setenv("REDIS_SSL_CERT_REQS", "none")

    cache = tls_cache(settings, url)
    cache.set("greeting", "hello", 30)

    assert cache.get("greeting") == "hello"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_over_tls_runs_on_a_worker_reading_it_over_tls(
    tls_redis, tmp_path
):
    require_postgres_and_redis()
    url, ca = tls_redis
    queue = f"tls-{uuid.uuid4().hex[:8]}"
    tls_env = {"REDIS_URL": url, "REDIS_SSL_CA_CERTS": ca}

    with celery_worker(queue=queue, log=tmp_path / "worker.log", **tls_env):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from shop.tasks import heartbeat_record; "
                f"heartbeat_record.apply_async(queue={queue!r})",
            ],
            cwd=ROOT,
            env=process_env(**tls_env),
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if WorkerHeartbeat.objects.filter(worker__startswith=f"{queue}-").exists():
                break
            time.sleep(0.25)

    log = (tmp_path / "worker.log").read_text()
    assert WorkerHeartbeat.objects.filter(worker__startswith=f"{queue}-").exists(), log
    assert "rediss://" in log
