"""Baskets for API clients: an anonymous client holds a signed basket token (sent
back in the X-Basket-Token header); a signed-in customer's basket is their open
basket, the same one the website shows them."""

from functools import cache

from django.core.signing import BadSignature, Signer
from django.db import connection, transaction

from basket.models import Basket

BASKET_TOKEN_HEADER = "X-Basket-Token"
_signer = Signer(salt="api.basket")


def basket_token_for(basket: Basket) -> str:
    return _signer.sign(str(basket.pk))


def basket_id_from_token(token: str | None) -> int | None:
    """The id of the basket a token names, whatever has become of it."""
    try:
        return int(_signer.unsign(token or ""))
    except (BadSignature, ValueError):
        return None


def basket_from_token(token: str | None) -> Basket | None:
    """The open anonymous basket a token names, or None for a bad, spent or
    someone's token."""
    basket_id = basket_id_from_token(token)
    if basket_id is None:
        return None
    sql, params, at = _open_anonymous_basket_query()
    params = [*params[:at], basket_id, *params[at + 1 :]]
    basket = next(iter(Basket.objects.raw(sql, params)), None)
    if basket is not None:
        # A raw query leaves the database's value (SQLite's is 0 or 1).
        basket.has_vouchers = bool(basket.has_vouchers)
    return basket


_ANY_ID = -424242  # stands for the basket id while the query is compiled


@cache
def _open_anonymous_basket_query() -> tuple[str, tuple, int]:
    """The SQL of `Basket.with_voucher_flag` for one open anonymous basket, its
    parameters and where the basket id goes among them. Every API request with
    a basket token asks it, with only the id changing, so it is compiled once
    instead of on each request (the voucher flag's subquery made compiling cost
    more than the query itself)."""
    query = Basket.with_voucher_flag(
        Basket.open.filter(pk=_ANY_ID, owner=None)
    ).order_by()
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params), list(params).index(_ANY_ID)


def basket_for_user(user) -> Basket:
    """The customer's open basket (made when they have none), as the website's
    basket middleware finds it."""
    basket = (
        Basket.with_voucher_flag(Basket.open.filter(owner=user)).order_by("pk").first()
    )
    if basket is None:
        basket = Basket.objects.create(owner=user)
    basket.owner = user
    return basket


def basket_token_merge(*, token: str | None, user) -> Basket:
    """Sign-in with an anonymous basket token: its lines and vouchers join the
    customer's open basket (as the website merges a cookie basket), so a basket
    filled in the app before signing in continues there and on the website."""
    with transaction.atomic():
        basket = basket_for_user(user)
        anonymous = basket_from_token(token)
        if anonymous is not None and anonymous.pk != basket.pk:
            basket.merge(anonymous, add_quantities=False)
    return basket
