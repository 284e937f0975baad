"""Products over the API: listings (the whole catalogue, a category, a search)
with the website's facets, sorts and typo correction, paged by cursor; and one
product with its variants, images, attributes and what the partner Strategy says
about price and stock.

Reads answer with an ETag made from the catalogue's cache version (which any
change to what listings or a product's page show renews) and the open site
offers, so a client's conditional GET gets a 304 before any query is run, and
any other client asking the same gets the answer kept under it
(`api.catalogue.answers`). Prices are the home country's, tax included, so an
answer is the same for everyone; a basket prices for where it ships to.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oscar.core.loading import get_class
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.catalogue.answers import answer
from api.catalogue.cursor import CursorInvalid, cursor_page
from api.catalogue.serializers import (
    CardSerializer,
    FacetSerializer,
    FacetValueSerializer,
    ListingParamsSerializer,
    ListingSerializer,
    OfferSerializer,
    PriceRangeSerializer,
    ProductFieldsSerializer,
    ProductSerializer,
    VariantFieldsSerializer,
)
from catalogue import product_selectors as selectors
from catalogue.cache import catalogue_version, product_page_versions
from catalogue.models import Category, Product
from catalogue.selectors import (
    CARD_FIELDS,
    listing_badges_attach,
    listing_facets,
    listing_scope,
)
from offer.selectors import offer_badges_digest, offers_for_product
from personalisation.events import event_record
from personalisation.models import Event
from personalisation.selectors import bought_together_cards

Selector = get_class("partner.strategy", "Selector")

LISTING_FIELDS = {"popularity", "date_created", "product_id"}
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag of an earlier answer: 304 when nothing changed since",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent")


def _etag(*parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'


def _conditional(request: Request, etag: str) -> Response | None:
    sent = request.headers.get("If-None-Match", "")
    if etag in {tag.strip() for tag in sent.split(",")}:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=_cached(etag))
    return None


def _cached(etag: str) -> dict:
    # Clients and caches keep the answer and ask again with If-None-Match.
    return {"ETag": etag, "Cache-Control": "no-cache"}


class ListingView(APIView):
    permission_classes = [AllowAny]
    search = False

    def get(self, request: Request) -> Response:
        etag = _etag(
            "listing",
            catalogue_version(),
            offer_badges_digest(),
            sorted(request.query_params.lists()),
        )
        if (not_modified := _conditional(request, etag)) is not None:
            return not_modified
        return answer(
            request, etag=etag, build=lambda: self.build(request), headers=_cached(etag)
        )

    def build(self, request: Request) -> dict:
        params = ListingParamsSerializer(data=request.query_params, search=self.search)
        params.is_valid(raise_exception=True)
        query = params.listing_query()
        category = _category(params.validated_data.get("category"))
        listing = listing_scope(query=query, category=category)
        try:
            cards, after = cursor_page(
                listing.filtered.only(*CARD_FIELDS, *LISTING_FIELDS),
                ordering=(*listing.ordering[:-1], "product_id"),
                cursor=params.validated_data.get("cursor", ""),
                size=params.validated_data["page_size"],
            )
        except (CursorInvalid, DjangoValidationError) as exc:
            message = str(exc) if isinstance(exc, CursorInvalid) else _bad_cursor()
            raise ValidationError({"cursor": [message]}) from exc
        listing_badges_attach(cards, now=None)
        facets, price_bands = listing_facets(listing=listing, query=query)
        return {
            "results": CardSerializer(cards, many=True).data,
            "next": _next_url(request, after) if after else None,
            "facets": FacetSerializer(facets, many=True).data,
            "price_bands": FacetValueSerializer(price_bands, many=True).data,
            "corrected_query": listing.corrected_query,
        }


def _bad_cursor() -> str:
    return _("That cursor isn't one this API gave out.")


def _category(pk: int | None) -> Category | None:
    if pk is None:
        return None
    try:
        return Category.objects.get(pk=pk, is_public=True, ancestors_are_public=True)
    except Category.DoesNotExist as exc:
        raise NotFound(_("No such category.")) from exc


def _next_url(request: Request, after: str) -> str:
    params = [
        (key, value)
        for key, values in request.query_params.lists()
        if key != "cursor"
        for value in values
    ]
    return request.build_absolute_uri(
        f"{request.path}?{urlencode([*params, ('cursor', after)])}"
    )


LISTING_SCHEMA = {
    "parameters": [ListingParamsSerializer, IF_NONE_MATCH],
    "responses": {
        200: ListingSerializer,
        304: NOT_MODIFIED,
        400: OpenApiResponse(description="A parameter or the cursor isn't valid"),
        404: OpenApiResponse(description="No such category"),
    },
}


class ProductListView(ListingView):
    @extend_schema(operation_id="products_list", **LISTING_SCHEMA)
    def get(self, request: Request) -> Response:
        """Products: the whole catalogue or a category's, optionally searched,
        filtered by facets, price bands and stock, and sorted as on the website."""
        return super().get(request)


class SearchView(ListingView):
    search = True

    @extend_schema(operation_id="search_list", **LISTING_SCHEMA)
    def get(self, request: Request) -> Response:
        """A search (`q` required): products matching every word, best first,
        with a misspelt word corrected when the search as typed finds nothing
        (`corrected_query` says what ran)."""
        response = super().get(request)
        if not request.query_params.get("cursor"):  # a search, not its next pages
            query = " ".join(request.query_params.get("q", "").split())[:200]
            # The count isn't known from a cursor's page: left empty.
            event_record(kind=Event.Kind.SEARCH, request=request, query=query)
        return response


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[IF_NONE_MATCH],
        responses={
            200: ProductSerializer,
            304: NOT_MODIFIED,
            404: OpenApiResponse(description="No such product, or not public"),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        """A product with its images, attributes and variants, and what it
        costs and whether it can be bought (from the partner Strategy). A
        variant's id answers with its parent."""
        etag = _etag("product", pk, *product_page_versions(pk), offer_badges_digest())
        if (not_modified := _conditional(request, etag)) is not None:
            response = not_modified
        else:
            response = answer(
                request,
                etag=etag,
                build=lambda: _product_data(pk),
                headers=_cached(etag),
            )
        event_record(kind=Event.Kind.PRODUCT_VIEW, request=request, product_id=pk)
        return response


def _public_product(pk: int) -> Product:
    try:
        product = selectors.product_for_page(pk=pk)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    if not product.is_public or (product.is_child and not product.parent.is_public):
        raise NotFound(_("No such product."))
    return product


def _product_data(pk: int) -> dict:
    product = _public_product(pk)
    if product.is_child:
        product = _public_product(product.parent_id)
    strategy = Selector().strategy(country=settings.SHOP_COUNTRY)
    data = ProductFieldsSerializer(product).data
    data["images"] = [
        vars(image) for image in selectors.product_gallery(product=product)
    ]
    data["offers"] = [offer.name for offer in offers_for_product(product=product)]
    data["bought_together"] = CardSerializer(
        bought_together_cards(product_id=product.pk), many=True
    ).data
    if product.is_parent:
        offers = selectors.offers_for_variants(product=product, strategy=strategy)
        data["offer"] = None
        data["price_range"] = PriceRangeSerializer(
            selectors.price_range_for_parent(
                product=product, offers=offers, strategy=strategy
            )
        ).data
        data["variants"] = [
            {
                **VariantFieldsSerializer(offer.product).data,
                "offer": OfferSerializer(offer).data,
            }
            for offer in offers
        ]
    else:
        offer = selectors.offer_for_product(product=product, strategy=strategy)
        data["offer"] = OfferSerializer(offer).data
        data["price_range"] = None
        data["variants"] = []
    return data
