from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import ServiceSerializer
from tiaodu.core.scoping import CHANGE
from tiaodu.regions.models import Region

from .. import services
from ..models import Official, Organisation


class OrganisationSerializer(ServiceSerializer):
    region = ScopedRegionField(
        queryset=Region.objects.all(),
        action=CHANGE,
        help_text="GB/T 2260 code of the region the unit belongs to, e.g. 140427",
    )
    successor = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "credit_code",
            "region",
            "address",
            "contact_person",
            "phone",
            "established_on",
            "dissolved_on",
            "successor",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        return self.run_service(lambda: services.organisation_create(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        return self.run_service(
            lambda: services.organisation_update(organisation=instance, actor=self.context["user"], **validated_data)
        )


class OfficialSerializer(ServiceSerializer):
    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE)
    organisation = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = Official
        fields = ["id", "name", "title", "organisation", "region", "is_active"]

    def create(self, validated_data):
        return self.run_service(lambda: services.official_create(actor=self.context["user"], **validated_data))

    def update(self, instance, validated_data):
        return self.run_service(
            lambda: services.official_update(official=instance, actor=self.context["user"], **validated_data)
        )
