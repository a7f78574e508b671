"""The REST API: each app contributes its routes from its own ``api.py``."""

from importlib import import_module

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

API_MODULES = [
    "taizhang.ledger.api",
    "taizhang.org.api",
    "taizhang.supervision.api",
    "taizhang.indicators.api",
    "taizhang.assessment.api",
    "taizhang.cockpit.api",
    "taizhang.grid.api",
]

router = DefaultRouter()
for module in API_MODULES:
    import_module(module).register(router)

urlpatterns = [path("token/", obtain_auth_token, name="api-token"), *router.urls]
