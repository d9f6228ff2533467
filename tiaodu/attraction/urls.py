from django.urls import path

from . import views

app_name = "attraction"

urlpatterns = [
    path("attraction/", views.LeadListView.as_view(), name="lead_list"),
    path("attraction/add/", views.LeadAddView.as_view(), name="lead_add"),
    path("attraction/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("attraction/<int:pk>/edit/", views.LeadEditView.as_view(), name="lead_edit"),
    path("attraction/<int:pk>/advance/", views.LeadAdvanceView.as_view(), name="lead_advance"),
    path("attraction/<int:pk>/sign/", views.LeadSignView.as_view(), name="lead_sign"),
    path("attraction/<int:pk>/funds/", views.LeadFundsView.as_view(), name="lead_funds"),
    path("attraction/<int:pk>/project/", views.LeadProjectView.as_view(), name="lead_project"),
    path("attraction/<int:pk>/sync/", views.LeadSyncView.as_view(), name="lead_sync"),
    path("attraction/<int:pk>/terminate/", views.LeadTerminateView.as_view(), name="lead_terminate"),
    path("attraction/teams/", views.TeamListView.as_view(), name="team_list"),
    path("attraction/teams/add/", views.TeamAddView.as_view(), name="team_add"),
    path("attraction/teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("attraction/alarms/", views.AlarmListView.as_view(), name="alarm_list"),
    path("attraction/alarms/<int:lead>/<int:rule>/problem/", views.AlarmProblemView.as_view(), name="alarm_problem"),
    path("attraction/alarm-rules/", views.RuleListView.as_view(), name="rule_list"),
    path("attraction/alarm-rules/add/", views.RuleAddView.as_view(), name="rule_add"),
    path("attraction/alarm-rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("attraction/figures/", views.FiguresView.as_view(), name="figures"),
    path("attraction/figures/drilldown/", views.DrilldownView.as_view(), name="drilldown"),
]
