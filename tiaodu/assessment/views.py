"""Pages of the assessment: the indicator catalogue, actuals and their review, schemes and the result table."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from tiaodu.core.dates import local_today
from tiaodu.core.exports import xlsx_response
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, REVIEW, VIEW, get_scoped_or_404, user_can
from tiaodu.core.views import ScopedListView, ServiceFormView

from . import selectors, services
from .exports import result_to_xlsx
from .filtersets import ActualFilterSet, IndicatorFilterSet
from .forms import (
    ActualForm,
    AdjustmentForm,
    IndicatorForm,
    ReasonForm,
    ResultQueryForm,
    SchemeForm,
    TargetsForm,
)
from .models import Actual, Adjustment, Indicator, Scheme
from .scoring import plain
from .tables import ActualTable, IndicatorTable


def _can_create(user) -> bool:
    from tiaodu.regions.models import Region

    return Region.objects.restrict(user, CHANGE).filter(level__in=["city", "province"]).exists()


class IndicatorListView(ScopedListView):
    """考核指标库."""

    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    export_title = _("考核指标库")
    add_url_name = "assessment:indicator_add"

    def get_queryset(self):
        return selectors.indicator_list(self.request.user)

    def can_add(self) -> bool:
        return _can_create(self.request.user)


class IndicatorFormView(ServiceFormView):
    title = _("考核指标")

    def get_indicator(self):
        if "pk" not in self.kwargs:
            return None
        return get_scoped_or_404(Indicator, self.request.user, CHANGE, pk=self.kwargs["pk"])

    def build_form(self, data=None):
        return IndicatorForm(data, instance=self.get_indicator(), user=self.request.user)

    def save(self, form):
        fields = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        return services.indicator_save(actor=self.request.user, indicator=self.get_indicator(), **fields)


class ActualListView(ScopedListView):
    """考核实绩: the entered actuals in scope, with their state."""

    filterset_class = ActualFilterSet
    table_class = ActualTable
    export_title = _("考核实绩")
    add_url_name = "assessment:actual_add"

    def get_queryset(self):
        return selectors.actual_list(self.request.user)

    def can_add(self) -> bool:
        return True


class ActualAddView(ServiceFormView):
    title = _("填报考核实绩")

    def build_form(self, data=None):
        return ActualForm(data, user=self.request.user, initial={"year": local_today().year})

    def save(self, form):
        data = form.cleaned_data
        return services.actual_save(
            actor=self.request.user,
            indicator=data["indicator"],
            region=data.get("region"),
            department=data.get("department"),
            year=data["year"],
            month=data["month"],
            value=data["value"],
            note=data.get("note") or "",
        )


class ActualDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        actual = get_scoped_or_404(selectors.actual_list(request.user), request.user, VIEW, pk=pk)
        return render(
            request,
            "assessment/actual_detail.html",
            {
                "actual": actual,
                "value_text": plain(actual.value),
                "events": actual.events.select_related("actor").order_by("at", "pk"),
                "can_change": user_can(request.user, CHANGE, actual),
                "can_review": user_can(request.user, REVIEW, actual)
                and user_can(request.user, CHANGE, actual.indicator),
                "return_form": ReasonForm(),
            },
        )


class ActualStepView(LoginRequiredMixin, View):
    """提交 / 审核通过 / 退回 of one actual (POST only)."""

    step = ""

    def post(self, request, pk):
        action = CHANGE if self.step == "submit" else REVIEW
        actual = get_scoped_or_404(Actual, request.user, action, pk=pk)
        try:
            if self.step == "submit":
                services.actual_submit(actor=request.user, actual=actual)
            elif self.step == "accept":
                services.actual_accept(actor=request.user, actual=actual)
            else:
                services.actual_return(actor=request.user, actual=actual, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已保存。"))
        return redirect(actual.get_absolute_url())


class SchemeListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "assessment/scheme_list.html",
            {"schemes": selectors.scheme_list(request.user), "can_add": _can_create(request.user)},
        )


class SchemeFormView(ServiceFormView):
    template_name = "assessment/scheme_form.html"
    title = _("考核方案")

    def get_scheme(self):
        if "pk" not in self.kwargs:
            return None
        return get_scoped_or_404(Scheme, self.request.user, CHANGE, pk=self.kwargs["pk"])

    def build_form(self, data=None):
        return SchemeForm(data, user=self.request.user, scheme=self.get_scheme(), initial={"year": local_today().year})

    def save(self, form):
        data = form.cleaned_data
        scheme = self.get_scheme()
        if scheme is None:
            return services.scheme_save(
                actor=self.request.user,
                region=data["region"],
                year=data["year"],
                name=data["name"],
                unit_kind=data["unit_kind"],
                note=data.get("note") or "",
                units=form.units(),
                items=form.items(),
            )
        return services.scheme_save(
            actor=self.request.user,
            scheme=scheme,
            name=data["name"],
            note=data.get("note") or "",
            units=form.units(),
            items=form.items(),
        )


class SchemeDetailView(LoginRequiredMixin, View):
    """A scheme: its indicators and weights, units, targets (editable grid), bonus and deduction items."""

    def get(self, request, pk, targets_form=None, adjustment_form=None, status=200):
        scheme = get_scoped_or_404(Scheme.objects.select_related("region"), request.user, VIEW, pk=pk)
        can_change = user_can(request.user, CHANGE, scheme)
        return render(
            request,
            "assessment/scheme_detail.html",
            {
                "scheme": scheme,
                "items": scheme.items.select_related("indicator").order_by("order"),
                "weight_total": sum((i.weight for i in scheme.items.all()), Decimal(0)),
                "targets_form": targets_form or TargetsForm(scheme=scheme),
                "adjustment_form": adjustment_form or AdjustmentForm(scheme=scheme),
                "adjustments": scheme.adjustments.select_related("unit__region", "unit__department"),
                "published": scheme.published.order_by("month"),
                "can_change": can_change,
            },
            status=status,
        )


class SchemeTargetsView(SchemeDetailView):
    def post(self, request, pk):
        scheme = get_scoped_or_404(Scheme, request.user, CHANGE, pk=pk)
        form = TargetsForm(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                services.targets_set(actor=request.user, scheme=scheme, values=form.values())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("目标值已保存。"))
                return redirect(scheme.get_absolute_url())
        return self.get(request, pk, targets_form=form, status=400)


class AdjustmentAddView(SchemeDetailView):
    def post(self, request, pk):
        scheme = get_scoped_or_404(Scheme, request.user, CHANGE, pk=pk)
        form = AdjustmentForm(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                services.adjustment_add(actor=request.user, scheme=scheme, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect(scheme.get_absolute_url())
        return self.get(request, pk, adjustment_form=form, status=400)


class AdjustmentRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        adjustment = get_scoped_or_404(Adjustment.objects.select_related("scheme"), request.user, CHANGE, pk=pk)
        services.adjustment_remove(actor=request.user, adjustment=adjustment)
        messages.success(request, _("已删除。"))
        return redirect(adjustment.scheme.get_absolute_url())


def result_data(request, scheme: Scheme):
    """The query (month, current or as published) and the table: ``(form, data, published)``."""
    form = ResultQueryForm(request.GET or None)
    month = selectors.default_month(scheme, local_today())
    as_of = "current"
    if form.is_bound:
        if not form.is_valid():
            return form, None, None  # the form says what is wrong with the month or the basis
        month = form.cleaned_data.get("month") or month
        as_of = form.cleaned_data.get("as_of") or "current"
    published = selectors.published_result(scheme, month)
    if as_of == "published":
        if published is None:
            form.add_error("as_of", _("1–{month}月的考核结果尚未发布。").format(month=month))
            return form, None, None
        return form, published.data, published
    return form, selectors.compute_result(scheme, month).as_json(), published


class ResultView(LoginRequiredMixin, View):
    """考核结果: each unit's values, completion, points, bonus/deduction, total and rank, with formulas."""

    def get(self, request, pk):
        scheme = get_scoped_or_404(Scheme.objects.select_related("region"), request.user, VIEW, pk=pk)
        form, data, published = result_data(request, scheme)
        if data is not None and request.GET.get("export") == "xlsx":
            title = _("{region}{year}年度重点项目建设考核结果").format(region=scheme.region.name, year=scheme.year)
            if published is not None and request.GET.get("as_of") == "published":
                stamp = _("截至{month}月，{at}发布").format(
                    month=data["month"], at=timezone.localtime(published.published_at).strftime("%Y-%m-%d")
                )
            else:
                stamp = _("截至{month}月，当前数据").format(month=data["month"])
            content = result_to_xlsx(data, title=str(title), stamp=str(stamp))
            return xlsx_response(content, f"{title}-1-{data['month']}.xlsx")
        query = request.GET.copy()
        query["export"] = "xlsx"
        if data is not None:
            for row in data["rows"]:
                row["pairs"] = list(zip(data["items"], row["cells"], strict=True))
        return render(
            request,
            "assessment/result.html",
            {
                "scheme": scheme,
                "form": form,
                "data": data,
                "published": published,
                "as_published": data is not None and published is not None and request.GET.get("as_of") == "published",
                "export_query": query.urlencode(),
                "can_publish": user_can(request.user, CHANGE, scheme) and published is None,
            },
            status=200 if data is not None else 400,
        )


class ResultPublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        scheme = get_scoped_or_404(Scheme, request.user, CHANGE, pk=pk)
        try:
            month = int(request.POST.get("month", ""))
        except ValueError:
            month = 0
        try:
            services.result_publish(actor=request.user, scheme=scheme, month=month, note=request.POST.get("note", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("考核结果已发布。"))
        url = reverse("assessment:result", args=[scheme.pk])
        return redirect(f"{url}?month={month}&as_of=published" if 1 <= month <= 12 else url)


class ActualImportView(LoginRequiredMixin, View):
    """导入考核实绩: the ledger import's form in the assessment section. The upload goes through the
    ledger pages (preview every row, then confirm; all rows or none), like every other import."""

    template_name = "assessment/actual_import.html"

    def get(self, request):
        from tiaodu.ledgers.forms import ActualImportForm

        return render(request, self.template_name, {"form": ActualImportForm(user=request.user)})
