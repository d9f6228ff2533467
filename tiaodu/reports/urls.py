from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("reports/fill/", views.FillView.as_view(), name="fill"),
    path("reports/fill/<int:pk>/", views.FillRowView.as_view(), name="fill_row"),
    path("reports/review/", views.ReviewView.as_view(), name="review"),
    path("reports/missing/", views.MissingReportListView.as_view(), name="missing"),
    path("reports/all/", views.ReportListView.as_view(), name="report_list"),
    path("reports/locks/", views.LockListView.as_view(), name="locks"),
    path("reports/reminders/", views.RemindersView.as_view(), name="reminders"),
    path("reports/bell/", views.BellView.as_view(), name="bell"),
    path("reports/rules/<str:code>/", views.ReportingRuleEditView.as_view(), name="rule_edit"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/accept/", views.ReportAcceptView.as_view(), name="report_accept"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("reports/<int:pk>/correct/", views.ReportCorrectView.as_view(), name="report_correct"),
]
