import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search URL (`search:search`) served by our database search view."""

    name = "search"

    def ready(self):
        from catalogue.views import ProductSearchView

        self.search_view = ProductSearchView
