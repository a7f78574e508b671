from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from taizhang.core import views as core_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", core_views.notifications, name="notifications"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("taizhang.api_urls")),
    path("supervision/", include("taizhang.supervision.urls")),
    path("speech/", include("taizhang.speech.urls")),
    path("indicators/", include("taizhang.indicators.urls")),
    path("assessment/", include("taizhang.assessment.urls")),
    path("cockpit/", include("taizhang.cockpit.urls")),
    path("grid/", include("taizhang.grid.urls")),
    path("open311/v2/", include("taizhang.grid.open311_urls")),
    path("", include("taizhang.ledger.urls")),
]
