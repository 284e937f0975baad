"""The basket page and add-to-basket, each answering htmx with a fragment.

Without JavaScript both behave as Oscar's: the forms post and redirect. The
addition itself does not price the basket: the page it redirects to does (its
header shows the basket's total), and that page also says which offers the
basket gained or lost (see `basket.middleware`), so the basket is priced once
per addition instead of twice.
With htmx (`request.htmx`):

- add-to-basket answers with a short confirmation (or the error) for
  `#basket-feedback` and the header's `#mini-basket` swapped out of band;
- the basket page's line formset answers with the re-rendered `#basket-content`
  (lines, offers, totals), the messages and the mini-basket out of band; GETs
  of the basket page (where the voucher forms' redirects land) do the same.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from oscar.apps.basket import views as oscar_views
from oscar.core.loading import get_model
from oscar.core.utils import redirect_to_referrer

from basket.forms import BasketVoucherForm
from basket.selectors import basket_warnings
from basket.services import (
    basket_offer_ids_applied_before,
    basket_offers_apply,
    basket_offers_check_later,
    basket_offers_remember,
    basket_voucher_remove,
    basket_voucher_try,
)
from basket.utils import BasketMessageGenerator
from catalogue.models import Product
from catalogue.product_selectors import product_for_basket
from offer.selectors import basket_next_tiers, voucher_refusal
from payment.selectors import payment_waiting_for_shopper
from personalisation.selectors import basket_complements_cards
from shipping.selectors import free_shipping_shortfall

Basket = get_model("basket", "Basket")

BASKET_FRAGMENT_TEMPLATE = "basket/partials/_basket_fragment.html"
ADD_FEEDBACK_TEMPLATE = "basket/partials/_add_feedback.html"


class BasketView(oscar_views.BasketView):
    def get_template_names(self):
        if self.request.htmx:
            return [BASKET_FRAGMENT_TEMPLATE]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get(self, request, *args, **kwargs):
        """A voucher that can't be used any more (used up by other orders,
        expired) is taken off the basket, and the shopper told why."""
        basket = request.basket
        for voucher in getattr(basket, "vouchers_unusable", ()):
            if basket_voucher_remove(basket_id=basket.pk, code=voucher.code):
                refusal = voucher_refusal(voucher=voucher, user=request.user) or ""
                messages.warning(
                    request, f"{refusal} {_('It has been taken off your basket.')}"
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["free_shipping_shortfall"] = free_shipping_shortfall(
            basket=self.request.basket
        )
        context["waiting_payment"] = payment_waiting_for_shopper(
            session=self.request.session
        )
        context["next_tiers"] = basket_next_tiers(basket=self.request.basket)
        context["complements"] = basket_complements_cards(
            products=[line.product for line in self.request.basket.all_lines()],
            user=self.request.user,
        )
        return context

    def get_basket_warnings(self, basket):
        return basket_warnings(basket=basket)

    def get_upsell_messages(self, basket):
        """Oscar's upsell messages from the offers the middleware already
        fetched and applied, skipping the ones applied (no queries for them)."""
        applied = basket.offer_applications.offers
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in getattr(basket, "offers_considered", ())
            if offer.pk not in applied
            and offer.is_condition_partially_satisfied(basket)
        ]

    def formset_valid(self, formset):
        response = super().formset_valid(formset)
        if not self.request.htmx or response.status_code != 302:
            return response
        # The lines changed under the basket's cached copy: read it afresh,
        # price it again, and render the page's content with a fresh formset.
        self._basket_reload()
        return self.render_to_response(
            self.get_context_data(formset=self._formset_unbound())
        )

    def _basket_reload(self):
        basket = Basket.objects.get(pk=self.request.basket.pk)
        basket.strategy = self.request.strategy
        basket_offers_apply(basket=basket, request=self.request)
        self.request.basket = basket

    def _formset_unbound(self):
        kwargs = self.get_formset_kwargs()
        for key in ("data", "files", "queryset"):
            kwargs.pop(key, None)
        return self.get_formset()(queryset=self.get_queryset(), **kwargs)


class BasketAddView(oscar_views.BasketAddView):
    def post(self, request, *args, **kwargs):
        try:
            self.product = product_for_basket(pk=kwargs["pk"])
        except Product.DoesNotExist as exc:
            raise Http404("No such product") from exc
        # Oscar's post only loads the product, without its stock records.
        return super(oscar_views.BasketAddView, self).post(request, *args, **kwargs)

    def form_valid(self, form):
        """Oscar's addition. With htmx the offers are applied once, after the
        product is added, and compared with those remembered from the last
        pricing; without, the page the shopper is sent to does that."""
        offers_before = basket_offer_ids_applied_before(request=self.request)
        self.line, self.line_created = self.request.basket.add_product(
            form.product, form.cleaned_data["quantity"], form.cleaned_options()
        )
        messages.success(
            self.request, self.get_success_message(form), extra_tags="safe noicon"
        )
        self.add_signal.send(
            sender=self,
            product=form.product,
            user=self.request.user,
            request=self.request,
        )
        if not self.request.htmx:
            response = redirect(self.get_success_url())
            basket_offers_check_later(response)
            return response
        BasketMessageGenerator().apply_messages(self.request, offers_before)
        return self._feedback(added=True)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if not self.request.htmx:
            return response
        # The product page re-renders the form from this on its next full load;
        # an htmx shopper sees the error in place instead.
        self.request.session.pop(
            f"add_to_basket_form_post_data_{self.product.pk}", None
        )
        return self._feedback(added=False)

    def _feedback(self, *, added: bool):
        """The messages Oscar queued for this addition, rendered for
        `#basket-feedback` (and so taken off the queue), plus the mini-basket."""
        response = render(
            self.request,
            ADD_FEEDBACK_TEMPLATE,
            {"added": added, "feedback_messages": messages.get_messages(self.request)},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response


class VoucherAddView(oscar_views.VoucherAddView):
    """Oscar's, with a message for each reason a code does not apply (unknown,
    not started, expired, used up, basket below the minimum, nothing covered)
    and for a code that can't be one (too long, odd characters)."""

    form_class = BasketVoucherForm

    def apply_voucher_to_basket(self, voucher):
        basket = self.request.basket
        refusal = voucher_refusal(voucher=voucher, user=self.request.user)
        if refusal:
            messages.error(self.request, refusal)
            return
        unmet = basket_voucher_try(
            basket=basket, voucher=voucher, user=self.request.user, request=self.request
        )
        if unmet:
            messages.warning(self.request, unmet)
            return
        basket_offers_remember(request=self.request, basket=basket)
        self.add_signal.send(sender=self, basket=basket, voucher=voucher)
        messages.success(
            self.request,
            _("Voucher %(code)s added to your basket.") % {"code": voucher.code},
        )

    def form_valid(self, form):
        code = form.cleaned_data["code"]
        basket = self.request.basket
        if not basket.id:
            messages.error(
                self.request,
                _("Add something to your basket first, then enter the voucher code."),
            )
            return redirect_to_referrer(self.request, "basket:summary")
        known = self.voucher_model._default_manager.filter(code=code).exists()
        if not known and not basket.contains_voucher(code):
            messages.error(
                self.request,
                _("There is no voucher with the code %(code)s.") % {"code": code},
            )
            return redirect_to_referrer(self.request, "basket:summary")
        return super().form_valid(form)

    def form_invalid(self, form):
        for error in form.errors.get("code", []):
            messages.error(self.request, error)
        return redirect(reverse("basket:summary") + "#voucher")
