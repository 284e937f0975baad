"""Merchants keep customer groups on the offers dashboard: members come in as
email addresses, one a line; an address no customer has is refused by name
and nothing is saved."""

import html

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from offer.models import CustomerGroup
from tests.dashboard.merchants import merchant_signed_in, staff_signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client):
    return merchant_signed_in(client)


@pytest.fixture
def customers(django_user_model):
    return [
        django_user_model.objects.create_user(
            username=name, email=f"{name}@example.com", password="x"
        )
        for name in ("ada", "bob", "cy")
    ]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_group_is_created_from_email_addresses(merchant, customers):
    ada, bob, _cy = customers

    response = merchant.post(
        reverse("dashboard:customer-group-create"),
        {
            "name": "Trade",
            "description": "Cafés that buy wholesale",
            "members": "ada@example.com\n\n  BOB@example.com \nada@example.com\n",
        },
    )

    group = CustomerGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:customer-group-list")
    assert (group.name, group.description) == ("Trade", "Cafés that buy wholesale")
    assert set(group.members.all()) == {ada, bob}


def test_an_unknown_address_is_named_and_nothing_is_saved(merchant, customers):
    response = merchant.post(
        reverse("dashboard:customer-group-create"),
        {
            "name": "Trade",
            "members": "ada@example.com\nnobody@example.com\nghost@example.com",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["members"] == [
        "No customer has the address nobody@example.com, ghost@example.com. "
        "Nothing was saved."
    ]
    assert "nobody@example.com, ghost@example.com" in page_text(response)
    assert not CustomerGroup.objects.exists()


def test_editing_a_group_replaces_its_members(merchant, customers):
    ada, bob, cy = customers
    group = CustomerGroup.objects.create(name="Trade")
    group.members.set([ada, bob])
    url = reverse("dashboard:customer-group-update", kwargs={"pk": group.pk})

    form = merchant.get(url)
    response = merchant.post(
        url, {"name": "Trade", "members": "bob@example.com\ncy@example.com"}
    )

    assert form.context["form"]["members"].value() == (
        "ada@example.com\nbob@example.com"
    )
    assert response.status_code == 302
    assert set(group.members.all()) == {bob, cy}


def test_an_unknown_address_leaves_an_edited_group_as_it_was(merchant, customers):
    ada, _bob, _cy = customers
    group = CustomerGroup.objects.create(name="Trade", description="Before")
    group.members.set([ada])

    response = merchant.post(
        reverse("dashboard:customer-group-update", kwargs={"pk": group.pk}),
        {"name": "Wholesale", "description": "After", "members": "who@example.com"},
    )

    group.refresh_from_db()
    assert response.status_code == 200
    assert "who@example.com" in page_text(response)
    assert (group.name, group.description) == ("Trade", "Before")
    assert list(group.members.all()) == [ada]


def test_a_second_group_of_the_same_name_is_refused(merchant):
    CustomerGroup.objects.create(name="Trade")

    response = merchant.post(
        reverse("dashboard:customer-group-create"), {"name": "Trade", "members": ""}
    )

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert CustomerGroup.objects.count() == 1


def test_the_list_shows_member_counts_page_by_page(merchant, customers):
    for number in range(25):
        CustomerGroup.objects.create(name=f"Group {number:02}")
    CustomerGroup.objects.get(name="Group 00").members.set(customers)

    first = merchant.get(reverse("dashboard:customer-group-list"))
    second = merchant.get(reverse("dashboard:customer-group-list"), {"page": 2})

    groups = list(first.context["groups"])
    assert first.status_code == 200
    assert (len(groups), len(second.context["groups"])) == (20, 5)
    assert (groups[0].name, groups[0].member_count) == ("Group 00", 3)
    assert '<td class="member-count">3</td>' in page_text(first)


def test_the_offers_list_links_to_the_groups(merchant):
    response = merchant.get(reverse("dashboard:offer-list"))

    assert reverse("dashboard:customer-group-list") in page_text(response)


def test_deleting_a_group_keeps_its_members(merchant, customers):
    group = CustomerGroup.objects.create(name="Trade")
    group.members.set(customers)

    response = merchant.post(
        reverse("dashboard:customer-group-delete", kwargs={"pk": group.pk})
    )

    assert response.status_code == 302
    assert not CustomerGroup.objects.exists()
    assert all(
        type(customer).objects.filter(pk=customer.pk).exists() for customer in customers
    )


def test_staff_without_offer_permissions_get_403(client, customers):
    staff = staff_signed_in(client)
    group = CustomerGroup.objects.create(name="Trade")

    pages = [
        staff.get(reverse("dashboard:customer-group-list")),
        staff.get(reverse("dashboard:customer-group-create")),
        staff.post(
            reverse("dashboard:customer-group-create"),
            {"name": "VIP", "members": "ada@example.com"},
        ),
        staff.post(reverse("dashboard:customer-group-delete", args=[group.pk])),
    ]

    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert list(CustomerGroup.objects.all()) == [group]


def test_staff_who_may_only_view_offers_see_the_groups_but_cannot_change_them(
    client, django_user_model
):
    staff = staff_signed_in(client)
    viewer = django_user_model.objects.get(username="staff")
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_conditionaloffer")
    )

    listing = staff.get(reverse("dashboard:customer-group-list"))
    creating = staff.post(
        reverse("dashboard:customer-group-create"), {"name": "VIP", "members": ""}
    )

    assert (listing.status_code, creating.status_code) == (200, 403)
    assert not CustomerGroup.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboard:customer-group-list"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_post_without_the_csrf_token_is_refused(django_user_model):
    strict = merchant_signed_in(Client(enforce_csrf_checks=True))

    response = strict.post(
        reverse("dashboard:customer-group-create"), {"name": "VIP", "members": ""}
    )

    assert response.status_code == 403
    assert not CustomerGroup.objects.exists()
