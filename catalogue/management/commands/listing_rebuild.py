"""`python manage.py listing_rebuild`: rebuild the storefront's listing rows."""

import time

from django.core.management.base import BaseCommand

from catalogue.services import listing_rebuild


class Command(BaseCommand):
    help = "Rebuild every product's listing row (prices, stock, facets, search)."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = listing_rebuild()
        self.stdout.write(
            f"Rebuilt {written} listing rows in {time.monotonic() - started:.1f} s."
        )
