"""Background work of the ledger pages: checking and importing a large file (django-tasks)."""

from django_tasks import task

from .services import ledger_upload_process


@task()
def ledger_check(upload_id: int) -> dict:
    """Preview a large upload: every row checked through the services, nothing written."""
    return ledger_upload_process(upload_id=upload_id, write=False)


@task()
def ledger_import(upload_id: int) -> dict:
    """Import a large upload, all or nothing."""
    return ledger_upload_process(upload_id=upload_id, write=True)
