"""The product page: price and stock from the Strategy, variant choice through the
address (full page, or the purchase fragment for htmx), add to basket, structured
data, Open Graph, query budget and page weight."""

import io
import json
import re
import uuid
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from oscar.test.factories import create_product, create_stockrecord
from PIL import Image

from catalogue.models import (
    AttributeOption,
    AttributeOptionGroup,
    Category,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
    ProductClass,
)
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12
PAGE_WEIGHT_BUDGET = 150_000
SIZES = ("XS", "S", "M", "L", "XL")
COLOURS = ("Navy", "Oat")


# --- Building products ------------------------------------------------------


@pytest.fixture
def clothing() -> ProductClass:
    product_class = ProductClass.objects.create(
        name="Clothing", slug="clothing", track_stock=True
    )
    for code, name, labels in (("size", "Size", SIZES), ("colour", "Colour", COLOURS)):
        group = AttributeOptionGroup.objects.create(name=name, code=f"test-{code}")
        for label in labels:
            AttributeOption.objects.create(group=group, option=label)
        ProductAttribute.objects.create(
            product_class=product_class,
            code=code,
            name=name,
            type=ProductAttribute.OPTION,
            option_group=group,
        )
    ProductAttribute.objects.create(
        product_class=product_class, code="material", name="Material", type="text"
    )
    return product_class


def parent_create(
    product_class: ProductClass,
    *,
    variants: list[tuple[str, str, str, int]],
    upc: str = "JUMPER",
) -> Product:
    """A jumper with one variant per (size, colour, price, stock)."""
    parent = Product.objects.create(
        structure=Product.PARENT,
        title="Harbour merino jumper",
        upc=upc,
        product_class=product_class,
        description="<p>Soft merino, knitted in Scotland.</p>",
    )
    material = product_class.attributes.get(code="material")
    ProductAttributeValue.objects.create(
        product=parent, attribute=material, value_text="merino"
    )
    knitwear = Category.objects.filter(name="Knitwear").first()
    if knitwear is None:
        knitwear = category_create(name="Knitwear", parent=category_create(name="Wear"))
    ProductCategory.objects.create(product=parent, category=knitwear)
    for size, colour, price, stock in variants:
        child = Product.objects.create(
            structure=Product.CHILD,
            parent=parent,
            title=f"Harbour merino jumper {size} {colour}",
            upc=f"{upc}-{size}-{colour}",
        )
        for code, label in (("size", size), ("colour", colour)):
            attribute = product_class.attributes.get(code=code)
            ProductAttributeValue.objects.create(
                product=child,
                attribute=attribute,
                value_option=attribute.option_group.options.get(option=label),
            )
        create_stockrecord(
            child, price=Decimal(price), num_in_stock=stock, partner_name="Warehouse"
        )
    return parent


@pytest.fixture
def jumper(clothing) -> Product:
    return parent_create(
        clothing,
        variants=[
            ("S", "Navy", "60.00", 20),
            ("M", "Navy", "60.00", 3),
            ("L", "Navy", "65.00", 0),
            ("M", "Oat", "62.00", 12),
            ("XL", "Oat", "65.00", 0),
        ],
    )


def child_of(parent: Product, size: str, colour: str) -> Product:
    return parent.children.get(upc=f"JUMPER-{size}-{colour}")


def image_add(product: Product, *, colour: str = "#1f5f4a", caption: str = "") -> None:
    """A JPEG under a new name: sorl remembers thumbnails by name in the cache,
    which outlives each test's media folder."""
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), colour).save(buffer, format="JPEG")
    product.images.create(
        original=SimpleUploadedFile(f"{uuid.uuid4().hex}.jpg", buffer.getvalue()),
        caption=caption,
        display_order=product.images.count(),
    )


@pytest.fixture
def teapot() -> Product:
    teapot = product_in_stock(
        title="Stoneware Teapot",
        price="34.50",
        num_in_stock=40,
        upc="TEAPOT",
        category=category_create(name="Kitchen"),
    )
    image_add(teapot, caption="The teapot from the side")
    image_add(teapot, colour="#aa5533", caption="The teapot from above")
    return teapot


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert match, f"no {prop} meta tag"
    return match.group(1)


def hidden_child_id(html: str) -> str | None:
    match = re.search(r'name="child_id" value="(\d+)"', html)
    return match.group(1) if match else None


# --- A standalone product ---------------------------------------------------


def test_product_page_shows_title_price_stock_and_a_labelled_quantity(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    assert "<h1" in html and "Stoneware Teapot" in html
    assert "£34.50" in html
    assert "In stock" in html
    assert f'action="/basket/add/{teapot.pk}/"' in html
    assert 'hx-target="#basket-feedback"' in html
    assert '<label class="add-to-basket__quantity" for="id_quantity">' in html
    assert 'name="quantity"' in html


def test_low_stock_says_how_many_are_left(client):
    mug = product_in_stock(title="Enamel Mug", price="9.00", num_in_stock=3)

    html = html_of(client.get(mug.get_absolute_url()))

    assert "Only 3 left" in html


def test_out_of_stock_product_says_so_and_offers_a_stock_alert(client):
    vase = product_in_stock(title="Bud Vase", price="18.00", num_in_stock=0)

    html = html_of(client.get(vase.get_absolute_url()))

    assert "Out of stock" in html
    assert "Add to basket" not in html
    assert (
        f'action="{reverse("customer:alert-create", kwargs={"pk": vase.pk})}"' in html
    )
    data = structured_data(html)
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_gallery_shows_each_image_with_alt_text_and_thumbnail_links(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    main = re.search(
        r'<img id="product-gallery-image" src="([^"]+)" alt="([^"]+)"', html
    )
    assert main and main.group(2) == "The teapot from the side (1/2)"
    assert client.get(main.group(1)).status_code == 200
    thumbnails = re.findall(r'<a class="product-gallery__thumb" href="([^"]+)"', html)
    assert len(thumbnails) == 2
    assert thumbnails[0] == main.group(1)
    assert 'alt="Show image 2"' in html
    assert "shop/js/product.js" in html


def test_product_without_images_shows_a_placeholder(client):
    mug = product_in_stock(title="Enamel Mug")

    html = html_of(client.get(mug.get_absolute_url()))

    assert "product-gallery-image" not in html
    assert 'aria-label="Enamel Mug: no image yet"' in html


def test_page_shows_breadcrumbs_description_and_attributes(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    crumbs = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.S).group(0)
    assert crumbs.index("Wear") < crumbs.index("Knitwear") < crumbs.index("Harbour")
    assert "Soft merino, knitted in Scotland." in html
    assert re.search(r"<th scope=\"row\">Material</th><td>merino</td>", html)


# --- Structured data, Open Graph, canonical ---------------------------------


def test_structured_data_describes_the_product_and_its_offer(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    data = structured_data(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"] == "Stoneware Teapot"
    assert data["sku"] == "TEAPOT"
    assert data["url"] == f"http://testserver{teapot.get_absolute_url()}"
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["offers"] == {
        "@type": "Offer",
        "price": "34.50",
        "priceCurrency": "GBP",
        "availability": "https://schema.org/InStock",
        "url": f"http://testserver{teapot.get_absolute_url()}",
    }


def test_structured_data_of_a_parent_is_an_aggregate_offer(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    offers = structured_data(html)["offers"]
    assert offers["@type"] == "AggregateOffer"
    assert (offers["lowPrice"], offers["highPrice"]) == ("60.00", "62.00")
    assert offers["offerCount"] == 5
    assert offers["availability"] == "https://schema.org/InStock"


def test_structured_data_cannot_break_out_of_its_script_element(client):
    product = product_in_stock(title="</script><script>alert(1)</script>")

    html = html_of(client.get(product.get_absolute_url()))

    assert "<script>alert(1)" not in html
    assert structured_data(html)["name"] == "</script><script>alert(1)</script>"


def test_open_graph_tags_and_canonical_address_without_the_query(client, jumper):
    image_add(jumper)
    url = f"http://testserver{jumper.get_absolute_url()}"

    html = html_of(client.get(jumper.get_absolute_url(), {"size": "M"}))

    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:title") == "Harbour merino jumper"
    assert meta(html, "og:url") == url
    assert meta(html, "og:image").startswith("http://testserver/media/")
    assert meta(html, "og:description").startswith("Soft merino")
    assert meta(html, "product:price:amount") == "60.00"
    assert meta(html, "product:price:currency") == "GBP"


# --- Choosing a variant -----------------------------------------------------


def test_parent_page_shows_one_radio_group_per_option_and_asks_for_a_choice(
    client, jumper
):
    html = html_of(client.get(jumper.get_absolute_url()))

    legends = re.findall(r"<legend>(\w+)", html)
    assert legends == ["Size", "Colour"]
    assert re.findall(r'name="size" id="[^"]+" value="(\w+)"', html) == [
        "S",
        "M",
        "L",
        "XL",
    ]
    assert "<noscript><button" in html and "Choose</button>" in html
    assert "Choose a size and colour to add it to your basket." in html
    assert "From</span>" in html and "£60.00" in html
    assert hidden_child_id(html) is None


def test_values_no_variant_in_stock_has_are_marked_unavailable(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    unavailable = re.findall(
        r'variant-picker__value--unavailable">\s*<input type="radio" name="(\w+)" '
        r'id="[^"]+" value="(\w+)"',
        html,
    )
    assert unavailable == [("size", "L"), ("size", "XL")]
    assert "(out of stock)" in html


def test_choosing_size_and_colour_shows_that_variants_price_and_stock(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Oat"})
    )

    assert "£62.00" in html
    assert "In stock" in html
    assert hidden_child_id(html) == str(child_of(jumper, "M", "Oat").pk)
    assert re.search(r'value="M" checked', html) and re.search(
        r'value="Oat" checked', html
    )


def test_a_low_variant_says_how_many_are_left(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Navy"})
    )

    assert "Only 3 left" in html
    assert hidden_child_id(html) == str(child_of(jumper, "M", "Navy").pk)


def test_an_out_of_stock_variant_says_so_and_cannot_be_added(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "L", "colour": "Navy"})
    )

    assert "Out of stock" in html
    assert "£65.00" in html
    assert hidden_child_id(html) is None
    assert "Notify me" in html


def test_the_only_value_of_an_option_is_chosen_for_the_shopper(client, clothing):
    parent = parent_create(
        clothing, variants=[("S", "Navy", "50.00", 9), ("M", "Navy", "50.00", 9)]
    )

    html = html_of(client.get(parent.get_absolute_url(), {"size": "S"}))

    assert hidden_child_id(html) == str(child_of(parent, "S", "Navy").pk)


def test_adding_the_chosen_variant_puts_it_in_the_basket(client, jumper):
    page = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Oat"})
    )

    response = client.post(
        f"/basket/add/{jumper.pk}/",
        {"quantity": 2, "child_id": hidden_child_id(page)},
    )

    assert response.status_code == 302
    lines = list(response.wsgi_request.basket.all_lines())
    assert [(line.product, line.quantity) for line in lines] == [
        (child_of(jumper, "M", "Oat"), 2)
    ]


def test_the_matching_is_forgiving_about_case(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "m", "colour": "oat"})
    )

    assert hidden_child_id(html) == str(child_of(jumper, "M", "Oat").pk)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"size": "XXL", "colour": "Navy"}, "there is no size “XXL”"),
        ({"size": "<b>junk</b>" * 20}, "there is no size “&lt;b&gt;junk"),
        ({"colour": "Oat", "size": "S"}, "doesn&#x27;t come in S / Oat"),
        ({"variant": "999999", "size": "", "colour": "🧶"}, "there is no colour “🧶”"),
    ],
)
def test_an_unknown_choice_is_a_normal_page_with_a_clear_message(
    client, jumper, params, message
):
    html = html_of(client.get(jumper.get_absolute_url(), params))

    assert message in html
    assert 'role="alert"' in html
    assert hidden_child_id(html) is None
    assert "Harbour merino jumper" in html


def test_htmx_choice_gets_only_the_purchase_fragment(client, jumper):
    response = client.get(
        jumper.get_absolute_url(),
        {"size": "S", "colour": "Navy"},
        HTTP_HX_REQUEST="true",
    )

    html = html_of(response)
    assert "<html" not in html and "<h1" not in html
    assert html.strip().startswith('<div id="product-purchase"')
    assert hidden_child_id(html) == str(child_of(jumper, "S", "Navy").pk)
    assert '<p id="product-announcer" hx-swap-oob="innerHTML">S / Navy: £60.00' in html
    assert "HX-Request" in response["Vary"]


def test_the_choice_form_is_a_get_form_on_the_same_address_pushed_by_htmx(
    client, jumper
):
    html = html_of(client.get(jumper.get_absolute_url()))

    form = re.search(r'<form class="variant-picker"[^>]*>', html).group(0)
    url = jumper.get_absolute_url()
    assert 'method="get"' in form and f'action="{url}"' in form
    assert f'hx-get="{url}"' in form and 'hx-push-url="true"' in form
    assert 'hx-target="#product-purchase"' in form


def test_htmx_history_restore_gets_the_whole_page(client, jumper):
    response = client.get(
        jumper.get_absolute_url(),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in html_of(response)


def test_a_variants_address_redirects_to_its_parent_with_it_chosen(client, jumper):
    child = child_of(jumper, "M", "Oat")

    response = client.get(child.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{jumper.get_absolute_url()}?size=M&colour=Oat"


def test_a_stale_slug_redirects_and_keeps_the_choice(client, jumper):
    response = client.get(f"/catalogue/old-name_{jumper.pk}/", {"size": "M"})

    assert response.status_code == 301
    assert response["Location"] == f"{jumper.get_absolute_url()}?size=M"


def test_variants_without_attributes_are_chosen_by_name(client):
    parent = create_product(title="Gift card", structure=Product.PARENT)
    small = create_product(
        parent=parent, title="Gift card £10", price=Decimal("10"), num_in_stock=50
    )
    create_product(
        parent=parent, title="Gift card £25", price=Decimal("25"), num_in_stock=50
    )

    html = html_of(client.get(parent.get_absolute_url(), {"variant": small.pk}))

    assert "<legend>Variant" in html
    assert "Gift card £25" in html
    assert hidden_child_id(html) == str(small.pk)
    assert "£10.00" in html


def test_a_parent_with_no_variant_on_sale_says_it_is_unavailable(client, clothing):
    parent = parent_create(clothing, variants=[])

    html = html_of(client.get(parent.get_absolute_url()))

    assert "Out of stock" in html
    assert "variant-picker" not in html
    assert "Add to basket" not in html


# --- Budgets ----------------------------------------------------------------


def queries_for(client, url: str, django_assert_max_num_queries) -> int:
    """Queries of a view once its thumbnails exist (they are made on first view)."""
    client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        html_of(client.get(url))
    return len(captured)


def test_query_count_is_the_same_for_one_variant_as_for_ten(
    client, clothing, django_assert_max_num_queries
):
    one = parent_create(clothing, variants=[("M", "Navy", "50.00", 5)], upc="ONE")
    ten = parent_create(
        clothing,
        upc="TEN",
        variants=[
            (size, colour, "50.00", 5 + index)
            for index, (size, colour) in enumerate(
                (size, colour) for colour in COLOURS for size in SIZES
            )
        ],
    )
    for parent in (one, ten):
        image_add(parent)
        image_add(parent, colour="#883322")

    counts = [
        queries_for(
            client,
            f"{parent.get_absolute_url()}?size=M&colour=Navy",
            django_assert_max_num_queries,
        )
        for parent in (one, ten)
    ]

    assert counts[0] == counts[1]


def test_standalone_page_stays_within_the_query_budget(
    client, teapot, django_assert_max_num_queries
):
    queries_for(client, teapot.get_absolute_url(), django_assert_max_num_queries)


def test_signed_in_shopper_page_stays_within_the_query_budget(
    client, jumper, django_user_model, django_assert_max_num_queries
):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pw-Secret-123"
    )
    client.force_login(user)

    queries_for(
        client,
        f"{jumper.get_absolute_url()}?size=L&colour=Navy",
        django_assert_max_num_queries,
    )


def test_every_demo_product_page_renders_within_the_query_budget(
    client, settings, django_assert_max_num_queries
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", products=20, stdout=io.StringIO())

    for product in Product.objects.browsable():
        queries_for(client, product.get_absolute_url(), django_assert_max_num_queries)


def test_page_weight_is_under_budget_and_everything_comes_from_this_shop(
    client, teapot
):
    html = html_of(client.get(teapot.get_absolute_url()))

    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    fetched = assets + re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert not [url for url in fetched if urlparse(url).netloc], fetched
    weight = len(html.encode())
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is not a static file"
        with open(path, "rb") as file:
            weight += len(file.read())
    assert weight < PAGE_WEIGHT_BUDGET, f"{weight} bytes of HTML, CSS and JS"
