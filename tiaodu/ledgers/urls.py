from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("ledgers/", views.LedgerIndexView.as_view(), name="index"),
    path("ledgers/import/projects/", views.ProjectImportView.as_view(), name="import_projects"),
    path("ledgers/import/reports/", views.ReportImportView.as_view(), name="import_reports"),
    path("ledgers/import/problems/", views.ProblemImportView.as_view(), name="import_problems"),
    path("ledgers/import/leads/", views.LeadImportView.as_view(), name="import_leads"),
    path("ledgers/import/enterprises/", views.EnterpriseImportView.as_view(), name="import_enterprises"),
    path("ledgers/import/actuals/", views.ActualImportView.as_view(), name="import_actuals"),
    path("ledgers/uploads/<int:pk>/", views.UploadDetailView.as_view(), name="upload_detail"),
    path("ledgers/uploads/<int:pk>/confirm/", views.UploadConfirmView.as_view(), name="upload_confirm"),
    path("ledgers/uploads/<int:pk>/errors/", views.UploadErrorsView.as_view(), name="upload_errors"),
    path("ledgers/template/", views.TemplateDownloadView.as_view(), name="template"),
    path("ledgers/export/projects/", views.ProjectExportView.as_view(), name="export_projects"),
    path("ledgers/export/reports/", views.ReportExportView.as_view(), name="export_reports"),
]
