import oscar.apps.payment.apps as apps


class PaymentConfig(apps.PaymentConfig):
    """Oscar's payment records, plus a payment per basket and gateway that lives
    from the moment a shopper starts paying (payment.services), and the gateway
    adapters (payment.gateways)."""

    name = "payment"
