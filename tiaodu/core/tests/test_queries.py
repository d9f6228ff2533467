"""``id_list``: integer ids written out for ``__in``, the same rows as a Python list, nothing but numbers.
``hold_off_autovacuum``: PostgreSQL's autovacuum cannot lock a Tiaodu table until the transaction ends."""

import pytest
from django.db import OperationalError, connection, connections, transaction

from tiaodu.core.queries import hold_off_autovacuum, id_list
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


@pytest.mark.django_db
def test_autovacuum_is_held_off_every_table_until_the_transaction_ends():
    with transaction.atomic():
        hold_off_autovacuum()
        if connection.vendor != "postgresql":
            return  # SQLite has no autovacuum: nothing to hold off, and nothing fails
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'ShareUpdateExclusiveLock'"
                " AND relation = ANY(%s::regclass[])",
                [sorted(tables)],
            )
            assert cursor.fetchone()[0] == len(tables) > 100
        # Autovacuum asks for the same lock without waiting, and skips the table when refused.
        other = connections.create_connection("default")
        try:
            other.set_autocommit(False)
            with other.cursor() as cursor:
                with pytest.raises(OperationalError, match="could not obtain lock"):
                    cursor.execute("LOCK TABLE reports_monthlyreport IN SHARE UPDATE EXCLUSIVE MODE NOWAIT")
            other.rollback()
        finally:
            other.close()
