"""Who an offer is open to: everyone, signed-in customers, a customer's first
order, or members of named customer groups.

The checks for one shopper share what they learn (whether the customer has
ordered before, which groups they are in), so a basket with many restricted
offers asks the database at most once for each fact. Further audiences (a
behaviour segment, say) register a check with `audience_register`; the offer's
`audience` field names which check applies.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

# audience code -> check(offer, shopper) -> bool
_CHECKS: dict[str, Callable[["ShopperFacts", object], bool]] = {}


class ShopperFacts:
    """What the audience checks need to know of one shopper, read from the
    database when first asked for: whether they have ordered before and
    which groups they are in, both in one query."""

    def __init__(self, user):
        self.user = user
        self._has_ordered: bool | None = None
        self._group_ids: set[int] | None = None

    @property
    def is_signed_in(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def has_ordered(self) -> bool:
        if self._has_ordered is None:
            self._read()
        return self._has_ordered

    @property
    def group_ids(self) -> set[int]:
        if self._group_ids is None:
            self._read()
        return self._group_ids

    def _read(self) -> None:
        self._has_ordered, self._group_ids = False, set()
        if not self.is_signed_in:
            return
        Order = get_model("order", "Order")  # noqa: N806 - order imports offer
        rows = (
            get_user_model()
            .objects.filter(pk=self.user.pk)
            .annotate(has_ordered=Exists(Order.objects.filter(user=OuterRef("pk"))))
            .values_list("has_ordered", "customer_groups")
        )
        for has_ordered, group_id in rows:
            self._has_ordered = has_ordered
            if group_id is not None:
                self._group_ids.add(group_id)


def audience_register(code: str, check: Callable[[ShopperFacts, object], bool]):
    """Make `check(facts, offer)` decide who an offer with `audience == code`
    is open to."""
    _CHECKS[code] = check


def offer_admits(*, offer, facts: ShopperFacts) -> bool:
    check = _CHECKS.get(offer.audience)
    return check(facts, offer) if check is not None else False


def offer_audience_refusal(*, offer, facts: ShopperFacts) -> str | None:
    """Why this shopper can't have the offer, in words they can act on; None
    when they can."""
    if offer_admits(offer=offer, facts=facts):
        return None
    if offer.audience in (offer.SIGNED_IN, offer.FIRST_ORDER) and not (
        facts.is_signed_in
    ):
        return _("it is for signed-in customers: please sign in or register")
    if offer.audience == offer.FIRST_ORDER:
        return _("it is for a customer's first order")
    return _("it is for selected customers only")


def audience_groups_error(*, audience: str, groups) -> str | None:
    """What is wrong with an offer's customer groups for its audience (a
    form's field error): the groups audience needs groups, the others take
    none."""
    if audience == "groups" and not groups:
        return _(
            "Choose the customer groups whose members may use the offer, or "
            "another audience."
        )
    if audience and audience != "groups" and groups:
        return _(
            'Customer groups only apply when "Who may use it" is members of '
            "customer groups: choose that, or clear the groups."
        )
    return None


def _in_groups(facts: ShopperFacts, offer) -> bool:
    if not facts.is_signed_in:
        return False
    wanted = {group.pk for group in offer.customer_groups.all()}
    return bool(wanted & facts.group_ids)


audience_register("everyone", lambda facts, offer: True)
audience_register("signed_in", lambda facts, offer: facts.is_signed_in)
audience_register(
    "first_order", lambda facts, offer: facts.is_signed_in and not facts.has_ordered
)
audience_register("groups", _in_groups)
