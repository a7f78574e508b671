from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin/docx/", views.bulletin_docx, name="bulletin_docx"),
    path("notices/", views.notices, name="notices"),
    path("notices/export.xlsx", views.notices_xlsx, name="notices_xlsx"),
    path("notices/generate/", views.notices_generate, name="notices_generate"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
]
