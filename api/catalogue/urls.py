from django.urls import path

from api.catalogue.views import category_list

urlpatterns = [
    path("categories/", category_list, name="category-list"),
]
