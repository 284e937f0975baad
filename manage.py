#!/usr/bin/env python
import os
import sys

# Commands that serve or change data need the database; they check it first so an
# unreachable server is one clear line, not a traceback.
NEEDS_SERVICES = {"runserver", "migrate", "seed_demo", "createsuperuser", "shell"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1 and sys.argv[1] in NEEDS_SERVICES:
        import django

        from shop.preflight import check_services

        django.setup()
        check_services()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
