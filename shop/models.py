from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task, one row per worker.

    Beat queues the task every minute; `/healthz` reports how old the newest beat
    is, so an operator can see that the worker and beat are alive.
    """

    worker = models.CharField(max_length=255, unique=True)
    beat_at = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
