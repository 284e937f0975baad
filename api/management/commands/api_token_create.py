"""Make a merchant token for an integration; its text is printed once."""

from django.core.management.base import BaseCommand, CommandError

from api.merchant.tokens import SCOPES, ScopeUnknown, merchant_token_create


class Command(BaseCommand):
    help = "Make a merchant token with scopes; prints it once (only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who or what uses it")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated, from: {', '.join(SCOPES)}",
        )

    def handle(self, *args, name: str, scopes: str, **options):
        try:
            token, text = merchant_token_create(
                name=name,
                scopes=[scope.strip() for scope in scopes.split(",") if scope.strip()],
            )
        except ScopeUnknown as error:
            raise CommandError(str(error)) from None
        self.stdout.write(text)
        self.stderr.write(
            f"Token {token.prefix} for {token.name} ({', '.join(token.scopes)}). "
            "Keep it now: it is not shown again."
        )
