"""Catalogue reads of the API: the category tree."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from catalogue.models import Category


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField(help_text="The category's page on the website")
    children = serializers.ListField(child=serializers.DictField(), default=list)


def category_tree() -> list[dict]:
    """Public categories as a tree, in the catalogue's order, from one query
    (each full slug is built from its parents', as the website's menu does)."""
    roots: list[dict] = []
    by_path: dict[str, tuple[dict, str]] = {}
    categories = Category.objects.filter(is_public=True).order_by("path")
    for category in categories.only("pk", "path", "depth", "name", "slug"):
        parent = by_path.get(category.path[: -Category.steplen])
        if category.depth > 1 and parent is None:
            continue  # a child of a hidden category stays hidden
        full_slug = (
            f"{parent[1]}{Category._slug_separator}{category.slug}"
            if parent
            else category.slug
        )
        node = {
            "id": category.pk,
            "name": category.name,
            "slug": category.slug,
            "url": reverse(
                "catalogue:category",
                kwargs={"category_slug": full_slug, "pk": category.pk},
            ),
            "children": [],
        }
        by_path[category.path] = (node, full_slug)
        (parent[0]["children"] if parent else roots).append(node)
    return roots


@extend_schema(responses=CategorySerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def category_list(request: Request) -> Response:
    """The public category tree: each category with its children."""
    return Response(category_tree())
