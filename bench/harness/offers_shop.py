"""The offers benchmark inside our shop: `python -m bench.harness.offers_shop
REQUEST RESULT`, run from the project root with our settings and a scratch
database in the environment.

Reads the request (JSON: the seed's and the measurement's arguments), seeds the
offers, vouchers and basket (`offers_seed`), brings the planner's statistics up
to date, times the pricing (`offers_measure`) and writes the result as JSON.
"""

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path


def main(argv: list[str]) -> int:
    request_path, result_path = argv
    request = json.loads(Path(request_path).read_text())

    import django

    django.setup()
    from django.db import connection

    from bench.harness.offers_measure import offers_measure
    from bench.harness.offers_seed import offers_seed

    started = time.monotonic()
    seeded = offers_seed(**request["seed"])
    seeding_seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    started = time.monotonic()
    scenarios = offers_measure(seeded=seeded, **request["measure"])
    result = {
        "seeded": asdict(seeded) | {"site_offer_ids": len(seeded.site_offer_ids)},
        "seeding_seconds": round(seeding_seconds, 1),
        "measuring_seconds": round(time.monotonic() - started, 1),
        "scenarios": scenarios,
    }
    Path(result_path).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
