"""Open311 GeoReport v2 (JSON), mounted at /open311/v2/ — see ``grid.open311``."""

from django.urls import path

from . import open311

urlpatterns = [
    path("services.json", open311.services_list, name="open311_services"),
    path("services/<str:code>.json", open311.service_definition, name="open311_service"),
    path("requests.json", open311.requests_view, name="open311_requests"),
    path("requests/<int:pk>.json", open311.request_detail, name="open311_request"),
]
