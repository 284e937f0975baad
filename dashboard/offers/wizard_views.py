"""Oscar's offer wizard step, made to carry a gift product between steps and
to save an offer whole or not at all."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from oscar.apps.dashboard.offers import wizard_views


class OfferWizardStepView(wizard_views.OfferWizardStepView):
    def _store_form_kwargs(self, form):
        # Oscar turns the range into its id so the answers fit in the session
        # as JSON; the incentive step now also chooses a gift product.
        data = {
            name: value.pk if isinstance(value, models.Model) else value
            for name, value in form.cleaned_data.items()
        }
        session_data = self.request.session.setdefault(self.wizard_name, {})
        session_data[self._key()] = json.dumps({"data": data}, cls=DjangoJSONEncoder)
        self.request.session.save()

    def get_context_data(self, **kwargs):
        # The summary beside each step previews the incentive and condition
        # chosen so far, not only those of an offer already saved.
        ctx = super().get_context_data(**kwargs)
        saved = getattr(self, "offer", None)
        ctx["session_benefit"] = self._fetch_object("benefit") or (
            saved.benefit if saved else None
        )
        ctx["session_condition"] = self._fetch_object("condition") or (
            saved.condition if saved else None
        )
        return ctx

    def save_offer(self, offer):
        # Oscar saves the incentive and condition before the offer: all three
        # are kept, or none.
        with transaction.atomic():
            return super().save_offer(offer)
