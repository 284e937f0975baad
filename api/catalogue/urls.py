from django.urls import path

from api.catalogue.product_views import ProductDetailView, ProductListView, SearchView
from api.catalogue.views import category_list

urlpatterns = [
    path("categories/", category_list, name="category-list"),
    path("products/", ProductListView.as_view(), name="product-list"),
    path("products/<int:pk>/", ProductDetailView.as_view(), name="product-detail"),
    path("search/", SearchView.as_view(), name="search"),
]
