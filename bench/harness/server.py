"""One shop's gunicorn, started the same way for both shops, and its logs.

Each page gets a fresh server: a slow page's queued requests must not spill into
the next page's measurement. The access log records, per request, the phase the
load generator was in (a request header) and the time the worker spent on it.

A shop that defers work to Celery (ours: analytics counters) runs its task worker
beside the web server, as in production, so that work is paid for on the same CPUs;
stock Oscar does the same work inside the request.
"""

import http.client
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from bench.harness.config import VENV_BIN, Settings
from bench.harness.shops import Shop

ACCESS_FORMAT = '%({x-bench-phase}i)s %(m)s %(s)s %(D)s "%(U)s"'
CLIENT_HEADERS = {"X-Forwarded-Proto": "https"}  # our shop sits behind TLS
# Celery's Redis keys for the default queue and its unacknowledged tasks.
TASK_KEYS = ("celery", "unacked", "unacked_index")


@dataclass
class Server:
    shop: Shop
    settings: Settings
    env: dict
    log_dir: Path
    tag: str
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.shop.port}"

    @property
    def access_log(self) -> Path:
        return self.log_dir / f"{self.tag}.access.log"

    @property
    def error_log(self) -> Path:
        return self.log_dir / f"{self.tag}.server.log"

    @property
    def task_log(self) -> Path:
        return self.log_dir / f"{self.tag}.tasks.log"

    def command(self) -> list[str]:
        return [
            str(VENV_BIN / "gunicorn"),
            self.shop.wsgi,
            "--chdir",
            str(self.shop.root),
            "--bind",
            f"127.0.0.1:{self.shop.port}",
            "--workers",
            str(self.settings.workers),
            "--worker-class",
            "sync",
            "--timeout",
            str(int(self.settings.timeout * 2)),
            "--graceful-timeout",
            "5",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_FORMAT,
        ]

    def __enter__(self) -> "Server":
        _port_free_or_fail(self.shop.port)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for path in (self.access_log, self.error_log, self.task_log):
            path.unlink(missing_ok=True)
        self._task_queue().delete(*TASK_KEYS)  # nothing left from an earlier page
        if self.shop.task_worker:
            self._start(
                [str(VENV_BIN / "celery"), *self.shop.task_worker], self.task_log
            )
        self._start(self.command(), self.error_log)
        self._wait_ready(timeout=90)
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()  # the main process stops its own children
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            try:  # whatever of its group is left: stragglers, or all of it
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    def tasks_waiting(self) -> int:
        """Tasks queued but not yet taken by the worker."""
        return self._task_queue().llen("celery")

    def get(self, path: str) -> tuple[int, float]:
        """One request outside the load (a smoke test): status and seconds."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.shop.port, timeout=self.settings.timeout
        )
        started = time.monotonic()
        try:
            connection.request("GET", path, headers=CLIENT_HEADERS)
            response = connection.getresponse()
            response.read()
            return response.status, time.monotonic() - started
        finally:
            connection.close()

    def log_tail(self, lines: int = 40) -> str:
        tails = []
        for path in (self.error_log, self.task_log):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                tails.append(f"{path.name}:\n" + "\n".join(text))
        return "\n".join(tails)

    def _start(self, command: list[str], log_path: Path) -> None:
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                command,
                cwd=self.shop.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended by id
            )
        self.processes.append(process)

    def _task_queue(self) -> redis.Redis:
        return redis.Redis.from_url(f"{self.settings.redis_url}/{self.shop.redis_db}")

    def _wait_ready(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                self.__exit__()
                raise RuntimeError(
                    f"{self.shop.name}: a process exited at start:\n{self.log_tail()}"
                )
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(
            f"{self.shop.name}: gunicorn not answering after {timeout} s"
        )


@dataclass(frozen=True)
class Access:
    phase: str  # "warmup", "measure", or "-" for the harness's own requests
    method: str
    status: int
    ms: float  # time the worker spent on it


def access_log_read(path: Path) -> list[Access]:
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split(" ", 4)
        if len(parts) == 5 and parts[2].isdigit() and parts[3].isdigit():
            phase, method, status, micros, _ = parts
            entries.append(Access(phase, method, int(status), int(micros) / 1000))
    return entries


def first_traceback(log: Path) -> str:
    """The log's first traceback, as a Markdown code block ("" if none)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    match = re.search(r"Traceback \(most recent call last\):.*?\n\S[^\n]*", text, re.S)
    return f"\n```\n{match.group(0)[-3000:]}\n```" if match else ""


def _port_free_or_fail(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.connect()
    except OSError:
        return
    finally:
        connection.close()
    raise RuntimeError(f"port {port} is already in use; stop what listens there")
