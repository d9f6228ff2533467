from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", views.ProjectCreateView.as_view(), name="project_add"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/stage/<str:stage>/", views.ProjectStageView.as_view(), name="project_stage"),
    path("key-lists/", views.KeyListListView.as_view(), name="keylist_list"),
    path("key-lists/add/", views.KeyListCreateView.as_view(), name="keylist_add"),
    path("key-lists/<int:pk>/", views.KeyListDetailView.as_view(), name="keylist_detail"),
    path("key-lists/<int:pk>/entries/add/", views.KeyListEntryAddView.as_view(), name="keylist_entry_add"),
    path("key-lists/<int:pk>/publish/", views.KeyListPublishView.as_view(), name="keylist_publish"),
    path("key-list-entries/<int:pk>/edit/", views.KeyListEntryEditView.as_view(), name="keylist_entry_edit"),
    path("key-list-entries/<int:pk>/remove/", views.KeyListEntryRemoveView.as_view(), name="keylist_entry_remove"),
]
