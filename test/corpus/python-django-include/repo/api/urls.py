from django.urls import include, path

from ops import urls as ops_urls

from . import views

urlpatterns = [
    path("stock/", views.stock),
    path("ops/", include(ops_urls)),
]
