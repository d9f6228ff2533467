from rest_framework import serializers

from tiaodu.core.api.fields import ScopedPrimaryKeyRelatedField, ScopedRegionField
from tiaodu.core.api.serializers import ServiceSerializer
from tiaodu.core.scoping import CHANGE
from tiaodu.orgs.models import Official, Organisation
from tiaodu.problems.api.serializers import CoordinationLevelField
from tiaodu.problems.models import ProblemCategory
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .. import services
from ..models import AgendaItem, InspectionTour, Meeting, SiteVisit, TourCriterion


class AgendaItemSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    tasks = serializers.SerializerMethodField(help_text="Ids of the problems assigned on this item")

    class Meta:
        model = AgendaItem
        fields = ["id", "project", "project_name", "reason", "decisions", "position", "tasks"]

    def get_tasks(self, item) -> list[int]:
        return [task.problem_id for task in item.tasks.all()]


class MeetingSerializer(ServiceSerializer):
    """A dispatch meeting (调度会). POST schedules one; agenda, decisions and tasks are explicit verbs."""

    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE, help_text="GB/T 2260 code")
    level = CoordinationLevelField()
    chair = ScopedPrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    attendees = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "region", "title", "kind", "level", "date", "place", "chair", "attendees", "status", "items"]
        read_only_fields = ["status"]

    def create(self, validated_data):
        return self.run_service(lambda: services.meeting_schedule(actor=self.context["user"], **validated_data))


class AgendaAddSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    reason = serializers.ChoiceField(choices=AgendaItem._meta.get_field("reason").choices, required=False)


class DecisionsSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Agenda item id")
    decisions = serializers.CharField(help_text="议定事项")


class MeetingTaskSerializer(serializers.Serializer):
    item = serializers.IntegerField(required=False, allow_null=True, help_text="Agenda item id (its project)")
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(queryset=ProblemCategory.objects.filter(is_active=True))
    description = serializers.CharField()
    department = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    deadline = serializers.DateField()


class ProposalSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    project_name = serializers.CharField(source="project.name")
    reasons = serializers.ListField(child=serializers.CharField())


class SiteVisitSerializer(ServiceSerializer):
    """A site visit (进工地、到一线、解难题); each leader is one person-visit (人次). Photos on the page."""

    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE, help_text="GB/T 2260 code")
    leaders = ScopedPrimaryKeyRelatedField(queryset=Official.objects.all(), many=True)
    projects = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all(), many=True)
    problems = serializers.SerializerMethodField(help_text="Ids of the problems found")

    class Meta:
        model = SiteVisit
        fields = ["id", "region", "date", "leaders", "projects", "notes", "problems"]

    def get_problems(self, visit) -> list[int]:
        return [finding.problem_id for finding in visit.findings.all()]

    def create(self, validated_data):
        return self.run_service(lambda: services.visit_record(actor=self.context["user"], **validated_data))


class VisitProblemSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=ProblemCategory.objects.filter(is_active=True))
    description = serializers.CharField()


class VisitFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    person_visits = serializers.IntegerField(help_text="人次: one per leader per visit")
    project_visits = serializers.IntegerField(help_text="Project sites visited, counted per visit")
    projects = serializers.IntegerField(help_text="Distinct projects visited")
    problems_found = serializers.IntegerField()
    problems_solved = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class TourCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TourCriterion
        fields = ["id", "name", "weight", "max_score"]


class InspectionTourSerializer(ServiceSerializer):
    """A quarterly inspection tour (季度拉练观摩) with its weighted criteria."""

    region = ScopedRegionField(queryset=Region.objects.all(), action=CHANGE, help_text="GB/T 2260 code")
    projects = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all(), many=True)
    criteria = TourCriterionSerializer(many=True)

    class Meta:
        model = InspectionTour
        fields = ["id", "region", "title", "year", "quarter", "date", "projects", "criteria"]

    def create(self, validated_data):
        criteria = [(c["name"], c["weight"], c.get("max_score", 100)) for c in validated_data.pop("criteria")]
        return self.run_service(
            lambda: services.tour_create(actor=self.context["user"], criteria=criteria, **validated_data)
        )


class TourScoreSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    criterion = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)


class TourResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    project = serializers.IntegerField(source="project.pk")
    project_name = serializers.CharField(source="project.name")
    region = serializers.CharField(source="project.region.code")
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="Weighted, out of 100")
    scorers = serializers.IntegerField()


class TourCountySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    projects = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=6, decimal_places=2)


class TourResultsSerializer(serializers.Serializer):
    projects = TourResultSerializer(many=True)
    counties = TourCountySerializer(many=True)
