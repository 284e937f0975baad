import socket

from celery import shared_task

from shop import services


@shared_task
def heartbeat_record(worker: str = "") -> int:
    """Beat's minute tick: records which worker is alive. Returns the row id."""
    name = worker or heartbeat_record.request.hostname or socket.gethostname()
    return services.heartbeat_record(worker=name).pk
