from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.scoping import CHANGE
from tiaodu.orgs.models import Organisation
from tiaodu.regions.models import Region

from ..choices import ScoringRule
from ..models import Actual, Indicator, PublishedResult, Scheme, SchemeIndicator, SchemeUnit


class IndicatorSerializer(serializers.ModelSerializer):
    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE)
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "region",
            "name",
            "unit",
            "direction",
            "kind",
            "source",
            "department",
            "min_value",
            "max_value",
            "description",
        ]
        validators = []  # the service validates, once

    def validate(self, attrs):
        return attrs  # model rules run in the service


class ActualSerializer(serializers.ModelSerializer):
    indicator = ScopedPrimaryKeyRelatedField(queryset=Indicator.objects.all())
    region = ScopedRegionField(queryset=Region.objects.all(), required=False, allow_null=True)
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Actual
        fields = [
            "id",
            "indicator",
            "region",
            "department",
            "year",
            "month",
            "value",
            "note",
            "status",
            "submitted_at",
            "reviewed_at",
            "return_reason",
        ]
        read_only_fields = ["status", "submitted_at", "reviewed_at", "return_reason"]
        validators = []


class ActualReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class SchemeItemSerializer(serializers.ModelSerializer):
    indicator = ScopedPrimaryKeyRelatedField(queryset=Indicator.objects.all())
    name = serializers.CharField(source="indicator.name", read_only=True)
    rule = serializers.ChoiceField(choices=ScoringRule.choices, default=ScoringRule.RATIO)

    class Meta:
        model = SchemeIndicator
        fields = ["indicator", "name", "weight", "rule", "cap", "rank_step"]
        extra_kwargs = {"cap": {"required": False}, "rank_step": {"required": False}}
        validators = []


class SchemeUnitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SchemeUnit
        fields = ["id", "region", "department", "order"]


class SchemeSerializer(serializers.ModelSerializer):
    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE)
    items = SchemeItemSerializer(many=True)
    units = SchemeUnitSerializer(many=True, read_only=True)
    unit_regions = serializers.ListField(
        child=serializers.CharField(),
        write_only=True,
        required=False,
        help_text="Codes of the assessed counties/zones.",
    )
    unit_departments = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, write_only=True, required=False
    )

    class Meta:
        model = Scheme
        fields = [
            "id",
            "region",
            "year",
            "name",
            "unit_kind",
            "note",
            "items",
            "units",
            "unit_regions",
            "unit_departments",
        ]
        validators = []


class PublishSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PublishedResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedResult
        fields = ["id", "scheme", "month", "published_at", "note", "data"]


class ActualImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=0, max_value=12, help_text="1–12: January to that month; 0: whole year")
    dry_run = serializers.BooleanField(default=False)


def import_answer(result) -> dict:
    return {
        "written": result.written,
        "counts": result.counts,
        "problems": [str(problem) for problem in result.problems],
        "rows": [
            {"row": o.number, "action": o.action, "indicator": o.name, "region": o.region} for o in result.outcomes
        ],
    }
