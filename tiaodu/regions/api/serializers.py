from rest_framework import serializers

from ..models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "short_name", "level", "parent", "path", "is_active"]
