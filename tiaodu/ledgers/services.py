"""Writes of the ledger pages: keep an uploaded file, preview and import it (all or nothing).

A small file is checked and imported inside the request. A large one (over ``LARGE_FILE_BYTES``)
is handed to a background task (django-tasks, ``tiaodu db_worker``), which writes its progress to
a small file the page polls, and stores the outcome on the upload when done.
"""

import datetime
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tiaodu.core.periods import format_period
from tiaodu.regions.models import Region

from .choices import ImportKind, UploadStatus
from .importers import ImportResult, import_problems, import_projects, import_reports
from .models import LedgerUpload

LARGE_FILE_BYTES = 256 * 1024  # about 3,000 rows of a typical ledger
# Days an uploaded file is kept for its preview and confirmation (``tiaodu ledgers_clean``); an
# imported file is deleted as soon as the import is committed (its outcome stays on the upload).
KEEP_DAYS_DEFAULT = 7
PREVIEW_ROWS = 500


def result_summary(result: ImportResult) -> dict:
    """What the preview and result pages show, as plain data that can be kept on the upload."""
    ledger = result.ledger
    return {
        "counts": result.counts,
        "problems": result.problems.lines(),
        "problem_count": len(result.problems),
        "outcomes": [asdict(o) for o in result.outcomes[:PREVIEW_ROWS]],
        "more_rows": max(0, len(result.outcomes) - PREVIEW_ROWS),
        "notes": result.notes[:50],
        "written": result.written,
        "has_ledger": ledger is not None,
        "sheet": ledger.sheet if ledger else "",
        "header_rows": list(ledger.header_rows) if ledger else [],
    }


def ledger_upload_create(
    *,
    actor,
    kind: str,
    file,
    region: Region | None = None,
    year: int | None = None,
    level: str = "",
    period: datetime.date | None = None,
    options: dict | None = None,
    language: str = "",
) -> LedgerUpload:
    """Keep the file under the data folder until its import is confirmed; only its uploader may use it."""
    background = file.size > LARGE_FILE_BYTES
    upload = LedgerUpload(
        user=actor,
        kind=kind,
        filename=file.name[:200],
        region=region,
        year=year,
        level=level or "",
        period=period,
        options=options or {},
        language=language or settings.LANGUAGE_CODE,
        in_background=background,
        status=UploadStatus.CHECKING if background else UploadStatus.UPLOADED,
    )
    upload.file.save(file.name, file, save=False)
    upload.full_clean(exclude=["file"])
    upload.save()
    if background:
        from .tasks import ledger_check

        transaction.on_commit(lambda: ledger_check.enqueue(upload_id=upload.pk))
    return upload


def run_import(
    kind: str,
    *,
    actor,
    content: bytes,
    filename: str,
    region: Region | None = None,
    dry_run: bool = False,
    progress=None,
    year: int | None = None,
    level: str = "",
    period: datetime.date | None = None,
    options: dict | None = None,
    submit: bool = True,
) -> ImportResult:
    """Import (or, with ``dry_run``, preview) a file of ``kind``: what the pages, the background task
    and ``tiaodu import`` all call. ``options``: ``chain`` (a chain's pk) for enterprises, ``month``
    (0 for the whole year) for actuals."""
    options = options or {}
    common = {
        "actor": actor,
        "content": content,
        "filename": filename,
        "region": region,
        "dry_run": dry_run,
        "progress": progress,
    }
    if kind == ImportKind.PROJECTS:
        return import_projects(year=year, level=level, **common)
    if kind == ImportKind.REPORTS:
        return import_reports(period=period, submit=submit, **common)
    if kind == ImportKind.PROBLEMS:
        return import_problems(**common)
    if kind == ImportKind.LEADS:
        from tiaodu.attraction.imports import import_leads

        return import_leads(**common)
    if kind == ImportKind.ENTERPRISES:
        from tiaodu.chains.imports import import_enterprises
        from tiaodu.chains.models import Chain

        chain = None
        if options.get("chain"):
            chain = Chain.objects.filter(pk=options["chain"]).select_related("region").first()
            if chain is None:
                raise ValidationError(_("所选产业链已不存在。"), code="chain_gone")
        return import_enterprises(chain=chain, **common)
    if kind == ImportKind.ACTUALS:
        from tiaodu.assessment.imports import import_actuals

        return import_actuals(year=year, month=options.get("month", 0), submit=submit, **common)
    raise ValueError(f"unknown import kind {kind!r}")


def ledger_upload_run(*, upload: LedgerUpload, actor, dry_run: bool, progress=None) -> ImportResult:
    """Preview (``dry_run``) or import the uploaded file, under the uploader's scope."""
    if upload.user_id != actor.pk:
        raise PermissionDenied
    if not upload.file:
        raise ValidationError(FILE_GONE, code="file_gone")
    return run_import(
        upload.kind,
        actor=actor,
        content=upload.read(),
        filename=upload.filename,
        region=upload.region,
        dry_run=dry_run,
        progress=progress,
        year=upload.year,
        level=upload.level,
        period=upload.period,
        options=upload.options,
    )


def _mark_imported(upload: LedgerUpload, result: ImportResult) -> None:
    upload.status = UploadStatus.IMPORTED
    upload.imported_at = timezone.now()
    upload.summary = {
        **result_summary(result),
        "period": format_period(upload.period) if upload.period else "",
    }
    upload.save(update_fields=["status", "imported_at", "summary", "updated_at"])
    # The outcome is kept on the upload; the file itself is not needed once the rows are in.
    transaction.on_commit(lambda: ledger_upload_discard_file(upload=LedgerUpload.objects.get(pk=upload.pk)))


FILE_GONE = _("该文件已过保存期限被清理，请重新上传。")


def ledger_upload_discard_file(*, upload: LedgerUpload) -> bool:
    """Delete the stored file of an upload (its record and outcome stay); whether there was one."""
    if not upload.file:
        return False
    upload.file.delete(save=False)
    upload.file = ""
    upload.save(update_fields=["file", "updated_at"])
    return True


def ledger_uploads_clean(*, days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Delete the files of uploads older than ``days`` (``LEDGERS_UPLOAD_KEEP_DAYS``, 7), unless one is running."""
    if days is None:
        days = getattr(settings, "LEDGERS_UPLOAD_KEEP_DAYS", KEEP_DAYS_DEFAULT)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    stale = (
        LedgerUpload.objects.filter(created_at__lt=cutoff)
        .exclude(file="")
        .exclude(status__in=[UploadStatus.CHECKING, UploadStatus.IMPORTING])
    )
    return sum(ledger_upload_discard_file(upload=upload) for upload in stale.iterator())


@transaction.atomic
def ledger_upload_import(*, upload: LedgerUpload, actor) -> ImportResult:
    """确认导入 (in the request): write the whole file, or nothing when any row is wrong."""
    upload = LedgerUpload.objects.select_for_update().get(pk=upload.pk)
    result = ledger_upload_run(upload=upload, actor=actor, dry_run=False)
    if result.written:
        _mark_imported(upload, result)
    return result


@transaction.atomic
def ledger_upload_confirm(*, upload: LedgerUpload, actor) -> ImportResult | None:
    """确认导入: at once for a small file; for a large one, hand it to the background task (``None``)."""
    if upload.user_id != actor.pk:
        raise PermissionDenied
    if not upload.in_background:
        return ledger_upload_import(upload=upload, actor=actor)
    upload = LedgerUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.UPLOADED:
        return None
    upload.status = UploadStatus.IMPORTING
    upload.save(update_fields=["status", "updated_at"])
    upload.set_progress(0, 0)
    from .tasks import ledger_import

    transaction.on_commit(lambda: ledger_import.enqueue(upload_id=upload.pk))
    return None


def ledger_upload_process(*, upload_id: int, write: bool) -> dict:
    """The background task's work: check (or import) the file with progress, keep the outcome."""
    upload = LedgerUpload.objects.select_related("user", "region").get(pk=upload_id)

    def progress(done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            upload.set_progress(done, total)

    with translation.override(upload.language or settings.LANGUAGE_CODE):
        try:
            result = ledger_upload_run(upload=upload, actor=upload.user, dry_run=not write, progress=progress)
        except Exception as error:  # the page must leave "checking", whatever happened
            upload.status = UploadStatus.UPLOADED
            message = _("后台处理时出错，未写入任何数据：{error}").format(error=error)
            upload.summary = {"problems": [str(message)], "problem_count": 1, "counts": {}, "failed": True}
            upload.save(update_fields=["status", "summary", "updated_at"])
            raise
        if result.written:
            _mark_imported(upload, result)
        else:
            upload.status = UploadStatus.UPLOADED
            upload.summary = result_summary(result)
            upload.save(update_fields=["status", "summary", "updated_at"])
    return {"written": result.written, "problems": len(result.problems), **result.counts}
