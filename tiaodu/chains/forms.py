"""Forms of the chain pages; the rules live in the services, which these forms call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm
from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .choices import MemberRole
from .models import Segment
from .services import DEPARTMENT_KINDS


class ChainForm(TiaoduForm):
    name = forms.CharField(label=_("产业链名称"), max_length=64)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    leader = forms.ModelChoiceField(queryset=Official.objects.none(), required=False, label=_("链长"))
    department = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("牵头部门"))
    gap_threshold = forms.IntegerField(
        label=_("薄弱环节企业数"),
        min_value=1,
        max_value=100,
        initial=2,
        help_text=_("环节内企业少于此数即视为缺链、薄弱环节。"),
    )
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea)
    segments = forms.CharField(
        label=_("环节"),
        required=False,
        widget=forms.Textarea,
        help_text=_("每行一个环节，从上游到下游。"),
    )

    def __init__(self, *args, user=None, with_segments=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user, CHANGE).order_by("path")
        self.fields["leader"].queryset = (
            Official.objects.restrict(user, VIEW).filter(is_active=True).select_related("region").order_by("name")
        )
        self.fields["department"].queryset = (
            Organisation.objects.restrict(user, VIEW)
            .filter(kind__in=DEPARTMENT_KINDS, dissolved_on__isnull=True)
            .order_by("region__code", "name")
        )
        if not with_segments:
            del self.fields["segments"]

    def clean_segments(self):
        text = self.cleaned_data.get("segments") or ""
        parts = [p.strip() for line in text.splitlines() for p in line.replace("→", "\n").splitlines()]
        return [p for p in parts if p]


class SegmentForm(TiaoduForm):
    name = forms.CharField(label=_("环节名称"), max_length=64)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


def enterprises(user):
    return (
        Organisation.objects.restrict(user, VIEW)
        .filter(kind=OrganisationKind.ENTERPRISE, dissolved_on__isnull=True)
        .only("pk", "name")
        .order_by("name")
    )


class MemberForm(TiaoduForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("企业"))
    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), label=_("环节"))
    role = forms.ChoiceField(choices=MemberRole.choices, label=_("角色"), initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("入链日期"), required=False, widget=forms.DateInput)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user=None, chain=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Any segment may be chosen (the service says clearly when it belongs to another chain).
        self.fields["segment"].queryset = Segment.objects.restrict(user, VIEW).select_related("chain")
        self.fields["segment"].choices = [("", "---------")] + [
            (s.pk, s.name) for s in Segment.objects.filter(chain=chain).order_by("position")
        ]
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = enterprises(user)


class OutputForm(TiaoduForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    actual = forms.DecimalField(label=_("实际产值（万元）"), max_digits=14, decimal_places=2, required=False)
    target = forms.DecimalField(label=_("目标产值（万元）"), max_digits=14, decimal_places=2, required=False)


class ProjectLinkForm(TiaoduForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("项目"))
    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), required=False, label=_("环节"))

    def __init__(self, *args, user=None, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user, VIEW).only("pk", "name").order_by("name")
        self.fields["segment"].queryset = Segment.objects.restrict(user, VIEW).select_related("chain")
        self.fields["segment"].choices = [("", "---------")] + [
            (s.pk, s.name) for s in Segment.objects.filter(chain=chain).order_by("position")
        ]


class SegmentOrderForm(TiaoduForm):
    step = forms.TypedChoiceField(choices=[("-1", "-1"), ("1", "1")], coerce=int)
