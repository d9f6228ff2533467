"""Forms of the import and export pages: they collect the file and what it is; the importers validate."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.forms import TiaoduForm
from tiaodu.core.periods import parse_period, previous_period
from tiaodu.core.scoping import VIEW, is_unrestricted, user_grants
from tiaodu.projects.choices import KeyLevel
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .importers import default_region
from .reading import SUFFIXES

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_region_choices(user):
    """The cities, counties and zones a user's grants reach: where a file's county names are read."""
    regions = Region.objects.filter(
        is_active=True, level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE]
    ).order_by("path")
    if is_unrestricted(user):
        return regions
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        condition |= Q(path__startswith=grant.region.path)
    return regions.filter(condition)


def export_region_choices(user):
    """For an export also the regions above the user's (a county exports its part of the city's list)."""
    visible = Region.objects.restrict(user, VIEW).filter(
        is_active=True, level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE]
    )
    return (import_region_choices(user) | visible).distinct().order_by("path")


class RegionChoiceMixin:
    region_choices = staticmethod(import_region_choices)

    def setup_region(self, user):
        field = self.fields["region"]
        field.queryset = self.region_choices(user)
        field.label_from_instance = lambda region: f"{region.name}（{region.code}）"
        own = default_region(user)
        if own is not None and not self.is_bound:
            self.initial.setdefault("region", own.pk)


class UploadForm(RegionChoiceMixin, TiaoduForm):
    file = forms.FileField(label=_("台账文件"), help_text=_("支持 .xlsx、.xls、.ods，以及UTF-8或GBK编码的 .csv。"))
    region = forms.ModelChoiceField(
        label=_("文件所属区划"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("文件中的县区名称按此区划识别（如“城区”“郊区”）；默认为您所在的区划。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_region(user)

    def upload_options(self) -> dict:
        """What else this kind keeps on the upload (``LedgerUpload.options``)."""
        return {}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(SUFFIXES):
            raise ValidationError(_("不支持的文件类型：请上传 .xlsx、.xls、.ods 或 .csv 文件。"))
        if upload.size == 0:
            raise ValidationError(_("文件是空的。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件超过50MB，请拆分后上传。"))
        return upload


class ProjectImportForm(UploadForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("重点级别"), choices=KeyLevel.choices)
    field_order = ["file", "year", "level", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = local_today().year


class PeriodField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return parse_period(value)


class ReportImportForm(UploadForm):
    period = PeriodField(label=_("月份"), help_text=_("如 2025-07"))
    field_order = ["file", "period", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = previous_period(local_today().replace(day=1))
        self.fields["period"].initial = f"{last.year:04d}-{last.month:02d}"
        self.fields["period"].widget.attrs["placeholder"] = "2025-07"


class ProblemImportForm(UploadForm):
    """问题台账: only the file and the region whose names it uses."""


class LeadImportForm(UploadForm):
    """招商项目台账: the file and the region whose county names it uses."""


class EnterpriseImportForm(UploadForm):
    chain = forms.ModelChoiceField(
        label=_("产业链"),
        queryset=None,
        required=False,
        help_text=_("文件只含一条产业链的企业时选择（如从产业链页面导出的名单）；否则文件须有“产业链”列。"),
    )
    field_order = ["file", "chain", "region"]

    def __init__(self, *args, user, **kwargs):
        from tiaodu.chains.models import Chain

        super().__init__(*args, user=user, **kwargs)
        field = self.fields["chain"]
        field.queryset = Chain.objects.restrict(user, VIEW).select_related("region").order_by("region__code", "name")
        field.label_from_instance = lambda chain: f"{chain.name}（{chain.region.name}）"

    def upload_options(self) -> dict:
        chain = self.cleaned_data.get("chain")
        return {"chain": chain.pk} if chain else {}


MONTH_CHOICES = [(0, _("全年"))] + [(m, _("1–{month}月").format(month=m)) for m in range(1, 13)]


class ActualImportForm(UploadForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("期间"), coerce=int, choices=MONTH_CHOICES)
    field_order = ["file", "year", "month", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = previous_period(local_today().replace(day=1))
        self.fields["year"].initial = last.year
        self.fields["month"].initial = last.month

    def upload_options(self) -> dict:
        return {"month": self.cleaned_data["month"]}


class ProjectExportForm(RegionChoiceMixin, TiaoduForm):
    region_choices = staticmethod(export_region_choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("重点级别"), choices=KeyLevel.choices)
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = local_today().year
        self.setup_region(user)


class ReportExportForm(RegionChoiceMixin, TiaoduForm):
    region_choices = staticmethod(export_region_choices)
    period = PeriodField(label=_("月份"))
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        last = previous_period(local_today().replace(day=1))
        self.fields["period"].initial = f"{last.year:04d}-{last.month:02d}"
        self.setup_region(user)


def default_period() -> datetime.date:
    return previous_period(local_today().replace(day=1))
