from django.urls import path

from . import views, views_xlsx

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/export.xlsx", views_xlsx.export_projects, name="projects_xlsx"),
    path("projects/map/", views.project_map, name="project_map"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/export.xlsx", views_xlsx.export_tasks, name="tasks_xlsx"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/report/", views.report_create, name="report_create"),
    path("items/<int:pk>/whistle/", views.whistle_create, name="whistle_create"),
    path("items/<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"),
    path("reports/missing/", views.reports_missing, name="reports_missing"),
    path("whistles/", views.whistle_list, name="whistles"),
    path("whistles/<int:pk>/", views.whistle_detail, name="whistle"),
    path("import/", views_xlsx.import_ledger, name="import"),
    path("import/template/<str:kind>/", views_xlsx.import_template, name="import_template"),
]
