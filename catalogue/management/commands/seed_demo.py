"""`python manage.py seed_demo --products N`: a believable demo shop."""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from catalogue.demo.services import DEFAULT_SEED, DemoSeedResult, demo_seed

DEV_SERVER = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Fill the shop with demo products (with variants, stock, images and "
        "categories), a site offer, a voucher, a staff login and, in a shop with no "
        "orders, a few weeks of demo orders. Safe to run again: only what is "
        "missing is added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=300,
            help="Browsable products (standalone and parents; variants come on top).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Random seed for titles, prices and stock (default: %(default)s).",
        )
        parser.add_argument(
            "--staff-password",
            help="Set this password on staff@example.com, creating it if needed.",
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=36,
            help="Demo orders over the last six weeks, in every state from paid to "
            "refunded, for a shop with no orders yet (default: %(default)s).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the shop already has products (first start only).",
        )

    def handle(  # noqa: PLR0913 - the command's options, by name
        self, *args, products, seed, staff_password, if_empty, orders, **options
    ):
        if products < 0:
            raise CommandError("--products must be 0 or more.")
        if orders < 0:
            raise CommandError("--orders must be 0 or more.")
        result = demo_seed(
            products=products,
            seed=seed,
            staff_password=staff_password,
            if_empty=if_empty,
            orders=orders,
        )
        if result is None:
            self.stdout.write("The shop already has products; no demo data added.")
            return
        for line in _summary(result):
            self.stdout.write(line)


def _summary(result: DemoSeedResult) -> list[str]:
    written = result.written
    if result.nothing_added:
        lines = [
            f"Nothing to add: all {result.products} demo products already exist "
            f"({result.seconds:.1f} s)."
        ]
    else:
        lines = [
            f"Seeded the demo shop in {result.seconds:.1f} s: "
            f"{written.browsable} products added ({result.existing} already there), "
            f"{written.variants} variants, {written.stock_records} stock records, "
            f"{written.attribute_values} attribute values, {written.images} images.",
            f"Categories added: {result.categories_created}; "
            f"image files written: {result.image_files_written}; "
            f"offers added: {', '.join(result.offers_created) or 'none'}; "
            f"demo orders placed: {result.orders_placed}.",
        ]
    dashboard = f"{DEV_SERVER}{reverse('dashboard:index')}"
    staff = result.staff
    if staff.password:
        lines.append(f"Dashboard: {dashboard}  {staff.email} / {staff.password}")
    else:
        lines.append(
            f"Dashboard: {dashboard}  {staff.email} already exists; its password is "
            f"unchanged (python manage.py changepassword {staff.username} sets a new "
            "one)."
        )
    return lines
