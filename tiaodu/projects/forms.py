"""Forms of the registry. They collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm, TiaoduModelForm
from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Official, Organisation
from tiaodu.regions.selectors import project_region_choices, region_choices

from .choices import KeyLevel, Stage
from .models import KeyList, KeyListEntry, Project
from .services import EDITABLE_FIELDS, stage_fact_label


class ProjectForm(TiaoduModelForm):
    """登记/编辑项目. Choices of region, owner, departments and leader are limited to the user's scope."""

    class Meta:
        model = Project
        fields = EDITABLE_FIELDS
        widgets = {"construction_content": forms.Textarea(attrs={"rows": 4})}

    facts_hidden_on_create = (
        "actual_start_date",
        "actual_completion_date",
        "actual_commissioning_date",
        "capacity_date",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = project_region_choices(user)
        organisations = Organisation.objects.restrict(user, VIEW).select_related("region")
        self.fields["owner"].queryset = organisations
        departments = organisations.exclude(kind=OrganisationKind.ENTERPRISE)
        self.fields["responsible_department"].queryset = departments
        self.fields["service_agent"].queryset = organisations
        self.fields["leader"].queryset = Official.objects.restrict(user, VIEW).filter(is_active=True)
        self.fields["code"].widget.attrs.setdefault("placeholder", "2025-140427-44-01-123456")
        if self.instance.pk:
            # The stage-fact dates of a project already past that stage can be corrected here;
            # a project not yet there gets them by a stage move, not by typing a date.
            for field in ("actual_start_date", "actual_commissioning_date", "capacity_date"):
                if not getattr(self.instance, field):
                    del self.fields[field]
        else:
            for field in self.facts_hidden_on_create:
                del self.fields[field]

    def _post_clean(self):
        # Model validation runs in the service (full_clean there), once, with the actor's scope.
        pass


class ProjectCreateForm(ProjectForm):
    """Registration may place a project directly in a later stage (a 续建 project taken from a ledger)."""

    stage = forms.ChoiceField(
        label=_("登记时所处阶段"),
        choices=[(s.value, s.label) for s in (Stage.PLANNING, Stage.PRELIMINARY, Stage.CONSTRUCTION)],
        initial=Stage.PLANNING,
    )
    actual_start_date = forms.DateField(
        label=_("实际开工日期"), required=False, help_text=_("登记为“在建”时必填。"), widget=forms.DateInput
    )
    facts_hidden_on_create = ("actual_completion_date", "actual_commissioning_date", "capacity_date")
    field_order = ["stage", "actual_start_date"]


class StageChangeForm(TiaoduForm):
    """One stage move: the date of the fact that justifies it, a reason, and the code if still missing."""

    date = forms.DateField(label=_("发生日期"), widget=forms.DateInput)
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    code = forms.CharField(label=_("项目代码"), required=False, max_length=24)

    def __init__(self, *args, project: Project, to_stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = stage_fact_label(to_stage)
        if to_stage in (Stage.SUSPENDED, Stage.WITHDRAWN):
            self.fields["reason"].required = True
            self.fields["reason"].label = _("原因")
        if project.code or to_stage not in (Stage.CONSTRUCTION,):
            del self.fields["code"]
        else:
            self.fields["code"].required = True
            self.fields["code"].help_text = _("开工项目须已在投资项目在线审批监管平台赋码。")


class KeyListForm(TiaoduModelForm):
    class Meta:
        model = KeyList
        fields = ("region", "year", "level", "title", "note")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices(user)
        self.fields["title"].help_text = _("留空则自动生成，如“长治市2025年省级重点工程项目”。")
        self.fields["level"].choices = KeyLevel.choices

    def _post_clean(self):
        pass


class KeyListEntryForm(TiaoduModelForm):
    class Meta:
        model = KeyListEntry
        fields = ("project", "nature", "annual_plan", "note")

    def __init__(self, *args, user, key_list: KeyList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.restrict(user, CHANGE)
            .filter(region__path__startswith=key_list.region.path)
            .exclude(stage=Stage.WITHDRAWN)
            .exclude(list_entries__key_list=key_list)
            .select_related("region")
            .order_by("region__code", "name")
        )
        self.fields["nature"].required = False
        self.fields["nature"].help_text = _("留空则取项目的建设性质。")

    def _post_clean(self):
        pass


class KeyListEntryEditForm(TiaoduModelForm):
    class Meta:
        model = KeyListEntry
        fields = ("nature", "annual_plan", "note")

    def _post_clean(self):
        pass
