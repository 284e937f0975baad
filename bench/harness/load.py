"""Run locust, headless, against one server for one page, and read its figures."""

import json
import os
import subprocess
from pathlib import Path

from bench.harness.config import VENV_BIN, Settings

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def locust_run(
    *,
    settings: Settings,
    plan: dict,
    base_url: str,
    work_dir: Path,
    tag: str,
    locustfile: Path = LOCUSTFILE,
    users: int | None = None,
    run_time: int | None = None,
) -> dict:
    """Load `base_url` with `users` clients (`settings.users`) for `run_time`
    seconds (warm-up plus duration, and half a minute).

    Bounded: the locustfile quits when it is done; locust's own run time limit
    is a backstop, and the process is killed if it overruns that by a minute. A
    run that produced no figures says why in `failed_run`.
    """
    users = users or settings.users
    work_dir.mkdir(parents=True, exist_ok=True)
    plan_path = work_dir / f"{tag}.plan.json"
    result_path = work_dir / f"{tag}.result.json"
    log_path = work_dir / f"{tag}.locust.log"
    plan_path.write_text(json.dumps(plan, indent=2))
    result_path.unlink(missing_ok=True)
    run_time = run_time or settings.warmup + settings.duration + 30
    command = [
        str(VENV_BIN / "locust"),
        "--locustfile",
        str(locustfile),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{run_time}s",
        "--stop-timeout",
        "0",
        "--host",
        base_url,
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_RESULT": str(result_path)}
    with open(log_path, "w") as log:
        try:
            subprocess.run(
                command,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=run_time + 60,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pass
    log = log_path.read_text(errors="replace")
    if not result_path.exists():
        return {"requests": 0, "errors": 0, "failed_run": log[-2000:]}
    figures = json.loads(result_path.read_text())
    # Locust warns when its own process runs out of CPU: figures then understate.
    figures["generator_saturated"] = "CPU usage above" in log
    return figures
