"""Attraction API routes (``/api/attraction-teams/``, ``/api/leads/``, ``/api/alarm-rules/``, ``/api/alarms/``)."""

from rest_framework.routers import SimpleRouter

from .views import AlarmRuleViewSet, AlarmViewSet, AttractionTeamViewSet, LeadViewSet

router = SimpleRouter()
router.register("attraction-teams", AttractionTeamViewSet, basename="attractionteam")
router.register("leads", LeadViewSet, basename="lead")
router.register("alarm-rules", AlarmRuleViewSet, basename="alarmrule")
router.register("alarms", AlarmViewSet, basename="alarm")

urlpatterns = router.urls
