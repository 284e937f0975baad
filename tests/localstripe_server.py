"""localstripe, the fake Stripe the tests run on loopback, with the one endpoint
the mobile Payment Sheet needs that it lacks: ephemeral keys for a customer.

Run as a script: `python tests/localstripe_server.py --port N --from-scratch`.
"""

import secrets
import time

from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import Customer, StripeObject


class EphemeralKey(StripeObject):
    object = "ephemeral_key"
    _id_prefix = "ephkey_"

    def __init__(self, customer=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        if not isinstance(customer, str):
            raise UserError(400, "Bad request: customer is required")
        Customer._api_retrieve(customer)  # 404 for an unknown customer
        super().__init__()
        self.secret = f"ek_test_{secrets.token_hex(16)}"
        self.expires = int(time.time()) + 3600
        self.associated_objects = [{"id": customer, "type": "customer"}]


server.app.router.add_route(
    "POST",
    "/v1/ephemeral_keys",
    server.api_create(EphemeralKey, "/v1/ephemeral_keys"),
)

if __name__ == "__main__":
    server.start()
