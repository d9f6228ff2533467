"""Pages of investment attraction: the lead list and page with its workflow forms, teams, the 三未 alarm
list and rules, turning an alarm into a problem, and the figures with their drill-downs."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from tiaodu.chains.models import Chain, Segment
from tiaodu.core.dates import local_today
from tiaodu.core.exports import table_to_xlsx, xlsx_response
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404, user_can, user_grants
from tiaodu.core.views import ScopedListView, ScopedObjectMixin, ServiceFormView

from . import selectors, services
from .choices import PIPELINE, LeadStage
from .filtersets import EmptyFilterSet, LeadFilterSet
from .forms import (
    AdvanceForm,
    AlarmFilterForm,
    AlarmProblemForm,
    AlarmRuleForm,
    CreateLeadForm,
    FigureQueryForm,
    FundsForm,
    LeadForm,
    ProjectLinkForm,
    SignForm,
    TeamForm,
    TerminateForm,
)
from .models import AttractionTeam, FundsEntry, Lead, Signing
from .tables import AlarmTable, FundsTable, LeadTable, SigningTable


def _may_add(user) -> bool:
    return user.is_superuser or any(g.role == "admin" for g in user_grants(user))


# ---- leads ---------------------------------------------------------------------------------------


class LeadListView(ScopedListView):
    """招商项目库: every lead in scope, filtered, exportable."""

    filterset_class = LeadFilterSet
    table_class = LeadTable
    template_name = "attraction/lead_list.html"
    add_url_name = "attraction:lead_add"
    export_title = _("招商项目台账")
    money_columns = {"intended_investment"}

    def get_queryset(self):
        return selectors.lead_list(self.request.user)

    def can_add(self) -> bool:
        return _may_add(self.request.user)


def _id(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


class LeadAddView(ServiceFormView):
    """登记线索; ``?chain=<id>&segment=<id>`` starts it from a chain's gap (招商图谱)."""

    title = _("登记招商线索")

    def get(self, request, *args, **kwargs):
        if not _may_add(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)

    def build_form(self, data=None):
        initial = {}
        chain_id, segment_id = _id(self.request.GET.get("chain")), _id(self.request.GET.get("segment"))
        chain = Chain.objects.restrict(self.request.user, VIEW).filter(pk=chain_id).first() if chain_id else None
        if chain is not None:
            initial["chain"] = chain.pk
            if chain.region.level in ("county", "zone"):
                initial["region"] = chain.region_id
            segment = Segment.objects.filter(pk=segment_id, chain=chain).first() if segment_id else None
            if segment is not None:
                initial["segment"] = segment.pk
                initial["name"] = _("{chain}{segment}环节招商项目").format(chain=chain.name, segment=segment.name)
        return CreateLeadForm(data, initial=initial, user=self.request.user)

    def save(self, form):
        return services.lead_create(actor=self.request.user, **form.cleaned_data)


class LeadObjectMixin(ScopedObjectMixin):
    model = Lead

    def get_base_queryset(self):
        return Lead.objects.select_related(*selectors.RELATED)


class LeadDetailView(LeadObjectMixin, TemplateView):
    template_name = "attraction/lead_detail.html"

    def get_context_data(self, **kwargs):
        lead = self.get_object()
        user = self.request.user
        editable = user_can(user, CHANGE, lead) and not lead.is_terminated
        context = super().get_context_data(**kwargs)
        context.update(
            lead=lead,
            signings=lead.signings.all(),
            funds=lead.funds.all(),
            funds_total=sum((f.amount for f in lead.funds.all()), start=0),
            signed_total=services.signed_total(lead),
            events=selectors.lead_events(lead),
            history=selectors.lead_history(lead),
            progress=selectors.project_progress(lead),
            editable=editable,
            can_advance=editable and lead.stage != LeadStage.CAPACITY,
            can_project=editable and lead.landed_on is not None and not lead.project_id,
            stages=lead.stage_dates(),
            alarm_problems=lead.alarm_problems.select_related("problem", "rule"),
        )
        return context


class LeadEditView(LeadObjectMixin, ServiceFormView):
    action = CHANGE
    title = _("修改招商项目")

    def build_form(self, data=None):
        lead = self.get_object()
        initial = {name: getattr(lead, name) for name in services.LEAD_FIELDS}
        for name in ("chain", "segment", "region", "team", "responsible"):
            initial[name] = getattr(lead, f"{name}_id")
        return LeadForm(data, initial=initial, user=self.request.user)

    def save(self, form):
        return services.lead_update(actor=self.request.user, lead=self.get_object(), **form.cleaned_data)

    def get_extra_context(self):
        return {"cancel_url": self.get_object().get_absolute_url()}


class LeadStepView(LeadObjectMixin, View):
    """A workflow step: a form page (GET) and its service call (POST); a refused step writes nothing."""

    action = CHANGE
    form_class = None
    title = ""
    done = _("已保存。")
    template_name = "core/form_page.html"

    def build_form(self, data=None):
        return self.form_class(data)

    def call(self, lead, data):
        raise NotImplementedError

    def get(self, request, pk):
        lead = self.get_object()
        if self.form_class is None:
            raise Http404
        return self.render(lead, self.build_form())

    def post(self, request, pk):
        lead = self.get_object()
        form = self.build_form(request.POST) if self.form_class else None
        if form is None or form.is_valid():
            try:
                self.call(lead, form.cleaned_data if form else {})
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                    return redirect(lead.get_absolute_url())
                apply_validation_error(form, error)
            else:
                messages.success(request, self.done)
                return redirect(lead.get_absolute_url())
        return self.render(lead, form, status=400)

    def render(self, lead, form, status=200):
        context = {"form": form, "title": f"{self.title}：{lead.name}", "cancel_url": lead.get_absolute_url()}
        return render(self.request, self.template_name, context, status=status)


class LeadAdvanceView(LeadStepView):
    form_class = AdvanceForm
    title = _("推进阶段")
    done = _("阶段已推进。")

    def build_form(self, data=None):
        lead = self.get_object()
        initial = {}
        wanted = self.request.GET.get("to")
        if wanted in PIPELINE:
            initial["to_stage"] = wanted
        return AdvanceForm(data, initial=initial, user=self.request.user, lead=lead)

    def call(self, lead, data):
        data = dict(data)
        services.lead_advance(
            actor=self.request.user,
            lead=lead,
            to_stage=data.pop("to_stage"),
            on=data.pop("on"),
            comment=data.pop("comment"),
            **data,
        )


class LeadSignView(LeadStepView):
    form_class = SignForm
    title = _("登记签约")
    done = _("签约已登记。")

    def call(self, lead, data):
        services.lead_sign(actor=self.request.user, lead=lead, **data)


class LeadFundsView(LeadStepView):
    form_class = FundsForm
    title = _("登记到位资金")
    done = _("到位资金已登记。")

    def call(self, lead, data):
        services.lead_add_funds(actor=self.request.user, lead=lead, **data)


class LeadProjectView(LeadStepView):
    form_class = ProjectLinkForm
    title = _("转入项目库")
    done = _("已关联库内项目。")

    def build_form(self, data=None):
        return ProjectLinkForm(data, user=self.request.user, lead=self.get_object())

    def call(self, lead, data):
        if data.get("project") is not None:
            services.lead_link_project(actor=self.request.user, lead=lead, project=data["project"])
        else:
            services.lead_create_project(actor=self.request.user, lead=lead, code=data.get("code") or None)


class LeadSyncView(LeadStepView):
    http_method_names = ["post"]
    done = _("已按项目库同步。")

    def call(self, lead, data):
        services.lead_sync_from_project(actor=self.request.user, lead=lead)


class LeadTerminateView(LeadStepView):
    form_class = TerminateForm
    title = _("终止招商项目")
    done = _("已终止。")

    def call(self, lead, data):
        services.lead_terminate(actor=self.request.user, lead=lead, reason=data["reason"], on=data["on"])


# ---- teams ---------------------------------------------------------------------------------------


class TeamListView(LoginRequiredMixin, TemplateView):
    template_name = "attraction/team_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        teams = selectors.team_list(self.request.user).order_by("region__code", "name")
        context.update(teams=teams, can_add=_may_add(self.request.user))
        return context


class TeamAddView(ServiceFormView):
    title = _("设立招商专班")

    def get(self, request, *args, **kwargs):
        if not _may_add(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)

    def build_form(self, data=None):
        return TeamForm(data, user=self.request.user)

    def save(self, form):
        return services.team_save(actor=self.request.user, **form.cleaned_data)


class TeamEditView(ScopedObjectMixin, ServiceFormView):
    model = AttractionTeam
    action = CHANGE
    title = _("修改招商专班")

    def build_form(self, data=None):
        team = self.get_object()
        initial = {
            "region": team.region_id,
            "name": team.name,
            "leader": team.leader_id,
            "contact_person": team.contact_person,
            "phone": team.phone,
            "is_active": team.is_active,
        }
        return TeamForm(data, initial=initial, user=self.request.user)

    def save(self, form):
        return services.team_save(actor=self.request.user, team=self.get_object(), **form.cleaned_data)


# ---- alarms --------------------------------------------------------------------------------------


class AlarmListView(LoginRequiredMixin, View):
    """三未预警: every lead in alarm with its days outstanding, red counts per county and team; .xlsx export."""

    template_name = "attraction/alarm_list.html"

    def get(self, request):
        today = local_today()
        rules = selectors.rules_for(request.user)
        form = AlarmFilterForm(request.GET or None, user=request.user, rules=rules)
        if request.GET and not form.is_valid():
            return render(request, self.template_name, {"form": form, "valid": False}, status=400)
        data = form.cleaned_data if form.is_bound else {}
        alarm_filter = selectors.AlarmFilter(rule=data.get("rule"), region=data.get("region"), team=data.get("team"))
        rules = list(rules)
        chosen = [r for r in rules if alarm_filter.rule is None or r.pk == alarm_filter.rule.pk]
        alarm_set = selectors.alarm_set(request.user, today, alarm_filter, rules=chosen)
        rows = alarm_set.rows
        rule_map = {r.pk: r for r in rules}
        if request.GET.get("export") == "xlsx":
            alarms = selectors.hydrate_alarms(rows, rule_map, today)
            title = str(_("招商项目三未预警清单"))
            content = table_to_xlsx(AlarmTable(alarms), title=title)
            return xlsx_response(content, f"{title}-{timezone.localdate():%Y%m%d}.xlsx")
        paginator = Paginator(rows, 50)
        page = paginator.get_page(request.GET.get("page"))
        alarms = selectors.hydrate_alarms(page.object_list, rule_map, today)
        query = request.GET.copy()
        query.pop("page", None)
        export = query.copy()
        export["export"] = "xlsx"
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "valid": True,
                "alarms": alarms,
                "page": page,
                "counts": alarm_set.counts(),
                "query": query.urlencode(),
                "export_query": export.urlencode(),
                "can_convert": _may_add(request.user),
                "rules": rules,
            },
        )


class AlarmProblemView(LoginRequiredMixin, View):
    """转为问题: one alarm becomes a ledger problem, assigned to a department with a deadline."""

    def objects(self, lead_pk, rule_pk):
        lead = get_scoped_or_404(Lead.objects.select_related("region"), self.request.user, CHANGE, pk=lead_pk)
        rule = selectors.rules_for(self.request.user).filter(pk=rule_pk).first()
        if rule is None:
            raise Http404
        return lead, rule

    def get(self, request, lead, rule):
        lead, rule = self.objects(lead, rule)
        return self.render(lead, rule, AlarmProblemForm(user=request.user))

    def post(self, request, lead, rule):
        lead, rule = self.objects(lead, rule)
        form = AlarmProblemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                problem = services.alarm_to_problem(actor=request.user, lead=lead, rule=rule, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已转为问题并交办：{number}").format(number=problem.number))
                return redirect(problem.get_absolute_url())
        return self.render(lead, rule, form, status=400)

    def render(self, lead, rule, form, status=200):
        title = _("预警转问题：【{rule}】{lead}").format(rule=rule.name, lead=lead.name)
        context = {"form": form, "title": title, "cancel_url": reverse("attraction:alarm_list")}
        return render(self.request, "core/form_page.html", context, status=status)


class RuleListView(LoginRequiredMixin, TemplateView):
    template_name = "attraction/rule_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = list(selectors.rules_for(self.request.user, active_only=False))
        for rule in rules:
            rule.editable = services.can_edit_rules(self.request.user, rule.city)
        context.update(rules=rules, can_add=any(r.editable for r in rules) or self.request.user.is_superuser)
        return context


def _rule_cities(user):
    from tiaodu.regions.models import Region

    cities = [c.pk for c in selectors.alarm_cities(user) if services.can_edit_rules(user, c)]
    return Region.objects.filter(pk__in=cities)


class RuleAddView(ServiceFormView):
    title = _("新增预警规则")

    def build_form(self, data=None):
        cities = _rule_cities(self.request.user)
        if data is None and not cities.exists():
            raise Http404
        return AlarmRuleForm(data, cities=cities)

    def save(self, form):
        services.alarm_rule_save(actor=self.request.user, **form.cleaned_data)
        return _RulesPage()


class RuleEditView(ServiceFormView):
    title = _("修改预警规则")

    def get_rule(self):
        rule = selectors.rules_for(self.request.user, active_only=False).filter(pk=self.kwargs["pk"]).first()
        if rule is None or not services.can_edit_rules(self.request.user, rule.city):
            raise Http404
        return rule

    def build_form(self, data=None):
        rule = self.get_rule()
        initial = {
            f: getattr(rule, f) for f in ("name", "kind", "from_stage", "to_stage", "months", "sort_order", "is_active")
        }
        initial["city"] = rule.city_id
        return AlarmRuleForm(data, initial=initial, cities=_rule_cities(self.request.user))

    def save(self, form):
        services.alarm_rule_save(actor=self.request.user, rule=self.get_rule(), **form.cleaned_data)
        return _RulesPage()


class _RulesPage:
    def get_absolute_url(self):
        return reverse("attraction:rule_list")


# ---- figures -------------------------------------------------------------------------------------


def figure_query(request) -> tuple[FigureQueryForm, selectors.AttractionQuery | None]:
    form = FigureQueryForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        start, end = FigureQueryForm.defaults()
        form = FigureQueryForm({"start": start, "end": end}, user=request.user)
        form.is_valid()
    data = form.cleaned_data
    return form, selectors.AttractionQuery(start=data["start"], end=data["end"], region=data.get("region"))


def query_params(query: selectors.AttractionQuery) -> dict:
    params = {"start": query.start.isoformat(), "end": query.end.isoformat()}
    if query.region is not None:
        params["region"] = query.region.code
    return params


class FiguresView(LoginRequiredMixin, View):
    """招商引资情况: leads, signed count and amount, landing and start rates, funds in place; by county,
    sector, chain and team, ranked; and the enterprises landed over time."""

    template_name = "attraction/figures.html"

    def get(self, request):
        form, query = figure_query(request)
        if query is None:
            return render(request, self.template_name, {"form": form}, status=400)
        params = query_params(query)

        def link(measure, group=None, key=None):
            extra = {"measure": measure}
            if group:
                extra.update(group=group, key=key)
            return "{}?{}".format(reverse("attraction:drilldown"), urlencode({**params, **extra}))

        tables = []
        for group, (_field, title) in selectors.GROUPS.items():
            rows = selectors.figure_table(request.user, query, group)
            for row in rows:
                row["links"] = {m: link(m, group, row["key"]) for m in selectors.MEASURES}
            tables.append({"group": group, "title": title, "rows": rows})
        totals = selectors.figure_totals(request.user, query)
        totals["links"] = {m: link(m) for m in selectors.MEASURES}
        series = selectors.landed_series(request.user, query)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "query": query,
                "totals": totals,
                "amount_yi": totals["amount"] / 10000,
                "tables": tables,
                "series": series,
                "series_first": series[0]["count"] if series else 0,
                "series_last": series[-1]["count"] if series else 0,
            },
        )


class DrilldownView(ScopedListView):
    """The rows behind one figure: same base, same measure, one group when given."""

    template_name = "attraction/drilldown.html"
    filterset_class = EmptyFilterSet

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form, self.query = figure_query(request)
        self.measure = request.GET.get("measure", "signed")
        self.group = request.GET.get("group") or None
        self.key = request.GET.get("key") or None
        valid = self.measure in selectors.MEASURES and (self.group is None or self.group in selectors.GROUPS)
        if self.group and not (
            self.key == selectors.NONE_KEY
            or (self.group == "sector" and self.key in dict(selectors.Sector.choices))
            or (self.group != "sector" and (self.key or "").isdigit() and len(self.key) <= 18)
        ):
            valid = False
        self.valid = valid and self.query is not None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.valid and request.GET.get("export") != "xlsx":
            response.status_code = 400
        return response

    def get_table_class(self):
        model = selectors.MEASURES[self.measure].model if self.valid else Lead
        return {Lead: LeadTable, Signing: SigningTable, FundsEntry: FundsTable}[model]

    @property
    def money_columns(self):
        return {"intended_investment", "amount", "counted_amount"}

    def get_queryset(self):
        if not self.valid:
            return Lead.objects.none()
        return selectors.drilldown(self.request.user, self.query, self.measure, self.group, self.key)

    def get_export_title(self) -> str:
        if not self.valid:
            return str(_("招商项目明细"))
        return _("{measure}明细").format(measure=selectors.MEASURES[self.measure].label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, valid=self.valid, filter=None)
        if self.valid:
            context["back_url"] = "{}?{}".format(reverse("attraction:figures"), urlencode(query_params(self.query)))
        return context
