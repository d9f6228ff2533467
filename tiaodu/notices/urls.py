from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="list"),
    path("notices/<int:pk>/open/", views.NoticeOpenView.as_view(), name="open"),
    path("notices/read-all/", views.NoticeReadAllView.as_view(), name="read_all"),
]
