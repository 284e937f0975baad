import os

from django.core.wsgi import get_wsgi_application

from shop.preflight import check_services

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()
check_services()
