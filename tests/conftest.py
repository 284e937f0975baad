import subprocess
import sys
import uuid
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploaded and generated files under its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Tasks run in-process unless a test starts a real worker."""
    from shop.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    """Pages render without a collectstatic run; the manifest is tested on its own."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _tax_rates_fresh():
    """Each test reads the tax rates its own database and settings have (its
    cache is its own already; this process's memo is forgotten)."""
    from partner import selectors

    selectors._tax_rates_memo = None
    yield
    selectors._tax_rates_memo = None


@pytest.fixture(autouse=True)
def _no_inprocess_beat(settings):
    """Periodic tasks run only when a test runs them (or starts the beat)."""
    settings.SHOP_INPROCESS_BEAT = False


@pytest.fixture(autouse=True)
def _demo_payments(settings):
    """The demo gateway takes the checkout's cards, as in development, unless a
    test sets Stripe's keys or turns it off."""
    settings.SHOP_DEMO_PAYMENTS = True


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Each test sees an empty cache without flushing a shared Redis."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        for name, config in settings.CACHES.items()
    }


# localstripe (from the lock file) with ephemeral keys added for the Payment Sheet.
LOCALSTRIPE = Path(__file__).with_name("localstripe_server.py")


@pytest.fixture(scope="session")
def localstripe_url():
    """A fake Stripe (localstripe, from the lock file) on loopback."""
    from tests.processes import free_port, port_wait

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(LOCALSTRIPE), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not port_wait(port):
        process.kill()
        pytest.fail("localstripe did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_shop"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_shop"
    return settings


@pytest.fixture
def stripe_keys(stripe_settings):
    """Both of Stripe's keys set: the checkout takes cards with Stripe."""
    stripe_settings.STRIPE_PUBLISHABLE_KEY = "pk_test_shop"
    return stripe_settings


@pytest.fixture
def shop_url(live_server, settings):
    """The live server, its middleware rebuilt with this test's settings (plain
    http: the session-wide server was built before the settings fixture ran),
    and the address emailed links start with."""
    settings.SHOP_BASE_URL = live_server.url
    handler = live_server.thread.httpd.get_app()
    while handler is not None:
        handler.load_middleware()
        handler = getattr(handler, "application", None)
    return live_server.url
