"""Helpers for reading the order dashboard's answers."""

import html

from django.contrib.messages import get_messages
from django.urls import reverse


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def order_url(name: str, order, **kwargs) -> str:
    return reverse(f"dashboard:{name}", kwargs={"number": order.number, **kwargs})
