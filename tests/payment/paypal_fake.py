"""A fake PayPal on loopback for the tests: the few endpoints the shop calls (an
OAuth token, Orders v2 create/get/capture, a capture's refund and the webhook
verification), answering as PayPal documents them, and the page where a shopper
approves or cancels an order, which sends them back to the shop's address.

It honours PayPal-Request-Id (a repeated request gets the first answer), counts
the captures and refunds it makes, and signs webhooks so that only the ones made
here for the shop's webhook id verify.
"""

import base64
import hashlib
import hmac
import http.client
import json
import re
import threading
import uuid
import zlib
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
WEBHOOK_ID = "WH-FAKE-SHOP"
_SIGNING_KEY = b"fake-paypal-signing-key"
CERT_URL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-FAKE"


def _id(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:17].upper()


def _crc(event: dict) -> int:
    return zlib.crc32(json.dumps(event, sort_keys=True).encode())


def _signature(transmission_id: str, at: str, webhook_id: str, event: dict) -> str:
    message = f"{transmission_id}|{at}|{webhook_id}|{_crc(event)}"
    return hmac.new(_SIGNING_KEY, message.encode(), hashlib.sha256).hexdigest()


def webhook_request(event: dict, *, webhook_id: str = WEBHOOK_ID) -> dict:
    """What PayPal would post to a webhook with this id, as keyword arguments of
    Django's test client: the event and its transmission headers."""
    transmission_id = str(uuid.uuid4())
    at = "2026-11-25T10:00:00Z"
    return {
        "data": json.dumps(event),
        "content_type": "application/json",
        "HTTP_PAYPAL_AUTH_ALGO": "SHA256withRSA",
        "HTTP_PAYPAL_CERT_URL": CERT_URL,
        "HTTP_PAYPAL_TRANSMISSION_ID": transmission_id,
        "HTTP_PAYPAL_TRANSMISSION_TIME": at,
        "HTTP_PAYPAL_TRANSMISSION_SIG": _signature(
            transmission_id, at, webhook_id, event
        ),
    }


class FakePayPal:
    """PayPal's state, shared by the server's threads."""

    def __init__(self) -> None:
        self.url = ""
        self.lock = threading.Lock()
        self.orders: dict[str, dict] = {}
        self.declines: set[str] = set()  # orders whose capture will be declined
        self.shop_urls: dict[str, dict] = {}  # order id → return and cancel URLs
        self.captures: dict[str, dict] = {}  # capture id → capture
        self.refunds: dict[str, list[dict]] = {}  # capture id → its refunds
        self.answered: dict[tuple, tuple[int, dict]] = {}  # by PayPal-Request-Id
        self.tokens: set[str] = set()

    # --- What a test looks at or does -----------------------------------------

    def order(self, order_id: str) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.orders[order_id]))

    def captures_of(self, order_id: str) -> list[dict]:
        with self.lock:
            return [c for c in self.captures.values() if c["order_id"] == order_id]

    def event(self, event_type: str, order_id: str) -> dict:
        """A webhook event as PayPal sends it: the order, or its capture."""
        if event_type.startswith("CHECKOUT.ORDER."):
            resource = self.order(order_id)
        else:
            [capture] = self.captures_of(order_id) or [
                {"id": _id(), "status": "DECLINED", "order_id": order_id}
            ]
            resource = {
                key: value for key, value in capture.items() if key != "order_id"
            }
            resource["supplementary_data"] = {"related_ids": {"order_id": order_id}}
        return {
            "id": _id("WH-"),
            "event_version": "1.0",
            "resource_type": "checkout-order" if "ORDER" in event_type else "capture",
            "event_type": event_type,
            "summary": event_type,
            "resource": resource,
        }

    # --- The endpoints --------------------------------------------------------

    def answer(self, method: str, path: str, headers, body: bytes):
        if method == "POST" and path == "/v1/oauth2/token":
            return self.token(headers)
        if method == "GET" and path.startswith("/checkoutnow"):
            return self.shopper(path)
        bearer = headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.tokens:
            return 401, {"error": "invalid_token"}
        data = json.loads(body) if body else {}
        key = headers.get("PayPal-Request-Id")
        with self.lock:
            if key and (path, key) in self.answered:
                return self.answered[(path, key)]
            status, answer = self.route(method, path, data)
            if key and status < 300:
                self.answered[(path, key)] = (status, answer)
        return status, answer

    def route(self, method: str, path: str, data: dict):
        if method == "POST" and path == "/v2/checkout/orders":
            return self.order_create(data)
        if match := re.fullmatch(r"/v2/checkout/orders/(\w+)", path):
            order = self.orders.get(match[1])
            return (200, order) if order else _not_found()
        if match := re.fullmatch(r"/v2/checkout/orders/(\w+)/capture", path):
            return self.order_capture(match[1])
        if match := re.fullmatch(r"/v2/payments/captures/(\w+)/refund", path):
            return self.capture_refund(match[1], data)
        if path == "/v1/notifications/verify-webhook-signature":
            return self.webhook_verify(data)
        return _not_found()

    def token(self, headers):
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}":
            return 401, {
                "error": "invalid_client",
                "error_description": "Client Authentication failed",
            }
        token = _id("A21AA")
        with self.lock:
            self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 32400}

    def order_create(self, data: dict):
        [unit] = data["purchase_units"]
        context = data["payment_source"]["paypal"]["experience_context"]
        if data.get("intent") != "CAPTURE" or Decimal(unit["amount"]["value"]) <= 0:
            return _unprocessable("INVALID_PARAMETER_VALUE")
        order_id = _id()
        self.shop_urls[order_id] = {
            "return": context["return_url"],
            "cancel": context["cancel_url"],
        }
        self.orders[order_id] = {
            "id": order_id,
            "intent": "CAPTURE",
            "status": "PAYER_ACTION_REQUIRED",
            "payment_source": {"paypal": {}},
            "purchase_units": [{"reference_id": "default", **unit}],
            "links": [
                {
                    "href": f"{self.url}/v2/checkout/orders/{order_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                },
            ],
        }
        return 200, self.orders[order_id]

    def order_capture(self, order_id: str):
        order = self.orders.get(order_id)
        if order is None:
            return _not_found()
        if order["status"] == "COMPLETED":
            return _unprocessable("ORDER_ALREADY_CAPTURED")
        if order["status"] != "APPROVED":
            return _unprocessable("ORDER_NOT_APPROVED")
        if order_id in self.declines:
            return _unprocessable("INSTRUMENT_DECLINED")
        unit = order["purchase_units"][0]
        capture = {
            "id": _id(),
            "status": "COMPLETED",
            "amount": unit["amount"],
            "final_capture": True,
            "custom_id": unit.get("custom_id", ""),
        }
        self.captures[capture["id"]] = {**capture, "order_id": order_id}
        order["status"] = "COMPLETED"
        unit["payments"] = {"captures": [capture]}
        return 201, order

    def capture_refund(self, capture_id: str, data: dict):
        capture = self.captures.get(capture_id)
        if capture is None:
            return _not_found()
        amount = data.get("amount") or capture["amount"]
        refunds = self.refunds.setdefault(capture_id, [])
        refunded = sum(Decimal(r["amount"]["value"]) for r in refunds)
        total = Decimal(capture["amount"]["value"])
        if refunded + Decimal(amount["value"]) > total:
            return _unprocessable("REFUND_AMOUNT_EXCEEDED")
        refund = {"id": _id(), "status": "COMPLETED", "amount": amount}
        refunds.append(refund)
        left = total - refunded - Decimal(amount["value"])
        capture["status"] = "REFUNDED" if not left else "PARTIALLY_REFUNDED"
        return 201, refund

    def webhook_verify(self, data: dict):
        event = data.get("webhook_event") or {}
        expected = _signature(
            data.get("transmission_id", ""),
            data.get("transmission_time", ""),
            WEBHOOK_ID,
            event,
        )
        verified = (
            data.get("webhook_id") == WEBHOOK_ID
            and data.get("cert_url") == CERT_URL
            and hmac.compare_digest(data.get("transmission_sig", ""), expected)
        )
        return 200, {"verification_status": "SUCCESS" if verified else "FAILURE"}

    def shopper(self, path: str):
        """The shopper on PayPal's page: `choice` approve (the default), decline
        (approve with money that will be refused at capture) or cancel; sent
        back to the shop as PayPal does."""
        query = parse_qs(urlsplit(path).query)
        order_id, choice = query["token"][0], query.get("choice", ["approve"])[0]
        with self.lock:
            order, urls = self.orders[order_id], self.shop_urls[order_id]
            if choice == "cancel":
                return 302, {"Location": f"{urls['cancel']}?token={order_id}"}
            if order["status"] == "PAYER_ACTION_REQUIRED":
                order["status"] = "APPROVED"
                order["payer"] = {"payer_id": "FAKEPAYER", "email_address": "p@x.test"}
            if choice == "decline":
                self.declines.add(order_id)
        back = urlencode({"token": order_id, "PayerID": "FAKEPAYER"})
        return 302, {"Location": f"{urls['return']}?{back}"}


def _not_found():
    return 404, {"name": "RESOURCE_NOT_FOUND", "message": "Not found", "details": []}


def _unprocessable(issue: str):
    return 422, {
        "name": "UNPROCESSABLE_ENTITY",
        "message": "The requested action could not be performed.",
        "details": [{"issue": issue, "description": issue.replace("_", " ")}],
    }


def _handler(fake: FakePayPal):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, answer = fake.answer(self.command, self.path, self.headers, body)
            self.send_response(status)
            if status == 302:
                self.send_header("Location", answer["Location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            payload = json.dumps(answer).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("PayPal-Debug-Id", "fake")
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, format, *args):  # noqa: A002 - quiet
            pass

    return Handler


def shopper_at_paypal(action_url: str, choice: str = "approve") -> str:
    """The shopper's browser on PayPal's page: approves (or declines with money
    PayPal will refuse at capture, or cancels); returns the shop address PayPal
    sends them back to."""
    parts = urlsplit(action_url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}&choice={choice}")
        response = connection.getresponse()
        assert response.status == 302, response.status
        return response.getheader("Location")
    finally:
        connection.close()


def start() -> tuple[FakePayPal, ThreadingHTTPServer]:
    """The fake, listening on a free loopback port in a daemon thread."""
    fake = FakePayPal()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
