import os

from django.core.asgi import get_asgi_application

from shop.preflight import check_services

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_asgi_application()
check_services()
