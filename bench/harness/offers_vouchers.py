"""The offers benchmark's voucher codes: sets of single-use codes, as a merchant
makes them in the dashboard for a mailing, each set tied to a voucher offer of
its own. Written in bulk: the dashboard writes them one at a time (a query to
check each code), with these names and this code format.
"""

import random
from datetime import timedelta
from decimal import Decimal

from oscar.apps.voucher.utils import generate_code

from offer.models import Benefit, Condition, ConditionalOffer, Range
from voucher.models import Voucher, VoucherSet

VOUCHER_SETS = 5


def voucher_sets_make(
    *, total: int, rng: random.Random, now, prefix: str
) -> Voucher | None:
    """`total` single-use codes in VOUCHER_SETS sets; returns the first set's
    first voucher."""
    if total <= 0:
        return None
    everything, _ = Range.objects.get_or_create(
        name=f"{prefix} everything (vouchers)", defaults={"includes_all_products": True}
    )
    start, end = now - timedelta(days=30), now + timedelta(days=365)
    taken = set(Voucher.objects.values_list("code", flat=True))
    first = None
    for number in range(VOUCHER_SETS):
        size = total // VOUCHER_SETS + (number < total % VOUCHER_SETS)
        if not size:
            continue
        spend, percent = rng.choice(((30, 10), (50, 15), (20, 5)))
        offer = ConditionalOffer.objects.create(
            name=f"{prefix} voucher set {number + 1}: {percent}% off over £{spend}",
            offer_type=ConditionalOffer.VOUCHER,
            condition=Condition.objects.create(
                range=everything, type=Condition.VALUE, value=Decimal(spend)
            ),
            benefit=Benefit.objects.create(
                range=everything, type=Benefit.PERCENTAGE, value=Decimal(percent)
            ),
            exclusive=False,
        )
        voucher_set = VoucherSet.objects.create(
            name=f"{prefix} mailing {number + 1}",
            count=size,
            code_length=12,
            description="Single-use codes for a mailing",
            start_datetime=start,
            end_datetime=end,
        )
        vouchers = Voucher.objects.bulk_create(
            (
                Voucher(
                    name=f"{voucher_set.name} - {index + 1}",
                    code=code,
                    usage=Voucher.SINGLE_USE,
                    start_datetime=start,
                    end_datetime=end,
                    voucher_set=voucher_set,
                )
                for index, code in enumerate(_codes(size, taken))
            ),
            batch_size=5000,
        )
        Voucher.offers.through.objects.bulk_create(
            (
                Voucher.offers.through(voucher_id=voucher.pk, conditionaloffer=offer)
                for voucher in vouchers
            ),
            batch_size=5000,
        )
        first = first or vouchers[0]
    return first


def _codes(size: int, taken: set[str]) -> list[str]:
    """`size` new codes of 12 characters in Oscar's format: three groups of four
    joined by dashes, e.g. "K7QM-2WPR-HX4D"."""
    codes = []
    while len(codes) < size:
        code = generate_code(12)
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes
