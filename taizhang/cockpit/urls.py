from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.index, name="index"),
    path("bigscreen/", views.bigscreen, name="bigscreen"),
]
