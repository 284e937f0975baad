"""Shop-wide operations that belong to no commerce app."""

from django.db.models import F
from django.utils import timezone

from shop.models import WorkerHeartbeat


def heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record that `worker` is alive; safe to run any number of times."""
    now = timezone.now()
    beat, created = WorkerHeartbeat.objects.get_or_create(
        worker=worker[:255], defaults={"beat_at": now, "beats": 1}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(
            beat_at=now, beats=F("beats") + 1
        )
        beat.refresh_from_db()
    return beat
