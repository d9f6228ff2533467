from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/zones/add/", views.ZoneCreateView.as_view(), name="zone_add"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<int:pk>/edit/", views.RegionEditView.as_view(), name="region_edit"),
]
