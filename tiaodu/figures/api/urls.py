from django.urls import path

from . import views

urlpatterns = [
    path("", views.FiguresAPIView.as_view(), name="api-figures"),
    path("ranking/", views.FigureRankingAPIView.as_view(), name="api-figures-ranking"),
    path("drilldown/", views.FigureDrilldownAPIView.as_view(), name="api-figures-drilldown"),
]
