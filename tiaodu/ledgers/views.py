"""The ledger pages: upload → preview → confirm, the annotated error file, templates and exports."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View

from tiaodu.core.exports import xlsx_response
from tiaodu.core.periods import format_period

from . import services
from .choices import ImportKind, UploadStatus
from .exports import annotated_xlsx, export_project_list, export_reports, template_xlsx
from .forms import (
    ActualImportForm,
    EnterpriseImportForm,
    LeadImportForm,
    ProblemImportForm,
    ProjectExportForm,
    ProjectImportForm,
    ReportExportForm,
    ReportImportForm,
    default_period,
)
from .importers import ACTION_LABELS, check_region, default_region
from .models import LedgerUpload


def _index_context(request, **forms):
    user = request.user
    context = {
        "project_form": ProjectImportForm(user=user),
        "report_form": ReportImportForm(user=user),
        "problem_form": ProblemImportForm(user=user),
        "lead_form": LeadImportForm(user=user),
        "enterprise_form": EnterpriseImportForm(user=user, initial={"chain": request.GET.get("chain")}),
        "actual_form": ActualImportForm(user=user),
        "project_export_form": ProjectExportForm(user=user),
        "report_export_form": ReportExportForm(user=user),
        "uploads": LedgerUpload.objects.filter(user=user).select_related("region")[:10],
    }
    context.update(forms)
    return context


class LedgerIndexView(LoginRequiredMixin, View):
    """台账导入导出: every import with its template, and the two ledger exports."""

    def get(self, request):
        return render(request, "ledgers/index.html", _index_context(request))


class ImportView(LoginRequiredMixin, View):
    kind = ""
    form_class = None
    form_name = ""

    def get(self, request):
        return redirect("ledgers:index")

    def post(self, request):
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                region = check_region(request.user, data.get("region"))
            except ValidationError as error:
                form.add_error("region", error)
            else:
                upload = services.ledger_upload_create(
                    actor=request.user,
                    language=get_language(),
                    kind=self.kind,
                    file=data["file"],
                    region=region,
                    year=data.get("year"),
                    level=data.get("level", ""),
                    period=data.get("period"),
                    options=form.upload_options(),
                )
                return redirect(upload.get_absolute_url())
        return render(request, "ledgers/index.html", _index_context(request, **{self.form_name: form}), status=400)


class ProjectImportView(ImportView):
    kind = ImportKind.PROJECTS
    form_class = ProjectImportForm
    form_name = "project_form"


class ReportImportView(ImportView):
    kind = ImportKind.REPORTS
    form_class = ReportImportForm
    form_name = "report_form"


class ProblemImportView(ImportView):
    kind = ImportKind.PROBLEMS
    form_class = ProblemImportForm
    form_name = "problem_form"


class LeadImportView(ImportView):
    kind = ImportKind.LEADS
    form_class = LeadImportForm
    form_name = "lead_form"


class EnterpriseImportView(ImportView):
    kind = ImportKind.ENTERPRISES
    form_class = EnterpriseImportForm
    form_name = "enterprise_form"


class ActualImportView(ImportView):
    kind = ImportKind.ACTUALS
    form_class = ActualImportForm
    form_name = "actual_form"


class UploadMixin(LoginRequiredMixin):
    """An upload is its uploader's only: anyone else gets the same 404 as for a missing one."""

    def get_upload(self) -> LedgerUpload:
        try:
            return LedgerUpload.objects.select_related("region").get(pk=self.kwargs["pk"], user=self.request.user)
        except LedgerUpload.DoesNotExist:
            raise Http404 from None

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ValidationError as error:  # the file was cleaned away (``ledgers_clean``): upload it again
            messages.error(request, " ".join(error.messages))
            return redirect("ledgers:index")


def _render_summary(request, upload, summary, *, status=200):
    outcomes = [{**o, "action_label": ACTION_LABELS[o["action"]]} for o in summary.get("outcomes", [])]
    context = {
        "upload": upload,
        "summary": summary,
        "counts": summary.get("counts", {}),
        "outcomes": outcomes,
        "problems": summary.get("problems", []),
        "imported": upload.status == UploadStatus.IMPORTED,
        "period_label": format_period(upload.period) if upload.period else "",
    }
    return render(request, "ledgers/upload_detail.html", context, status=status)


def _render_progress(request, upload):
    done, total = upload.progress()
    context = {"upload": upload, "done": done, "total": total, "percent": int(100 * done / total) if total else 0}
    if request.headers.get("HX-Request") and request.GET.get("fragment") == "progress":
        response = render(request, "ledgers/includes/progress.html", context)
        if not upload.is_running:
            response["HX-Refresh"] = "true"  # done: show the outcome
        return response
    return render(request, "ledgers/upload_progress.html", context)


class UploadDetailView(UploadMixin, View):
    """预览: what importing the file would do, row by row, or every problem that stops it."""

    def get(self, request, pk):
        upload = self.get_upload()
        if upload.is_running or request.GET.get("fragment") == "progress":
            return _render_progress(request, upload)
        if upload.status == UploadStatus.IMPORTED or upload.in_background:
            return _render_summary(request, upload, upload.summary)
        result = services.ledger_upload_run(upload=upload, actor=request.user, dry_run=True)
        return _render_summary(request, upload, services.result_summary(result))


class UploadConfirmView(UploadMixin, View):
    """确认导入."""

    def get(self, request, pk):
        self.get_upload()
        return redirect("ledgers:upload_detail", pk=pk)

    def post(self, request, pk):
        upload = self.get_upload()
        if upload.status == UploadStatus.IMPORTED:
            messages.info(request, _("该文件已导入。"))
            return redirect(upload.get_absolute_url())
        if upload.is_running:
            return redirect(upload.get_absolute_url())
        result = services.ledger_upload_confirm(upload=upload, actor=request.user)
        if result is None:  # a large file: the background task imports it, the page shows its progress
            return redirect(upload.get_absolute_url())
        if result.written:
            messages.success(
                request,
                _("导入完成：新增{create}行，更新{update}行，不变{unchanged}行。").format(**result.counts),
            )
            return redirect(upload.get_absolute_url())
        upload.refresh_from_db()
        return _render_summary(request, upload, services.result_summary(result), status=400)


class UploadErrorsView(UploadMixin, View):
    """The file back with its bad cells highlighted and a comment on each."""

    def get(self, request, pk):
        upload = self.get_upload()
        result = services.ledger_upload_run(upload=upload, actor=request.user, dry_run=True)
        stem = upload.filename.rsplit(".", 1)[0]
        return xlsx_response(
            annotated_xlsx(result.ledger, result.problems), str(_("{name}-错误标注.xlsx").format(name=stem))
        )


def _bad_request(request, form, title):
    return render(request, "ledgers/form_errors.html", {"form": form, "title": title}, status=400)


class TemplateDownloadView(LoginRequiredMixin, View):
    """导入模板 (?kind=projects|reports|problems|leads|enterprises|actuals): headers, units, an example
    row and drop-down lists."""

    def get(self, request):
        kind = request.GET.get("kind", ImportKind.PROJECTS)
        if kind not in ImportKind.values:
            raise Http404
        region = default_region(request.user)
        today = timezone.localdate()
        content = template_xlsx(kind, region=region, year=today.year, period=default_period())
        name = _("{kind}导入模板").format(kind=ImportKind(kind).label)
        return xlsx_response(content, f"{name}.xlsx")


class ProjectExportView(LoginRequiredMixin, View):
    """重点项目名单 in the exchange layout (?year=&level=&region=)."""

    def get(self, request):
        data = request.GET.copy()
        data.setdefault("year", str(timezone.localdate().year))
        data.setdefault("level", "city")
        form = ProjectExportForm(data, user=request.user)
        if not form.is_valid():
            return _bad_request(request, form, _("导出重点项目名单"))
        region = form.cleaned_data["region"] or default_region(request.user)
        title, content = export_project_list(
            request.user, year=form.cleaned_data["year"], level=form.cleaned_data["level"], region=region
        )
        return xlsx_response(content, f"{title}.xlsx")


class ReportExportView(LoginRequiredMixin, View):
    """月度调度台账 in the exchange layout (?period=&region=)."""

    def get(self, request):
        data = request.GET.copy()
        data.setdefault("period", format_period(default_period()))
        form = ReportExportForm(data, user=request.user)
        if not form.is_valid():
            return _bad_request(request, form, _("导出月度调度台账"))
        region = form.cleaned_data["region"] or default_region(request.user)
        title, content = export_reports(request.user, period=form.cleaned_data["period"], region=region)
        return xlsx_response(content, f"{title}.xlsx")
