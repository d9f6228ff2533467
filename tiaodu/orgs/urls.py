from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/add/", views.OrganisationCreateView.as_view(), name="organisation_add"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path("officials/add/", views.OfficialCreateView.as_view(), name="official_add"),
    path("officials/<int:pk>/", views.OfficialDetailView.as_view(), name="official_detail"),
    path("officials/<int:pk>/edit/", views.OfficialEditView.as_view(), name="official_edit"),
]
