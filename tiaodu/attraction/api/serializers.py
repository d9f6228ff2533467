from django.contrib.auth import get_user_model
from rest_framework import serializers

from tiaodu.chains.models import Chain, Segment
from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import MoneyField, ServiceSerializer
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .. import services
from ..choices import PIPELINE, SigningKind
from ..models import AlarmRule, AttractionTeam, FundsEntry, Lead, LeadEvent, Signing


class TeamSerializer(ServiceSerializer):
    """招商专班. ``region`` is a GB/T 2260 code."""

    region = ScopedRegionField(queryset=Region.objects.all(), help_text="GB/T 2260 code")
    leader = ScopedPrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)

    class Meta:
        model = AttractionTeam
        fields = ["id", "region", "name", "leader", "contact_person", "phone", "is_active"]

    def create(self, validated_data):
        return self.run_service(lambda: services.team_save(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        data = {f: getattr(instance, f) for f in ("region", "name", "leader", "contact_person", "phone", "is_active")}
        data.update(validated_data)
        return self.run_service(lambda: services.team_save(actor=self.context["user"], team=instance, **data))


class SigningSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    counted_amount = MoneyField(read_only=True, help_text="What the signed amount counts: first signing, or the 增资")

    class Meta:
        model = Signing
        fields = ["id", "signed_on", "kind", "amount", "counted_amount", "note"]


class FundsSerializer(serializers.ModelSerializer):
    amount = MoneyField()

    class Meta:
        model = FundsEntry
        fields = ["id", "on", "amount", "note"]


class LeadSerializer(ServiceSerializer):
    """招商项目/线索. POST registers a lead (登记线索); the workflow steps are the explicit verbs."""

    number = serializers.CharField(read_only=True)
    region = ScopedRegionField(queryset=Region.objects.all(), help_text="GB/T 2260 code")
    team = ScopedPrimaryKeyRelatedField(queryset=AttractionTeam.objects.all(), required=False, allow_null=True)
    chain = ScopedPrimaryKeyRelatedField(queryset=Chain.objects.all(), required=False, allow_null=True)
    segment = ScopedPrimaryKeyRelatedField(queryset=Segment.objects.all(), required=False, allow_null=True)
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    intended_investment = MoneyField()
    registered_on = serializers.DateField(required=False, help_text="线索登记日期; default today")
    signings = SigningSerializer(many=True, read_only=True)
    funds = FundsSerializer(many=True, read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "number",
            "name",
            "investor",
            "investor_origin",
            "source",
            "sector",
            "chain",
            "segment",
            "intended_investment",
            "region",
            "team",
            "responsible",
            "description",
            "planned_production_date",
            "stage",
            "registered_on",
            "negotiating_on",
            "signed_on",
            "landed_on",
            "started_on",
            "producing_on",
            "capacity_on",
            "terminated_on",
            "termination_reason",
            "company",
            "standard_land",
            "land_area",
            "commitment_system",
            "agent",
            "project",
            "signings",
            "funds",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "stage",
            "negotiating_on",
            "signed_on",
            "landed_on",
            "started_on",
            "producing_on",
            "capacity_on",
            "terminated_on",
            "termination_reason",
            "company",
            "standard_land",
            "land_area",
            "commitment_system",
            "agent",
            "project",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        return self.run_service(lambda: services.lead_create(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        validated_data.pop("registered_on", None)
        return self.run_service(
            lambda: services.lead_update(actor=self.context["user"], lead=instance, **validated_data)
        )


class AdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=[s.value for s in PIPELINE[1:]], help_text="推进到")
    on = serializers.DateField(required=False, help_text="发生日期; default today")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    amount = MoneyField(required=False, help_text="签约金额, when the move reaches 签约")
    signing_kind = serializers.ChoiceField(
        choices=[SigningKind.FRAMEWORK.value, SigningKind.CONTRACT.value], required=False
    )
    company = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, help_text="落地企业 (id), when the move reaches 落地"
    )
    standard_land = serializers.BooleanField(required=False, default=False)
    land_area = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    commitment_system = serializers.BooleanField(required=False, default=False)
    agent = serializers.CharField(required=False, allow_blank=True, default="")


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=SigningKind.values)
    amount = MoneyField(help_text="万元; for 增资 the increase only")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FundsInputSerializer(serializers.Serializer):
    on = serializers.DateField()
    amount = MoneyField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectLinkSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True, help_text="An existing project; else created"
    )
    code = serializers.CharField(required=False, allow_blank=True, default="")


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required: why")
    on = serializers.DateField(required=False)


class LeadEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = LeadEvent
        fields = ["id", "kind", "at", "effective_date", "actor", "from_state", "to_state", "comment"]


class AlarmRuleSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="city"))
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = AlarmRule
        fields = [
            "id",
            "city",
            "name",
            "kind",
            "from_stage",
            "to_stage",
            "months",
            "sort_order",
            "is_active",
            "description",
        ]

    def _save(self, rule, data):
        from tiaodu.core.api.serializers import call_service

        return call_service(lambda: services.alarm_rule_save(actor=self.context["user"], rule=rule, **data))

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        data = {
            f: getattr(instance, f)
            for f in ("city", "name", "kind", "from_stage", "to_stage", "months", "sort_order", "is_active")
        }
        data.update(validated_data)
        return self._save(instance, data)


class AlarmSerializer(serializers.Serializer):
    lead = serializers.IntegerField(source="lead.pk")
    number = serializers.CharField(source="lead.number")
    name = serializers.CharField(source="lead.name")
    region = serializers.CharField(source="lead.region.code")
    team = serializers.IntegerField(source="lead.team_id", allow_null=True)
    stage = serializers.CharField(source="lead.stage")
    rule = serializers.IntegerField(source="rule.pk")
    rule_name = serializers.CharField(source="rule.name")
    days = serializers.IntegerField(help_text="超期天数")
    problem = serializers.IntegerField(source="problem.pk", allow_null=True, default=None)


class AlarmProblemSerializer(serializers.Serializer):
    lead = serializers.IntegerField()
    rule = serializers.IntegerField()
    category = serializers.IntegerField(help_text="问题类别 (id)")
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), help_text="责任单位 (id)")
    deadline = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class AttractionFigureRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    leads = serializers.IntegerField()
    signed = serializers.IntegerField()
    amount = MoneyField()
    landed = serializers.IntegerField()
    landing_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    started = serializers.IntegerField()
    start_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    funds = MoneyField()


class AttractionFigureTotalsSerializer(serializers.Serializer):
    leads = serializers.IntegerField()
    signed = serializers.IntegerField()
    amount = MoneyField()
    landed = serializers.IntegerField()
    landing_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    started = serializers.IntegerField()
    start_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    funds = MoneyField()


class LandedSeriesPointSerializer(serializers.Serializer):
    month = serializers.CharField()
    count = serializers.IntegerField()


class AttractionFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    totals = AttractionFigureTotalsSerializer()
    by_region = AttractionFigureRowSerializer(many=True)
    by_sector = AttractionFigureRowSerializer(many=True)
    by_chain = AttractionFigureRowSerializer(many=True)
    by_team = AttractionFigureRowSerializer(many=True)
    landed_series = LandedSeriesPointSerializer(many=True)
