"""Writes of the figures app: keeping a month's figure base when the month is locked."""

from django.db import transaction

from tiaodu.reports.models import MonthLock

from .models import FigureSnapshotRow
from .selectors import live_base

SNAPSHOT_BATCH = 2000


@transaction.atomic
def snapshot_lock(*, lock: MonthLock) -> int:
    """Keep every entry of the locked city's lists as it counts now; "as locked" figures read these rows.

    All levels are kept (no de-duplication), so any later question — by level, sector, county — can
    be answered as it stood at the lock.
    """
    columns = (
        "pk",
        "project_id",
        "region",
        "key_list_id",
        "level",
        "sector",
        "nature",
        "annual_plan",
        "ytd",
        "started",
        "resumed",
        "planned_commissioning",
        "commissioned",
        "stage",
        "reported",
    )
    rows = live_base(lock.period).filter(project__region__path__startswith=lock.region.path).values_list(*columns)
    batch, written = [], 0
    for (
        pk,
        project_id,
        region_id,
        key_list_id,
        level,
        sector,
        nature,
        plan,
        ytd,
        started,
        resumed,
        planned,
        commissioned,
        stage,
        reported,
    ) in rows.iterator(chunk_size=SNAPSHOT_BATCH):
        batch.append(
            FigureSnapshotRow(
                lock=lock,
                entry_id=pk,
                project_id=project_id,
                region_id=region_id,
                key_list_id=key_list_id,
                level=level,
                sector=sector,
                nature=nature,
                annual_plan=plan,
                ytd=ytd,
                started=started,
                resumed=resumed,
                planned_commissioning=planned,
                commissioned=commissioned,
                stage=stage,
                reported=reported,
            )
        )
        if len(batch) >= SNAPSHOT_BATCH:
            FigureSnapshotRow.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    FigureSnapshotRow.objects.bulk_create(batch)
    return written + len(batch)
