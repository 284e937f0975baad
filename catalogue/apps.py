import oscar.apps.catalogue.apps as apps
from django.urls import path


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"

    def ready(self):
        super().ready()
        from catalogue import receivers
        from catalogue.views import SearchSuggestView

        receivers.connect()
        self.suggest_view = SearchSuggestView

    def get_urls(self):
        urls = super().get_urls()
        urls.insert(0, path("suggest/", self.suggest_view.as_view(), name="suggest"))
        return self.post_process_urls(urls)
