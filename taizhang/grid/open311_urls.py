from django.urls import path  # noqa: F401

# Open311 GeoReport v2 (services, requests): mounted at /open311/v2/.
urlpatterns: list = []
