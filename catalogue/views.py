"""Storefront listings: home, all products, a category and search results.

The product page lives in `catalogue.product_views`; Oscar finds it through this module.
"""

from urllib.parse import unquote

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from catalogue import selectors
from catalogue.models import Category
from catalogue.product_views import ProductDetailView  # noqa: F401 - Oscar loads it here


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured_categories"] = selectors.categories_featured(limit=8)
        context["new_products"] = selectors.products_newest(limit=12)
        return context


class ProductListView(ListView):
    """Shared by the catalogue, category and search pages: sorting and paging."""

    template_name = "catalogue/product_list.html"
    context_object_name = "products"
    paginate_by = 24
    summary = "All products"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, "That page number does not exist; here is page 1.")
            params = request.GET.copy()
            params.pop("page", None)
            return redirect(f"{request.path}?{params.urlencode()}")

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except InvalidPage as exc:
            raise Http404(str(exc)) from exc

    @property
    def sort(self) -> str:
        sort = self.request.GET.get("sort", "relevance")
        return sort if sort in selectors.SORTS else "relevance"

    def base_queryset(self):
        return selectors.products_browsable()

    def get_queryset(self):
        return selectors.products_sorted(queryset=self.base_queryset(), sort=self.sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            summary=self.summary,
            sort=self.sort,
            sort_options=selectors.SORT_LABELS.items(),
            query_string=params.urlencode(),
        )
        return context


class CatalogueView(ProductListView):
    pass


class ProductCategoryView(ProductListView):
    template_name = "catalogue/product_list.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404("No such category")
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.products_in_category(category=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context


class ProductSearchView(ProductListView):
    @property
    def query(self) -> str:
        return self.request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]

    def base_queryset(self):
        return selectors.products_matching(query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["summary"] = (
            f"Results for \u201c{self.query}\u201d" if self.query else "Search"
        )
        return context
