"""The assessment API routes: indicators, actuals (with their workflow verbs) and schemes (result, publish)."""

from rest_framework.routers import SimpleRouter

from .views import ActualViewSet, IndicatorViewSet, SchemeViewSet

router = SimpleRouter()
router.register("assessment-indicators", IndicatorViewSet, basename="assessmentindicator")
router.register("assessment-actuals", ActualViewSet, basename="assessmentactual")
router.register("assessment-schemes", SchemeViewSet, basename="assessmentscheme")

urlpatterns = router.urls
