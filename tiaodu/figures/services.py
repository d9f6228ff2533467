"""Writes of the figures app: keeping a month's figure base when the month is locked."""

from django.db import connection, transaction
from django.db.models import BigIntegerField, Value

from tiaodu.reports.models import MonthLock

from .models import VALUE_COLUMNS, FigureRow, FigureSnapshotRow
from .rollup import rollup_flush

SNAPSHOT_FIELDS = ("lock", "entry_id", "project", "region", "key_list", *VALUE_COLUMNS)


@transaction.atomic
def snapshot_lock(*, lock: MonthLock) -> int:
    """Keep every entry of the locked city's lists as it counts now; "as locked" figures read these rows.

    A copy of the month's current figure rows under the city (one ``INSERT … SELECT``). All levels
    are kept, with the flag of the highest one, so any later question — by level, sector, county —
    can be answered as it stood at the lock.
    """
    rollup_flush()  # inside a bulk load, the rows must be current before they are copied
    rows = (
        FigureRow.objects.filter(period=lock.period, region__path__startswith=lock.region.path)
        .annotate(lock_ref=Value(lock.pk, output_field=BigIntegerField()))
        .order_by()
        .values_list("lock_ref", "entry_id", "project_id", "region_id", "key_list_id", *VALUE_COLUMNS)
    )
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(FigureSnapshotRow._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(FigureSnapshotRow._meta.get_field(name).column) for name in SNAPSHOT_FIELDS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        return cursor.rowcount
