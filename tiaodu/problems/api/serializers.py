from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import ServiceSerializer
from tiaodu.core.dates import local_today
from tiaodu.orgs.models import Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .. import services
from ..choices import CoordinationLevel
from ..models import Problem, ProblemCategory, ProblemEvent


# Described by a pattern, not an enum: "level" already names the enums of regions and key lists, and
# the OpenAPI generator would otherwise merge or rename them.
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(county|city|province)$",
        "example": "city",
        "description": "协调层级: county (县级), city (市级) or province (省级)",
    }
)
class CoordinationLevelField(serializers.ChoiceField):
    """A coordination level, described inline (another ``level`` enum exists for regions and key lists)."""

    def __init__(self, **kwargs):
        super().__init__(choices=CoordinationLevel.choices, **kwargs)


class ProblemCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemCategory
        fields = ["id", "name", "group", "sort_order", "is_active"]


class ProblemSerializer(ServiceSerializer):
    """A problem of the ledger (问题). POST records one (登记); the workflow steps are the explicit verbs.

    Give ``project``, or for a complaint or a region-wide matter ``region`` (GB/T 2260 code) alone.
    Attachments are uploaded on the problem's page.
    """

    number = serializers.CharField(read_only=True, help_text="问题编号, WT + six digits")
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)
    region = ScopedRegionField(queryset=Region.objects.all(), required=False, help_text="GB/T 2260 code")
    category = serializers.PrimaryKeyRelatedField(queryset=ProblemCategory.objects.filter(is_active=True))
    category_name = serializers.CharField(source="category.name", read_only=True)
    found_on = serializers.DateField(required=False, help_text="发现日期; default today")
    proposed_department = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    level = CoordinationLevelField(read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text="超期: deadline passed and not closed (derived)")
    days_overdue = serializers.SerializerMethodField(help_text="超期天数 (derived; 0 when not overdue)")

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "project",
            "project_name",
            "region",
            "source",
            "category",
            "category_name",
            "description",
            "found_on",
            "proposed_department",
            "proposed_deadline",
            "status",
            "level",
            "department",
            "department_name",
            "deadline",
            "is_overdue",
            "days_overdue",
            "assigned_at",
            "answer",
            "answered_on",
            "closed_on",
            "resolution_days",
            "send_back_reason",
            "report",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "level",
            "department",
            "deadline",
            "assigned_at",
            "answer",
            "answered_on",
            "closed_on",
            "resolution_days",
            "send_back_reason",
            "report",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, problem) -> bool:
        return problem.days_overdue(local_today()) > 0

    def get_days_overdue(self, problem) -> int:
        return problem.days_overdue(local_today())

    def create(self, validated_data):
        return self.run_service(lambda: services.problem_record(actor=self.context["user"], **validated_data))


class AssignSerializer(serializers.Serializer):
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), help_text="责任单位 (id)")
    deadline = serializers.DateField(help_text="办理时限")
    level = CoordinationLevelField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="办理情况: what was done")
    answered_on = serializers.DateField(required=False, help_text="办结日期; default today")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required: why")


class ProblemEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    from_level = CoordinationLevelField(read_only=True)
    to_level = CoordinationLevelField(read_only=True)

    class Meta:
        model = ProblemEvent
        fields = [
            "id",
            "kind",
            "at",
            "actor",
            "from_state",
            "to_state",
            "from_level",
            "to_level",
            "department",
            "department_name",
            "deadline",
            "comment",
        ]


@extend_schema_field({"type": "string", "nullable": True, "example": "66.7"})
class RateField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=1, allow_null=True, **kwargs)


class FigureRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Region or department id; 'none' for problems not yet assigned")
    label = serializers.CharField()
    found = serializers.IntegerField()
    solved = serializers.IntegerField()
    unsolved = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = RateField(help_text="问题解决率 %, one decimal, rounded half up (solved ÷ found)")
    avg_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class FigureTotalsSerializer(serializers.Serializer):
    found = serializers.IntegerField()
    solved = serializers.IntegerField()
    unsolved = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = RateField()
    avg_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class ProblemFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    totals = FigureTotalsSerializer()
    by_region = FigureRowSerializer(many=True)
    by_department = FigureRowSerializer(many=True)
