"""Merchant tokens: made with their scopes (the secret shown once), checked on
every request against the stored SHA-256 of their secret, revoked by prefix.

A token reads `mt_<prefix>_<secret>`: the prefix finds the row, the secret is
compared in constant time (hmac.compare_digest) with what was stored."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import MerchantToken

SCOPES = tuple(code for code, _label in MerchantToken.SCOPES)
TOKEN_START = "mt_"
# last_used is written at most this often, not on every request.
LAST_USED_EVERY = timedelta(minutes=1)


class ScopeUnknown(ValueError):
    pass


class TokenRefused(Exception):
    """The text is no live merchant token; the message says why."""


def merchant_token_create(
    *, name: str, scopes: Iterable[str], created_by=None
) -> tuple[MerchantToken, str]:
    """A new token with these scopes, and its full text (`mt_<prefix>_<secret>`),
    which is not kept anywhere: the caller shows it once. Raises ScopeUnknown."""
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ScopeUnknown(
            f"Unknown scopes {', '.join(unknown)}; choose from {', '.join(SCOPES)}."
            if unknown
            else f"Give at least one scope: {', '.join(SCOPES)}."
        )
    prefix = secrets.token_hex(4)
    while MerchantToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = MerchantToken.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=_hashed(secret),
        scopes=scopes,
        created_by=created_by,
    )
    return token, f"{TOKEN_START}{prefix}_{secret}"


def merchant_token_revoke(*, prefix: str) -> MerchantToken | None:
    """Revoke the token with this prefix (from then on it answers 401); the
    token, or None when there is no such token. Revoking twice keeps the first
    time."""
    token = MerchantToken.objects.filter(prefix=prefix.removeprefix(TOKEN_START))
    token = token.first()
    if token is not None and token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def merchant_token_check(*, text: str) -> MerchantToken:
    """The live token this text is; notes when it was last used. Raises
    TokenRefused saying why (malformed, unknown or wrong secret, revoked)."""
    prefix, sep, secret = text.removeprefix(TOKEN_START).partition("_")
    if not text.startswith(TOKEN_START) or not sep or not prefix or not secret:
        raise TokenRefused(
            _("A merchant token reads mt_<prefix>_<secret>; this one doesn't.")
        )
    token = MerchantToken.objects.filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hashed(secret)):
        raise TokenRefused(_("This merchant token is not known."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This merchant token was revoked; ask for a new one."))
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
        MerchantToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token


def _hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
