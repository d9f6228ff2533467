"""The problem ledger (问题清单台账): problems found on projects or in a region, and how they are solved.

A problem is recorded, assigned (交办) to a responsible department with a deadline and a
coordination level, answered (办结) by the department, then closed (销号) by the assigner or sent
back. It can be escalated county → city → province. Every step is a ``ProblemEvent``; field
history is kept by simple-history. Overdue is derived (deadline passed, not closed), never stored.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.dates import local_today
from tiaodu.core.models import TimeStampedModel, WorkflowEvent
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec

from .choices import (
    STATUS_COLORS,
    AttachmentStage,
    CategoryGroup,
    CoordinationLevel,
    ProblemEventKind,
    ProblemSource,
    ProblemStatus,
)

# Allowed attachments: photos and office documents, checked by extension and by their first bytes.
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".txt": (),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment(upload) -> None:
    """Refuse a file that is too large, of a type not allowed, or whose content does not match its name."""
    name = getattr(upload, "name", "") or ""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "不支持的附件类型“{suffix}”：只能上传照片（jpg、png、gif、webp）或文档（pdf、docx、xlsx、pptx、doc、xls、txt）。"
            ).format(suffix=suffix or name),
            code="attachment_type",
        )
    size = getattr(upload, "size", 0) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("附件“{name}”大小为 {size} MB，超过 {limit} MB 的上限。").format(
                name=name, size=f"{size / 1024 / 1024:.1f}", limit=MAX_ATTACHMENT_BYTES // 1024 // 1024
            ),
            code="attachment_size",
        )
    if size == 0:
        raise ValidationError(_("附件“{name}”是空文件。").format(name=name), code="attachment_empty")
    signatures = ATTACHMENT_TYPES[suffix]
    if signatures:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("附件“{name}”的内容与其文件类型不符。").format(name=name), code="attachment_content"
            )


class ProblemCategory(TimeStampedModel):
    """问题类别: an administrator-editable list (用地、资金、手续…; for inspection complaints 水、大气、土壤…)."""

    name = models.CharField(_("类别名称"), max_length=32, unique=True)
    group = models.CharField(_("分组"), max_length=16, choices=CategoryGroup.choices, default=CategoryGroup.PROJECT)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["group", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProblemQuerySet(RestrictedQuerySet):
    def overdue(self, today=None) -> "ProblemQuerySet":
        return self.filter(overdue_q(today or local_today()))


def overdue_q(today) -> Q:
    """超期: a deadline before today and not closed (销号)."""
    return Q(deadline__lt=today) & ~Q(status=ProblemStatus.CLOSED)


class Problem(TimeStampedModel):
    """问题: a difficulty found on a project (or, for a complaint or a region-wide matter, in a region alone).

    ``region`` is the project's region when there is a project; scoping reaches the region by it,
    and project owners see the problems of their own projects.
    """

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="problems"
    )
    source = models.CharField(_("问题来源"), max_length=20, choices=ProblemSource.choices)
    category = models.ForeignKey(
        ProblemCategory, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="problems"
    )
    description = models.TextField(_("问题描述"))
    found_on = models.DateField(_("发现日期"))
    report = models.ForeignKey(
        "reports.MonthlyReport",
        verbose_name=_("来源月报"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        editable=False,
    )
    proposed_department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("建议责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_deadline = models.DateField(_("建议办理时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, editable=False
    )
    level = models.CharField(
        _("协调层级"),
        max_length=16,
        choices=CoordinationLevel.choices,
        default=CoordinationLevel.COUNTY,
        editable=False,
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_problems",
        editable=False,
    )
    deadline = models.DateField(_("办理时限"), null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    answer = models.TextField(_("办理情况"), blank=True, editable=False)
    answered_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    resolution_days = models.PositiveIntegerField(
        _("解决用时（天）"), null=True, blank=True, editable=False, help_text=_("从发现到销号的天数，销号时记下。")
    )
    send_back_reason = models.TextField(_("退回原因"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = ProblemQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="project__owner")

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-found_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="problems_status_deadline"),
            models.Index(fields=["found_on"], name="problems_found_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("found_on")),
                name="problems_deadline_after_found",
                violation_error_message=_("办理时限不能早于发现日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProblemStatus.CLOSED) | Q(closed_on__isnull=False),
                name="problems_closed_has_date",
                violation_error_message=_("已销号的问题须有销号日期。"),
            ),
        ]

    def __str__(self) -> str:
        text = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return text if len(text) <= 30 else text[:30] + "…"

    def get_absolute_url(self) -> str:
        return reverse("problems:problem_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"WT{self.pk:06d}" if self.pk else ""

    def days_overdue(self, today=None) -> int:
        """超期天数: 0 unless the deadline has passed and the problem is not closed."""
        if self.deadline is None or self.status == ProblemStatus.CLOSED:
            return 0
        return max(0, ((today or local_today()) - self.deadline).days)

    @property
    def status_color(self) -> str:
        return STATUS_COLORS.get(self.status, "secondary")

    @property
    def overdue_days(self) -> int:
        return self.days_overdue()

    def clean(self) -> None:
        if self.project_id and self.region_id and self.project.region_id != self.region_id:
            raise ValidationError({"region": _("问题所在区划应与项目所在区划一致。")}, code="region_mismatch")
        if self.found_on and self.found_on > local_today():
            raise ValidationError({"found_on": _("发现日期不能晚于今天。")}, code="future_found")
        if self.proposed_deadline and self.found_on and self.proposed_deadline < self.found_on:
            raise ValidationError(
                {"proposed_deadline": _("建议办理时限不能早于发现日期。")}, code="deadline_before_found"
            )
        if self.deadline and self.found_on and self.deadline < self.found_on:
            raise ValidationError({"deadline": _("办理时限不能早于发现日期。")}, code="deadline_before_found")


class ProblemEvent(WorkflowEvent):
    """问题流转记录: recorded, assigned, started, answered, sent back, closed, escalated — who, when, why."""

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=16, choices=ProblemEventKind.choices)
    from_level = models.CharField(_("原层级"), max_length=16, choices=CoordinationLevel.choices, blank=True)
    to_level = models.CharField(_("新层级"), max_length=16, choices=CoordinationLevel.choices, blank=True)
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("办理时限"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="problem__region", owner="problem__project__owner")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("问题流转记录")
        verbose_name_plural = _("问题流转记录")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.kind}"


def attachment_path(instance: "ProblemAttachment", filename: str) -> str:
    suffix = PurePosixPath(filename.lower()).suffix
    return f"problems/{instance.problem_id}/{instance.stage}-{local_today():%Y%m%d}-{_token()}{suffix}"


def _token() -> str:
    import secrets

    return secrets.token_hex(6)


class ProblemAttachment(TimeStampedModel):
    """附件: a photo or document of a problem (its evidence when found, or of the answer), kept in the data folder.

    Served only through the scoped download page, never as a public media URL.
    """

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(_("用途"), max_length=16, choices=AttachmentStage.choices, default=AttachmentStage.RECORD)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200, validators=[validate_attachment])
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="problem__region", owner="problem__project__owner")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return PurePosixPath(self.name.lower()).suffix in {".jpg", ".jpeg", ".png", ".gif", ".webp"}

    def get_absolute_url(self) -> str:
        return reverse("problems:attachment", args=[self.pk])
