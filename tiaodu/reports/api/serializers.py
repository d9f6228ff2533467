from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import MoneyField, ServiceSerializer
from tiaodu.core.periods import format_period, parse_period
from tiaodu.core.scoping import CHANGE
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .. import selectors, services
from ..choices import Milestone
from ..models import COUNTED_STATUSES, MonthLock, MonthlyReport


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-07"})
class PeriodField(serializers.Field):
    """A reporting month written ``YYYY-MM``."""

    def to_internal_value(self, data):
        try:
            return parse_period(str(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return format_period(value)


class MilestonesField(serializers.ListField):
    """节点 reached this month, as a list of codes (stored comma-separated)."""

    child = serializers.ChoiceField(choices=Milestone.choices)

    def to_representation(self, value):
        codes = [code for code in (value or "").split(",") if code] if isinstance(value, str) else value
        return super().to_representation(codes)


class MonthlyReportSerializer(ServiceSerializer):
    """A project's monthly report (月报). ``ytd`` and ``since_start`` are computed, never written."""

    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    region = serializers.CharField(source="project.region.code", read_only=True, help_text="GB/T 2260 code")
    period = PeriodField(help_text="Reporting month, YYYY-MM")
    investment_month = MoneyField(required=False, help_text="本月完成投资, 万元")
    ytd = MoneyField(read_only=True, help_text="自年初累计完成投资, 万元 (computed)")
    since_start = MoneyField(read_only=True, help_text="开工以来累计完成投资, 万元 (computed)")
    progress_pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False, allow_null=True
    )
    milestones = MilestonesField(required=False)
    submitted_by = serializers.StringRelatedField()
    reviewed_by = serializers.StringRelatedField()
    is_stale = serializers.SerializerMethodField(help_text="数据与上月雷同: same figures as last month")
    not_submitted = serializers.SerializerMethodField(help_text="本月尚未提交: neither submitted nor accepted")

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "project",
            "project_name",
            "region",
            "period",
            "status",
            *services.FILLED_FIELDS,
            "ytd",
            "since_start",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "return_reason",
            "is_correction",
            "correction_reason",
            "is_stale",
            "not_submitted",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "return_reason", "is_correction", "correction_reason", "created_at", "updated_at"]
        # One report per project and month: saving a month again refills its draft (the service decides).
        validators = []

    def get_is_stale(self, report) -> bool:
        stale = getattr(report, "is_stale", None)
        return selectors.is_stale(report) if stale is None else bool(stale)

    def get_not_submitted(self, report) -> bool:
        return report.status not in COUNTED_STATUSES

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("project", "period"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: _("不能修改，请填报对应项目和月份的月报。")})
                attrs.pop(name, None)
        return attrs

    def create(self, validated_data):
        return self.run_service(lambda: services.report_save(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        values = {name: getattr(instance, name) for name in services.FILLED_FIELDS}
        values["milestones"] = instance.milestone_list
        values.update(validated_data)
        return self.run_service(
            lambda: services.report_save(
                actor=self.context["user"], project=instance.project, period=instance.period, **values
            )
        )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required: why")


class CorrectionSerializer(serializers.Serializer):
    """锁定后更正: the reason and the corrected values (only those given change)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required: why")
    investment_month = MoneyField(required=False, help_text="May be negative (冲减)")
    progress_text = serializers.CharField(required=False, allow_blank=True)
    progress_pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False, allow_null=True
    )
    milestones = MilestonesField(required=False)
    problems_text = serializers.CharField(required=False, allow_blank=True)


class MonthLockSerializer(ServiceSerializer):
    """A city's locked month (月份锁定); creating one locks the month through the service."""

    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE, help_text="GB/T 2260 code of the city")
    period = PeriodField(help_text="The finished month to lock, YYYY-MM")
    locked_by = serializers.StringRelatedField()

    class Meta:
        model = MonthLock
        fields = ["id", "region", "period", "locked_at", "locked_by", "note"]
        read_only_fields = ["locked_at"]
        validators = []

    def create(self, validated_data):
        return self.run_service(lambda: services.month_lock(actor=self.context["user"], **validated_data))
