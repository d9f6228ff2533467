"""The chains API routes (``/api/chains/``, ``/api/chain-segments/``, ``/api/chain-members/``,
``/api/chain-outputs/``, ``/api/chain-projects/``)."""

from rest_framework.routers import SimpleRouter

from .views import ChainProjectViewSet, ChainViewSet, MemberViewSet, OutputViewSet, SegmentViewSet

router = SimpleRouter()
router.register("chains", ChainViewSet, basename="chain")
router.register("chain-segments", SegmentViewSet, basename="chainsegment")
router.register("chain-members", MemberViewSet, basename="chainmember")
router.register("chain-outputs", OutputViewSet, basename="chainoutput")
router.register("chain-projects", ChainProjectViewSet, basename="chainproject")

urlpatterns = router.urls
