from tiaodu.core.api.viewsets import ScopedReadOnlyViewSet

from ..filtersets import RegionFilterSet
from ..models import Region
from .serializers import RegionSerializer


class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions in the user's scope (their subtree and its ancestors). ``path`` lists codes from the province down."""

    queryset = Region.objects.select_related("parent").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name"]
