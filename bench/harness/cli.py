"""`python -m bench`: run every size, then write the results and print the table."""

import secrets
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata

from bench.harness.api_bench import website_rows_evaluate
from bench.harness.config import RESULTS_DIR, ROOT, Settings, settings_read
from bench.harness.log import say
from bench.harness.machine import machine_info
from bench.harness.report import json_write, markdown, rows_evaluate
from bench.harness.runner import size_run
from bench.harness.shops import OURS


def main(argv: list[str] | None = None) -> int:
    settings = settings_read(argv)
    started = datetime.now(UTC)
    json_path = RESULTS_DIR / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    document = {
        "started": started.isoformat(timespec="seconds"),
        "json": str(json_path.relative_to(ROOT)),
        "tool": f"locust {metadata.version('locust')} (FastHttpUser)",
        "settings": asdict(settings),
        "machine": machine_info(settings),
        "selections": [],
        "databases": [],
        "runs": [],
        "warnings": [],
    }
    # One generated key for every process of the run: sessions stay valid.
    secret_key = secrets.token_urlsafe(50)
    failed = None
    try:
        _static_collect(settings, secret_key)
        for size in settings.sizes:
            size_run(
                settings=settings, size=size, secret_key=secret_key, document=document
            )
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - keep what was measured
        failed = f"stopped early: {exc.__class__.__name__}: {exc}"
        document["warnings"].append(failed)
    document["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    document["rows"] = rows_evaluate(document["runs"])
    document["website_rows"] = website_rows_evaluate(document["runs"])
    json_write(json_path, document)
    table = markdown(document)
    (RESULTS_DIR / "latest.md").write_text(table)
    print(table)
    say(f"wrote {json_path.relative_to(ROOT)} and bench/results/latest.md")
    return 1 if failed else 0


def _static_collect(settings: Settings, secret_key: str) -> None:
    """Our shop's manifest storage needs collected static files with DEBUG off."""
    env = OURS.environment(
        settings=settings, size=settings.sizes[0], secret_key=secret_key
    )
    OURS.manage_or_fail("collectstatic", "--noinput", "-v0", env=env, timeout=600)
