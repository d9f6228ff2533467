"""The figures' question — month, region, list level, sector, current or as locked — checked once.

The figures page, the drill-down, the dashboard, the API and the ``tiaodu figures`` command all
read their parameters through ``FigureQueryForm``, so a bad month, an unknown region, a region
outside the user's scope or an unlocked month gets the same clear message everywhere.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.forms import TiaoduForm
from tiaodu.core.periods import format_period, parse_period
from tiaodu.projects.choices import KeyLevel, Sector

from .selectors import FigureQuery, lock_for
from .series import default_region, figure_regions, last_finished_month, region_options

CURRENT = "current"
LOCK = "lock"


class FigureQueryForm(TiaoduForm):
    period = forms.CharField(label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    region = forms.CharField(label=_("区划"), required=False, widget=forms.Select)
    level = forms.ChoiceField(
        label=_("重点级别"),
        required=False,
        choices=[("", _("全部级别")), *KeyLevel.choices],
        error_messages={
            "invalid_choice": _("重点级别“%(value)s”无效：应为 province（省级）、city（市级）或 county（县级）。")
        },
    )
    sector = forms.ChoiceField(
        label=_("行业类别"),
        required=False,
        choices=[("", _("全部行业")), *Sector.choices],
        error_messages={"invalid_choice": _("行业类别“%(value)s”无效。")},
    )
    own = forms.BooleanField(
        label=_("仅本级"),
        required=False,
        help_text=_("只统计直接登记在该区划（如市本级）的项目，不含下属县区。"),
        widget=forms.HiddenInput,
    )
    as_of = forms.ChoiceField(
        label=_("数据口径"),
        required=False,
        choices=[(CURRENT, _("当前数据")), (LOCK, _("锁定时数据"))],
        error_messages={"invalid_choice": _("数据口径“%(value)s”无效：应为 current（当前）或 lock（锁定时）。")},
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, *, user, with_options: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.lock = None
        if with_options:
            # Left empty, the region is the user's own top region; "all" is offered only when there is none.
            everything = [("", _("全部范围"))] if default_region(user) is None else []
            self.fields["region"].widget.choices = everything + [
                (region.code, "\u3000" * max(region.path.count("/") - 2, 0) + region.name)
                for region in region_options(user)
            ]

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return last_finished_month()
        period = parse_period(value)
        if period > local_today().replace(day=1):
            raise ValidationError(
                _("{period}尚未到来，没有数据。").format(period=format_period(period)), code="future_period"
            )
        return period

    def clean_region(self):
        code = (self.cleaned_data.get("region") or "").strip()
        if not code:
            return default_region(self.user)
        # One message for "no such region" and "not yours": nothing is told about a region out of scope.
        region = figure_regions(self.user).filter(code=code).first() if code.isdigit() and len(code) == 6 else None
        if region is None:
            raise ValidationError(
                _("区划代码“{code}”不存在或不在您的查看范围内。").format(code=code[:20]), code="region"
            )
        return region

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        query = FigureQuery(
            period=data["period"], region=data["region"], level=data["level"] or None, sector=data["sector"] or None
        )
        self.lock = lock_for(query, self.user)
        if data["as_of"] == LOCK and self.lock is None:
            self.add_error(
                "as_of",
                ValidationError(
                    _("{period}尚未锁定，没有“锁定时”的数据；请查看当前数据。").format(
                        period=format_period(query.period)
                    ),
                    code="not_locked",
                ),
            )
        return data

    @property
    def query(self) -> FigureQuery:
        data = self.cleaned_data
        return FigureQuery(
            period=data["period"],
            region=data["region"],
            level=data["level"] or None,
            sector=data["sector"] or None,
            as_of_lock=data["as_of"] == LOCK,
            region_only=bool(data.get("own")) and data["region"] is not None,
        )

    def params(self, **overrides) -> dict:
        """The query as URL parameters, every default spelled out, so a link says exactly what it shows."""
        query = self.query
        params = {
            "period": format_period(query.period),
            "region": query.region.code if query.region else "",
            "level": query.level or "",
            "sector": query.sector or "",
            "as_of": LOCK if query.as_of_lock else CURRENT,
            "own": "1" if query.region_only else "",
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value}

    def messages(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]
