"""Writes of the ledger pages: keep an uploaded file, and import it (all or nothing) when confirmed."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tiaodu.core.periods import format_period
from tiaodu.regions.models import Region

from .choices import ImportKind, UploadStatus
from .importers import ImportResult, import_projects, import_reports
from .models import LedgerUpload


def ledger_upload_create(
    *,
    actor,
    kind: str,
    file,
    region: Region | None = None,
    year: int | None = None,
    level: str = "",
    period: datetime.date | None = None,
) -> LedgerUpload:
    """Keep the file under the data folder until its import is confirmed; only its uploader may use it."""
    upload = LedgerUpload(
        user=actor,
        kind=kind,
        filename=file.name[:200],
        region=region,
        year=year,
        level=level or "",
        period=period,
    )
    upload.file.save(file.name, file, save=False)
    upload.full_clean(exclude=["file"])
    upload.save()
    return upload


def ledger_upload_run(*, upload: LedgerUpload, actor, dry_run: bool) -> ImportResult:
    """Preview (``dry_run``) or import the uploaded file, under the uploader's scope."""
    if upload.user_id != actor.pk:
        raise PermissionDenied
    content = upload.read()
    if upload.kind == ImportKind.PROJECTS:
        return import_projects(
            actor=actor,
            content=content,
            filename=upload.filename,
            year=upload.year,
            level=upload.level,
            region=upload.region,
            dry_run=dry_run,
        )
    return import_reports(
        actor=actor,
        content=content,
        filename=upload.filename,
        period=upload.period,
        region=upload.region,
        dry_run=dry_run,
    )


@transaction.atomic
def ledger_upload_import(*, upload: LedgerUpload, actor) -> ImportResult:
    """确认导入: write the whole file, or nothing when any row is wrong; record what was done."""
    upload = LedgerUpload.objects.select_for_update().get(pk=upload.pk)
    result = ledger_upload_run(upload=upload, actor=actor, dry_run=False)
    if result.written:
        upload.status = UploadStatus.IMPORTED
        upload.imported_at = timezone.now()
        upload.summary = {
            **result.counts,
            "period": format_period(upload.period) if upload.period else "",
            "notes": result.notes[:50],
        }
        upload.save(update_fields=["status", "imported_at", "summary", "updated_at"])
    return result
