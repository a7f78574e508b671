"""The product's URLs plus the lists' raw-SQL floor pages (bench/floors.py)."""

from django.urls import include, path

from bench.floors import floor_page

urlpatterns = [
    path("_bench/floor/<str:kind>/", floor_page, name="bench-floor"),
    path("", include("taizhang.urls")),
]
