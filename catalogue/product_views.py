"""The product page: one view for the whole page and, for htmx, its purchase part.

The same address serves both: `?size=M&colour=Navy` chooses a variant, a full page
without JavaScript and the `_product_purchase.html` fragment for htmx, which pushes
the address so it keeps the choice. A variant's own address redirects to its
parent's page with the variant chosen.

Visitors without a session or basket get the page (or fragment) from the whole-page
cache (`shop.page_cache`), keyed by the catalogue version and the product's stamp,
which any change to the product renews, and by what the open site offers show
(`offer.selectors.offer_badges_digest`), so its offers come and go with them.
"""

import json
from functools import cached_property
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class

from catalogue import product_selectors as selectors
from catalogue import product_variants as variants
from catalogue.cache import product_page_versions
from catalogue.models import Product
from offer.selectors import offer_badges_digest, offers_for_product
from personalisation.selectors import bought_together_cards
from shipping.selectors import free_shipping_threshold
from shop import page_cache

AddToBasketForm = get_class("basket.forms", "AddToBasketForm")
ProductAlertForm = get_class("customer.forms", "ProductAlertForm")

SCHEMA_AVAILABILITY = {
    True: "https://schema.org/InStock",
    False: "https://schema.org/OutOfStock",
}
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class ProductDetailView(OscarProductDetailView):
    fragment_template_name = "catalogue/partials/_product_purchase.html"

    page_key = None

    def get(self, request, *args, **kwargs):
        if page_cache.page_cacheable(request):
            pk = int(kwargs["pk"])
            self.page_key = page_cache.page_key(
                request,
                "fragment" if self.is_fragment else "page",
                *product_page_versions(pk),
                offer_badges_digest(),
            )
            response = page_cache.page_from_cache(request, self.page_key)
            if response is not None:
                # Counted and remembered as Oscar does, by the product's id.
                self.send_signal(request, response, Product(pk=pk))
                patch_vary_headers(response, ["HX-Request"])
                return response
        response = super().get(request, *args, **kwargs)
        if self.page_key is not None:
            page_cache.page_store(request, self.page_key, response)
        patch_vary_headers(response, ["HX-Request"])
        return response

    @property
    def is_fragment(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and not htmx.history_restore_request

    def get_object(self, queryset=None):
        if not hasattr(self, "object"):
            try:
                self.object = selectors.product_for_page(pk=int(self.kwargs["pk"]))
            except Product.DoesNotExist as exc:
                raise Http404("No such product") from exc
        return self.object

    def redirect_if_necessary(self, current_path, product):
        if product.is_child:
            if not self.is_viewable(product, self.request):
                raise Http404("No such product")
            parent = selectors.product_for_page(pk=product.parent_id)
            params = variants.variant_params(product=parent, child_id=product.pk)
            url = parent.get_absolute_url()
            return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)
        expected = product.get_absolute_url()
        if unquote(expected) != unquote(current_path):
            query = self.request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{expected}?{query}" if query else expected
            )
        return None

    def send_signal(self, request, response, product):
        # Choosing a variant is not another view of the product.
        if not self.is_fragment:
            super().send_signal(request, response, product)

    def get_template_names(self):
        if self.is_fragment:
            return [self.fragment_template_name]
        return super().get_template_names()

    # --- What the shopper can buy ---------------------------------------------

    @cached_property
    def variant_offers(self) -> list[selectors.Offer]:
        if not self.object.is_parent:
            return []
        return selectors.offers_for_variants(
            product=self.object, strategy=self.request.strategy
        )

    @cached_property
    def choice(self) -> variants.VariantChoice | None:
        if not self.object.is_parent:
            return None
        return variants.variant_choice(
            offers=self.variant_offers, params=self.request.GET
        )

    @cached_property
    def offer(self) -> selectors.Offer | None:
        """The offer of what the basket form adds: the product or the variant."""
        if self.object.is_parent:
            return self.choice.offer
        return selectors.offer_for_product(
            product=self.object, strategy=self.request.strategy
        )

    @cached_property
    def price_range(self) -> selectors.PriceRange | None:
        if not self.object.is_parent:
            return None
        return selectors.price_range_for_parent(
            product=self.object,
            offers=self.variant_offers,
            strategy=self.request.strategy,
        )

    def get_alert_form(self):
        if self.offer is None or self.offer.is_available:
            return None
        return ProductAlertForm(user=self.request.user, product=self.offer.product)

    def get_alert_status(self):
        if self.offer is None or self.offer.is_available:
            return False
        return selectors.product_alert_active(
            product=self.offer.product, user=self.request.user
        )

    def get_basket_form(self):
        if self.offer is None or not self.offer.is_available:
            return None
        initial = {"quantity": 1}
        if self.object.is_parent:
            initial["child_id"] = self.offer.product.pk
        return AddToBasketForm(
            basket=self.request.basket, product=self.object, initial=initial
        )

    # --- Context ----------------------------------------------------------------

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.object
        context.update(
            product_url=product.get_absolute_url(),
            choice=self.choice,
            offer=self.offer,
            price_range=self.price_range,
            basket_form=self.get_basket_form(),
            is_fragment=self.is_fragment,
        )
        if self.page_key is not None:
            context["csrf_token"] = page_cache.CSRF_PLACEHOLDER
        if self.is_fragment:
            return context
        gallery = selectors.product_gallery(product=product)
        canonical_url = self.request.build_absolute_uri(product.get_absolute_url())
        image_urls = [self.request.build_absolute_uri(image.url) for image in gallery]
        description = Truncator(product.get_meta_description()).chars(300).strip()
        context.update(
            gallery=gallery,
            breadcrumbs=selectors.product_breadcrumbs(product=product),
            site_offers=offers_for_product(product=product),
            free_shipping_over=free_shipping_threshold(),
            attribute_values=product.get_attribute_values(),
            canonical_url=canonical_url,
            meta_description=description,
            og_image_url=image_urls[0] if image_urls else "",
            rating_stars=_stars(product.rating),
            review_invited=(
                self.request.user.is_authenticated or settings.OSCAR_ALLOW_ANON_REVIEWS
            ),
            structured_data=_json_script(
                self.structured_data(canonical_url, image_urls, description)
            ),
            bought_together=bought_together_cards(
                product_id=product.pk, user=self.request.user
            ),
        )
        return context

    def structured_data(self, url: str, image_urls: list[str], description: str):
        """schema.org Product for search engines, with an Offer, or for a parent
        an AggregateOffer over its variants."""
        product = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": product.get_title(),
            "description": description or strip_tags(product.description or ""),
            "url": url,
        }
        if product.upc:
            data["sku"] = product.upc
        if image_urls:
            data["image"] = image_urls
        brand = next(
            (
                value.value_as_text
                for value in product.get_attribute_values()
                if value.attribute.code == "brand"
            ),
            None,
        )
        if brand:
            data["brand"] = {"@type": "Brand", "name": str(brand)}
        if product.rating is not None and product.num_approved_reviews:
            data["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": f"{product.rating:.1f}",
                "reviewCount": product.num_approved_reviews,
            }
        if self.price_range is not None and self.price_range.low is not None:
            data["offers"] = {
                "@type": "AggregateOffer",
                "lowPrice": str(self.price_range.low),
                "highPrice": str(self.price_range.high),
                "priceCurrency": self.price_range.currency,
                "offerCount": self.price_range.offer_count,
                "availability": SCHEMA_AVAILABILITY[self.price_range.is_available],
                "url": url,
            }
        elif self.price_range is None and self.offer.amount is not None:
            data["offers"] = {
                "@type": "Offer",
                "price": str(self.offer.amount),
                "priceCurrency": self.offer.currency,
                "availability": SCHEMA_AVAILABILITY[self.offer.is_available],
                "url": url,
            }
        return data


def _stars(rating: float | None) -> str:
    if rating is None:
        return ""
    full = round(rating)
    return "★" * full + "☆" * (5 - full)


def _json_script(data: dict) -> str:
    """JSON safe to put inside a <script> element."""
    return mark_safe(
        json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    )
