"""The merchant's tax rates by destination country (partner.TaxRate): a list
with a form to add one, a page to change one, and removal. While none is set,
the environment's SHOP_TAX_RATES apply, and the page says so."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from oscar.core.loading import get_model

from partner.models import TaxRate

Country = get_model("address", "Country")
TEMPLATE = "oscar/dashboard/tax_rates.html"


class TaxRateForm(forms.ModelForm):
    """The rate as the merchant says it, a percentage (20 for 20%)."""

    country = forms.ChoiceField(label=gettext_lazy("Country"))
    percent = forms.DecimalField(
        label=gettext_lazy("Rate (%)"),
        min_value=Decimal(0),
        max_value=Decimal("99.99"),
        decimal_places=2,
    )

    class Meta:
        model = TaxRate
        fields = ["country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            (code, f"{name} ({code})")
            for code, name in Country.objects.order_by("name").values_list(
                "iso_3166_1_a2", "name"
            )
        ]
        if self.instance.pk:
            percent = f"{self.instance.rate * 100:.2f}".rstrip("0").rstrip(".")
            self.initial["percent"] = Decimal(percent)

    def clean_country(self):
        country = self.cleaned_data["country"]
        taken = TaxRate.objects.filter(country=country).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("%(country)s has a rate already: change that one.")
                % {"country": country}
            )
        return country

    def save(self, commit=True):
        self.instance.rate = self.cleaned_data["percent"] / 100
        return super().save(commit=commit)


@require_http_methods(["GET", "POST"])
def tax_rate_list_view(request: HttpRequest) -> HttpResponse:
    form = TaxRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            copied = _environment_rates_copy(but=form.cleaned_data["country"])
            rate = form.save()
        messages.success(
            request, _("Tax rate for %(country)s saved.") % {"country": rate.country}
        )
        if copied:
            messages.info(
                request,
                _(
                    "The rates from SHOP_TAX_RATES were copied in too, so the other "
                    "countries pay what they did: change or remove them here."
                ),
            )
        return redirect("dashboard:tax-rate-list")
    return render(request, TEMPLATE, _context(form))


@require_http_methods(["GET", "POST"])
def tax_rate_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(TaxRate, pk=pk)
    form = TaxRateForm(request.POST or None, instance=rate)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Tax rate for %(country)s saved.") % {"country": rate.country}
        )
        return redirect("dashboard:tax-rate-list")
    return render(request, TEMPLATE, _context(form, editing=rate))


@require_POST
def tax_rate_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(TaxRate, pk=pk)
    rate.delete()
    messages.success(
        request,
        _("Tax rate for %(country)s removed: orders shipped there pay no tax.")
        % {"country": rate.country},
    )
    return redirect("dashboard:tax-rate-list")


def _environment_rates_copy(*, but: str) -> int:
    """The first rate set here replaces the environment's altogether, so those
    are copied in first (all but `but`'s): adding one country's rate never
    takes away another's."""
    if TaxRate.objects.select_for_update().exists():
        return 0
    copied = [
        TaxRate(country=code, rate=rate)
        for code, rate in settings.SHOP_TAX_RATES.items()
        if code != but
    ]
    TaxRate.objects.bulk_create(copied, ignore_conflicts=True)
    return len(copied)


def _context(form, editing=None) -> dict:
    rates = list(TaxRate.objects.all())
    return {
        "form": form,
        "rates": rates,
        "editing": editing,
        "environment_rates": None
        if rates
        else [(code, rate * 100) for code, rate in settings.SHOP_TAX_RATES.items()],
        "home_country": settings.SHOP_COUNTRY,
    }
