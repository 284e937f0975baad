"""Postgres work on the benchmark databases, through psycopg.

The stock shop gets our catalogue by copying the rows of Oscar's own tables, which
our forks leave as Oscar defines them; tables only our shop has are not in the
stock schema, so they are never copied.
"""

import time
from collections.abc import Iterable

import psycopg
from psycopg import sql

# Oscar's tables that hold the catalogue a shopper sees: products, categories,
# attributes, images, partners and stock, offers and vouchers; and the countries
# the shop ships to, which the checkout offers.
COPIED_PREFIXES = ("catalogue_", "partner_", "offer_", "voucher_")
COPIED_TABLES = ("address_country",)
# Tables each shop fills itself (migrations, users, thumbnails) or while it runs
# (baskets, analytics; orders, payments and their emails in the checkout race).
OWN_PREFIXES = (
    "django_",
    "auth_",
    "thumbnail_",
    "basket_",
    "analytics_",
    "order_",
    "payment_",
    "communication_",
)


def connect(server_url: str, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(f"{server_url}/{database}", autocommit=True)


def database_exists(server_url: str, name: str) -> bool:
    with connect(server_url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return row.fetchone() is not None


def database_create(server_url: str, name: str) -> None:
    with connect(server_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(server_url: str, name: str) -> None:
    with connect(server_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def database_copy(server_url: str, *, source: str, target: str) -> None:
    """`target` made afresh as a copy of `source`. Postgres copies a database
    only while nobody is connected to it: a server or worker that has just
    stopped may take a moment to let go."""
    database_drop(server_url, target)
    for attempt in range(20):
        try:
            with connect(server_url) as conn:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(target), sql.Identifier(source)
                    )
                )
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 19:
                raise
            time.sleep(0.5)


def demo_products_count(conn: psycopg.Connection) -> int:
    """Browsable demo products (standalone and parents), as seed_demo counts them."""
    if not _tables(conn, ["catalogue_product"]):
        return 0
    row = conn.execute(
        "SELECT count(*) FROM catalogue_product "
        "WHERE parent_id IS NULL AND upc LIKE 'DEMO-%%'"
    ).fetchone()
    return row[0]


def copied_tables(stock: psycopg.Connection) -> list[str]:
    """The catalogue tables of the stock schema, which is Oscar's own."""
    return [
        name
        for name in _tables(stock)
        if name.startswith(COPIED_PREFIXES) or name in COPIED_TABLES
    ]


def uncopied_tables_with_rows(
    ours: psycopg.Connection, stock: psycopg.Connection
) -> list[str]:
    """Tables both schemas have that hold rows in ours but are not copied: a sign
    that seeding started to fill something the stock shop would miss."""
    shared = set(_tables(ours)) & set(_tables(stock))
    candidates = sorted(
        name
        for name in shared
        if not name.startswith(COPIED_PREFIXES + OWN_PREFIXES)
        and name not in COPIED_TABLES
    )
    return [name for name, count in table_counts(ours, candidates).items() if count]


def table_counts(conn: psycopg.Connection, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        counts[table] = conn.execute(query).fetchone()[0]
    return counts


def tables_copy(
    source: psycopg.Connection, target: psycopg.Connection, tables: list[str]
) -> None:
    """Replace the rows of `tables` in target by source's, in one transaction.

    Only the target's columns are read, so a column our forks add is left behind;
    foreign keys are not checked while copying (session_replication_role), so the
    order does not matter. Sequences and materialised views are brought up to date.
    """
    with target.transaction():
        target.execute("SET LOCAL session_replication_role = replica")
        # CASCADE: baskets and orders point at products; in a bench database they
        # are empty or disposable.
        target.execute(
            sql.SQL("TRUNCATE {} CASCADE").format(
                sql.SQL(", ").join(map(sql.Identifier, tables))
            )
        )
        for table in tables:
            _table_copy(source, target, table)
    sequences_reset(target, tables)
    for view in _materialised_views(target):
        target.execute(
            sql.SQL("REFRESH MATERIALIZED VIEW {}").format(sql.Identifier(view))
        )


def sequences_reset(conn: psycopg.Connection, tables: list[str]) -> None:
    """Point each id sequence past the copied rows, so new rows get fresh ids."""
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = ANY(%s) "
        "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
        [tables],
    ).fetchall()
    for table, column in rows:
        conn.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                "COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
            ).format(column=sql.Identifier(column), table=sql.Identifier(table)),
            [table, column],
        )


def transient_reset(conn: psycopg.Connection) -> None:
    """Empty baskets and sessions, so every basket run starts alike."""
    conn.execute("TRUNCATE basket_basket, django_session CASCADE")


def stock_record_of(conn: psycopg.Connection, product_id: int) -> int:
    (record,) = conn.execute(
        "SELECT id FROM partner_stockrecord WHERE product_id = %s", [product_id]
    ).fetchone()
    return record


def race_stock_set(
    conn: psycopg.Connection,
    stockrecord_id: int,
    *,
    num_in_stock: int,
    num_allocated: int = 0,
    num_reserved: int | None = 0,
) -> None:
    """Set a stock record's numbers and drop its reservations (in a shop that
    keeps them). Written directly, so no cache hears of it: the shop's cache is
    flushed before its server starts."""
    reserves = "num_reserved" in _columns(conn, "partner_stockrecord")
    with conn.transaction():
        conn.execute(
            sql.SQL(
                "UPDATE partner_stockrecord SET num_in_stock = %s, num_allocated = %s"
                "{} WHERE id = %s"
            ).format(sql.SQL(", num_reserved = %s" if reserves else "")),
            [num_in_stock, num_allocated]
            + ([num_reserved or 0] if reserves else [])
            + [stockrecord_id],
        )
        if reserves and _tables(conn, ["partner_stockreservation"]):
            conn.execute(
                "DELETE FROM partner_stockreservation WHERE stockrecord_id = %s",
                [stockrecord_id],
            )


def product_title(conn: psycopg.Connection, product_id: int) -> str:
    return conn.execute(
        "SELECT title FROM catalogue_product WHERE id = %s", [product_id]
    ).fetchone()[0]


def race_stock(conn: psycopg.Connection, stockrecord_id: int) -> dict:
    """The stock record's numbers; `num_reserved` is None in a shop without it."""
    reserves = "num_reserved" in _columns(conn, "partner_stockrecord")
    row = conn.execute(
        sql.SQL(
            "SELECT num_in_stock, COALESCE(num_allocated, 0), {} "
            "FROM partner_stockrecord WHERE id = %s"
        ).format(sql.SQL("num_reserved" if reserves else "NULL")),
        [stockrecord_id],
    ).fetchone()
    in_stock, allocated, reserved = row
    return {
        "num_in_stock": in_stock,
        "num_allocated": allocated,
        "num_reserved": reserved,
    }


def race_orders(conn: psycopg.Connection, product_id: int) -> tuple[int, int]:
    """Orders with a line for the product, and the units they hold."""
    return conn.execute(
        "SELECT count(DISTINCT order_id), COALESCE(SUM(quantity), 0) "
        "FROM order_line WHERE product_id = %s",
        [product_id],
    ).fetchone()


def basket_quantity(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT COALESCE(SUM(quantity), 0) FROM basket_line"
    ).fetchone()[0]


def vacuum_analyze(conn: psycopg.Connection) -> None:
    """Fresh planner statistics and visibility maps, the same for both shops."""
    conn.execute("VACUUM ANALYZE")


def server_version(server_url: str) -> str:
    with connect(server_url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def _table_copy(
    source: psycopg.Connection, target: psycopg.Connection, table: str
) -> None:
    columns = _columns(target, table)
    missing = set(columns) - set(_columns(source, table))
    if missing:
        raise RuntimeError(f"{table}: our database lacks columns {sorted(missing)}")
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    table_name = sql.Identifier(table)
    read = sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(column_list, table_name)
    write = sql.SQL("COPY {} ({}) FROM STDIN").format(table_name, column_list)
    with source.cursor().copy(read) as rows, target.cursor().copy(write) as sink:
        for chunk in rows:
            sink.write(chunk)


def _tables(conn: psycopg.Connection, names: list[str] | None = None) -> list[str]:
    query = (
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    params: list = []
    if names is not None:
        query += " AND table_name = ANY(%s)"
        params.append(names)
    rows = conn.execute(query + " ORDER BY table_name", params).fetchall()
    return [row[0] for row in rows]


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def _materialised_views(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT matviewname FROM pg_matviews WHERE schemaname = 'public'"
    ).fetchall()
    return [row[0] for row in rows]
