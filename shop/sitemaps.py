"""sitemap.xml and robots.txt.

`/sitemap.xml` is an index of sections (products, categories, pages); each section
is paged by Django's sitemaps framework (`/sitemap-products.xml?p=2`), so a large
catalogue stays within the 50,000-address limit per file. Addresses are absolute,
on the host the sitemap was asked for (Django's own views would use the `Site`
row's domain, which nobody sets for this shop).
"""

from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalogue.models import Category, Product

ROBOTS_DISALLOW = ["/basket/", "/checkout/", "/accounts/", "/dashboard/", "/admin/"]


class _OnRequestHost:
    """Addresses on the host of the request, not the `Site` row's domain."""

    def __init__(self, host: str):
        self.host = host

    def get_domain(self, site=None):
        return self.host


class ProductSitemap(_OnRequestHost, Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 10000

    def items(self):
        return (
            Product.objects.browsable()
            .only("id", "slug", "date_updated")
            .order_by("pk")
        )

    def lastmod(self, product):
        return product.date_updated

    def get_latest_lastmod(self):
        return Product.objects.browsable().aggregate(latest=Max("date_updated"))[
            "latest"
        ]


class CategorySitemap(_OnRequestHost, Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        """Public categories with their addresses, from one query: a category's
        address holds its ancestors' slugs, which Oscar reads one by one."""
        categories = (
            Category.objects.browsable()
            .order_by("path")
            .values_list("pk", "path", "depth", "slug")
        )
        full_slugs: dict[str, str] = {}
        items = []
        for pk, path, depth, slug in categories:
            parent = full_slugs.get(path[: (depth - 1) * Category.steplen])
            full_slug = f"{parent}{Category._slug_separator}{slug}" if parent else slug
            full_slugs[path] = full_slug
            items.append((pk, full_slug))
        return items

    def location(self, item):
        pk, full_slug = item
        return reverse(
            "catalogue:category", kwargs={"category_slug": full_slug, "pk": pk}
        )


class PageSitemap(_OnRequestHost, FlatPageSitemap):
    changefreq = "monthly"
    priority = 0.4


SECTIONS = {
    "products": ProductSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
}


def _sections(request) -> dict[str, Sitemap]:
    return {name: cls(request.get_host()) for name, cls in SECTIONS.items()}


@require_GET
def sitemap_index(request):
    items = []
    for name, section in _sections(request).items():
        location = request.build_absolute_uri(
            reverse("sitemap-section", kwargs={"section": name})
        )
        lastmod = section.get_latest_lastmod()
        items.append(sitemap_views.SitemapIndexItem(location, lastmod))
        for page in range(2, section.paginator.num_pages + 1):
            items.append(
                sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod)
            )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


@require_GET
def sitemap_section(request, section: str):
    if section not in SECTIONS:
        raise Http404("No such sitemap")
    return sitemap_views.sitemap(request, sitemaps=_sections(request), section=section)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
