from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm

from .choices import RegionLevel
from .selectors import region_choices


class ZoneForm(TiaoduForm):
    city = forms.ModelChoiceField(label=_("所属地级市"), queryset=None)
    code = forms.RegexField(
        label=_("区划代码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("区划代码应为6位数字。")},
        help_text=_("功能区不在国家标准区划中，按统计用区划代码惯例编为“市代码前4位 + 7x”，如 140471。"),
    )
    name = forms.CharField(label=_("名称"), max_length=64)
    short_name = forms.CharField(label=_("简称"), max_length=32, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = region_choices(user, levels=[RegionLevel.CITY])


class RegionEditForm(TiaoduForm):
    name = forms.CharField(label=_("名称"), max_length=64)
    short_name = forms.CharField(label=_("简称"), max_length=32, required=False)
