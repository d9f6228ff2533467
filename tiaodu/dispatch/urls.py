from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingAddView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("meetings/<int:pk>/agenda/proposed/", views.AgendaProposalAddView.as_view(), name="agenda_proposed"),
    path("meetings/<int:pk>/items/<int:item_pk>/decisions/", views.DecisionsView.as_view(), name="decisions"),
    path("meetings/<int:pk>/tasks/", views.TaskAddView.as_view(), name="task_add"),
    path("meetings/<int:pk>/held/", views.MeetingHeldView.as_view(), name="meeting_held"),
    path("meetings/<int:pk>/minutes.docx", views.MinutesView.as_view(), name="minutes"),
]

urlpatterns += [
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/add/", views.VisitAddView.as_view(), name="visit_add"),
    path("visits/figures/", views.VisitFiguresView.as_view(), name="visit_figures"),
    path("visits/figures/drilldown/", views.VisitDrilldownView.as_view(), name="visit_drilldown"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/problems/", views.VisitProblemView.as_view(), name="visit_problem"),
    path("visits/photos/<int:pk>/", views.VisitPhotoView.as_view(), name="visit_photo"),
]

urlpatterns += [
    path("tours/", views.TourListView.as_view(), name="tour_list"),
    path("tours/add/", views.TourAddView.as_view(), name="tour_add"),
    path("tours/<int:pk>/", views.TourDetailView.as_view(), name="tour_detail"),
    path("tours/<int:pk>/scores/", views.TourScoreView.as_view(), name="tour_score"),
]
