"""Revoke a merchant token by its prefix: it answers 401 from then on."""

from django.core.management.base import BaseCommand, CommandError

from api.merchant.tokens import merchant_token_revoke


class Command(BaseCommand):
    help = "Revoke the merchant token with this prefix (mt_<prefix>_...)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix: str, **options):
        token = merchant_token_revoke(prefix=prefix)
        if token is None:
            raise CommandError(f"No merchant token has the prefix {prefix}.")
        self.stdout.write(f"Revoked {token} at {token.revoked_at:%Y-%m-%d %H:%M} UTC.")
