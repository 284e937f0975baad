import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from oscar.core.loading import get_model
from oscar.templatetags.category_tags import get_annotated_list

from catalogue.models import (
    AttributeOption,
    Category,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
    ProductClass,
    ProductImage,
)
from order import states
from personalisation.models import ProductRecommendations

ConditionalOffer = get_model("offer", "ConditionalOffer")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")

Order = get_model("order", "Order")
Refund = get_model("order", "Refund")
ReturnRequest = get_model("order", "ReturnRequest")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The command hashes a staff password on every run; the real hasher is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


STAFF_EMAIL = "staff@example.com"
COUNTED = (
    Product,
    ProductClass,
    ProductAttribute,
    ProductAttributeValue,
    AttributeOption,
    Category,
    ProductCategory,
    ProductImage,
    StockRecord,
    Partner,
    ConditionalOffer,
    Voucher,
    get_user_model(),
)


def seed(products: int = 40, orders: int = 0, **options) -> str:
    out = io.StringIO()
    call_command("seed_demo", products=products, orders=orders, stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def printed_password(output: str) -> str:
    match = re.search(rf"{re.escape(STAFF_EMAIL)} / (\S+)", output)
    assert match, output
    return match.group(1)


def test_seeds_the_asked_number_of_browsable_products():
    seed(products=40)

    assert Product.objects.browsable().count() == 40
    assert Product.objects.filter(structure=Product.CHILD).exists()


def test_products_pass_oscar_validation():
    seed(products=40)

    for product in Product.objects.select_related("parent"):
        product.full_clean()
        assert product.slug
        assert product.date_created and product.date_updated


def test_product_types_have_attributes_of_several_types():
    seed(products=40)

    assert ProductClass.objects.count() >= 4
    types = set(ProductAttribute.objects.values_list("type", flat=True))
    assert {"text", "integer", "float", "boolean", "option"} <= types
    used_by_products = ProductAttributeValue.objects.values_list(
        "attribute__type", flat=True
    ).distinct()
    assert len(set(used_by_products)) >= 4


def test_parents_have_three_to_six_variants_with_size_and_colour():
    seed(products=40)

    parents = Product.objects.filter(structure=Product.PARENT).annotate(
        variants=Count("children")
    )
    assert parents.exists()
    assert all(3 <= parent.variants <= 6 for parent in parents)
    assert not Product.objects.filter(
        structure=Product.CHILD, product_class__isnull=False
    ).exists()
    variant_attributes = {
        tuple(sorted(child.attribute_values.values_list("attribute__code", flat=True)))
        for child in Product.objects.filter(structure=Product.CHILD)
    }
    assert ("colour", "size") in variant_attributes
    child = Product.objects.filter(title__contains=" / ").first()
    assert " – " in child.title
    assert "Size:" in child.attribute_summary


def test_about_fifty_public_categories_file_every_browsable_product():
    seed(products=40)

    categories = Category.objects.all()
    assert 45 <= categories.count() <= 60
    assert len(get_annotated_list(depth=2)) == categories.count()
    assert all(category.is_public for category in categories)
    assert all(category.get_absolute_url() for category in categories)
    for product in Product.objects.browsable():
        filed_under = list(product.categories.all())
        assert filed_under
        assert all(category.is_leaf() for category in filed_under)
    assert not ProductCategory.objects.filter(product__structure=Product.CHILD).exists()


def test_every_buyable_product_has_one_gbp_stock_record():
    seed(products=40)

    buyable = Product.objects.exclude(structure=Product.PARENT)
    records = StockRecord.objects.filter(partner__code="warehouse")
    assert records.count() == buyable.count()
    assert set(records.values_list("product", flat=True)) == set(
        buyable.values_list("pk", flat=True)
    )
    assert set(records.values_list("price_currency", flat=True)) == {"GBP"}
    assert not records.filter(price__lte=0).exists()
    assert records.filter(num_in_stock=0).exists()
    assert Partner.objects.get(code="warehouse").name == "Larder & Loom Warehouse"


def test_every_browsable_product_has_an_image_in_storage():
    seed(products=40)

    images = ProductImage.objects.filter(product__in=Product.objects.browsable())
    assert images.filter(display_order=0).count() == 40
    names = set(images.values_list("original", flat=True))
    assert len(names) < 40  # pictures are shared between products
    assert all(default_storage.exists(name) for name in names)


def test_site_offer_and_voucher_exist_and_are_linked():
    seed(products=40)

    site_offer = ConditionalOffer.objects.get(offer_type=ConditionalOffer.SITE)
    assert site_offer.is_available()
    assert site_offer.benefit.range.includes_all_products
    voucher = Voucher.objects.get(code="WELCOME5")
    assert voucher.is_active()
    assert voucher.usage == Voucher.MULTI_USE
    [voucher_offer] = voucher.offers.all()
    assert voucher_offer.offer_type == ConditionalOffer.VOUCHER


def test_the_demo_ships_to_the_home_market_first():
    seed(products=40)

    shipping = get_model("address", "Country").objects.filter(is_shipping_country=True)
    assert shipping.order_by("-display_order").first().iso_3166_1_a2 == "GB"
    assert shipping.count() == 6


def test_staff_account_logs_in_with_the_printed_password():
    output = seed(products=40)

    user = authenticate(username=STAFF_EMAIL, password=printed_password(output))
    assert user is not None
    assert user.is_staff and user.is_superuser


def test_existing_staff_account_is_left_alone():
    password = printed_password(seed(products=40))

    output = seed(products=40)

    assert "already exists" in output
    assert f"changepassword {STAFF_EMAIL}" in output
    assert authenticate(username=STAFF_EMAIL, password=password) is not None


def test_staff_password_option_sets_a_known_password():
    seed(products=40)

    output = seed(products=40, staff_password="known-demo-password")

    assert printed_password(output) == "known-demo-password"
    assert authenticate(username=STAFF_EMAIL, password="known-demo-password")


def test_running_again_changes_nothing():
    seed(products=40)
    before = row_counts()

    output = seed(products=40)

    assert row_counts() == before
    assert "Nothing to add" in output


def test_a_larger_run_adds_exactly_the_difference():
    seed(products=40)
    first_titles = dict(Product.objects.values_list("upc", "title"))

    seed(products=55)

    assert Product.objects.browsable().count() == 55
    assert Product.objects.filter(upc__in=first_titles).count() == len(first_titles)
    titles = dict(Product.objects.values_list("upc", "title"))
    assert all(titles[upc] == title for upc, title in first_titles.items())
    assert ProductImage.objects.count() == 55
    assert StockRecord.objects.count() == (
        Product.objects.exclude(structure=Product.PARENT).count()
    )
    assert 45 <= Category.objects.count() <= 60


def test_if_empty_seeds_an_empty_shop():
    seed(products=40, if_empty=True)

    assert Product.objects.browsable().count() == 40


def test_if_empty_leaves_a_shop_with_products_alone():
    seed(products=40)
    before = row_counts()

    output = seed(products=60, if_empty=True)

    assert row_counts() == before
    assert "already has products" in output


def test_a_fresh_demo_shop_has_weeks_of_orders_in_every_state(mailoutbox):
    output = seed(products=30, orders=24)

    orders = Order.objects.all()
    assert orders.count() == 24 and "demo orders placed: 24" in output
    statuses = set(orders.values_list("status", flat=True))
    assert {states.PAID, states.SHIPPED, states.DELIVERED, states.CANCELLED} <= statuses
    assert ReturnRequest.objects.filter(status=ReturnRequest.REFUNDED).exists()
    assert Refund.objects.exists()
    placed = sorted(orders.values_list("date_placed", flat=True))
    assert placed[-1] - placed[0] > timedelta(days=30)  # spread over weeks
    assert all(order.payments.get().status == "succeeded" for order in orders)
    assert orders.filter(user__isnull=False).exists()
    assert orders.filter(user__isnull=True).exists()  # guests too
    assert mailoutbox == []  # nobody was emailed


@pytest.mark.django_db(transaction=True)
def test_the_demo_shop_has_learnt_what_is_bought_together():
    seed(products=30, orders=24)

    assert ProductRecommendations.objects.exists()


def test_demo_orders_are_placed_only_in_a_shop_without_orders():
    seed(products=30, orders=6)

    output = seed(products=30, orders=6)

    assert Order.objects.count() == 6 and output.startswith("Nothing to add")
