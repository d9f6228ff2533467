"""``id_list``: integer ids written out for ``__in``, the same rows as a Python list, nothing but numbers."""

import pytest

from tiaodu.core.queries import id_list
from tiaodu.regions.models import Region


@pytest.mark.django_db
def test_the_same_rows_as_a_list_and_only_numbers():
    ids = list(Region.objects.order_by("pk").values_list("pk", flat=True)[:7])
    assert list(Region.objects.filter(pk__in=id_list(ids)).order_by("pk")) == list(
        Region.objects.filter(pk__in=ids).order_by("pk")
    )
    assert not Region.objects.filter(pk__in=id_list([])).exists()
    with pytest.raises(ValueError):
        id_list(["1) OR (1=1"])
