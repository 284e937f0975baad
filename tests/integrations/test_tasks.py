"""The periodic tasks this app and the API add to beat's schedule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import IdempotencyKey
from api.tasks import idempotency_keys_purge_task
from shop.celery import app

pytestmark = pytest.mark.django_db


def test_beat_checks_the_feeds_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["feeds-refresh"]

    assert entry["task"] == "integrations.tasks.feeds_refresh_task"
    assert entry["schedule"] == 300.0


def test_beat_runs_the_feeds_and_the_idempotency_purge_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()

    for name, task in (
        ("feeds-generate", "integrations.tasks.feeds_generate_task"),
        ("api-idempotency-keys-purge", "api.tasks.idempotency_keys_purge_task"),
    ):
        assert schedule[name]["task"] == task
        assert schedule[name]["schedule"] == 3600.0
        assert task in app.tasks


def test_the_purge_task_forgets_only_keys_past_their_keeping_time():
    old = IdempotencyKey.objects.create(
        owner="ip:1", key="old", method="POST", path="/", fingerprint="x"
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)
    )
    fresh = IdempotencyKey.objects.create(
        owner="ip:1", key="fresh", method="POST", path="/", fingerprint="y"
    )

    assert idempotency_keys_purge_task() == 1

    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [fresh.pk]
