"""The offer wizard's last step saves who may use the offer with it; and the
pages where merchants keep the customer groups offers are kept to."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.dashboard.offers import views as oscar_views

from dashboard.offers.forms import CustomerGroupForm
from offer.customer_groups import (
    UnknownCustomerEmails,
    customer_group_member_emails,
    customer_group_save,
    customer_groups_listed,
)
from offer.models import CustomerGroup


class OfferRestrictionsView(oscar_views.OfferRestrictionsView):
    def form_valid(self, form):
        # The customer groups are a many-to-many: set once the offer has an
        # id, in the same transaction as the offer itself.
        with transaction.atomic():
            offer = form.save(commit=False)
            response = self.save_offer(offer)
            offer.customer_groups.set(form.cleaned_data["customer_groups"])
        return response


class CustomerGroupListView(generic.ListView):
    template_name = "oscar/dashboard/offers/customer_group_list.html"
    context_object_name = "groups"
    paginate_by = settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE

    def get_queryset(self):
        return customer_groups_listed()


class CustomerGroupFormView(generic.FormView):
    """Creates a group, or edits the one named in the address: the members
    come in as email addresses and customer_group_save resolves them."""

    template_name = "oscar/dashboard/offers/customer_group_form.html"
    form_class = CustomerGroupForm
    success_url = reverse_lazy("dashboard:customer-group-list")

    def dispatch(self, request, *args, **kwargs):
        self.group = (
            get_object_or_404(CustomerGroup, pk=kwargs["pk"])
            if "pk" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.group is not None:
            kwargs["instance"] = self.group
            kwargs["initial"] = {
                "members": "\n".join(customer_group_member_emails(group=self.group))
            }
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group
        ctx["title"] = self.group.name if self.group else _("New customer group")
        return ctx

    def form_valid(self, form):
        try:
            group = customer_group_save(
                group=self.group,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                member_emails=form.cleaned_data["members"],
            )
        except UnknownCustomerEmails as error:
            form.add_error(
                "members",
                _("No customer has the address %(emails)s. Nothing was saved.")
                % {"emails": ", ".join(error.emails)},
            )
            return self.form_invalid(form)
        messages.success(
            self.request, _("Customer group '%(name)s' saved") % {"name": group.name}
        )
        return redirect(self.success_url)


class CustomerGroupDeleteView(generic.DeleteView):
    model = CustomerGroup
    template_name = "oscar/dashboard/offers/customer_group_delete.html"
    context_object_name = "group"
    success_url = reverse_lazy("dashboard:customer-group-list")

    def form_valid(self, form):
        messages.success(
            self.request,
            _("Customer group '%(name)s' deleted") % {"name": self.object.name},
        )
        return super().form_valid(form)
