"""The figures over the API: the same JSON as ``tiaodu figures --json`` (``Figures.as_json()``)."""

from rest_framework import serializers

from tiaodu.core.api.serializers import MoneyField
from tiaodu.projects.choices import Nature, Sector, Stage


class RateValueSerializer(serializers.Serializer):
    """A rate: counts as integers, money (投资完成率) as decimal strings in 万元; the rate as a percentage string."""

    numerator = serializers.CharField(help_text="Count, or 万元 as a decimal string for 投资完成率")
    denominator = serializers.CharField(help_text="Count, or 万元 as a decimal string for 投资完成率")
    rate = serializers.CharField(allow_null=True, help_text="Percentage, one decimal, rounded half up; null when 0/0")


class FiguresSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM")
    region = serializers.CharField(allow_null=True, help_text="GB/T 2260 code; null for the user's whole scope")
    # Plain strings, not enums: the region serializer's "level" is another enum, and a second component using
    # the list-level enum would make drf-spectacular name them by a hash (a schema warning).
    level = serializers.CharField(allow_null=True, help_text="List level: province, city or county; null for all")
    sector = serializers.CharField(allow_null=True, help_text="Sector code; null for all")
    region_only = serializers.BooleanField(help_text="Only the projects filed under the region itself (市本级)")
    as_of = serializers.ChoiceField(choices=[("current", "current"), ("lock", "lock")])
    locked_at = serializers.DateTimeField(allow_null=True)
    start_rate = RateValueSerializer(help_text="开工率")
    resumption_rate = RateValueSerializer(help_text="复工率")
    investment_completion_rate = RateValueSerializer(help_text="投资完成率 (万元)")
    commissioning_rate = RateValueSerializer(help_text="投产率")
    stages = serializers.DictField(child=serializers.IntegerField(), help_text="Projects per stage as of the month")
    projects = serializers.IntegerField(help_text="Projects on the lists (each once)")
    reported = serializers.IntegerField(help_text="Projects whose report of the month is submitted or accepted")
    year_on_year = serializers.DictField(
        child=serializers.CharField(allow_null=True), help_text="Change of each rate since a year before, in points"
    )


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="Ties share a rank; null when there is no denominator")
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    rate = serializers.SerializerMethodField()

    def get_numerator(self, row) -> str:
        return str(row.value.as_json()["numerator"])

    def get_denominator(self, row) -> str:
        return str(row.value.as_json()["denominator"])

    def get_rate(self, row) -> str | None:
        return row.value.as_json()["rate"]


class RankingSerializer(serializers.Serializer):
    rate = serializers.CharField()
    label = serializers.CharField()
    period = serializers.CharField()
    results = RankingRowSerializer(many=True)


class DrilldownRowSerializer(serializers.Serializer):
    """One row behind a figure: a key-list entry with its columns as of the month."""

    project = serializers.IntegerField(source="project_id")
    code = serializers.CharField(source="project.code", allow_null=True)
    name = serializers.CharField(source="project.name")
    region = serializers.CharField(source="project.region.code")
    region_name = serializers.CharField(source="project.region.name")
    owner = serializers.CharField(source="project.owner.name")
    # A string, for the same reason as ``FiguresSerializer.level``: region levels also have an enum named "level".
    level = serializers.CharField(help_text="The list the row counts on: province, city or county")
    sector = serializers.ChoiceField(choices=Sector.choices)
    nature = serializers.ChoiceField(choices=Nature.choices)
    annual_plan = MoneyField()
    ytd = MoneyField()
    actual_start_date = serializers.DateField(source="project.actual_start_date", allow_null=True)
    stage = serializers.ChoiceField(choices=Stage.choices, help_text="Stage as of the end of the month")
    reported = serializers.BooleanField()
