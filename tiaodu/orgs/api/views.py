from tiaodu.core.api.viewsets import ScopedModelViewSet

from ..filtersets import OfficialFilterSet, OrganisationFilterSet
from ..models import Official, Organisation
from .serializers import OfficialSerializer, OrganisationSerializer


class OrganisationViewSet(ScopedModelViewSet):
    """Units: project owners (项目单位) and departments (行业部门). The credit code's check digit is validated."""

    queryset = Organisation.objects.select_related("region").order_by("region__code", "name")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name", "region__code"]


class OfficialViewSet(ScopedModelViewSet):
    """Officials (领导) who can be a project's 包联领导."""

    queryset = Official.objects.select_related("region", "organisation").order_by("region__code", "name")
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilterSet
