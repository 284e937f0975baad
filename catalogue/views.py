"""Storefront listings: home, all products, a category, search results and the
search box's suggestions. Each listing view serves the full page, or for an htmx
request just the results fragment; the fragment is cached per URL, catalogue
version and the digest of the site offers its cards may name, so a repeated
listing costs no query for its results and a badge comes or goes with its offer.
"""

import hashlib
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.vary import vary_on_headers
from django.views.generic import TemplateView

from catalogue import selectors
from catalogue.cache import catalogue_version
from catalogue.listing_query import SORTS, listing_query_parse
from catalogue.models import Category
from catalogue.product_views import ProductDetailView  # noqa: F401 - Oscar loads it here
from offer.selectors import offer_badges_digest
from personalisation.events import event_record
from personalisation.models import Event
from personalisation.selectors import trending_cards
from shop.page_cache import release_id

RESULTS_TEMPLATE = "catalogue/partials/_listing_results.html"


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        key = f"home:{_listing_version(now)}"
        body = cache.get(key)
        if body is None:
            body = render_to_string(
                "catalogue/partials/_home_body.html",
                {
                    "featured_categories": selectors.categories_featured(limit=8),
                    "new_products": selectors.listings_newest(limit=12, now=now),
                    "trending": trending_cards(limit=8, now=now),
                },
            )
            cache.set(key, body, settings.SHOP_LISTING_CACHE_SECONDS)
        context["home_body"] = body
        return context


@method_decorator(vary_on_headers("HX-Request"), name="dispatch")
class ProductListView(View):
    """The catalogue (every product); subclasses narrow it to a category or search."""

    template_name = "catalogue/product_list.html"
    summary = "All products"

    def get(self, request, *args, **kwargs):
        query = listing_query_parse(request.GET)
        results = self.results_html(query)
        if request.htmx:
            return render(
                request,
                "catalogue/partials/_listing_fragment.html",
                {
                    "results": results,
                    "summary": self.get_summary(query),
                },
            )
        return render(
            request,
            self.template_name,
            {
                **self.get_context(query),
                "results": results,
                "summary": self.get_summary(query),
                "query": query,
                "sort_options": SORTS.items(),
            },
        )

    def get_category(self) -> Category | None:
        return None

    def get_summary(self, query) -> str:
        return self.summary

    def get_context(self, query) -> dict:
        return {}

    def results_html(self, query) -> str:
        category = self.get_category()
        digest = hashlib.sha1(query.cache_key.encode()).hexdigest()
        now = timezone.now()
        version = _listing_version(now)
        # The rendered results and how many products they hold.
        key = f"listing-results:{version}:{category.pk if category else 0}:{digest}"
        kept = cache.get(key)
        if kept is None:
            listing = selectors.listing_page(query=query, category=category, now=now)
            html = render_to_string(
                RESULTS_TEMPLATE,
                {
                    "listing": listing,
                    "query": query,
                    "category": category,
                    "base_path": self.request.path,
                    "sort_options": SORTS.items(),
                },
            )
            kept = (html, listing.page.paginator.count)
            cache.set(key, kept, settings.SHOP_LISTING_CACHE_SECONDS)
        html, self.result_count = kept
        return html


class CatalogueView(ProductListView):
    pass


class ProductCategoryView(ProductListView):
    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404("No such category")
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        event_record(
            kind=Event.Kind.CATEGORY_VIEW, request=request, category_id=self.category.pk
        )
        return super().get(request, *args, **kwargs)

    def get_category(self) -> Category:
        return self.category

    def get_summary(self, query) -> str:
        return self.category.name

    def get_context(self, query) -> dict:
        return {
            "category": self.category,
            "ancestors": list(self.category.get_ancestors()),
        }


class ProductSearchView(ProductListView):
    def results_html(self, query) -> str:
        if not query.q:
            return render_to_string(
                "catalogue/partials/_search_prompt.html", {"query": query}
            )
        html = super().results_html(query)
        if query.page == 1:  # a search, not its next pages
            event_record(
                kind=Event.Kind.SEARCH,
                request=self.request,
                query=query.q[:200],
                result_count=self.result_count,
            )
        return html

    def get_summary(self, query) -> str:
        return f"Results for \u201c{query.q}\u201d" if query.q else "Search"


class SearchSuggestView(View):
    """The search box's dropdown: a few products and categories, as a fragment."""

    def get(self, request):
        text = request.GET.get("q", "")[:100]
        products, categories = selectors.suggestions(text=text)
        response = render(
            request,
            "catalogue/partials/_suggestions.html",
            {"products": products, "categories": categories, "text": text},
        )
        response["Cache-Control"] = "private, max-age=60"
        return response


def _listing_version(now: datetime) -> str:
    """What a cached listing's key holds besides its address: the release, the
    catalogue version, and the digest of the site offers open at `now` that its
    cards may name (`offer_badges_digest` says why a digest)."""
    return f"{release_id()}:{catalogue_version()}:{offer_badges_digest(now=now)}"
