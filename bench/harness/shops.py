"""The two shops under test: how to run their commands and their web server."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.harness.config import BENCH_DIR, ROOT, STATE_DIR, VENV_BIN, Settings

PYTHON = str(VENV_BIN / "python")


@dataclass(frozen=True)
class Shop:
    name: str  # "ours" or "stock"
    title: str
    root: Path  # the folder put on the import path
    settings_module: str
    wsgi: str
    home_url_name: str  # the page a shopper lands on
    redis_db: int
    port: int
    task_worker: tuple[str, ...] = ()  # celery arguments, if the shop defers work

    def database(self, size: int) -> str:
        return f"bench_{self.name}_{size_label(size)}"

    @property
    def media_root(self) -> Path:
        return STATE_DIR / f"media-{self.name}"

    def environment(self, *, settings: Settings, size: int, secret_key: str) -> dict:
        """What the shop's processes see; our `.env` file, if any, can't override
        these."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "BENCH_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            DATABASE_URL=f"{settings.database_url}/{self.database(size)}",
            REDIS_URL=f"{settings.redis_url}/{self.redis_db}",
            SECRET_KEY=secret_key,
            MEDIA_ROOT=str(self.media_root),
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1",
            SHOP_BASE_URL="http://127.0.0.1",
            SHOP_DEMO_PAYMENTS="true",
            CACHE_KEY_PREFIX="bench",
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def manage(
        self, *args: str, env: dict, timeout: float
    ) -> subprocess.CompletedProcess:
        """Run a Django management command of this shop; output is captured."""
        if self.name == "ours":
            command = [PYTHON, "manage.py", *args]
        else:
            command = [PYTHON, "-m", "django", *args]
        return subprocess.run(
            command,
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def manage_or_fail(self, *args: str, env: dict, timeout: float = 1800) -> str:
        result = self.manage(*args, env=env, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(
                f"{self.name}: manage.py {' '.join(args)} failed "
                f"({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result.stdout


OURS = Shop(
    name="ours",
    title="our shop",
    root=ROOT,
    settings_module="shop.settings",
    wsgi="shop.wsgi",
    home_url_name="home",
    redis_db=5,
    port=8701,
    # As the Procfile runs it.
    task_worker=(
        "-A",
        "shop",
        "worker",
        "--loglevel=WARNING",
        "--concurrency",
        "2",
        "-O",
        "fair",
    ),
)
STOCK = Shop(
    name="stock",
    title="stock Oscar 4.2",
    root=BENCH_DIR,
    settings_module="stock_oscar.settings",
    wsgi="stock_oscar.wsgi",
    # Oscar's "/" only redirects here (OSCAR_HOMEPAGE): measure where shoppers land.
    home_url_name="catalogue:index",
    redis_db=6,
    port=8702,
)
SHOPS = (OURS, STOCK)


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)
