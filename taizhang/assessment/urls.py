from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme, name="scheme"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/publish/", views.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/adjustments/", views.adjustments, name="adjustments"),
    path("schemes/<int:pk>/periods/<int:period_pk>/", views.rankings, name="rankings"),
    path("schemes/<int:pk>/periods/<int:period_pk>/recompute/", views.period_recompute, name="recompute"),
    path("schemes/<int:pk>/periods/<int:period_pk>/publish/", views.period_publish, name="run_publish"),
    path("schemes/<int:pk>/periods/<int:period_pk>/bulletin.docx", views.results_docx, name="results_docx"),
    path("schemes/<int:pk>/periods/<int:period_pk>/manual/", views.manual_scores, name="manual"),
    path("schemes/<int:pk>/periods/<int:period_pk>/units/<int:unit_pk>/", views.unit_score, name="unit_score"),
    path("scores/<int:rule_score_pk>/object/", views.objection_file, name="objection_file"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("observation/new/", views.session_create, name="session_create"),
    path("observation/<int:pk>/", views.session, name="session"),
    path("observation/<int:pk>/subjects/<int:subject_pk>/", views.session_score, name="session_score"),
    path("observation/<int:pk>/publish/", views.session_publish, name="session_publish"),
]
