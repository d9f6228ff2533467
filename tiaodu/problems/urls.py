from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("problems/", views.ProblemLedgerView.as_view(), name="ledger"),
    path("problems/inbox/", views.InboxView.as_view(), name="inbox"),
    path("problems/add/", views.ProblemAddView.as_view(), name="problem_add"),
    path("problems/categories/", views.CategoryListView.as_view(), name="categories"),
    path("desk/", views.LeaderDeskView.as_view(), name="desk"),
    path("problems/figures/", views.ProblemFiguresView.as_view(), name="figures"),
    path("problems/figures/drilldown/", views.ProblemDrilldownView.as_view(), name="drilldown"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/assign/", views.ProblemAssignView.as_view(), name="problem_assign"),
    path("problems/<int:pk>/start/", views.ProblemStartView.as_view(), name="problem_start"),
    path("problems/<int:pk>/answer/", views.ProblemAnswerView.as_view(), name="problem_answer"),
    path("problems/<int:pk>/close/", views.ProblemCloseView.as_view(), name="problem_close"),
    path("problems/<int:pk>/send-back/", views.ProblemSendBackView.as_view(), name="problem_send_back"),
    path("problems/<int:pk>/escalate/", views.ProblemEscalateView.as_view(), name="problem_escalate"),
    path("problems/attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("reports/<int:pk>/to-problems/", views.FromReportView.as_view(), name="from_report"),
]
