"""The REST API's routes, one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from tiaodu.orgs.api.views import OfficialViewSet, OrganisationViewSet
from tiaodu.projects.api.views import KeyListEntryViewSet, KeyListViewSet, ProjectViewSet
from tiaodu.regions.api.views import RegionViewSet
from tiaodu.reports.api.views import MonthLockViewSet, MonthlyReportViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet)
router.register("organisations", OrganisationViewSet)
router.register("officials", OfficialViewSet)
router.register("projects", ProjectViewSet)
router.register("key-lists", KeyListViewSet)
router.register("key-list-entries", KeyListEntryViewSet)
router.register("reports", MonthlyReportViewSet)
router.register("month-locks", MonthLockViewSet)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("figures/", include("tiaodu.figures.api.urls")),
    path("", include(router.urls)),
]
