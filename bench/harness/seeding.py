"""The same catalogue in both shops' databases, seeded once and reused.

Our database is seeded by our own `seed_demo`; the stock database is migrated by
stock Oscar and then given a copy of the rows of Oscar's catalogue tables, so both
shops serve the same products, ids, categories, prices, stock and offers.
"""

import shutil
import time
from dataclasses import dataclass, field

from bench.harness import databases
from bench.harness.config import Settings
from bench.harness.log import say
from bench.harness.shops import OURS, STOCK


@dataclass
class Prepared:
    size: int
    seeded: bool  # whether our database was (re)seeded in this run
    copied: bool  # whether the stock database got a fresh copy
    tables: dict[str, int]  # copied table -> rows, equal in both databases
    warnings: list[str] = field(default_factory=list)


def databases_prepare(*, settings: Settings, size: int, secret_key: str) -> Prepared:
    ours_env = OURS.environment(settings=settings, size=size, secret_key=secret_key)
    stock_env = STOCK.environment(settings=settings, size=size, secret_key=secret_key)
    server = settings.database_url
    if settings.reseed:
        for shop in (OURS, STOCK):
            databases.database_drop(server, shop.database(size))
    seeded = _ours_ensure(server=server, size=size, env=ours_env)
    warnings = _ours_prepare(settings.ours_prepare, env=ours_env)
    _stock_media_ensure()
    copied, tables = _stock_ensure(
        server=server, size=size, env=stock_env, force=seeded
    )
    with (
        databases.connect(server, OURS.database(size)) as ours,
        databases.connect(server, STOCK.database(size)) as stock,
    ):
        uncopied = databases.uncopied_tables_with_rows(ours, stock)
    if uncopied:
        warnings.append(
            "tables with rows in our database that the stock copy leaves out: "
            + ", ".join(uncopied)
        )
    return Prepared(
        size=size, seeded=seeded, copied=copied, tables=tables, warnings=warnings
    )


def _ours_ensure(*, server: str, size: int, env: dict) -> bool:
    """Migrate our database and seed it to `size` products; True if seeded."""
    name = OURS.database(size)
    if not databases.database_exists(server, name):
        databases.database_create(server, name)
    OURS.manage_or_fail("migrate", "--noinput", "-v0", env=env)
    with databases.connect(server, name) as conn:
        count = databases.demo_products_count(conn)
    if count == size:
        say(f"ours: {name} already holds {size:,} products")
        return False
    if count > size:
        databases.database_drop(server, name)
        databases.database_create(server, name)
        OURS.manage_or_fail("migrate", "--noinput", "-v0", env=env)
    say(f"ours: seeding {name} with {size:,} products (minutes at 100,000)")
    started = time.monotonic()
    OURS.manage_or_fail("seed_demo", "--products", str(size), env=env, timeout=3600)
    say(f"ours: seeded in {time.monotonic() - started:.0f} s")
    return True


def _ours_prepare(commands: tuple[str, ...], *, env: dict) -> list[str]:
    """Run our commands that build derived data (e.g. listing rows) after seeding.

    Run every time, since our code changes between runs; a command our shop does
    not have is skipped, and one that fails becomes a warning in the results.
    """
    warnings = []
    for command in commands:
        started = time.monotonic()
        result = OURS.manage(command, env=env, timeout=3600)
        output = (result.stdout + result.stderr).strip()
        if result.returncode == 0:
            say(f"ours: {command} ({time.monotonic() - started:.0f} s)")
        elif "Unknown command" in output:
            say(f"ours: no {command} command; skipped")
        else:
            warnings.append(f"ours: manage.py {command} failed: {output[-2000:]}")
            say(warnings[-1])
    return warnings


def _stock_media_ensure() -> None:
    """The stock shop reads the same product pictures from its own media folder."""
    source = OURS.media_root / "images"
    if source.is_dir():
        shutil.copytree(source, STOCK.media_root / "images", dirs_exist_ok=True)


def _stock_ensure(
    *, server: str, size: int, env: dict, force: bool
) -> tuple[bool, dict[str, int]]:
    name = STOCK.database(size)
    with databases.connect(server, OURS.database(size)) as ours:
        if databases.database_exists(server, name) and not force:
            with databases.connect(server, name) as stock:
                tables = databases.copied_tables(stock)
                expected = databases.table_counts(ours, tables)
                if tables and databases.table_counts(stock, tables) == expected:
                    say(f"stock: {name} already holds the same catalogue")
                    return False, expected
        say(f"stock: migrating {name} and copying our catalogue into it")
        started = time.monotonic()
        databases.database_drop(server, name)
        databases.database_create(server, name)
        STOCK.manage_or_fail("migrate", "--noinput", "-v0", env=env)
        with databases.connect(server, name) as stock:
            tables = databases.copied_tables(stock)
            databases.tables_copy(ours, stock, tables)
            expected = databases.table_counts(ours, tables)
            copied = databases.table_counts(stock, tables)
    if copied != expected:
        wrong = {
            t: (expected[t], copied[t]) for t in tables if expected[t] != copied[t]
        }
        raise RuntimeError(f"stock copy differs from ours (ours, stock): {wrong}")
    say(
        f"stock: copied {sum(copied.values()):,} rows of {len(tables)} tables "
        f"in {time.monotonic() - started:.0f} s"
    )
    return True, copied
