from django.urls import path

from integrations.views import google_feed, meta_feed

urlpatterns = [
    path("google.xml", google_feed, name="feed-google"),
    path("meta.csv", meta_feed, name="feed-meta"),
]
