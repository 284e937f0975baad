"""The API's first reads: the category tree, its OpenAPI schema and the
interactive docs served from the shop's own static files; errors in one shape."""

import pytest
from django.urls import reverse

from tests.factories import category_create

pytestmark = pytest.mark.django_db


def test_the_category_tree_lists_public_categories_with_their_children(
    client, django_assert_max_num_queries
):
    clothing = category_create(name="Clothing")
    category_create(name="Shirts", parent=clothing)
    hidden = category_create(name="Staff only")
    hidden.is_public = False
    hidden.save()
    category_create(name="Secret shirts", parent=hidden)
    category_create(name="Garden")

    with django_assert_max_num_queries(1):
        response = client.get(reverse("api:category-list"))

    assert response.status_code == 200
    tree = response.json()
    assert [node["name"] for node in tree] == ["Clothing", "Garden"]
    [shirts] = tree[0]["children"]
    assert shirts["name"] == "Shirts" and shirts["url"].endswith("/")


def test_a_wrong_method_answers_in_the_shared_error_shape(client):
    response = client.post(
        reverse("api:category-list"), {}, content_type="application/json"
    )

    assert response.status_code == 405
    body = response.json()
    assert body["type"] == "client_error"
    [error] = body["errors"]
    assert error["code"] == "method_not_allowed" and "POST" in error["detail"]


def test_the_schema_describes_the_api_in_openapi_3(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/categories/" in schema["paths"]


def test_every_error_the_schema_names_has_the_shared_shape(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]

    bodiless = [
        f"{method.upper()} {path} {status}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status[0] in "45" and "content" not in response
    ]
    add_line = schema["paths"]["/api/v1/basket/lines/"]["post"]["responses"]
    unknown = components["MeWishlistCreateUnknownFieldErrorComponent"]

    assert bodiless == []
    assert add_line["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    # a field the body doesn't know: any name but its own
    assert unknown["properties"]["attr"]["not"] == {
        "enum": ["non_field_errors", "product_id"]
    }
    assert "BasketCreateIdempotency-KeyErrorComponent" in components


def test_the_docs_load_their_scripts_from_the_shop_not_a_cdn(client):
    html = client.get(reverse("api:docs")).content.decode()

    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html
