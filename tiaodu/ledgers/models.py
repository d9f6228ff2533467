"""Uploaded ledgers kept between the preview and the confirmation of an import."""

import json
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.core.models import TimeStampedModel
from tiaodu.projects.choices import KeyLevel

from .choices import ImportKind, UploadStatus


class LedgerUpload(TimeStampedModel):
    """台账上传: a file a user uploaded to import, with what it is (kind, year, level, month, region).

    The file stays on the server (under the data folder) so the preview and the confirmation read
    the very same bytes; only its uploader ever sees it, so it is scoped to the uploader, not a region.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="ledger_uploads"
    )
    kind = models.CharField(_("导入类型"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="ledgers/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    level = models.CharField(_("重点级别"), max_length=16, choices=KeyLevel.choices, blank=True)
    period = models.DateField(_("月份"), null=True, blank=True)
    # What else a kind needs to read its file: the chain of an enterprise list, the month of actuals.
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.UPLOADED)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    summary = models.JSONField(_("导入结果"), default=dict, blank=True)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    in_background = models.BooleanField(_("后台处理"), default=False)

    class Meta:
        verbose_name = _("台账上传")
        verbose_name_plural = _("台账上传")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("ledgers:upload_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (UploadStatus.CHECKING, UploadStatus.IMPORTING)

    @property
    def progress_path(self) -> Path:
        """A small file the background task writes its progress to: readable while the import's
        transaction holds the database (SQLite has one writer at a time)."""
        return Path(settings.MEDIA_ROOT) / "ledgers" / "progress" / f"{self.pk}.json"

    def progress(self) -> tuple[int, int]:
        try:
            data = json.loads(self.progress_path.read_text())
            return int(data["done"]), int(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0

    def set_progress(self, done: int, total: int) -> None:
        path = self.progress_path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "total": total}))
        temporary.replace(path)

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
