from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from catalogue.views import HomeView
from order.webhooks import fulfilment_callback
from payment.views import paypal_webhook, stripe_webhook
from shop.sitemaps import robots_txt, sitemap_index, sitemap_section
from shop.views import healthz, manifest, media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("feeds/", include("integrations.urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("", HomeView.as_view(), name="home"),
    path("payment/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("payment/paypal/webhook/", paypal_webhook, name="paypal-webhook"),
    path(
        "fulfilment/callbacks/<slug:provider>/",
        fulfilment_callback,
        name="fulfilment-callback",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("order.urls")),  # before Oscar's: guest order links
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.insert(
        0,
        re_path(rf"^{media_prefix}/(?P<path>.*)$", media, name="media"),
    )

handler403 = "oscar.views.handler403"
handler404 = "oscar.views.handler404"
handler500 = "oscar.views.handler500"
