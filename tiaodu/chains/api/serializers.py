"""The chains API's shapes; every write is done by ``tiaodu.chains.services``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import MoneyField, ServiceSerializer
from tiaodu.core.scoping import CHANGE
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .. import services
from ..models import Chain, ChainProject, Member, Output, Segment


class SegmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "position"]


class ChainSerializer(ServiceSerializer):
    """产业链. ``segments`` on create: the segment names, upstream first (then managed at /api/chain-segments/)."""

    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE, help_text="GB/T 2260 code")
    leader = ScopedPrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    segment_names = serializers.ListField(
        child=serializers.CharField(max_length=64), write_only=True, required=False, help_text="环节, upstream first"
    )
    segments = SegmentBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Chain
        fields = [
            "id",
            "name",
            "region",
            "leader",
            "department",
            "description",
            "gap_threshold",
            "segment_names",
            "segments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        names = validated_data.pop("segment_names", [])
        actor = self.context["user"]
        return self.run_service(lambda: services.chain_create(actor=actor, segments=names, **validated_data))

    def update(self, instance, validated_data):
        validated_data.pop("segment_names", None)
        actor = self.context["user"]
        return self.run_service(lambda: services.chain_update(actor=actor, chain=instance, **validated_data))


class SegmentSerializer(ServiceSerializer):
    """环节: added at the downstream end; ``position`` changes through the chain's ``reorder``."""

    chain = ScopedPrimaryKeyRelatedField(queryset=Chain.objects.all(), action=CHANGE)
    member_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Segment
        fields = ["id", "chain", "name", "position", "description", "member_count"]
        read_only_fields = ["position"]
        validators = []

    def validate(self, attrs):
        if self.instance is not None and "chain" in attrs and attrs["chain"].pk != self.instance.chain_id:
            raise serializers.ValidationError({"chain": _("不能把环节移到另一条产业链。")})
        return attrs

    def create(self, validated_data):
        actor = self.context["user"]
        return self.run_service(
            lambda: services.segment_add(
                actor=actor,
                chain=validated_data["chain"],
                name=validated_data.get("name", ""),
                description=validated_data.get("description", ""),
            )
        )

    def update(self, instance, validated_data):
        actor = self.context["user"]
        return self.run_service(
            lambda: services.segment_update(
                actor=actor,
                segment=instance,
                name=validated_data.get("name", instance.name),
                description=validated_data.get("description", instance.description),
            )
        )


class MemberSerializer(ServiceSerializer):
    """链上企业: an enterprise in one segment of a chain with its role; once per chain."""

    chain = ScopedPrimaryKeyRelatedField(queryset=Chain.objects.all(), action=CHANGE)
    segment = ScopedPrimaryKeyRelatedField(queryset=Segment.objects.all())
    organisation = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    segment_name = serializers.CharField(source="segment.name", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "chain",
            "segment",
            "segment_name",
            "organisation",
            "organisation_name",
            "role",
            "joined_on",
            "note",
        ]
        validators = []  # once per chain: the service says so in a clear message

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("chain", "organisation"):
                if name in attrs and attrs[name].pk != getattr(self.instance, f"{name}_id"):
                    raise serializers.ValidationError({name: _("不能修改，请移出后重新入链。")})
        return attrs

    def create(self, validated_data):
        actor = self.context["user"]
        return self.run_service(lambda: services.member_add(actor=actor, **validated_data))

    def update(self, instance, validated_data):
        validated_data.pop("chain", None)
        validated_data.pop("organisation", None)
        actor = self.context["user"]
        return self.run_service(lambda: services.member_update(actor=actor, member=instance, **validated_data))


class OutputSerializer(ServiceSerializer):
    """产值 of a year, in 万元 (decimal strings). POST sets (or replaces) the chain's figures for the year."""

    chain = ScopedPrimaryKeyRelatedField(queryset=Chain.objects.all(), action=CHANGE)
    actual = MoneyField(required=False, allow_null=True, max_digits=14)
    target = MoneyField(required=False, allow_null=True, max_digits=14)

    class Meta:
        model = Output
        fields = ["id", "chain", "year", "actual", "target"]
        validators = []  # one row per chain and year: the service sets or replaces it

    def _set(self, chain, data, instance=None):
        actor = self.context["user"]
        return self.run_service(
            lambda: services.output_set(
                actor=actor,
                chain=chain,
                year=data.get("year", getattr(instance, "year", None)),
                actual=data.get("actual", getattr(instance, "actual", None)),
                target=data.get("target", getattr(instance, "target", None)),
            )
        )

    def create(self, validated_data):
        return self._set(validated_data["chain"], validated_data)

    def update(self, instance, validated_data):
        if "year" in validated_data and validated_data["year"] != instance.year:
            raise serializers.ValidationError({"year": _("不能修改年度，请另行填报。")})
        return self._set(instance.chain, validated_data, instance)


class ChainProjectSerializer(ServiceSerializer):
    """A registry project linked to a chain (optionally one segment), with its investment."""

    chain = ScopedPrimaryKeyRelatedField(queryset=Chain.objects.all(), action=CHANGE)
    segment = ScopedPrimaryKeyRelatedField(queryset=Segment.objects.all(), required=False, allow_null=True)
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    total_investment = MoneyField(source="project.total_investment", read_only=True)

    class Meta:
        model = ChainProject
        fields = ["id", "chain", "segment", "project", "project_name", "total_investment"]
        validators = []

    def create(self, validated_data):
        actor = self.context["user"]
        return self.run_service(lambda: services.project_link(actor=actor, **validated_data))

    def update(self, instance, validated_data):
        for name in ("chain", "project"):
            if name in validated_data and validated_data[name].pk != getattr(instance, f"{name}_id"):
                raise serializers.ValidationError({name: _("不能修改，请取消关联后重新关联。")})
        actor = self.context["user"]
        return self.run_service(
            lambda: services.project_update(
                actor=actor, link=instance, segment=validated_data.get("segment", instance.segment)
            )
        )


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), help_text="every segment id, upstream first")


class MapEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    url = serializers.CharField()


class MapProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    total_investment = serializers.CharField()
    url = serializers.CharField()


class MapSegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.IntegerField()
    is_gap = serializers.BooleanField()
    member_count = serializers.IntegerField()
    enterprises = MapEnterpriseSerializer(many=True)
    projects = MapProjectSerializer(many=True)


class MapChainSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gap_threshold = serializers.IntegerField()


class ChainMapSerializer(serializers.Serializer):
    chain = MapChainSerializer()
    roles = serializers.DictField(child=serializers.CharField())
    segments = MapSegmentSerializer(many=True)
