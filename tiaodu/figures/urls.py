from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/drilldown/", views.DrilldownView.as_view(), name="drilldown"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
