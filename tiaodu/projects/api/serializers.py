from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import MoneyField, ServiceSerializer
from tiaodu.core.scoping import CHANGE
from tiaodu.orgs.models import Official, Organisation
from tiaodu.regions.models import Region

from .. import services
from ..choices import MAIN_LINE, Nature, Stage
from ..models import KeyList, KeyListEntry, Project, StageTransition


class ProjectSerializer(ServiceSerializer):
    region = ScopedRegionField(
        queryset=Region.objects.all(),
        action=CHANGE,
        help_text="GB/T 2260 code of the county, zone or city, e.g. 140427",
    )
    owner = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    leader = ScopedPrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    responsible_department = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    service_agent = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    total_investment = MoneyField(min_value=0, help_text="总投资, 万元")
    code = serializers.CharField(max_length=24, required=False, allow_null=True, allow_blank=True)
    stage = serializers.ChoiceField(
        choices=[(s, Stage(s).label) for s in MAIN_LINE],
        required=False,
        help_text="On creation only: the stage the project is registered in (default planning). "
        "Afterwards the stage changes only through POST /api/projects/{id}/transition/.",
    )
    pool = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            *services.EDITABLE_FIELDS,
            "stage",
            "stage_since",
            "previous_stage",
            "pool",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage_since", "previous_stage", "created_at", "updated_at"]

    def get_pool(self, project) -> str | None:
        pool = project.pool
        return pool.value if pool else None

    def validate_code(self, value):
        return (value or "").strip().upper() or None

    def validate(self, attrs):
        if self.instance is not None and "stage" in attrs and attrs["stage"] != self.instance.stage:
            raise serializers.ValidationError(
                {"stage": _("阶段只能通过阶段变更接口（transition）调整。")}, code="stage_read_only"
            )
        if self.instance is not None:
            attrs.pop("stage", None)
        return attrs

    def create(self, validated_data):
        stage = validated_data.pop("stage", Stage.PLANNING)
        return self.run_service(
            lambda: services.project_create(actor=self.context["user"], stage=stage, **validated_data)
        )

    def update(self, instance, validated_data):
        return self.run_service(
            lambda: services.project_update(project=instance, actor=self.context["user"], **validated_data)
        )


class StageChangeSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField(help_text="The date of the fact: actual start for 在建, commissioning for 投产 …")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=24,
        help_text="National project code, when the project has none and enters 在建",
    )


class StageTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = StageTransition
        fields = ["id", "project", "from_state", "to_state", "effective_date", "comment", "actor", "at"]


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted", "stage"])
    title = serializers.CharField()
    reason = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    changes = FieldChangeSerializer(many=True)


class KeyListSerializer(ServiceSerializer):
    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE)
    published_by = serializers.StringRelatedField()

    class Meta:
        model = KeyList
        fields = ["id", "region", "year", "level", "title", "status", "published_at", "published_by", "note"]
        read_only_fields = ["status", "published_at", "published_by"]

    def create(self, validated_data):
        return self.run_service(lambda: services.key_list_create(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        raise serializers.ValidationError(_("名单的区划、年度和级别不能修改。"))


class KeyListEntrySerializer(ServiceSerializer):
    key_list = ScopedPrimaryKeyRelatedField(queryset=KeyList.objects.all(), action=CHANGE)
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    annual_plan = MoneyField(min_value=0, help_text="年度计划投资, 万元")
    nature = serializers.ChoiceField(choices=Nature.choices, required=False)

    class Meta:
        model = KeyListEntry
        fields = ["id", "key_list", "project", "nature", "annual_plan", "note"]

    def validate(self, attrs):
        if self.instance is not None:
            for field in ("key_list", "project"):
                if field in attrs and attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError({field: _("不能修改，请移出后重新列入。")})
                attrs.pop(field, None)
        return attrs

    def create(self, validated_data):
        return self.run_service(lambda: services.key_list_add_project(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        return self.run_service(
            lambda: services.key_list_update_entry(entry=instance, actor=self.context["user"], **validated_data)
        )


class TotalsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    total_investment = MoneyField()
    annual_plan = MoneyField()


class KeyListTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total_investment = MoneyField()
    annual_plan = MoneyField()
    by_region = TotalsRowSerializer(many=True)
    by_sector = TotalsRowSerializer(many=True)
