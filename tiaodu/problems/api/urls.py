"""The problem ledger's API routes (``/api/problems/``, ``/api/problem-categories/``)."""

from rest_framework.routers import SimpleRouter

from .views import ProblemCategoryViewSet, ProblemViewSet

router = SimpleRouter()
router.register("problems", ProblemViewSet, basename="problem")
router.register("problem-categories", ProblemCategoryViewSet, basename="problemcategory")

urlpatterns = router.urls
