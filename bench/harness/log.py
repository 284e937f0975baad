"""Progress lines on stdout, with the time of day."""

import time


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
