"""Customer groups as merchants keep them: a name, a note, and the customers
in it, listed by email address.

Merchants paste their lists (trade customers, a VIP list) from a spreadsheet
or an email, so members come in as addresses. A list with an address no
customer has is refused whole, naming the addresses: saving the rest would
quietly leave out customers the merchant meant to reward.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Lower

from offer.models import CustomerGroup


class UnknownCustomerEmails(Exception):
    """Addresses no customer account has; nothing was saved."""

    def __init__(self, emails: list[str]):
        super().__init__(", ".join(emails))
        self.emails = emails


def customer_groups_listed() -> QuerySet[CustomerGroup]:
    """Every group, by name, with how many members it has and how many offers
    are kept to it (one query, whatever the number of groups)."""
    return CustomerGroup.objects.annotate(
        member_count=Count("members", distinct=True),
        offer_count=Count("offers", distinct=True),
    ).order_by("name")


def customer_group_member_emails(*, group: CustomerGroup) -> list[str]:
    """The members' addresses, in the order a merchant reads them back."""
    return sorted(
        group.members.exclude(email="").values_list("email", flat=True),
        key=str.lower,
    )


def customer_group_save(
    *,
    group: CustomerGroup | None = None,
    name: str,
    description: str = "",
    member_emails: Iterable[str],
) -> CustomerGroup:
    """Create a group (or update `group`) whose members are exactly the
    customers with `member_emails`, matched without regard to case; an address
    given twice counts once, and an address shared by two accounts brings in
    both. Members without an address (made elsewhere) stay, since the list
    can't name them. Raises UnknownCustomerEmails, writing nothing, when an
    address belongs to no customer."""
    wanted = _unique_lowercase(member_emails)
    members = list(
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
    )
    found = {member.email_lower for member in members}
    unknown = [email for email in wanted if email not in found]
    if unknown:
        raise UnknownCustomerEmails(unknown)
    with transaction.atomic():
        if group is None:
            group = CustomerGroup(name=name)
        group.name = name
        group.description = description
        group.save()
        group.members.set([*members, *group.members.filter(email="")])
    return group


def _unique_lowercase(emails: Iterable[str]) -> list[str]:
    """The addresses lowercased and stripped, blanks and repeats dropped, in
    the order given (so refusals name them in the merchant's order)."""
    seen: dict[str, None] = {}
    for email in emails:
        email = email.strip().lower()
        if email:
            seen.setdefault(email)
    return list(seen)
