"""Uploaded ledgers kept between the preview and the confirmation of an import."""

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
    status = models.CharField(_("状态"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.UPLOADED)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    summary = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("台账上传")
        verbose_name_plural = _("台账上传")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("ledgers:upload_detail", args=[self.pk])

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
