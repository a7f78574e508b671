from django.urls import path

from . import views

app_name = "grid"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<str:action>/", views.case_act, name="case_act"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("inbox/", views.inbox, name="inbox"),
    path("verify/", views.verify_list, name="verify"),
    path("mine/", views.mine, name="mine"),
    path("report/", views.report, name="report"),
    path("cells/", views.cells, name="cells"),
    path("cells.geojson", views.cells_geojson, name="cells_geojson"),
    path("stats/", views.stats, name="stats"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue.xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
    path("train/", views.train, name="train"),
    path("public/report/", views.public_report, name="public_report"),
    path("public/track/", views.track, name="track"),
]
