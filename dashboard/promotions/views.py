"""The merchant's "New promotion" page and its plain-words preview.

The preview answers htmx with the preview fragment as the merchant types, and
a plain form post (the "Preview" button, without JavaScript) with the whole
page; either way nothing is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from oscar.views.generic import ObjectLookupView

from dashboard.promotions.forms import PromotionForm
from dashboard.promotions.selectors import gift_products_buyable
from dashboard.promotions.services import (
    Kind,
    promotion_create,
    promotion_describe,
)
from offer.describe import offer_describe

PAGE_TEMPLATE = "dashboard/promotions/promotion_form.html"
PREVIEW_TEMPLATE = "dashboard/promotions/partials/_preview.html"


@require_http_methods(["GET", "POST"])
def promotion_create_view(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    if request.method == "GET":
        return _page(request, PromotionForm(kind=kind))
    form = PromotionForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            offer = promotion_create(spec=form.spec)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Promotion “%(name)s” created. %(words)s")
                % {"name": offer.name, "words": offer_describe(offer=offer)},
            )
            return redirect("dashboard:offer-detail", pk=offer.pk)
    return _page(request, form)


@require_POST
def promotion_preview_view(request: HttpRequest) -> HttpResponse:
    form = PromotionForm(request.POST, kind=_kind(request))
    if request.htmx:
        return render(request, PREVIEW_TEMPLATE, _context(form))
    return _page(request, form)


class GiftLookupView(ObjectLookupView):
    """The gift's select box (select2) asks here as the merchant types."""

    def get_queryset(self):
        return gift_products_buyable()

    def lookup_filter(self, qs, term):
        return gift_products_buyable(term=term)


def _kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind")
    return kind if kind in Kind.values else Kind.PERCENTAGE


def _page(request: HttpRequest, form: PromotionForm) -> HttpResponse:
    return render(request, PAGE_TEMPLATE, _context(form))


def _context(form: PromotionForm) -> dict:
    preview = ""
    if form.is_bound and form.is_valid():
        preview = promotion_describe(draft=form.draft)
    return {
        "form": form,
        "kinds": Kind.choices,
        "kind": form.kind,
        "kind_label": Kind(form.kind).label,
        "preview": preview,
    }
