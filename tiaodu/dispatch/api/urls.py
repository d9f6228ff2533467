"""The dispatch API's routes (``/api/meetings/``, ``/api/site-visits/``, ``/api/inspection-tours/``)."""

from rest_framework.routers import SimpleRouter

from .views import InspectionTourViewSet, MeetingViewSet, SiteVisitViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("site-visits", SiteVisitViewSet, basename="sitevisit")
router.register("inspection-tours", InspectionTourViewSet, basename="inspectiontour")

urlpatterns = router.urls
