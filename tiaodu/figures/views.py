"""Pages of the figures: the four rates with their numerators and denominators, rankings, the rows
behind every number (with export), and the leaders' dashboard."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from tiaodu.core.exports import table_to_xlsx, xlsx_response
from tiaodu.core.periods import format_period
from tiaodu.core.tables import format_money
from tiaodu.core.templatetags.tiaodu import yi
from tiaodu.projects.choices import STAGE_POOL, Pool, Stage

from . import series
from .exports import export_figures
from .forms import CURRENT, LOCK, FigureQueryForm
from .selectors import RATES, Figures, RateValue, figures, ranking
from .tables import FigureRowTable, LaggingTable

LAGGING_SHOWN = 10


def number(value, is_money: bool) -> str:
    """How a numerator or denominator reads: 1,038 for counts, 12,300.00 for 万元."""
    return format_money(value) if is_money else intcomma(value)


def points(value) -> str:
    """A year-on-year change in percentage points: +2.1, -1.0, or — when there is nothing to compare."""
    return "—" if value is None else f"{value:+}"


def money_text(value) -> str | None:
    """万元 for the charts' data: a decimal string with two places on every database, never a float."""
    return None if value is None else f"{Decimal(value):.2f}"


def rate_text(value: RateValue) -> str:
    return "—" if value.rate is None else f"{value.rate}%"


class FigureQueryMixin(LoginRequiredMixin):
    """Reads the question (month, region, level, sector, as of) from the query string, checked by the form."""

    with_options = True

    def get_form(self) -> FigureQueryForm:
        form = FigureQueryForm(self.request.GET, user=self.request.user, with_options=self.with_options)
        form.is_valid()
        return form

    def url(self, name: str, form: FigureQueryForm, **params) -> str:
        return f"{reverse(name)}?{urlencode(form.params(**params))}"

    def drill(self, form: FigureQueryForm, key: str, part: str = "numerator", **params) -> str:
        return self.url("figures:drilldown", form, rate=key, part=part, **params)

    def invalid(self, form: FigureQueryForm, template: str, extra=None):
        """The page with the form's messages instead of figures: a clear 400, never a 500."""
        current = self.request.GET.copy()
        current["as_of"] = CURRENT
        context = {
            "form": self.display_form(form),
            "errors": form.messages(),
            "not_locked": "as_of" in form.errors and len(form.errors) == 1,
            "current_query": current.urlencode(),
            **(extra or {}),
        }
        return render(self.request, template, context, status=400)

    def display_form(self, form: FigureQueryForm) -> FigureQueryForm:
        """The filter bar, filled with the values in force (defaults spelled out) when the question was valid."""
        if form.is_bound and not form.errors:
            initial = form.params()
            display = FigureQueryForm(user=self.request.user, initial=initial)
        else:
            display = FigureQueryForm(user=self.request.user, initial=self.request.GET.dict())
        display.fields["region"].widget.choices = form.fields["region"].widget.choices
        return display

    def scope_context(self, form: FigureQueryForm, **link_params) -> dict:
        """What the page is about, and the switch between current and as-locked figures."""
        query = form.query
        lock = form.lock
        return {
            "form": self.display_form(form),
            "query": query,
            "period_label": format_period(query.period),
            "region_label": (
                _("{region}（本级）").format(region=query.region.name)
                if query.region and query.region_only
                else (query.region.name if query.region else _("全部范围"))
            ),
            "lock": lock,
            "locked_at": timezone.localtime(lock.locked_at) if lock else None,
            "as_of_lock": query.as_of_lock,
            "current_url": "?" + urlencode(form.params(as_of=CURRENT, **link_params)),
            "lock_url": "?" + urlencode(form.params(as_of=LOCK, **link_params)) if lock else None,
            "params": form.params(),
        }

    def rate_cards(self, form: FigureQueryForm, result: Figures) -> list[dict]:
        cards = []
        for key, value in result.rates.items():
            cards.append(
                {
                    "key": key,
                    "label": value.label,
                    "value": value,
                    "rate": rate_text(value),
                    "numerator": number(value.numerator, value.is_money),
                    "denominator": number(value.denominator, value.is_money),
                    "numerator_yi": yi(value.numerator) if value.is_money else None,
                    "denominator_yi": yi(value.denominator) if value.is_money else None,
                    "is_money": value.is_money,
                    "yoy": points(result.yoy(key)),
                    "yoy_value": result.yoy(key),
                    "numerator_url": self.drill(form, key, "numerator"),
                    "denominator_url": self.drill(form, key, "denominator"),
                }
            )
        return cards

    def ranking_rows(self, form: FigureQueryForm, key: str) -> list[dict]:
        rows = []
        for row in ranking(self.request.user, form.query, key):
            # A county or zone links to its rows (and those under it); a row of projects filed under
            # the city itself (市本级) links to those projects only.
            own = "" if row.region.level in ("county", "zone") else "1"
            rows.append(
                {
                    "rank": row.rank,
                    "region": row.region,
                    "value": row.value,
                    "rate": rate_text(row.value),
                    "numerator": number(row.value.numerator, row.value.is_money),
                    "denominator": number(row.value.denominator, row.value.is_money),
                    "numerator_url": self.drill(form, key, "numerator", region=row.region.code, own=own),
                    "denominator_url": self.drill(form, key, "denominator", region=row.region.code, own=own),
                }
            )
        return rows

    def stage_rows(self, form: FigureQueryForm, result: Figures) -> list[dict]:
        return [
            {"stage": Stage(stage), "count": count, "url": self.drill(form, f"stage:{stage}")}
            for stage, count in result.stages.items()
        ]


class FiguresView(FigureQueryMixin, View):
    """调度指标: the four rates with numerator and denominator, year on year, per stage, and the rankings."""

    template_name = "figures/figures.html"

    def get(self, request):
        form = self.get_form()
        if not form.is_valid():
            return self.invalid(form, self.template_name)
        if request.GET.get("export") == "xlsx":
            title, content = export_figures(request.user, form.query)
            return xlsx_response(content, "{}.xlsx".format(title.replace(" ", "-").replace("/", "-")))
        result = figures(request.user, form.query)
        context = {
            **self.scope_context(form),
            "export_url": self.url("figures:figures", form, export="xlsx"),
            "cards": self.rate_cards(form, result),
            "stages": self.stage_rows(form, result),
            "total": result.total,
            "total_url": self.drill(form, "all"),
            "reported": result.reported,
            "reported_url": self.drill(form, "reported"),
            "rankings": [
                {"key": key, "label": rate.label, "rows": self.ranking_rows(form, key)} for key, rate in RATES.items()
            ],
            "dashboard_url": self.url("figures:dashboard", form),
        }
        return render(request, self.template_name, context)


class CountedPaginator(Paginator):
    """A paginator told the number of rows (already counted for the page's header)."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


class DrilldownView(FigureQueryMixin, View):
    """指标明细: exactly the rows behind one number, sortable and paged; ``?export=xlsx`` downloads them all."""

    template_name = "figures/drilldown.html"
    money_columns = {"annual_plan", "ytd"}
    with_options = False

    def get(self, request):
        form = self.get_form()
        try:
            key, part = series.parse_drilldown_key(request.GET.get("rate", ""), request.GET.get("part", ""))
        except ValidationError as error:
            for messages in error.message_dict.values():
                form.add_error(None, messages)
        if form.errors:
            return self.invalid(form, self.template_name)
        query = form.query
        rows = series.drilldown_rows(request.user, query, key, part)
        title = series.drilldown_title(key, part)
        context = self.scope_context(form, rate=key, part=part)
        totals = rows.aggregate(n=Count("pk"), ytd_total=Sum("ytd"), plan_total=Sum("annual_plan"))
        heading = self.heading(totals, key, part, title)
        full_title = _("{region} {period} {heading}").format(
            region=context["region_label"], period=context["period_label"], heading=title
        )
        if request.GET.get("export") == "xlsx":
            table = FigureRowTable(rows)
            RequestConfig(request, paginate=False).configure(table)
            filename = "{}.xlsx".format(str(full_title).replace(" ", "-").replace("/", "-"))
            return xlsx_response(
                table_to_xlsx(table, title=str(full_title), money_columns=self.money_columns), filename
            )
        table = FigureRowTable(rows)
        # The header has just counted the rows: the pager need not count them again.
        paginate = {"per_page": 50, "paginator_class": CountedPaginator, "count": totals["n"]}
        RequestConfig(request, paginate=paginate).configure(table)
        export = request.GET.copy()
        export.pop("page", None)
        export["export"] = "xlsx"
        context.update(
            {
                "title": title,
                "full_title": full_title,
                "heading": heading,
                "table": table,
                "export_query": export.urlencode(),
                "rate_key": key,
                "part": part,
                "figures_url": self.url("figures:figures", form),
                "dashboard_url": self.url("figures:dashboard", form),
            }
        )
        return render(request, self.template_name, context)

    def heading(self, totals: dict, key: str, part: str, title: str) -> str:
        """The header that restates the number: “开工率 分子：已开工的新建项目 25 个”.

        ``totals``: the rows' count ``n``, ``ytd_total`` and ``plan_total`` (aliases, not the column
        names: an aggregate named "ytd" would shadow the column).
        """
        if key == "investment_completion_rate":
            amount = totals["ytd_total"] if part == "numerator" else totals["plan_total"]
            return _("{title} {amount} 万元（{yi} 亿元），{n} 个项目").format(
                title=title, amount=format_money(amount or 0), yi=yi(amount or 0), n=intcomma(totals["n"])
            )
        return _("{title} {n} 个").format(title=title, n=intcomma(totals["n"]))


class DashboardView(FigureQueryMixin, View):
    """领导驾驶舱: the headline figures, investment against plan by month, rankings, pools, sectors, laggards."""

    template_name = "figures/dashboard.html"

    def get(self, request):
        form = self.get_form()
        if not form.is_valid():
            return self.invalid(form, self.template_name)
        user, query = request.user, form.query
        result = figures(user, query)
        context = {
            **self.scope_context(form),
            "cards": self.rate_cards(form, result),
            "total": result.total,
            "total_url": self.drill(form, "all"),
            "reported": result.reported,
            "reported_url": self.drill(form, "reported"),
            "figures_url": self.url("figures:figures", form),
            "charts": self.charts(form, result),
            "side_states": self.side_states(form, result),
        }
        context["ranking_height"] = max(160, 30 * len(context["charts"]["ranking"]["labels"]) + 40)
        lagging = series.lagging(user, query)
        context["lagging_count"] = lagging.count()
        context["lagging_table"] = (
            LaggingTable(series.first_rows(lagging, LAGGING_SHOWN), period=query.period)
            if context["lagging_count"]
            else None
        )
        context["lagging_url"] = self.drill(form, "lagging")
        context["lagging_gap"] = series.LAGGING_GAP_POINTS
        return render(request, self.template_name, context)

    def charts(self, form: FigureQueryForm, result: Figures) -> dict:
        """Each chart's data and, for every bar or segment, the drill-down it opens."""
        user, query = self.request.user, form.query
        months = series.investment_series(user, query)
        investment = RATES["investment_completion_rate"]
        ranks = self.ranking_rows(form, investment.key)
        sectors = series.sector_breakdown(user, query)
        return {
            "investment": {
                "title": str(_("累计完成投资与年度计划（万元）")),
                "labels": [str(_("{month}月").format(month=p.period.month)) for p in months["points"]],
                "actual_name": str(_("累计完成投资")),
                "plan_name": str(_("计划进度（年度计划×月份÷12）")),
                "actual": [money_text(p.ytd) for p in months["points"]],
                "plan": [money_text(p.plan_to_date) for p in months["points"]],
                "links": [
                    self.drill(form, investment.key, "numerator", period=format_period(p.period))
                    if p.ytd is not None
                    else None
                    for p in months["points"]
                ],
            },
            "ranking": {
                "title": str(_("投资完成率排名")),
                "labels": [row["region"].name for row in ranks],
                "values": [row["value"].rate for row in ranks],
                "details": ["{} / {}".format(row["numerator"], row["denominator"]) for row in ranks],
                "links": [row["numerator_url"] for row in ranks],
            },
            "funnel": {
                "title": str(_("项目四库")),
                "labels": [item["label"] for item in series.pools(result.stages)],
                "values": [item["count"] for item in series.pools(result.stages)],
                "links": [self.drill(form, f"pool:{pool.value}") for pool in Pool],
            },
            "sectors": {
                "title": str(_("分行业完成投资（万元）")),
                "labels": [row["label"] for row in sectors],
                "values": [money_text(row["value"].numerator) for row in sectors],
                "plans": [money_text(row["value"].denominator) for row in sectors],
                "links": [self.drill(form, investment.key, "numerator", sector=row["sector"]) for row in sectors],
            },
        }

    def side_states(self, form: FigureQueryForm, result: Figures) -> list[dict]:
        """停缓建 and 退库: outside the four pools, counted beside the funnel."""
        return [
            {"label": Stage(stage).label, "count": result.stages[stage], "url": self.drill(form, f"stage:{stage}")}
            for stage in Stage.values
            if stage not in STAGE_POOL
        ]
