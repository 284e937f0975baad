"""What beat runs and how often (the worker's periodic tasks); shop.settings
imports it. Without a broker the web process runs the same schedule itself
(shop.inprocess_beat)."""

from celery.schedules import crontab

from shop.config import env

# Seconds between writes of the anonymous counters buffered in Redis.
SHOP_ANALYTICS_FLUSH_SECONDS = env.float("SHOP_ANALYTICS_FLUSH_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "shop.tasks.heartbeat_record", "schedule": 60.0},
    "payments-reconcile": {
        "task": "payment.tasks.payments_reconcile_task",
        "schedule": 300.0,
    },
    "order-placed-emails-sweep": {
        "task": "checkout.tasks.order_placed_emails_sweep_task",
        "schedule": 600.0,
    },
    "stock-reservations-release": {
        "task": "partner.tasks.stock_reservations_release_task",
        "schedule": 60.0,
    },
    "analytics-counters-flush": {
        "task": "analytics.tasks.counters_flush_task",
        "schedule": SHOP_ANALYTICS_FLUSH_SECONDS,
    },
    "personalisation-events-flush": {
        "task": "personalisation.tasks.events_flush_task",
        "schedule": SHOP_ANALYTICS_FLUSH_SECONDS,
    },
    # "Bought together" learnt again from every purchase, nightly.
    "personalisation-bought-together-train": {
        "task": "personalisation.tasks.bought_together_train_task",
        "schedule": crontab(hour=4, minute=0),
    },
    # Delivered orders past their return window become Completed, daily.
    "orders-complete": {
        "task": "order.tasks.orders_complete_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # The Google and Meta product feeds: rewritten hourly, and within five
    # minutes of a catalogue change (integrations.tasks).
    "feeds-generate": {
        "task": "integrations.tasks.feeds_generate_task",
        "schedule": 3600.0,
    },
    "feeds-refresh": {
        "task": "integrations.tasks.feeds_refresh_task",
        "schedule": 300.0,
    },
    "api-idempotency-keys-purge": {
        "task": "api.tasks.idempotency_keys_purge_task",
        "schedule": 3600.0,
    },
}
