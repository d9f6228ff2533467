"""Pages of the industrial chains: the list, one chain with its map, gaps and figures, the forms, and
the rows behind every figure (each exportable as .xlsx)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from tiaodu.core.dates import local_today
from tiaodu.core.exports import table_to_xlsx, xlsx_response
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404, is_unrestricted, user_can, user_grants
from tiaodu.core.views import ServiceFormView

from . import selectors, services
from .choices import MemberRole
from .forms import ChainForm, MemberForm, OutputForm, ProjectLinkForm, SegmentForm, SegmentOrderForm
from .models import Chain, ChainProject, Member, Segment
from .tables import ChainProjectTable, ChainTable, MemberTable, OutputTable


def export(request, table, title: str, money_columns: set[str] = frozenset()):
    RequestConfig(request, paginate=False).configure(table)
    stamp = timezone.localdate().strftime("%Y%m%d")
    title = str(title)
    units = str(_("单位：万元")) if money_columns else None
    content = table_to_xlsx(table, title=title, money_columns=set(money_columns), units=units)
    return xlsx_response(content, f"{title}-{stamp}.xlsx")


def can_add_chain(user) -> bool:
    return is_unrestricted(user) or any(g.role == "admin" for g in user_grants(user))


class ChainListView(LoginRequiredMixin, TemplateView):
    """产业链: the chains in scope with leader, department, counts by role, latest output and gaps."""

    template_name = "chains/chain_list.html"

    def get(self, request, *args, **kwargs):
        chains = selectors.attach_gaps(selectors.chain_list(request.user))
        if request.GET.get("export") == "xlsx":
            return export(request, ChainTable(chains), _("产业链一览表"), {"latest_actual", "latest_target"})
        return self.render_to_response(self.get_context_data(chains=chains, can_add=can_add_chain(request.user)))


class ChainMixin(LoginRequiredMixin):
    action = VIEW

    def get_chain(self) -> Chain:
        if not hasattr(self, "_chain"):
            self._chain = get_scoped_or_404(
                Chain.objects.select_related("region", "leader", "department"),
                self.request.user,
                self.action,
                pk=self.kwargs["pk"],
            )
        return self._chain


class ChainDetailView(ChainMixin, TemplateView):
    """One chain: the chain map, the gaps, enterprises by role and segment, output and projects."""

    template_name = "chains/chain_detail.html"

    def get_context_data(self, **kwargs):
        chain = self.get_chain()
        user = self.request.user
        segments = selectors.chain_segments(chain, user)
        links = list(selectors.chain_projects(chain, user))
        outputs = list(selectors.outputs(chain))
        gaps = [s for s in segments if s.is_gap]
        self.attach_gap_leads(chain, gaps)
        context = super().get_context_data(**kwargs)
        context.update(
            chain=chain,
            segments=segments,
            gaps=gaps,
            role_counts=selectors.role_counts(segments),
            roles=MemberRole.choices,
            member_total=sum(len(s.members) for s in segments),
            outputs=outputs,
            output_chart={
                "years": [o.year for o in outputs],
                "actual": [None if o.actual is None else str(o.actual) for o in outputs],
                "target": [None if o.target is None else str(o.target) for o in outputs],
                "labels": {
                    "actual": str(_("实际产值")),
                    "target": str(_("目标产值")),
                    "unit": str(_("万元")),
                    "segment": str(_("环节")),
                    "project": str(_("项目")),
                },
                "rows_url": reverse("chains:member_rows", args=[chain.pk]),
            },
            links=links,
            project_totals=selectors.project_totals(links),
            year=local_today().year,
            can_change=user_can(user, CHANGE, chain),
        )
        return context

    def attach_gap_leads(self, chain, gaps) -> None:
        """招商图谱: each gap gets the leads aimed at it and the address that starts a new one there."""
        from tiaodu.attraction.selectors import leads_targeting

        leads = leads_targeting(self.request.user, [gap.segment for gap in gaps])
        start = reverse("attraction:lead_add")
        for gap in gaps:
            gap.leads = leads.get(gap.segment.pk, [])
            gap.new_lead_url = f"{start}?{urlencode({'chain': chain.pk, 'segment': gap.segment.pk})}"


class ChainMapJsonView(ChainMixin, View):
    def get(self, request, *args, **kwargs):
        return JsonResponse(
            selectors.map_data(self.get_chain(), request.user), json_dumps_params={"ensure_ascii": False}
        )


class MemberRowsView(ChainMixin, TemplateView):
    """The enterprises behind a figure: all, one role or one segment."""

    template_name = "chains/rows.html"

    def get(self, request, *args, **kwargs):
        chain = self.get_chain()
        role = request.GET.get("role", "")
        segment = request.GET.get("segment", "")
        rows = selectors.member_rows(request.user, chain, role=role, segment=segment)
        title = _("{chain}链上企业").format(chain=chain.name)
        if role in MemberRole.values:
            title = f"{title}·{MemberRole(role).label}"
        if segment:
            name = (
                Segment.objects.filter(chain=chain, pk=segment if segment.isdigit() else 0)
                .values_list("name", flat=True)
                .first()
            )
            if name:
                title = f"{title}·{name}"
        table = MemberTable(rows)
        if request.GET.get("export") == "xlsx":
            return export(request, table, title)
        RequestConfig(request, paginate={"per_page": 200}).configure(table)
        return self.render_to_response({"chain": chain, "table": table, "title": title, "count": rows.count()})


class ProjectRowsView(ChainMixin, TemplateView):
    template_name = "chains/rows.html"

    def get(self, request, *args, **kwargs):
        chain = self.get_chain()
        links = selectors.chain_projects(chain, request.user)
        segment = request.GET.get("segment", "")
        if segment.isdigit():
            links = links.filter(segment_id=int(segment))
        title = _("{chain}项目").format(chain=chain.name)
        table = ChainProjectTable(links)
        if request.GET.get("export") == "xlsx":
            return export(request, table, title, {"project__total_investment", "ytd"})
        RequestConfig(request, paginate={"per_page": 200}).configure(table)
        return self.render_to_response({"chain": chain, "table": table, "title": title, "count": links.count()})


class OutputRowsView(ChainMixin, TemplateView):
    template_name = "chains/rows.html"

    def get(self, request, *args, **kwargs):
        chain = self.get_chain()
        rows = selectors.outputs(chain)
        title = _("{chain}产值").format(chain=chain.name)
        table = OutputTable(rows)
        if request.GET.get("export") == "xlsx":
            return export(request, table, title, {"actual", "target"})
        RequestConfig(request, paginate=False).configure(table)
        return self.render_to_response({"chain": chain, "table": table, "title": title, "count": rows.count()})


# ---- forms ---------------------------------------------------------------------------------------


class ChainAddView(ServiceFormView):
    title = _("新建产业链")

    def build_form(self, data=None):
        return ChainForm(data, user=self.request.user)

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.chain_create(actor=self.request.user, **data)


class ChainEditView(ChainMixin, ServiceFormView):
    action = CHANGE
    title = _("修改产业链")

    def build_form(self, data=None):
        chain = self.get_chain()
        initial = {f: getattr(chain, f) for f in services.CHAIN_FIELDS}
        return ChainForm(data, initial=initial, user=self.request.user, with_segments=False)

    def save(self, form):
        return services.chain_update(actor=self.request.user, chain=self.get_chain(), **form.cleaned_data)


class SegmentAddView(ChainMixin, ServiceFormView):
    action = CHANGE

    @property
    def title(self):
        return _("{chain}：添加环节").format(chain=self.get_chain().name)

    def build_form(self, data=None):
        return SegmentForm(data)

    def save(self, form):
        services.segment_add(actor=self.request.user, chain=self.get_chain(), **form.cleaned_data)
        return self.get_chain()


class SegmentObjectMixin(LoginRequiredMixin):
    def get_segment(self) -> Segment:
        if not hasattr(self, "_segment"):
            self._segment = get_scoped_or_404(
                Segment.objects.select_related("chain"), self.request.user, CHANGE, pk=self.kwargs["pk"]
            )
        return self._segment


class SegmentEditView(SegmentObjectMixin, ServiceFormView):
    title = _("修改环节")

    def build_form(self, data=None):
        segment = self.get_segment()
        return SegmentForm(data, initial={"name": segment.name, "description": segment.description})

    def save(self, form):
        segment = services.segment_update(actor=self.request.user, segment=self.get_segment(), **form.cleaned_data)
        return segment.chain


class ActionView(LoginRequiredMixin, View):
    """A one-button step (POST only): done through a service, or its message shown on the chain page."""

    model = None
    success = _("已保存。")

    def get_object(self):
        return get_scoped_or_404(
            self.model.objects.select_related("chain"), self.request.user, CHANGE, pk=self.kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        chain = obj.chain
        try:
            self.act(obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success)
        return redirect(chain.get_absolute_url())


class SegmentMoveView(ActionView):
    model = Segment

    def act(self, segment):
        form = SegmentOrderForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("环节顺序有误。"))
        services.segment_move(actor=self.request.user, segment=segment, step=form.cleaned_data["step"])


class SegmentRemoveView(ActionView):
    model = Segment
    success = _("已删除环节。")

    def act(self, segment):
        services.segment_remove(actor=self.request.user, segment=segment)


class MemberAddView(ChainMixin, ServiceFormView):
    action = CHANGE

    @property
    def title(self):
        return _("{chain}：企业入链").format(chain=self.get_chain().name)

    def build_form(self, data=None):
        initial = {"segment": self.request.GET.get("segment")}
        return MemberForm(data, initial=initial, user=self.request.user, chain=self.get_chain())

    def save(self, form):
        services.member_add(actor=self.request.user, chain=self.get_chain(), **form.cleaned_data)
        return self.get_chain()


class MemberEditView(ServiceFormView):
    title = _("调整链上企业")

    def get_member(self) -> Member:
        if not hasattr(self, "_member"):
            self._member = get_scoped_or_404(
                Member.objects.select_related("chain", "organisation", "segment"),
                self.request.user,
                CHANGE,
                pk=self.kwargs["pk"],
            )
        return self._member

    def build_form(self, data=None):
        m = self.get_member()
        initial = {"segment": m.segment_id, "role": m.role, "joined_on": m.joined_on, "note": m.note}
        return MemberForm(data, initial=initial, user=self.request.user, chain=m.chain, editing=True)

    def save(self, form):
        member = services.member_update(actor=self.request.user, member=self.get_member(), **form.cleaned_data)
        return member.chain

    def get_extra_context(self):
        return {"title": f"{self.title}：{self.get_member().organisation.name}"}


class MemberRemoveView(ActionView):
    model = Member
    success = _("企业已移出产业链。")

    def act(self, member):
        services.member_remove(actor=self.request.user, member=member)


class OutputSetView(ChainMixin, ServiceFormView):
    action = CHANGE

    @property
    def title(self):
        return _("{chain}：填报产值").format(chain=self.get_chain().name)

    def build_form(self, data=None):
        return OutputForm(data, initial={"year": self.request.GET.get("year") or local_today().year})

    def save(self, form):
        services.output_set(actor=self.request.user, chain=self.get_chain(), **form.cleaned_data)
        return self.get_chain()


class ProjectLinkView(ChainMixin, ServiceFormView):
    action = CHANGE

    @property
    def title(self):
        return _("{chain}：关联项目").format(chain=self.get_chain().name)

    def build_form(self, data=None):
        return ProjectLinkForm(data, user=self.request.user, chain=self.get_chain())

    def save(self, form):
        services.project_link(actor=self.request.user, chain=self.get_chain(), **form.cleaned_data)
        return self.get_chain()


class ProjectUnlinkView(ActionView):
    model = ChainProject
    success = _("已取消关联。")

    def act(self, link):
        services.project_unlink(actor=self.request.user, link=link)
