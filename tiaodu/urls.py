from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tiaodu.projects.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("tiaodu.accounts.urls")),
    path("", include("tiaodu.projects.urls")),
    path("", include("tiaodu.orgs.urls")),
    path("", include("tiaodu.regions.urls")),
    path("", include("tiaodu.reports.urls")),
    path("", include("tiaodu.figures.urls")),
    path("", include("tiaodu.ledgers.urls")),
    path("", include("tiaodu.problems.urls")),
    path("", include("tiaodu.dispatch.urls")),
    path("", include("tiaodu.chains.urls")),
    path("", include("tiaodu.attraction.urls")),
    path("", include("tiaodu.notices.urls")),
    path("", include("tiaodu.assessment.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tiaodu.problems.api.urls")),
    path("api/", include("tiaodu.dispatch.api.urls")),
    path("api/", include("tiaodu.assessment.api.urls")),
    path("api/", include("tiaodu.attraction.api.urls")),
    path("api/", include("tiaodu.chains.api.urls")),
    path("api/", include("tiaodu.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
