import pytest
from django.contrib.auth.models import Permission

from tests.factories import category_create, product_in_stock


@pytest.fixture
def merchant(client, django_user_model):
    """Staff allowed to create offers (what Oscar's offer wizard asks)."""
    staff = django_user_model.objects.create_user(
        username="merchant", email="m@example.com", password="x", is_staff=True
    )
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="offer",
            codename__in=[
                "view_conditionaloffer",
                "add_conditionaloffer",
                "change_conditionaloffer",
            ],
        )
    )
    client.force_login(staff)
    return client


@pytest.fixture
def kitchen():
    return category_create(name="Kitchen")


@pytest.fixture
def goods(kitchen):
    """A £10 teapot and an £8 jug in Kitchen; a £6 trowel of the brand Acme."""
    return (
        product_in_stock(title="Teapot", price="10.00", category=kitchen),
        product_in_stock(title="Jug", price="8.00", category=kitchen),
        product_in_stock(title="Trowel", price="6.00", attributes={"brand": "Acme"}),
    )
