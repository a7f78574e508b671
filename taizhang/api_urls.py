"""The REST API: each app contributes its routes from its own ``api.py``."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from taizhang.ledger import api as ledger_api
from taizhang.org import api as org_api
from taizhang.supervision import api as supervision_api

router = DefaultRouter()
ledger_api.register(router)
org_api.register(router)
supervision_api.register(router)

urlpatterns = [path("token/", obtain_auth_token, name="api-token"), *router.urls]
